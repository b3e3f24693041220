//! proto3 JSON as the spec says, for every message of every crate (the generated
//! impls of `xtask/src/json`), with one regression test per row of issue 12's defect
//! table taken from its reproduction. Google's conformance suite (`cargo xtask
//! conformance`) checks the same rules on its own test messages; these tests check
//! them on ours.

use chaukas_spec_client::common::v1::{Event, EventType, RetryInfo};
use common_eventing::MessageVisitor;
use common_eventing::visit::JsonMessage;
use common_eventing::wkt::{DoubleValue, ListValue, Struct, Value};
use prost::Message as _;
use prost_reflect::{DescriptorPool, FieldDescriptor, Kind};

/// Every crate's descriptors in one pool.
fn pool() -> DescriptorPool {
    let mut pool = DescriptorPool::new();
    for set in [
        common_eventing::FILE_DESCRIPTOR_SET,
        chaukas_spec_client::FILE_DESCRIPTOR_SET,
        chaukas_spec_server::FILE_DESCRIPTOR_SET,
        aumos_proto::FILE_DESCRIPTOR_SET,
        aios_proto::FILE_DESCRIPTOR_SET,
        ameide_sre_proto::FILE_DESCRIPTOR_SET,
    ] {
        pool.decode_file_descriptor_set(set).unwrap();
    }
    pool
}

/// Calls `check::<M>(fields of M)` for every generated message type of every crate.
struct ForEach<F> {
    pool: DescriptorPool,
    check: F,
    messages: usize,
}

trait Check {
    fn check<M: JsonMessage>(&mut self, fields: &[FieldDescriptor]);
}

impl<F: Check> MessageVisitor for ForEach<F> {
    fn visit<M: JsonMessage + common_eventing::registry::ProtoSchema + common_eventing::Known>(
        &mut self,
    ) {
        let descriptor = self
            .pool
            .get_message_by_name(&M::full_name())
            .unwrap_or_else(|| panic!("{} is in the descriptor sets", M::full_name()));
        let fields: Vec<FieldDescriptor> = descriptor.fields().collect();
        self.check.check::<M>(&fields);
        self.messages += 1;
    }
}

fn for_each_message(check: impl Check) -> usize {
    let mut v = ForEach {
        pool: pool(),
        check,
        messages: 0,
    };
    chaukas_spec_client::common::v1::visit_messages(&mut v);
    chaukas_spec_client::client::v1::visit_messages(&mut v);
    chaukas_spec_server::server::v1::visit_messages(&mut v);
    aumos_proto::events::v1::visit_messages(&mut v);
    aumos_proto::models::v1::visit_messages(&mut v);
    aumos_proto::api::v1::visit_messages(&mut v);
    aumos_proto::agf::v1::visit_messages(&mut v);
    aios_proto::common::visit_messages(&mut v);
    aios_proto::orchestrator::visit_messages(&mut v);
    aios_proto::agent::visit_messages(&mut v);
    aios_proto::runtime::visit_messages(&mut v);
    aios_proto::tools::visit_messages(&mut v);
    aios_proto::memory::visit_messages(&mut v);
    aios_proto::api_gateway::visit_messages(&mut v);
    ameide_sre_proto::core::v1::visit_messages(&mut v);
    ameide_sre_proto::process::v1::visit_messages(&mut v);
    v.messages
}

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
        fn check<M: JsonMessage>(&mut self, fields: &[FieldDescriptor]) {
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

impl<C: Check> Check for &mut C {
    fn check<M: JsonMessage>(&mut self, fields: &[FieldDescriptor]) {
        (**self).check::<M>(fields);
    }
}

/// Row 3: enums are open. A random unknown number in every enum field is kept, written
/// back as the number, and encodes as itself.
#[test]
fn unknown_enum_numbers_are_kept_in_every_enum_field() {
    struct Open(usize);
    impl Check for Open {
        fn check<M: JsonMessage>(&mut self, fields: &[FieldDescriptor]) {
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
        fn check<M: JsonMessage>(&mut self, fields: &[FieldDescriptor]) {
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

/// A random value of `field`, `depth` message levels down.
fn random_value(field: &FieldDescriptor, depth: usize) -> prost_reflect::Value {
    use prost_reflect::Value as V;
    if field.is_map() {
        let Kind::Message(entry) = field.kind() else {
            unreachable!("a map field's kind is its entry")
        };
        let key_field = entry.map_entry_key_field();
        let value_field = entry.map_entry_value_field();
        let map = (0..fastrand::usize(0..3))
            .filter_map(|_| {
                let key = match random_single(&key_field, depth) {
                    V::String(s) => prost_reflect::MapKey::String(s),
                    V::I32(n) => prost_reflect::MapKey::I32(n),
                    V::I64(n) => prost_reflect::MapKey::I64(n),
                    V::U32(n) => prost_reflect::MapKey::U32(n),
                    V::U64(n) => prost_reflect::MapKey::U64(n),
                    V::Bool(b) => prost_reflect::MapKey::Bool(b),
                    _ => return None,
                };
                Some((key, random_single(&value_field, depth)))
            })
            .collect();
        return V::Map(map);
    }
    if field.is_list() {
        return V::List(
            (0..fastrand::usize(0..3))
                .map(|_| random_single(field, depth))
                .collect(),
        );
    }
    random_single(field, depth)
}

/// Text with everything JSON escapes, non-ASCII, and long plain runs.
fn random_text() -> String {
    const PIECES: [&str; 10] = [
        "plain text ",
        "\"",
        "\\",
        "\n\t\r",
        "\u{1}\u{1f}",
        "é€😀",
        "/",
        "\u{7f}",
        "a longer run of plain words that fills more than one 32-byte block ",
        "",
    ];
    (0..fastrand::usize(0..8))
        .map(|_| PIECES[fastrand::usize(..PIECES.len())])
        .collect()
}

fn random_single(field: &FieldDescriptor, depth: usize) -> prost_reflect::Value {
    use prost_reflect::Value as V;
    let float = || match fastrand::u8(..20) {
        0 => f64::NAN,
        1 => f64::INFINITY,
        2 => -0.0,
        3 => 1e300,
        _ => fastrand::f64() * 1e6 - 5e5,
    };
    match field.kind() {
        Kind::Double => V::F64(float()),
        Kind::Float => V::F32(float() as f32),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => V::I32(fastrand::i32(..)),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => V::I64(fastrand::i64(..)),
        Kind::Uint32 | Kind::Fixed32 => V::U32(fastrand::u32(..)),
        Kind::Uint64 | Kind::Fixed64 => V::U64(fastrand::u64(..)),
        Kind::Bool => V::Bool(fastrand::bool()),
        Kind::String => V::String(random_text()),
        Kind::Bytes => V::Bytes(random_text().into_bytes().into()),
        Kind::Enum(e) => V::EnumNumber(if fastrand::bool() {
            e.values()
                .nth(fastrand::usize(..e.values().len()))
                .map_or(0, |v| v.number())
        } else {
            fastrand::i32(..)
        }),
        Kind::Message(m) => {
            let mut msg = prost_reflect::DynamicMessage::new(m.clone());
            if depth < 3 {
                for f in m.fields() {
                    if fastrand::u8(..3) != 0 {
                        msg.set_field(&f, random_value(&f, depth + 1));
                    }
                }
            }
            V::Message(msg)
        }
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
        fn check<M: JsonMessage>(&mut self, _fields: &[FieldDescriptor]) {
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
