//! Encode/decode and JSON throughput of representative messages.
//!
//! `cargo bench -p interop-tests --bench codec`; the Python side of the same work is
//! `target/interop-venv/bin/python tests/python/bench_codec.py` (see README,
//! "Benchmarks"). The messages are built the same way on both sides.

use ameide_sre_proto::core::v1::{IncidentCreated, SreDomainFact, SreMessageMeta, SreSubject};
use chaukas_spec_client::common::v1::{Event, EventType, ToolCall, event};
use common_eventing::framing;
use common_eventing::wkt::{ListValue, Struct, Timestamp, Value};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use prost::Message;
use std::hint::black_box;

/// A Struct of `n` entries, each a small object: the shape of tool arguments and
/// LLM request/response payloads.
fn payload(n: usize) -> Struct {
    (0..n)
        .map(|i| {
            let inner: Struct = [
                ("name", Value::from(format!("item-{i}"))),
                ("score", Value::from(i as f64 * 0.5)),
                ("tags", Value::from(ListValue::from_iter(["a", "b", "c"]))),
            ]
            .into_iter()
            .collect();
            (format!("key-{i:04}"), Value::from(inner))
        })
        .collect()
}

/// A tool-call event with a 50-entry argument Struct (about 3 KiB encoded).
pub fn chaukas_event() -> Event {
    Event {
        event_id: "evt-0001".into(),
        tenant_id: "tenant-acme".into(),
        session_id: "session-42".into(),
        span_id: "span-7".into(),
        r#type: EventType::ToolCallStart as i32,
        timestamp: Some(Timestamp {
            seconds: 1_700_000_000,
            nanos: 123_456_789,
        }),
        tags: vec!["prod".into(), "eu-west-1".into()],
        content: Some(event::Content::ToolCall(ToolCall {
            id: "call-1".into(),
            name: "search".into(),
            arguments: Some(payload(50)),
            ..Default::default()
        })),
        ..Default::default()
    }
}

fn sre_fact() -> SreDomainFact {
    let meta = SreMessageMeta {
        message_id: "0190f2a0-0000-7000-8000-000000000000".into(),
        schema_version: "v0.1.0".into(),
        tenant_id: "acme".into(),
        producer: "incident-service".into(),
        ..Default::default()
    };
    let subject = SreSubject {
        aggregate_type: "Incident".into(),
        aggregate_id: "inc-42".into(),
        aggregate_version: 1,
    };
    SreDomainFact::new(
        meta,
        subject,
        IncidentCreated {
            aggregate_version: 1,
            ..Default::default()
        },
    )
}

fn bench(c: &mut Criterion) {
    let event = chaukas_event();
    let bytes = event.encode_to_vec();
    let json = serde_json::to_string(&event).unwrap();

    let mut g = c.benchmark_group("chaukas_event");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("encode", |b| b.iter(|| black_box(&event).encode_to_vec()));
    g.bench_function("decode", |b| {
        b.iter(|| Event::decode(black_box(bytes.as_slice())).unwrap())
    });
    g.bench_function("to_json", |b| {
        b.iter(|| serde_json::to_string(black_box(&event)).unwrap())
    });
    g.bench_function("from_json", |b| {
        b.iter(|| serde_json::from_str::<Event>(black_box(&json)).unwrap())
    });
    g.finish();

    let fact = sre_fact();
    let indexes = [0];
    let mut g = c.benchmark_group("sre_fact");
    g.bench_function("encode_and_frame", |b| {
        b.iter(|| framing::encode(42, &indexes, &black_box(&fact).encode_to_vec()))
    });
    let framed = framing::encode(42, &indexes, &fact.encode_to_vec());
    g.bench_function("unframe_and_decode", |b| {
        b.iter(|| {
            SreDomainFact::decode(framing::decode(black_box(&framed)).unwrap().payload).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
