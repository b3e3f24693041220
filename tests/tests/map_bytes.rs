//! Map entries are written as Python writes them: for every message of every crate
//! with a map field, random instances whose maps have empty keys, default values
//! (empty strings, zeros, empty messages) and keys that are prefixes of each other
//! are encoded by every write path of the workspace, and the bytes must equal what
//! Python protobuf (upb) writes with `SerializeToString(deterministic=True)` for the
//! message it decoded from them. The write paths are the workspace's backward
//! encoder (`encode::*`, `Lossless`) and prost's derived encoder
//! (`Message::encode_to_vec`: map messages derive it against
//! `common_eventing::__codegen::prost_upb`). Stock prost leaves default keys and
//! values out, and a `BTreeMap` puts a key before the keys it prefixes, where upb
//! puts it after (and writes integer keys descending by their unsigned bits): content
//! hashes over deterministic bytes would differ. Most cases are ones stock prost writes
//! differently (asserted).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use common_eventing::encode::{self, Encode};
use common_eventing::visit::JsonMessage;
use interop_tests::every_message::{Check, for_each_message, pool, random_single, random_value};
use prost::Message as _;
use prost_reflect::{DescriptorPool, DynamicMessage, FieldDescriptor, Kind, MapKey, Value};
use std::collections::HashMap;

/// Keys chosen to collide with upb's order and prost's presence rules: the empty
/// key, prefix chains, non-ASCII.
const KEYS: [&str; 10] = ["", "a", "aa", "ab", "abc", "b", "é", "éa", "z", "\u{0}"];

fn adversarial_key(field: &FieldDescriptor) -> MapKey {
    // Zero, small numbers, both signs, the extremes: upb orders integers by their
    // unsigned bits, descending.
    fn pick<T: Copy>(xs: &[T]) -> T {
        xs[fastrand::usize(..xs.len())]
    }
    match field.kind() {
        Kind::String => MapKey::String(KEYS[fastrand::usize(..KEYS.len())].to_string()),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => {
            MapKey::I32(pick(&[0, 1, 2, -1, -2, 100, i32::MIN, i32::MAX]))
        }
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => {
            MapKey::I64(pick(&[0, 1, -1, -2, 1 << 40, i64::MIN, i64::MAX]))
        }
        Kind::Uint32 | Kind::Fixed32 => MapKey::U32(pick(&[0, 1, 2, 100, u32::MAX])),
        Kind::Uint64 | Kind::Fixed64 => MapKey::U64(pick(&[0, 1, 1 << 40, u64::MAX])),
        Kind::Bool => MapKey::Bool(fastrand::bool()),
        other => unreachable!("{other:?} is not a map key kind"),
    }
}

/// A map value: the default of its kind half of the time.
fn adversarial_value(field: &FieldDescriptor) -> Value {
    if fastrand::bool() {
        Value::default_value_for_field(field)
    } else {
        random_single(field, 1)
    }
}

fn adversarial_map(field: &FieldDescriptor) -> Value {
    let Kind::Message(entry) = field.kind() else {
        unreachable!("a map field's kind is its entry")
    };
    let (k, v) = (entry.map_entry_key_field(), entry.map_entry_value_field());
    let map: HashMap<MapKey, Value> = (0..fastrand::usize(0..8))
        .map(|_| (adversarial_key(&k), adversarial_value(&v)))
        .collect();
    Value::Map(map)
}

