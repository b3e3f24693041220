//! Random and hostile instances of the messages that carry `buf.validate` rules, for
//! the differential test against Python protovalidate: values at and around every
//! bound a rule names (in code points and in bytes), strings RE2 and Unicode-aware
//! engines read differently, the contract's own formats and their near misses, unset
//! against empty sub-messages, map keys that need quoting, and unknown fields.
//!
//! The rules are read from the descriptors only to aim the values (every number a
//! rule holds gives its neighbours); what is valid is decided by Python protovalidate.

use prost_reflect::{
    DescriptorPool, DynamicMessage, FieldDescriptor, Kind, MapKey, MessageDescriptor, Value,
};
use std::collections::{BTreeSet, HashMap};

/// The rules of a field as written (`(buf.validate.field)`), if any.
pub fn field_rules(pool: &DescriptorPool, field: &FieldDescriptor) -> Option<DynamicMessage> {
    let ext = pool.get_extension_by_name("buf.validate.field")?;
    let options = field.options();
    if !options.has_extension(&ext) {
        return None;
    }
    match options.get_extension(&ext).as_ref() {
        Value::Message(m) => Some(m.clone()),
        _ => None,
    }
}

/// Whether a oneof has `(buf.validate.oneof).required = true`.
pub fn oneof_required(pool: &DescriptorPool, oneof: &prost_reflect::OneofDescriptor) -> bool {
    let Some(ext) = pool.get_extension_by_name("buf.validate.oneof") else {
        return false;
    };
    let options = oneof.options();
    options.has_extension(&ext)
        && matches!(options.get_extension(&ext).as_ref(), Value::Message(m)
            if m.get_field_by_name("required").is_some_and(|v| v.as_bool() == Some(true)))
}

/// The numbers and strings found anywhere in a field's rules.
fn collect(rules: &DynamicMessage, numbers: &mut BTreeSet<i128>, strings: &mut Vec<String>) {
    for (_, value) in rules.fields() {
        match value {
            Value::Message(m) => collect(m, numbers, strings),
            Value::I32(n) => drop(numbers.insert(i128::from(*n))),
            Value::I64(n) => drop(numbers.insert(i128::from(*n))),
            Value::U32(n) => drop(numbers.insert(i128::from(*n))),
            Value::U64(n) => drop(numbers.insert(i128::from(*n))),
            Value::String(s) => strings.push(s.clone()),
            Value::List(l) => {
                for v in l {
                    if let Value::I32(n) = v {
                        numbers.insert(i128::from(*n));
                    }
                }
            }
            _ => {}
        }
    }
}

/// What a field's rules aim the values at.
#[derive(Default, Clone)]
struct Aims {
    numbers: Vec<i128>,
    needles: Vec<String>,
}

fn aims(pool: &DescriptorPool, field: &FieldDescriptor) -> Aims {
    let mut numbers = BTreeSet::new();
    let mut strings = Vec::new();
    if let Some(rules) = field_rules(pool, field) {
        collect(&rules, &mut numbers, &mut strings);
    }
    let mut around = BTreeSet::new();
    for n in numbers {
        for d in [-1, 0, 1] {
            around.insert(n + d);
        }
    }
    Aims {
        numbers: around.into_iter().collect(),
        needles: strings,
    }
}

/// An aimed number: one past the largest bound a third of the time (upper bounds
/// are the rarest to hit by chance), else any neighbour of any bound.
fn aimed(numbers: &[i128]) -> i128 {
    if fastrand::u8(..3) == 0 {
        numbers.iter().copied().max().unwrap_or(0)
    } else {
        pick(numbers)
    }
}

fn pick<T: Clone>(items: &[T]) -> T {
    items[fastrand::usize(..items.len())].clone()
}

const HEX: &[u8] = b"0123456789abcdef";

fn hex(n: usize) -> String {
    (0..n).map(|_| HEX[fastrand::usize(..16)] as char).collect()
}

