//! Typed events through Kafka, end to end (`cargo xtask bench --kafka`, and the last
//! part of `cargo xtask bench`). Not a test and not part of CI.
//!
//! Each round starts librdkafka's mock cluster (one broker, 4 partitions, loopback
//! TCP), publishes `--events` SRE facts with `Producer::enqueue` (pipelined, every
//! delivery awaited), then consumes them all with `Consumer` (a typed handler, offsets
//! stored after it). Separately it times the codec alone on the same events:
//! `KafkaRecord::from_event` (the contract's rules checked, headers and framed value),
//! of which `Validate::validate` alone, and `RecordRef::decode`. The codec's share is
//! its time over the end-to-end time. The events keep the contract (the default
//! producer refuses those that do not): facts of created incidents with random text.
//!
//! `cargo bench -p interop-tests --bench kafka -- [--events N] [--rounds N]`

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ameide_sre_proto::core::v1::{
    Actor, Incident, IncidentCreated, ResourceRef, Severity, SreDomainFact, SreMessageMeta,
    SreSubject,
};
use common_eventing::kafka::{Consumer, KafkaRecord, MockBroker, Producer, RecordRef, Router};
use common_eventing::traceparent::TraceParent;
use common_eventing::validate::Validate;
use common_eventing::{EnvelopeMetadata, Eventing};
use interop_tests::every_message::random_text;

const SCHEMA_ID: u32 = 1;

fn events(n: usize) -> Vec<SreDomainFact> {
    (0..n)
        .map(|i| {
            let meta = EnvelopeMetadata::builder("acme", "urn:ameide:bench", "v1.0.0")
                .correlation_id(format!("flow-{}", i % 97))
                .trace(TraceParent::generate(), None);
            let meta = SreMessageMeta::build(meta, Actor::default()).unwrap();
            let id = format!("inc-{}", i % 64);
            let incident = Incident {
                incident_id: id.clone(),
                title: random_text().chars().take(512).collect(),
                description: random_text(),
                severity: Severity::High as i32,
                affected_resources: vec![ResourceRef {
                    r#type: "Deployment".into(),
                    id: "checkout".into(),
                    namespace: "shop".into(),
                    cluster: "eu-1".into(),
                    environment: "prod".into(),
                }],
                ..Default::default()
            };
            let version = i as i64 + 1;
            let fact = SreDomainFact::new(
                meta,
                SreSubject {
                    aggregate_type: "Incident".into(),
                    aggregate_id: id,
                    aggregate_version: version,
                },
                IncidentCreated {
                    incident: Some(incident),
                    aggregate_version: version,
                },
            );
            assert_eq!(
                fact.validate(),
                Ok(()),
                "the bench's events keep the contract"
            );
            fact
        })
        .collect()
}

struct Round {
    produce: Duration,
    consume: Duration,
    encode: Duration,
    validate: Duration,
    frame: Duration,
    decode: Duration,
    bytes: usize,
}

async fn round(events: &[SreDomainFact], index: usize) -> Round {
    let broker = MockBroker::start(1).unwrap();
    // The mock keeps the newest 5 MB of each partition: 4 partitions hold a round.
    broker
        .create_topic(SreDomainFact::STREAM_REF, 4, 1)
        .unwrap();
    let bootstrap = broker.bootstrap_servers();
    let producer = Producer::new(&bootstrap).unwrap();

    // The clock starts once the producer is connected and has its producer id.
    producer.send(&events[0], SCHEMA_ID).await.unwrap();
    let started = Instant::now();
    let mut pending = std::collections::VecDeque::new();
    for event in events {
        loop {
            match producer.enqueue(event, SCHEMA_ID) {
                Ok(delivery) => {
                    pending.push_back(delivery);
                    break;
                }
                Err(e) if e.is_queue_full() => {
                    pending.pop_front().unwrap().await.unwrap();
                }
                Err(e) => panic!("{e}"),
            }
        }
    }
    for delivery in pending {
        delivery.await.unwrap();
    }
    let produce = started.elapsed();

    let seen = Arc::new(AtomicUsize::new(0));
    let count = seen.clone();
    let router = Router::new().on::<SreDomainFact, _, _>(move |fact, _| {
        count.fetch_add(usize::from(fact.meta.is_some()), Ordering::Relaxed);
        async { Ok(()) }
    });
    let mut consumer = Consumer::new(&bootstrap, &format!("bench-{index}"), router).unwrap();
    // The clock starts at the first record: joining the group is not consuming.
    consumer.next().await.unwrap();
    let started = Instant::now();
    // The warm-up record and the events: all but one consumed in that time.
    while seen.load(Ordering::Relaxed) < events.len() + 1 {
        consumer.next().await.unwrap();
    }
    let consume = started.elapsed();

    // The codec alone, on the same events.
    let started = Instant::now();
    let records: Vec<KafkaRecord> = events
        .iter()
        .map(|e| KafkaRecord::from_event(e, SCHEMA_ID).unwrap())
        .collect();
    let encode = started.elapsed();
    // Of which the contract's rules.
    let started = Instant::now();
    for event in events {
        std::hint::black_box(event.validate()).unwrap();
    }
    let validate = started.elapsed();
    // Of which the framed protobuf value alone.
    let started = Instant::now();
    for event in events {
        std::hint::black_box(common_eventing::framing::encode_message(SCHEMA_ID, event));
    }
    let frame = started.elapsed();
    let headers: Vec<Vec<(&str, &[u8])>> = records
        .iter()
        .map(|r| {
            r.headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_slice()))
                .collect()
        })
        .collect();
    let started = Instant::now();
    for (record, headers) in records.iter().zip(&headers) {
        let view = RecordRef {
            topic: &record.topic,
            key: Some(&record.key),
            headers,
            value: Some(&record.value),
        };
        std::hint::black_box(view.decode::<SreDomainFact>().unwrap());
    }
    let decode = started.elapsed();
    Round {
        produce,
        consume,
        encode,
        validate,
        frame,
        decode,
        bytes: records.iter().map(|r| r.value.len()).sum(),
    }
}