struct Collect {
    pool: DescriptorPool,
    /// (message, write path, bytes)
    cases: Vec<(String, &'static str, Vec<u8>)>,
    map_messages: usize,
    map_fields: usize,
    /// Cases stock prost writes differently (a default key or value, prefix keys, or
    /// two or more integer or bool keys): the cases this test is about.
    unlike_prost: usize,
}

impl Check for Collect {
    fn check<M: JsonMessage + Encode + common_eventing::Known>(&mut self, _: &[FieldDescriptor]) {
        let descriptor = self.pool.get_message_by_name(&M::full_name()).unwrap();
        if !descriptor.fields().any(|f| f.is_map()) {
            return;
        }
        self.map_messages += 1;
        self.map_fields += descriptor.fields().filter(|f| f.is_map()).count();
        for round in 0..40 {
            let mut dynamic = DynamicMessage::new(descriptor.clone());
            for f in descriptor.fields() {
                if f.is_map() {
                    dynamic.set_field(&f, adversarial_map(&f));
                } else if round % 4 == 0 && fastrand::bool() {
                    dynamic.set_field(&f, random_value(&f, 1));
                }
            }
            let Ok(msg) = M::decode(dynamic.encode_to_vec().as_slice()) else {
                continue;
            };
            let name = M::full_name();
            let to_vec = encode::to_vec(&msg);
            assert_eq!(msg.size(), to_vec.len(), "{name}: size");
            let mut appended = b"prefix".to_vec();
            encode::append(&msg, &mut appended);
            assert_eq!(&appended[6..], to_vec, "{name}: append");
            // A buffer without room (written to a `Vec`, then copied), one with room
            // after a prefix (written in place), and the gRPC codec's path.
            let mut buf = bytes::BytesMut::new();
            encode::to_buf(&msg, &mut buf);
            assert_eq!(&buf[..], to_vec, "{name}: to_buf");
            let mut roomy = bytes::BytesMut::with_capacity(6 + to_vec.len());
            roomy.extend_from_slice(b"prefix");
            encode::to_buf(&msg, &mut roomy);
            assert_eq!(&roomy[6..], to_vec, "{name}: to_buf in place");
            let mut grpc = bytes::BytesMut::from(&b"prefix"[..]);
            encode::to_bytes_mut(&msg, &mut grpc);
            assert_eq!(
                &grpc[6..],
                to_vec,
                "{name}: to_bytes_mut (the gRPC codec's path)"
            );
            self.unlike_prost += usize::from(stock_prost_differs(&dynamic));
            let prost = msg.encode_to_vec();
            assert_eq!(msg.encoded_len(), prost.len(), "{name}: encoded_len");
            let lossless = common_eventing::Lossless::from(msg).encode_to_vec();
            self.cases.push((name.clone(), "encode::to_vec", to_vec));
            self.cases
                .push((name.clone(), "prost encode_to_vec", prost));
            self.cases.push((name, "Lossless::encode_to_vec", lossless));
        }
    }
}

/// Whether stock prost's `btree_map` encoder writes `message`'s maps differently from
/// upb: a default key or value (left out), a string key that prefixes another
/// (ordered first), or integer or bool keys whose ascending order (prost's) is not
/// upb's (descending by their unsigned bits, so `true` first).
fn stock_prost_differs(message: &DynamicMessage) -> bool {
    message.fields().any(|(field, value)| {
        let Value::Map(map) = value else {
            return false;
        };
        let entry = field.kind().as_message().unwrap().clone();
        let key_default = MapKey::default_value(&entry.map_entry_key_field().kind());
        let value_default = Value::default_value_for_field(&entry.map_entry_value_field());
        if map
            .iter()
            .any(|(k, v)| *k == key_default || *v == value_default)
        {
            return true;
        }
        let strings: Vec<&str> = map.keys().filter_map(|k| k.as_str()).collect();
        if !strings.is_empty() {
            return strings.iter().any(|a| {
                strings
                    .iter()
                    .any(|b| b.len() > a.len() && b.starts_with(a))
            });
        }
        let bits = |k: &MapKey| match k {
            MapKey::I32(v) => u64::from(*v as u32),
            MapKey::I64(v) => *v as u64,
            MapKey::U32(v) => u64::from(*v),
            MapKey::U64(v) => *v,
            MapKey::Bool(v) => u64::from(*v),
            MapKey::String(_) => unreachable!("handled above"),
        };
        let mut stock: Vec<&MapKey> = map.keys().collect();
        stock.sort();
        let mut upb = stock.clone();
        upb.sort_by_key(|k| std::cmp::Reverse(bits(k)));
        stock != upb
    })
}

/// Asserts that each case's bytes are what Python writes, deterministically, for the
/// message it decodes from them.
fn assert_pythons(pool: &DescriptorPool, cases: &[(String, &'static str, Vec<u8>)]) {
    let dir = tempfile::tempdir().unwrap();
    let desc = dir.path().join("descriptors.bin");
    std::fs::write(&desc, pool.encode_to_vec()).unwrap();
    let input: String = cases
        .iter()
        .map(|(name, _, bytes)| format!("{name} {}\n", B64.encode(bytes)))
        .collect();
    std::fs::write(dir.path().join("in.txt"), input).unwrap();
    let mut cmd = interop_tests::script("map_bytes.py");
    cmd.arg(&desc)
        .arg(dir.path().join("in.txt"))
        .arg(dir.path().join("out.txt"));
    interop_tests::run(cmd);
    let out = std::fs::read_to_string(dir.path().join("out.txt")).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), cases.len());
    for ((name, path, ours), line) in cases.iter().zip(lines) {
        let python = B64.decode(line).unwrap();
        assert_eq!(
            ours, &python,
            "{name} through {path}: Rust and Python's deterministic bytes differ"
        );
    }
}

/// Every key type (the workspace's own maps are all string-keyed): the hygiene
/// fixture's `Maps`.
#[test]
fn integer_and_bool_keys_are_in_pythons_order() {
    use hygiene_fixture::serde::v1::Maps;
    let mut pool = DescriptorPool::new();
    pool.decode_file_descriptor_set(common_eventing::FILE_DESCRIPTOR_SET)
        .unwrap();
    pool.decode_file_descriptor_set(hygiene_fixture::FILE_DESCRIPTOR_SET)
        .unwrap();
    let descriptor = pool.get_message_by_name("hygiene.serde.v1.Maps").unwrap();
    let mut cases = Vec::new();
    let mut unlike_prost = 0;
    for _ in 0..200 {
        let mut dynamic = DynamicMessage::new(descriptor.clone());
        for f in descriptor.fields() {
            dynamic.set_field(&f, adversarial_map(&f));
        }
        let msg = Maps::decode(dynamic.encode_to_vec().as_slice()).unwrap();
        unlike_prost += usize::from(stock_prost_differs(&dynamic));
        let name = "hygiene.serde.v1.Maps".to_string();
        cases.push((name.clone(), "encode::to_vec", encode::to_vec(&msg)));
        cases.push((name, "prost encode_to_vec", msg.encode_to_vec()));
    }
    assert!(
        unlike_prost > 100,
        "{unlike_prost} of 200 unlike prost's bytes"
    );
    assert_pythons(&pool, &cases);
}

#[test]
fn map_entries_are_pythons_deterministic_bytes_on_every_write_path() {
    let mut collect = Collect {
        pool: pool(),
        cases: Vec::new(),
        map_messages: 0,
        map_fields: 0,
        unlike_prost: 0,
    };
    for_each_message(&mut collect);
    // The workspace's 13 map fields (11 `map<string, string>`, a map of messages and
    // a map of `int64`), in 11 messages.
    assert!(
        collect.map_fields >= 13 && collect.map_messages >= 11,
        "{} map fields in {} messages",
        collect.map_fields,
        collect.map_messages
    );
    assert_pythons(&collect.pool, &collect.cases);
    // Most cases are ones stock prost writes differently.
    let messages = collect.cases.len() / 3;
    assert!(
        collect.unlike_prost > messages / 2,
        "only {} of {messages} messages differ from prost's bytes",
        collect.unlike_prost
    );
}
