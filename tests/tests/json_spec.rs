//! proto3 JSON as the spec says, for every message of every crate (the generated
//! impls of `xtask/src/codegen/generators/json`), with one regression test per row of issue 12's defect
//! table taken from its reproduction. Google's conformance suite (`cargo xtask
//! conformance`) checks the same rules on its own test messages; these tests check
//! them on ours.

use chaukas_spec_client::common::v1::{Event, EventType, RetryInfo};
use common_eventing::visit::JsonMessage;
use common_eventing::wkt::{DoubleValue, ListValue, Struct, Value};
use interop_tests::every_message::{Check, for_each_message, pool, random_value};
use prost::Message as _;
use prost_reflect::{DescriptorPool, FieldDescriptor, Kind};

fn is_value(field: &FieldDescriptor) -> bool {
    matches!(field.kind(), Kind::Message(m) if m.full_name() == "google.protobuf.Value")
        && !field.is_list()
        && !field.is_map()
}

/// Row 4: `null` means the default for every field type, under either name.
#[test]
fn null_is_the_default_of_every_field_of_every_message() {
    struct Nulls(usize);
    impl Check for Nulls {
        fn check<M: JsonMessage + common_eventing::encode::Encode>(
            &mut self,
            fields: &[FieldDescriptor],
        ) {
            for field in fields {
                for name in [field.json_name(), field.name()] {
                    let json = format!("{{\"{name}\": null}}");
                    let got: M = serde_json::from_str(&json)
                        .unwrap_or_else(|e| panic!("{}: {json} is refused: {e}", M::full_name()));
                    if is_value(field) {
                        // A Value field is set to null_value, not cleared.
                        assert!(got != M::default(), "{}: {json}", M::full_name());
                    } else {
                        assert!(got == M::default(), "{}: {json}", M::full_name());
                    }
                    self.0 += 1;
                }
            }
        }
    }
    let mut checked = Nulls(0);
    let messages = for_each_message(&mut checked);
    assert!(
        messages > 200 && checked.0 > 1000,
        "{messages} {}",
        checked.0
    );
    // The reproduction.
    assert_eq!(
        serde_json::from_str::<Event>(r#"{"isPartial":null}"#).unwrap(),
        Event::default()
    );
}

/// Row 3: enums are open. A random unknown number in every enum field is kept, written
/// back as the number, and encodes as itself.
#[test]
fn unknown_enum_numbers_are_kept_in_every_enum_field() {
    struct Open(usize);
    impl Check for Open {
        fn check<M: JsonMessage + common_eventing::encode::Encode>(
            &mut self,
            fields: &[FieldDescriptor],
        ) {
            for field in fields.iter().filter(|f| !f.is_map()) {
                let Kind::Enum(e) = field.kind() else {
                    continue;
                };
                let n = loop {
                    let n = fastrand::i32(..);
                    if e.get_value(n).is_none() {
                        break n;
                    }
                };
                let value = if field.is_list() {
                    format!("[{n}]")
                } else {
                    n.to_string()
                };
                let json = format!("{{\"{}\": {value}}}", field.json_name());
                let got: M = serde_json::from_str(&json)
                    .unwrap_or_else(|e| panic!("{}: {json}: {e}", M::full_name()));
                let back = serde_json::to_value(&got).unwrap();
                let expected: serde_json::Value = serde_json::from_str(&json).unwrap();
                assert_eq!(back, expected, "{}", M::full_name());
                let again = M::decode(got.encode_to_vec().as_slice()).unwrap();
                assert!(again == got, "{}", M::full_name());
                self.0 += 1;
            }
        }
    }
    let mut checked = Open(0);
    for_each_message(&mut checked);
    assert!(checked.0 > 50, "{}", checked.0);
    // The reproduction, and the number written back.
    let event: Event = serde_json::from_str(r#"{"type":3}"#).unwrap();
    assert_eq!(event.r#type, 3);
    assert_eq!(serde_json::to_string(&event).unwrap(), r#"{"type":3}"#);
    // Known numbers are written as names, and names read.
    let known: Event = serde_json::from_str(r#"{"type":1}"#).unwrap();
    let name = EventType::try_from(1).unwrap().as_str_name();
    assert_eq!(
        serde_json::to_string(&known).unwrap(),
        format!(r#"{{"type":"{name}"}}"#)
    );
    assert!(
        serde_json::from_str::<Event>(r#"{"type":"NOPE"}"#)
            .unwrap_err()
            .to_string()
            .contains("type: \"NOPE\" is not a value of enum")
    );
}

/// Row 5: integers are read from numbers in any exact form and from strings, in every
/// integer field; fractions and out-of-range values are errors naming the field.
#[test]
fn integers_in_float_and_string_form_in_every_integer_field() {
    struct Ints(usize);
    impl Check for Ints {
        fn check<M: JsonMessage + common_eventing::encode::Encode>(
            &mut self,
            fields: &[FieldDescriptor],
        ) {
            for field in fields.iter().filter(|f| !f.is_list() && !f.is_map()) {
                let (lo, hi): (i64, i64) = match field.kind() {
                    Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => {
                        (i32::MIN.into(), i32::MAX.into())
                    }
                    Kind::Uint32 | Kind::Fixed32 => (0, u32::MAX.into()),
                    Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => (-(1 << 53), 1 << 53),
                    Kind::Uint64 | Kind::Fixed64 => (0, 1 << 53),
                    _ => continue,
                };
                let n = fastrand::i64(lo..=hi);
                let json_name = field.json_name();
                let plain: M = serde_json::from_str(&format!("{{\"{json_name}\": {n}}}")).unwrap();
                let mut forms = vec![
                    format!("{n}.0"),
                    format!("{n}e0"),
                    format!("{n}00e-2"),
                    format!("\"{n}\""),
                ];
                if n % 10 == 0 {
                    forms.push(format!("{}e1", n / 10));
                }
                for form in forms {
                    let json = format!("{{\"{json_name}\": {form}}}");
                    let got: M = serde_json::from_str(&json)
                        .unwrap_or_else(|e| panic!("{}: {json}: {e}", M::full_name()));
                    assert!(got == plain, "{}: {json}", M::full_name());
                }
                let err = serde_json::from_str::<M>(&format!("{{\"{json_name}\": 0.5}}"))
                    .err()
                    .expect("0.5 is refused")
                    .to_string();
                assert!(err.contains(json_name), "{}: {err}", M::full_name());
                let too_big = format!("{{\"{json_name}\": \"{}\"}}", i128::from(hi) * 4 + 4);
                if hi < (1 << 53) {
                    assert!(serde_json::from_str::<M>(&too_big).is_err(), "{too_big}");
                }
                self.0 += 1;
            }
        }
    }
    let mut checked = Ints(0);
    for_each_message(&mut checked);
    assert!(checked.0 > 100, "{}", checked.0);
    // The reproduction.
    let event: Event = serde_json::from_str(r#"{"retry":{"attempt":5.0}}"#).unwrap();
    assert_eq!(
        event.retry,
        Some(RetryInfo {
            attempt: 5,
            ..Default::default()
        })
    );
    let event: Event = serde_json::from_str(r#"{"retry":{"attempt":1e2}}"#).unwrap();
    assert_eq!(event.retry.unwrap().attempt, 100);
    let err = serde_json::from_str::<Event>(r#"{"retry":{"attempt":5.5}}"#)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("retry.attempt: 5.5 is not an integer"),
        "{err}"
    );
    assert!(!err.contains("untagged enum"), "{err}");
}

/// Row 1: doubles are parsed correctly rounded (as Rust's own `str::parse` and
/// Python's `float()` are), and Rust reads back what it writes, bit for bit.
#[test]
fn doubles_parse_correctly_rounded_and_round_trip() {
    // The reproduction.
    let got = serde_json::from_str::<DoubleValue>("2e-56").unwrap().value;
    assert_eq!(got.to_bits(), "2e-56".parse::<f64>().unwrap().to_bits());
    // The issue printed the little-endian bytes: d2c0... is right, d1c0... 1 ULP off.
    assert_eq!(got.to_bits(), 0x345f_62b0_b257_c0d2);
    assert_eq!(got.to_le_bytes()[..2], [0xd2, 0xc0]);
    for _ in 0..5000 {
        let digits: String = std::iter::once(char::from(b'1' + fastrand::u8(0..9)))
            .chain((0..fastrand::usize(0..20)).map(|_| char::from(b'0' + fastrand::u8(0..10))))
            .collect();
        let text = format!("{digits}e{}", fastrand::i32(-320..300));
        let expected = text.parse::<f64>().unwrap();
        if !expected.is_finite() {
            continue;
        }
        let got = serde_json::from_str::<DoubleValue>(&text).unwrap().value;
        assert_eq!(got.to_bits(), expected.to_bits(), "{text}");
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value, Value::from(expected), "{text}");
    }
    for _ in 0..5000 {
        let n = f64::from_bits(fastrand::u64(..));
        let written = serde_json::to_string(&DoubleValue { value: n }).unwrap();
        let back = serde_json::from_str::<DoubleValue>(&written).unwrap().value;
        assert!(
            back.to_bits() == n.to_bits() || (n.is_nan() && back.is_nan()),
            "{written}"
        );
    }
    // Non-finite doubles are the spec's strings, never null.
    assert_eq!(
        serde_json::to_string(&DoubleValue { value: f64::NAN }).unwrap(),
        r#""NaN""#
    );
}

/// `metadata` as `objects` nested JSON objects, and as nested lists.
fn nested_struct(objects: usize) -> String {
    format!(
        r#"{{"metadata":{}1{}}}"#,
        r#"{"a":"#.repeat(objects),
        "}".repeat(objects)
    )
}

fn nested_list(lists: usize) -> String {
    format!(
        r#"{{"metadata":{{"a":{}1{}}}}}"#,
        "[".repeat(lists),
        "]".repeat(lists)
    )
}

/// Row 2: one depth limit. JSON is accepted exactly when its binary form decodes
/// again, at every depth around the limit, and the refusal names the limit.
#[test]
fn json_is_accepted_exactly_when_its_binary_form_decodes() {
    let mut accepted = 0;
    let mut refused = 0;
    for json in (20..=40)
        .map(nested_struct)
        .chain((40..=60).map(nested_list))
    {
        match serde_json::from_str::<Event>(&json) {
            Ok(event) => {
                let bytes = event.encode_to_vec();
                Event::decode(bytes.as_slice())
                    .unwrap_or_else(|e| panic!("accepted from JSON but undecodable: {e}"));
                accepted += 1;
            }
            Err(e) => {
                assert!(e.to_string().contains("depth limit of 100"), "{e}");
                // Built another way, the same tree's bytes do not decode.
                let tree: serde_json::Value = serde_json::from_str(&json).unwrap();
                let metadata = build_struct(&tree["metadata"]);
                let event = Event {
                    metadata: Some(metadata),
                    ..Default::default()
                };
                assert!(Event::decode(event.encode_to_vec().as_slice()).is_err());
                refused += 1;
            }
        }
    }
    assert!(accepted > 5 && refused > 5, "{accepted} {refused}");
    // The reproduction: 40 objects.
    let err = serde_json::from_str::<Event>(&nested_struct(40)).unwrap_err();
    assert!(err.to_string().contains("metadata"), "{err}");
}

/// A `Struct` from a JSON tree without the JSON parser (no depth limit).
fn build_struct(tree: &serde_json::Value) -> Struct {
    tree.as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.as_str(), build_value(v)))
        .collect()
}

fn build_value(tree: &serde_json::Value) -> Value {
    match tree {
        serde_json::Value::Object(_) => Value::from(build_struct(tree)),
        serde_json::Value::Array(items) => Value::from(ListValue {
            values: items.iter().map(build_value).collect(),
        }),
        serde_json::Value::Number(n) => Value::from(n.as_f64().unwrap()),
        other => panic!("not in these trees: {other}"),
    }
}

/// `common_eventing::json::to_string` writes exactly what `serde_json::to_string`
/// writes (or fails with the same message) for random instances of every message of
/// every crate: random text with every escape, NaN and infinities, unknown enum
/// numbers, maps, lists, nested messages and well-known types (also out of range).
#[test]
fn the_fast_writer_writes_what_serde_json_writes_for_every_message() {
    struct Same {
        pool: DescriptorPool,
        compared: usize,
    }
    impl Check for Same {
        fn check<M: JsonMessage + common_eventing::encode::Encode>(
            &mut self,
            _fields: &[FieldDescriptor],
        ) {
            let descriptor = self.pool.get_message_by_name(&M::full_name()).unwrap();
            for _ in 0..8 {
                let mut dynamic = prost_reflect::DynamicMessage::new(descriptor.clone());
                for f in descriptor.fields() {
                    if fastrand::bool() {
                        dynamic.set_field(&f, random_value(&f, 0));
                    }
                }
                let Ok(msg) = M::decode(dynamic.encode_to_vec().as_slice()) else {
                    continue;
                };
                let theirs = serde_json::to_string(&msg).map_err(|e| e.to_string());
                let ours = common_eventing::json::to_string(&msg).map_err(|e| e.to_string());
                assert_eq!(ours, theirs, "{}", M::full_name());
                self.compared += 1;
            }
        }
    }
    let mut same = Same {
        pool: pool(),
        compared: 0,
    };
    let messages = for_each_message(&mut same);
    assert!(
        same.compared > 8 * messages / 2,
        "{} compared",
        same.compared
    );
}
