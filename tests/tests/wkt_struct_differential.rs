//! Differential property test of `Struct`/`Value`/`ListValue` against Python upb.
//!
//! Random trees (every value kind, unicode and empty keys, keys inserted in random
//! order, nesting up to the decode limit of 100 message levels) are placed in every
//! `Struct` position of Chaukas events: tool-call arguments, event metadata, LLM
//! request/response, the `state_update` oneof case. For each event:
//! - Rust's bytes equal Python's deterministic serialization of what it decoded;
//! - Python's own (unsorted) serialization decodes in Rust to the same message.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chaukas_spec_client::common::v1::{Event, LlmInvocation, ToolCall, event};
use common_eventing::wkt::{ListValue, Struct, Timestamp, Value, value::Kind};
use prost::Message;

const CASES: usize = 600;
/// prost's and upb's limit: message levels below the top-level message.
const LIMIT: usize = 100;

const KEYS: &[&str] = &[
    "",
    "a",
    "B",
    "key",
    "name",
    "ключ",
    "鍵",
    "🗝",
    "a b",
    "\u{0}",
    "é",
    "e\u{301}",
    "a-key-longer-than-twenty-three-bytes",
];

fn key(rng: &mut fastrand::Rng) -> String {
    let n = rng.usize(0..3);
    (0..n).map(|_| KEYS[rng.usize(..KEYS.len())]).collect()
}

fn number(rng: &mut fastrand::Rng) -> f64 {
    match rng.u8(0..8) {
        0 => f64::NAN,
        1 => f64::INFINITY,
        2 => -0.0,
        3 => f64::from_bits(rng.u64(..)),
        4 => rng.i64(..) as f64,
        _ => rng.f64() * 1e6,
    }
}

/// A value with no nesting, never unset (one message level wherever it is).
fn scalar(rng: &mut fastrand::Rng) -> Value {
    match rng.u8(0..5) {
        0 => Value::null(),
        1 => Value::from(number(rng)),
        2 => Value::from(key(rng).repeat(rng.usize(0..4))),
        3 => Value::from(rng.bool()),
        _ => Value {
            kind: Some(Kind::NullValue(-1)),
        },
    }
}

/// A sibling off the deep path: a scalar or, now and then, an unset value (written as
/// an empty message).
fn leaf(rng: &mut fastrand::Rng) -> Value {
    if rng.u8(0..6) == 0 {
        Value { kind: None }
    } else {
        scalar(rng)
    }
}

/// A Value whose deepest path uses exactly `levels` message levels (the Value itself
/// is one), with shallow siblings along the way.
fn value(rng: &mut fastrand::Rng, levels: usize) -> Value {
    match levels {
        0 => unreachable!("a Value is one level"),
        1 => scalar(rng),
        2 if rng.bool() => Value::from(Struct::default()),
        2 => Value::from(ListValue::default()),
        // A Struct needs two more levels for its entry and value: Value > Struct >
        // entry > Value.
        _ if levels >= 4 && rng.u8(0..3) != 0 => Value::from(strukt(rng, levels - 1)),
        _ => {
            // Value > ListValue > Value ...
            let mut values: Vec<Value> = (0..rng.usize(0..3)).map(|_| scalar(rng)).collect();
            values.insert(rng.usize(..=values.len()), value(rng, levels - 2));
            Value::from(ListValue { values })
        }
    }
}

/// A Struct whose deepest path uses exactly `levels` levels (the Struct is one, each
/// entry another), its keys inserted in random order.
fn strukt(rng: &mut fastrand::Rng, levels: usize) -> Struct {
    let mut s = Struct::default();
    match levels {
        0 => unreachable!("a Struct is one level"),
        // An entry always carries its value, even an unset one (`12 00`), so no
        // Struct is exactly two levels deep.
        1 | 2 => {}
        _ => {
            for _ in 0..rng.usize(0..4) {
                s.insert(key(rng), leaf(rng));
            }
            // Last, so a sibling with the same key cannot replace the deep path.
            s.insert(key(rng), value(rng, levels - 2));
        }
    }
    s
}

fn levels(rng: &mut fastrand::Rng, used: usize) -> usize {
    // Often shallow, sometimes right at the limit.
    let max = LIMIT - used;
    match rng.u8(0..4) {
        0 => max,
        1 => rng.usize(1..=max),
        _ => rng.usize(1..=max.min(12)),
    }
}