/// The contract's formats, valid and nearly so.
fn formatted() -> String {
    let trace = hex(32);
    let parent = hex(16);
    let members = |n: usize| {
        (0..n)
            .map(|i| format!("k{i}=v"))
            .collect::<Vec<_>>()
            .join(",")
    };
    pick(&[
        format!("00-{trace}-{parent}-01"),
        format!("00-{trace}-{parent}-00"),
        format!("00-{}-{parent}-01", trace.to_uppercase()),
        format!("00-{}-{parent}-01", "0".repeat(32)),
        format!("00-{trace}-{}-01", "0".repeat(16)),
        format!("01-{trace}-{parent}-01"),
        format!("00-{trace}-{parent}-01 "),
        format!("00-{trace}-{parent}"),
        format!("00-{trace}-{parent}-0g"),
        format!("00-{}-{parent}-01", "١".repeat(32)),
        "v1.0.0".to_string(),
        "v2.3.4".to_string(),
        "v1.0.0".to_string(),
        "v0.0.0".to_string(),
        "v10.20.30".to_string(),
        "v01.0.0".to_string(),
        "v1.0".to_string(),
        "1.0.0".to_string(),
        "v1.0.0-rc1".to_string(),
        "v١.0.0".to_string(),
        "V1.0.0".to_string(),
        "v1.0.0\n".to_string(),
        members(31),
        members(32),
        members(33),
        members(40),
        String::new(),
        ",".repeat(32),
    ])
}

/// Characters that engines and counters disagree on.
const HOSTILE: &[&str] = &[
    "a",
    "Z",
    "0",
    "_",
    "-",
    " ",
    "é",
    "e\u{301}",
    "١",
    "٣",
    "\u{a0}",
    "\u{2003}",
    "\u{b}",
    "\t",
    "\n",
    "\0",
    "😀",
    "👩‍👩‍👧",
    "\u{feff}",
    "\"",
    "\\",
    "中",
    "\u{10ffff}",
];

/// A string of exactly `n` code points, mixing one- to four-byte characters.
fn of_len(n: usize) -> String {
    let piece = pick(&["a", "é", "中", "😀", "0"]);
    if fastrand::bool() {
        piece.repeat(n)
    } else {
        (0..n)
            .map(|_| pick(&["a", "é", "中", "😀", "0", "-"]))
            .collect()
    }
}

fn random_string(aims: &Aims) -> String {
    match fastrand::u8(..10) {
        0 => String::new(),
        1 | 2 => formatted(),
        3 if !aims.needles.is_empty() => {
            let needle = pick(&aims.needles);
            match fastrand::u8(..3) {
                0 => needle,
                1 => format!("x{needle}y"),
                _ => needle.chars().skip(1).collect(),
            }
        }
        4..=6 if !aims.numbers.is_empty() => {
            let n = aimed(&aims.numbers).clamp(0, 200_000) as usize;
            of_len(n)
        }
        7 if fastrand::u8(..8) == 0 => "x".repeat(100_000),
        _ => (0..fastrand::usize(1..6)).map(|_| pick(HOSTILE)).collect(),
    }
}

fn random_int(aims: &Aims, min: i128, max: i128) -> i128 {
    let v = match fastrand::u8(..6) {
        0 => pick(&[min, max, 0, -1, 1]),
        1..=3 if !aims.numbers.is_empty() => pick(&aims.numbers),
        _ => fastrand::i64(-1000..1000) as i128,
    };
    v.clamp(min, max)
}

fn single(pool: &DescriptorPool, kind: &Kind, aims: &Aims, depth: usize) -> Value {
    match kind {
        Kind::String => Value::String(random_string(aims)),
        Kind::Bytes => Value::Bytes(random_string(aims).into_bytes().into()),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => {
            Value::I32(random_int(aims, i32::MIN.into(), i32::MAX.into()) as i32)
        }
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => {
            Value::I64(random_int(aims, i64::MIN.into(), i64::MAX.into()) as i64)
        }
        Kind::Uint32 | Kind::Fixed32 => Value::U32(random_int(aims, 0, u32::MAX.into()) as u32),
        Kind::Uint64 | Kind::Fixed64 => Value::U64(random_int(aims, 0, u64::MAX.into()) as u64),
        Kind::Bool => Value::Bool(fastrand::bool()),
        Kind::Double => Value::F64(fastrand::f64() * 100.0),
        Kind::Float => Value::F32(fastrand::f32() * 100.0),
        Kind::Enum(e) => {
            let defined: Vec<i32> = e.values().map(|v| v.number()).collect();
            Value::EnumNumber(match fastrand::u8(..6) {
                0 => 0,
                1 => pick(&[99, -1, i32::MAX, defined.iter().max().unwrap_or(&0) + 1]),
                _ => pick(&defined),
            })
        }
        Kind::Message(m) => Value::Message(random_message(pool, m, depth + 1)),
    }
}

/// How many elements for a repeated field or map: none, a few, or around a bound.
fn count(aims: &Aims) -> usize {
    match fastrand::u8(..8) {
        0 => 0,
        1 | 2 if !aims.numbers.is_empty() => aimed(&aims.numbers).clamp(0, 1100) as usize,
        _ => fastrand::usize(1..4),
    }
}

