//! The well-known types' proto3 JSON, case by case, against Python's `json_format`:
//! what Python accepts we accept and print identically; what it rejects we reject.

use common_eventing::wkt::*;
use interop_tests::{run, script};
use prost::Message;
use serde::{Serialize, de::DeserializeOwned};

#[derive(serde::Deserialize)]
struct Case {
    #[serde(rename = "type")]
    type_name: String,
    input: String,
    ok: bool,
    canonical: Option<String>,
    binary_hex: Option<String>,
    error: Option<String>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `None` when Rust agrees with Python on the case, else what differs.
fn check<M: Message + Serialize + DeserializeOwned>(case: &Case) -> Option<String> {
    let parsed = serde_json::from_str::<M>(&case.input);
    match (case.ok, parsed) {
        (false, Err(_)) => None,
        (false, Ok(m)) => Some(format!(
            "accepted what Python rejects ({}), giving {:?}",
            case.error.as_deref().unwrap_or_default(),
            serde_json::to_string(&m)
        )),
        (true, Err(e)) => Some(format!("rejected what Python accepts: {e}")),
        (true, Ok(m)) => {
            // Compare as printed text re-read, so a float32 is compared at its shortest form.
            let ours: serde_json::Value = match serde_json::to_string(&m) {
                Ok(text) => serde_json::from_str(&text).unwrap(),
                Err(e) => return Some(format!("cannot print what it parsed: {e}")),
            };
            let theirs: serde_json::Value =
                serde_json::from_str(case.canonical.as_deref().unwrap()).unwrap();
            if ours != theirs {
                return Some(format!("prints {ours}, Python prints {theirs}"));
            }
            if Some(hex(&m.encode_to_vec())) != case.binary_hex {
                return Some(format!(
                    "encodes {}, Python {:?}",
                    hex(&m.encode_to_vec()),
                    case.binary_hex
                ));
            }
            None
        }
    }
}

/// Inputs Python's `json_format` accepts although the proto3 JSON spec (and the C++
/// and Java parsers) reject them. We follow the spec; the test pins each deviation, so
/// a change on either side is noticed.
const STRICTER_THAN_PYTHON: &[(&str, &str)] = &[
    // Python rounds fractions past nanoseconds; the spec allows at most 9 digits.
    ("google.protobuf.Duration", r#""1.0000000001s""#),
    // Python's base64 decoder drops characters outside the alphabet.
    ("google.protobuf.BytesValue", r#""!!""#),
];

#[test]
fn wkt_json_agrees_with_python_json_format() {
    let cases: Vec<Case> = serde_json::from_str(&run(script("wkt_json_cases.py"))).unwrap();
    let mut failures = Vec::new();
    for case in &cases {
        let outcome = match case.type_name.as_str() {
            "google.protobuf.Timestamp" => check::<Timestamp>(case),
            "google.protobuf.Duration" => check::<Duration>(case),
            "google.protobuf.Value" => check::<Value>(case),
            "google.protobuf.Struct" => check::<Struct>(case),
            "google.protobuf.ListValue" => check::<ListValue>(case),
            "google.protobuf.FieldMask" => check::<FieldMask>(case),
            "google.protobuf.BoolValue" => check::<BoolValue>(case),
            "google.protobuf.StringValue" => check::<StringValue>(case),
            "google.protobuf.BytesValue" => check::<BytesValue>(case),
            "google.protobuf.DoubleValue" => check::<DoubleValue>(case),
            "google.protobuf.FloatValue" => check::<FloatValue>(case),
            "google.protobuf.Int64Value" => check::<Int64Value>(case),
            "google.protobuf.UInt64Value" => check::<UInt64Value>(case),
            "google.protobuf.Int32Value" => check::<Int32Value>(case),
            "google.protobuf.UInt32Value" => check::<UInt32Value>(case),
            "google.protobuf.Empty" => check::<Empty>(case),
            "google.protobuf.Any" => check::<Any>(case),
            other => Some(format!("no Rust type for {other}")),
        };
        if STRICTER_THAN_PYTHON.contains(&(case.type_name.as_str(), case.input.as_str())) {
            assert!(
                case.ok,
                "Python now rejects {} too: drop it from STRICTER_THAN_PYTHON",
                case.input
            );
            let rejected = outcome
                .as_deref()
                .is_some_and(|o| o.starts_with("rejected"));
            assert!(
                rejected,
                "{} {}: expected a rejection, got {outcome:?}",
                case.type_name, case.input
            );
            continue;
        }
        if let Some(problem) = outcome {
            failures.push(format!("{} {}: {problem}", case.type_name, case.input));
        }
    }
    assert!(cases.len() > 90, "only {} cases", cases.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn non_finite_numbers_in_value_are_rejected_like_python() {
    // Python: "Fail to serialize Infinity for Value.number_value, which would parse as string_value".
    for n in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let err = serde_json::to_string(&Value::from(n))
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a JSON number"), "{err}");
    }
}