fn event(rng: &mut fastrand::Rng, i: usize) -> Event {
    let mut e = Event {
        event_id: format!("evt-{i}"),
        tenant_id: "tenant".into(),
        timestamp: Some(Timestamp {
            seconds: 1_700_000_000 + i as i64,
            nanos: 0,
        }),
        ..Default::default()
    };
    // Levels used by the containers above each Struct: Event.metadata is level 1.
    if rng.bool() {
        let l = levels(rng, 0);
        e.metadata = Some(strukt(rng, l));
    }
    e.content = match rng.u8(0..3) {
        0 => {
            let l = levels(rng, 1);
            Some(event::Content::ToolCall(ToolCall {
                id: "call".into(),
                name: "tool".into(),
                arguments: Some(strukt(rng, l)),
                ..Default::default()
            }))
        }
        1 => {
            let (a, b) = (levels(rng, 1), levels(rng, 1));
            Some(event::Content::LlmInvocation(LlmInvocation {
                provider: "p".into(),
                request: Some(strukt(rng, a)),
                response: Some(strukt(rng, b)),
                ..Default::default()
            }))
        }
        _ => {
            let l = levels(rng, 0);
            Some(event::Content::StateUpdate(strukt(rng, l)))
        }
    };
    e
}

fn has_nan(e: &Event) -> bool {
    // NaN != NaN, so those events are compared by bytes only.
    serde_json::to_string(e).is_err()
}

#[test]
fn random_struct_trees_match_python_upb_both_ways() {
    let mut rng = fastrand::Rng::with_seed(0x5eed_57c7);
    let events: Vec<Event> = (0..CASES).map(|i| event(&mut rng, i)).collect();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("events.b64");
    let output = dir.path().join("upb.b64");
    let lines: Vec<String> = events
        .iter()
        .map(|e| B64.encode(e.encode_to_vec()))
        .collect();
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();

    let mut cmd = interop_tests::script("struct_differential.py");
    cmd.arg(&input).arg(&output);
    interop_tests::run(cmd);

    let answers = std::fs::read_to_string(&output).unwrap();
    let answers: Vec<&str> = answers.lines().collect();
    assert_eq!(answers.len(), CASES);
    let (mut unsorted, mut deepest) = (0, 0);
    for (i, (e, line)) in events.iter().zip(answers).enumerate() {
        let ours = e.encode_to_vec();
        let (det, plain) = line.split_once(' ').unwrap();
        let det = B64.decode(det).unwrap();
        let plain = B64.decode(plain).unwrap();
        assert_eq!(
            ours, det,
            "event {i}: Rust bytes differ from Python's deterministic bytes"
        );
        let back = Event::decode(plain.as_slice())
            .unwrap_or_else(|err| panic!("event {i}: Python's bytes do not decode: {err}"));
        assert_eq!(
            back.encode_to_vec(),
            ours,
            "event {i}: decoded from Python, re-encoded"
        );
        if !has_nan(e) {
            assert_eq!(&back, e, "event {i}");
        }
        unsorted += usize::from(plain != det);
        deepest = deepest.max(depth_of(e));
    }
    // The properties were exercised: maps arrived out of order, and trees reached the
    // decode limit.
    assert!(
        unsorted > CASES / 4,
        "only {unsorted} events had unsorted maps"
    );
    assert_eq!(deepest, LIMIT, "no tree reached the decode limit");
}

/// Message levels of the deepest path below the event.
fn depth_of(e: &Event) -> usize {
    fn value(v: &Value) -> usize {
        1 + match &v.kind {
            Some(Kind::StructValue(s)) => strukt(s),
            Some(Kind::ListValue(l)) => 1 + l.values.iter().map(value).max().unwrap_or(0),
            _ => 0,
        }
    }
    fn strukt(s: &Struct) -> usize {
        1 + s.iter().map(|(_, v)| 1 + value(v)).max().unwrap_or(0)
    }
    let meta = e.metadata.as_ref().map_or(0, strukt);
    let content = match &e.content {
        Some(event::Content::ToolCall(t)) => 1 + t.arguments.as_ref().map_or(0, strukt),
        Some(event::Content::LlmInvocation(l)) => {
            1 + l
                .request
                .as_ref()
                .map_or(0, strukt)
                .max(l.response.as_ref().map_or(0, strukt))
        }
        Some(event::Content::StateUpdate(s)) => strukt(s),
        _ => 0,
    };
    meta.max(content)
}