fn value(pool: &DescriptorPool, field: &FieldDescriptor, depth: usize) -> Value {
    let aims = aims(pool, field);
    if field.is_map() {
        let Kind::Message(entry) = field.kind() else {
            unreachable!("a map field's kind is its entry")
        };
        let (kf, vf) = (entry.map_entry_key_field(), entry.map_entry_value_field());
        let mut map = HashMap::new();
        let n = count(&aims);
        let aims = if n > 50 { Aims::default() } else { aims };
        for i in 0..n {
            if n > 50 && kf.kind() == Kind::String {
                map.insert(
                    MapKey::String(format!("k{i}")),
                    single(pool, &vf.kind(), &Aims::default(), 5),
                );
                continue;
            }
            let key = match single(pool, &kf.kind(), &aims, depth) {
                Value::String(s) => MapKey::String(s),
                Value::I32(n) => MapKey::I32(n),
                Value::I64(n) => MapKey::I64(n),
                Value::U32(n) => MapKey::U32(n),
                Value::U64(n) => MapKey::U64(n),
                Value::Bool(b) => MapKey::Bool(b),
                _ => continue,
            };
            map.insert(key, single(pool, &vf.kind(), &aims, depth));
        }
        return Value::Map(map);
    }
    if field.is_list() {
        let n = count(&aims);
        // Past a few dozen elements, one short value repeated is as telling.
        let first = if n > 50 && field.kind() == Kind::String {
            Value::String("x".into())
        } else if n > 50 {
            single(pool, &field.kind(), &Aims::default(), depth + 2)
        } else {
            single(pool, &field.kind(), &aims, depth)
        };
        return Value::List(
            (0..n)
                .map(|i| {
                    if i == 0 || n > 50 {
                        first.clone()
                    } else {
                        single(pool, &field.kind(), &aims, depth)
                    }
                })
                .collect(),
        );
    }
    single(pool, &field.kind(), &aims, depth)
}

/// A random instance of `message`: each field unset, set to its type's default
/// (an empty sub-message is present, not unset), or set to an aimed value; at most one
/// member per oneof.
pub fn random_message(
    pool: &DescriptorPool,
    message: &MessageDescriptor,
    depth: usize,
) -> DynamicMessage {
    let mut out = DynamicMessage::new(message.clone());
    if depth > 4 {
        return out;
    }
    for oneof in message.oneofs().filter(|o| !o.is_synthetic()) {
        let members: Vec<FieldDescriptor> = oneof.fields().collect();
        if fastrand::u8(..5) != 0 {
            let field = pick(&members);
            let v = value(pool, &field, depth);
            out.set_field(&field, v);
        }
    }
    for field in message.fields() {
        if field.containing_oneof().is_some_and(|o| !o.is_synthetic()) {
            continue;
        }
        match fastrand::u8(..8) {
            0 => {}
            1 => {
                if let Kind::Message(m) = field.kind()
                    && !field.is_list()
                    && !field.is_map()
                {
                    out.set_field(&field, Value::Message(DynamicMessage::new(m)));
                }
            }
            _ => {
                let v = value(pool, &field, depth);
                out.set_field(&field, v);
            }
        }
    }
    out
}

/// Whether `message` or a message below it has a rule.
pub fn has_rules(
    pool: &DescriptorPool,
    message: &MessageDescriptor,
    seen: &mut BTreeSet<String>,
) -> bool {
    if !seen.insert(message.full_name().to_string()) {
        return false;
    }
    message.oneofs().any(|o| oneof_required(pool, &o))
        || message.fields().any(|f| {
            field_rules(pool, &f).is_some()
                || match f.kind() {
                    Kind::Message(m) if m.is_map_entry() => {
                        match m.map_entry_value_field().kind() {
                            Kind::Message(v) => has_rules(pool, &v, seen),
                            _ => false,
                        }
                    }
                    Kind::Message(m) => has_rules(pool, &m, seen),
                    _ => false,
                }
        })
}

/// Unknown fields a newer producer could have added (protovalidate ignores them).
pub fn unknown_fields() -> Vec<u8> {
    match fastrand::u8(..3) {
        0 => vec![0xf8, 0x3e, 0x07],                   // field 999, varint 7
        1 => vec![0xfa, 0x3e, 0x03, b'a', b'b', b'c'], // field 999, "abc"
        _ => vec![0x85, 0x3f, 1, 2, 3, 4],             // field 1008, fixed32
    }
}