fn median(mut values: Vec<f64>) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    (
        values[values.len() / 2],
        values[0],
        values[values.len() - 1],
    )
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut n = 20_000;
    let mut rounds = 5;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--events" => n = it.next().and_then(|v| v.parse().ok()).expect("--events N"),
            "--rounds" => rounds = it.next().and_then(|v| v.parse().ok()).expect("--rounds N"),
            "--bench" => {}
            other => panic!("unknown argument {other}"),
        }
    }
    let events = events(n);
    let mut results = Vec::new();
    for index in 0..rounds {
        let r = round(&events, index).await;
        println!(
            "round {}: produce {:.0} ev/s, consume {:.0} ev/s, codec {:.2} + {:.2} µs/event",
            index + 1,
            n as f64 / r.produce.as_secs_f64(),
            n as f64 / r.consume.as_secs_f64(),
            r.encode.as_secs_f64() * 1e6 / n as f64,
            r.decode.as_secs_f64() * 1e6 / n as f64,
        );
        results.push(r);
    }
    let per_second = |f: &dyn Fn(&Round) -> Duration| {
        median(
            results
                .iter()
                .map(|r| n as f64 / f(r).as_secs_f64())
                .collect(),
        )
    };
    let share = |codec: &dyn Fn(&Round) -> Duration, total: &dyn Fn(&Round) -> Duration| {
        median(
            results
                .iter()
                .map(|r| 100.0 * codec(r).as_secs_f64() / total(r).as_secs_f64())
                .collect(),
        )
    };
    let produce = per_second(&|r| r.produce);
    let consume = per_second(&|r| r.consume);
    let end_to_end = per_second(&|r| r.produce + r.consume);
    let encode_share = share(&|r| r.encode, &|r| r.produce);
    let decode_share = share(&|r| r.decode, &|r| r.consume);
    let total_share = share(&|r| r.encode + r.decode, &|r| r.produce + r.consume);
    let micros = |f: &dyn Fn(&Round) -> Duration| {
        median(
            results
                .iter()
                .map(|r| f(r).as_secs_f64() * 1e6 / n as f64)
                .collect(),
        )
    };
    let encode = micros(&|r| r.encode);
    let frame = micros(&|r| r.frame);
    let validate = micros(&|r| r.validate);
    let decode = micros(&|r| r.decode);
    let bytes = results[0].bytes / n;
    let row = |name: &str, (m, lo, hi): (f64, f64, f64), unit: &str| {
        format!("| {name} | {m:.0} {unit} | {lo:.0}–{hi:.0} |\n")
    };
    let share_row = |name: &str, (m, lo, hi): (f64, f64, f64)| {
        format!("| {name} | {m:.1} % | {lo:.1}–{hi:.1} % |\n")
    };
    let mut table = format!(
        "Typed SRE facts ({bytes} bytes framed, 7 headers) through librdkafka's mock \
         cluster on loopback, {n} events per round, median of {rounds} rounds (range):\n\n\
         | measure | median | range |\n| --- | --- | --- |\n"
    );
    table += &row(
        "produced (enqueue, deliveries awaited)",
        produce,
        "events/s",
    );
    table += &row(
        "consumed (typed handler, offsets stored)",
        consume,
        "events/s",
    );
    table += &row("end to end (produce then consume)", end_to_end, "events/s");
    table += &format!(
        "| codec: `from_event` / `decode` | {:.2} / {:.2} µs per event | {:.2}–{:.2} / {:.2}–{:.2} |\n",
        encode.0, decode.0, encode.1, encode.2, decode.1, decode.2
    );
    table += &format!(
        "| of `from_event`: the framed value (`framing::encode_message`) | {:.2} µs per event | {:.2}–{:.2} |\n",
        frame.0, frame.1, frame.2
    );
    table += &format!(
        "| of `from_event`: the contract's rules (`Validate::validate`) | {:.2} µs per event | {:.2}–{:.2} |\n",
        validate.0, validate.1, validate.2
    );
    table += &share_row("codec share of producing", encode_share);
    table += &share_row("codec share of consuming", decode_share);
    table += &share_row("codec share end to end", total_share);
    println!("\n{table}");
    let out = interop_tests::workspace_root().join("target/bench");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("kafka.md"), table).unwrap();
}
