//! Events on Kafka through librdkafka, against librdkafka's mock cluster (a
//! Kafka-protocol broker on loopback TCP, one per test) and confluent-kafka, the Python
//! client, as the second client:
//! (a) Rust produces, confluent-kafka's `DeserializingConsumer` reads;
//! (b) confluent-kafka's `SerializingProducer` produces, the Rust consumer reads;
//! (c) what does not decode is dead-lettered with why, and consumption goes on;
//! (d) injected broker errors and a broker down: every event once, in key order.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ameide_sre_proto::core::v1::{SreDomainFact, SreDomainIntent, SreSubject};
use ameide_sre_proto::process::v1::SreProcessFact;
use aumos_proto::agf::v1::WorkflowStarted;
use aumos_proto::events::v1::{AgentEnvelope, AuditEvent, MeteringEvent, ModelLifecycleEvent};
use common_eventing::Eventing;
use common_eventing::framing;
use common_eventing::kafka::rdkafka::consumer::{Consumer as _, StreamConsumer};
use common_eventing::kafka::rdkafka::message::{Headers, Message as _};
use common_eventing::kafka::rdkafka::producer::{FutureProducer, FutureRecord};
use common_eventing::kafka::rdkafka::types::{RDKafkaApiKey, RDKafkaErrorCode, RDKafkaRespErr};
use common_eventing::kafka::rdkafka::{ClientConfig, Offset};
use common_eventing::kafka::{
    Consumer, KafkaRecord, MockBroker, Outcome, Producer, Received, Router, dead_letter,
};
use common_eventing::registry::ProtoSchema;
use interop_tests::kafka_peer::{python_consume, python_produce, random_event};
use interop_tests::unhex;
use prost::Message;

const SCHEMA_ID: u32 = 41;
const PER_TYPE: usize = 25;
const TIMEOUT: Duration = Duration::from_secs(60);

/// `(topic, full proto name)` of event type `M`.
fn stream<M: Eventing + ProtoSchema>() -> (&'static str, &'static str) {
    (M::STREAM_REF, M::FULL_NAME)
}

/// Re-encodes bytes as `M` (Rust's deterministic bytes of what they decode to).
type Reencode = fn(&[u8]) -> Vec<u8>;

fn reencode<M: Message + Default>(bytes: &[u8]) -> Vec<u8> {
    M::decode(bytes).expect("decodes").encode_to_vec()
}

/// What was sent: the record `from_event` builds, where it went, and how to compare.
struct Sent {
    record: KafkaRecord,
    generated_id: bool,
    reencode: Reencode,
}

/// Sends `PER_TYPE` random events of `M` with `Producer::send`.
async fn send_random<M: Eventing + ProtoSchema + Default + common_eventing::validate::Validate>(
    producer: &Producer,
    sent: &mut BTreeMap<(String, i32, i64), Sent>,
) {
    for _ in 0..PER_TYPE {
        let event = random_event::<M>();
        let delivery = producer.send(&event, SCHEMA_ID).await.expect("delivered");
        let generated_id = event.event_fields().id.is_none_or(|f| f.value.is_empty());
        let record = KafkaRecord::from_event_with(
            &event,
            SCHEMA_ID,
            &interop_tests::kafka_peer::unchecked(),
        )
        .unwrap();
        sent.insert(
            (record.topic.clone(), delivery.partition, delivery.offset),
            Sent {
                record,
                generated_id,
                reencode: reencode::<M>,
            },
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rust_produces_and_confluent_kafka_consumes() {
    let broker = MockBroker::start(1).unwrap();
    let bootstrap = broker.bootstrap_servers();
    let producer = Producer::new(&bootstrap)
        .unwrap()
        .with_record_options(interop_tests::kafka_peer::unchecked());
    let mut sent = BTreeMap::new();
    send_random::<SreDomainFact>(&producer, &mut sent).await;
    send_random::<SreDomainIntent>(&producer, &mut sent).await;
    send_random::<SreProcessFact>(&producer, &mut sent).await;
    send_random::<ModelLifecycleEvent>(&producer, &mut sent).await;
    send_random::<AuditEvent>(&producer, &mut sent).await;
    send_random::<MeteringEvent>(&producer, &mut sent).await;
    send_random::<AgentEnvelope>(&producer, &mut sent).await;
    send_random::<WorkflowStarted>(&producer, &mut sent).await;

    let topics = [
        stream::<SreDomainFact>(),
        stream::<SreDomainIntent>(),
        stream::<SreProcessFact>(),
        stream::<ModelLifecycleEvent>(),
        stream::<AuditEvent>(),
        stream::<MeteringEvent>(),
        stream::<AgentEnvelope>(),
        stream::<WorkflowStarted>(),
    ]
    .map(|(topic, name)| (topic, name, PER_TYPE));
    let read = tokio::task::spawn_blocking(move || python_consume(&bootstrap, &topics))
        .await
        .unwrap();
    assert_eq!(read.len(), sent.len(), "confluent-kafka read every record");
    for got in &read {
        let at = (got.topic.clone(), got.partition, got.offset);
        let sent = sent
            .get(&at)
            .unwrap_or_else(|| panic!("Python read a record Rust did not send: {at:?}"));
        let expected = &sent.record;
        assert_eq!(
            got.key.as_deref().map(str::as_bytes),
            Some(expected.key.as_slice()),
            "{at:?}: key"
        );
        let headers: Vec<(String, Vec<u8>)> = got
            .headers
            .iter()
            .map(|(name, value)| (name.clone(), unhex(value)))
            .collect();
        assert_eq!(headers.len(), expected.headers.len(), "{at:?}: {headers:?}");
        for ((name, value), (want_name, want_value)) in headers.iter().zip(&expected.headers) {
            assert_eq!(name, want_name, "{at:?}: header order");
            if name == "ce_id" && sent.generated_id {
                // The event has no id of its own: a fresh UUIDv7 per record.
                let id = std::str::from_utf8(value).unwrap();
                assert_eq!(uuid_version(id), Some(7), "{at:?}: ce_id {id}");
            } else {
                assert_eq!(value, want_value, "{at:?}: header {name}");
            }
        }
        let framed = framing::decode(&expected.value).unwrap();
        assert_eq!(
            (sent.reencode)(&unhex(&got.message)),
            (sent.reencode)(framed.payload),
            "{at:?}: confluent-kafka decoded another message than Rust sent"
        );
    }
    // Every CloudEvents header is there (ce_time and the trace context when the event
    // carries them), and the type is the topic's.
    let with_time = read
        .iter()
        .filter(|r| r.headers.iter().any(|(n, _)| n == "ce_time"));
    assert!(with_time.count() > 0);
    for got in &read {
        let names: Vec<&str> = got.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names[..4],
            ["ce_specversion", "ce_id", "ce_type", "ce_source"]
        );
    }
}

fn uuid_version(id: &str) -> Option<u8> {
    let bytes = id.as_bytes();
    (id.len() == 36 && bytes[8] == b'-').then(|| (bytes[14] as char).to_digit(16).unwrap() as u8)
}

/// Collects what the handlers of `Router` receive, re-encoded, by `(topic, key)`.
type Collected = Arc<Mutex<Vec<(String, Vec<u8>, Vec<u8>)>>>;

fn collect<
    M: Eventing + ProtoSchema + common_eventing::validate::Validate + Default + Send + 'static,
>(
    router: Router,
    into: &Collected,
) -> Router {
    let into = into.clone();
    router.on::<M, _, _>(move |event: M, received: Received| {
        let into = into.clone();
        async move {
            into.lock().unwrap().push((
                received.topic,
                received.key.unwrap_or_default(),
                event.encode_to_vec(),
            ));
            Ok(())
        }
    })
}

async fn consume_n(consumer: &mut Consumer, n: usize) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    tokio::time::timeout(TIMEOUT, async {
        while outcomes.len() < n {
            outcomes.push(consumer.next().await.expect("consumes"));
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{} of {n} records in {TIMEOUT:?}", outcomes.len()));
    outcomes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b_confluent_kafka_produces_and_rust_consumes() {
    let broker = MockBroker::start(1).unwrap();
    let bootstrap = broker.bootstrap_servers();
    let topics = [
        stream::<SreDomainFact>(),
        stream::<SreDomainIntent>(),
        stream::<SreProcessFact>(),
        stream::<ModelLifecycleEvent>(),
        stream::<WorkflowStarted>(),
    ];
    let python_bootstrap = bootstrap.clone();
    let sent = tokio::task::spawn_blocking(move || python_produce(&python_bootstrap, &topics))
        .await
        .unwrap();
    assert!(
        sent.len() > 20,
        "fill.variants gives several messages per type"
    );

    let received: Collected = Arc::default();
    let router = Router::new();
    let router = collect::<SreDomainFact>(router, &received);
    let router = collect::<SreDomainIntent>(router, &received);
    let router = collect::<SreProcessFact>(router, &received);
    let router = collect::<ModelLifecycleEvent>(router, &received);
    let router = collect::<WorkflowStarted>(router, &received);
    let mut consumer = Consumer::new(&bootstrap, "rust-b", router).unwrap();
    let outcomes = consume_n(&mut consumer, sent.len()).await;
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Outcome::Handled { .. })),
        "{outcomes:?}"
    );

    let received = received.lock().unwrap();
    for python in &sent {
        let reencode: Reencode = match python.type_name.as_str() {
            SreDomainFact::FULL_NAME => reencode::<SreDomainFact>,
            SreDomainIntent::FULL_NAME => reencode::<SreDomainIntent>,
            SreProcessFact::FULL_NAME => reencode::<SreProcessFact>,
            ModelLifecycleEvent::FULL_NAME => reencode::<ModelLifecycleEvent>,
            WorkflowStarted::FULL_NAME => reencode::<WorkflowStarted>,
            other => panic!("unexpected type {other}"),
        };
        let got = received
            .iter()
            .find(|(topic, key, _)| *topic == python.topic && key == python.key.as_bytes())
            .unwrap_or_else(|| panic!("no record of {} key {}", python.topic, python.key));
        assert_eq!(
            got.2,
            reencode(&unhex(&python.message)),
            "{} key {}: Rust decoded another message than confluent-kafka sent",
            python.topic,
            python.key
        );
    }
    assert_eq!(received.len(), sent.len());
}

/// A valid fact of tenant `acme` with `aggregate_id` `id` (its record key is
/// `acme:{id}`; the handler of test (c) refuses "poison").
fn fact(id: &str, version: i64) -> SreDomainFact {
    let mut fact = random_event::<SreDomainFact>();
    fact.meta.get_or_insert_default().tenant_id = "acme".into();
    fact.subject = Some(SreSubject {
        aggregate_type: "Incident".into(),
        aggregate_id: id.into(),
        aggregate_version: version,
    });
    fact
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c_bad_records_are_dead_lettered_and_consumption_goes_on() {
    let topic = SreDomainFact::STREAM_REF;
    let (broker, producer) = one_partition(topic);

    let valid = KafkaRecord::from_event_with(
        &fact("inc-1", 1),
        SCHEMA_ID,
        &interop_tests::kafka_peer::unchecked(),
    )
    .unwrap();
    let payload = framing::decode(&valid.value).unwrap().payload.to_vec();
    let raw = |key: &str, value: Vec<u8>| KafkaRecord {
        topic: topic.into(),
        key: key.into(),
        headers: Vec::new(),
        value,
    };
    let mut intent = KafkaRecord::from_event_with(
        &random_event::<SreDomainIntent>(),
        1,
        &interop_tests::kafka_peer::unchecked(),
    )
    .unwrap();
    intent.topic = topic.into();
    intent.key = b"intent".to_vec();
    let mut cut = valid.clone();
    cut.value.pop();
    cut.key = b"cut".to_vec();
    let mut mislabelled = valid.clone();
    mislabelled.key = b"mislabelled".to_vec();
    mislabelled
        .headers
        .push(("ce_type".into(), b"ameide.sre.domain.fact.v1".to_vec()));
    let bad = [
        (
            raw("garbage", b"not a frame at all".to_vec()),
            "decode",
            "magic byte",
        ),
        (
            intent,
            "no-route",
            "no handler for ce_type \"ameide.sre.domain.intent.v1\"",
        ),
        (
            raw("other-message", framing::encode(SCHEMA_ID, &[3], &payload)),
            "decode",
            "message indexes [3]",
        ),
        (raw("short", vec![0, 0, 0]), "decode", "3"),
        (cut, "decode", "SreDomainFact"),
        (mislabelled, "decode", "more than once"),
        (
            KafkaRecord::from_event_with(
                &fact("poison", 1),
                SCHEMA_ID,
                &interop_tests::kafka_peer::unchecked(),
            )
            .unwrap(),
            "handler",
            "poison refused",
        ),
    ];
    for (record, _, _) in &bad {
        producer.send_record(record).await.unwrap();
    }
    let good: Vec<KafkaRecord> = (2..5)
        .map(|v| {
            KafkaRecord::from_event_with(
                &fact("inc-1", v),
                SCHEMA_ID,
                &interop_tests::kafka_peer::unchecked(),
            )
            .unwrap()
        })
        .collect();
    for record in &good {
        producer.send_record(record).await.unwrap();
    }

    let handled: Arc<Mutex<Vec<i64>>> = Arc::default();
    let sink = handled.clone();
    let router = Router::new().on::<SreDomainFact, _, _>(move |fact, _| {
        let sink = sink.clone();
        async move {
            let subject = fact.subject.unwrap_or_default();
            if subject.aggregate_id == "poison" {
                return Err("poison refused".into());
            }
            sink.lock().unwrap().push(subject.aggregate_version);
            Ok(())
        }
    });
    let mut consumer = Consumer::new(&broker.bootstrap_servers(), "rust-c", router).unwrap();
    let outcomes = consume_n(&mut consumer, bad.len() + good.len()).await;
    for (i, ((_, reason, error_part), outcome)) in bad.iter().zip(&outcomes).enumerate() {
        let Outcome::DeadLettered {
            reason: got,
            error,
            offset,
            ..
        } = outcome
        else {
            panic!("record {i} was not dead-lettered: {outcome:?}");
        };
        assert_eq!((got.as_str(), *offset), (*reason, i as i64), "{error}");
        assert!(
            error.contains(error_part),
            "record {i}: {error:?} lacks {error_part:?}"
        );
    }
    assert_eq!(
        *handled.lock().unwrap(),
        [2, 3, 4],
        "valid records after the bad ones"
    );
    consumer.commit().unwrap();
    let committed = consumer.client().committed(TIMEOUT).unwrap();
    let offset = committed.find_partition(topic, 0).unwrap().offset();
    assert_eq!(offset, Offset::Offset((bad.len() + good.len()) as i64));

    // The dead letters: original key, value and headers, then why.
    let mut letters = read_raw(
        &broker.bootstrap_servers(),
        &dead_letter::dead_letter_topic(topic),
        bad.len(),
    )
    .await;
    // Keyed as their records were, the letters spread over the partitions of the
    // dead-letter topic: in the original order by their `dlq.offset`.
    letters.sort_by_key(|l| {
        let offset = l.header(dead_letter::HEADER_OFFSET).unwrap();
        std::str::from_utf8(offset).unwrap().parse::<i64>().unwrap()
    });
    for (i, ((record, reason, error_part), letter)) in bad.iter().zip(&letters).enumerate() {
        assert_eq!(letter.key, record.key, "letter {i}: key");
        assert_eq!(letter.value, record.value, "letter {i}: value");
        assert_eq!(
            letter.headers[..record.headers.len()],
            record.headers[..],
            "letter {i}"
        );
        assert_eq!(
            letter.header(dead_letter::HEADER_REASON),
            Some(reason.as_bytes())
        );
        let error =
            String::from_utf8(letter.header(dead_letter::HEADER_ERROR).unwrap().to_vec()).unwrap();
        assert!(error.contains(error_part), "letter {i}: {error}");
        assert_eq!(
            letter.header(dead_letter::HEADER_TOPIC),
            Some(topic.as_bytes())
        );
        assert_eq!(
            letter.header(dead_letter::HEADER_OFFSET),
            Some(i.to_string().as_bytes())
        );
        assert_eq!(
            letter.header(dead_letter::HEADER_GROUP),
            Some(b"rust-c".as_slice())
        );
    }
}

/// A one-broker cluster with `topic` as one partition (records keep their order), and
/// a producer to it.
fn one_partition(topic: &str) -> (MockBroker, Producer) {
    let broker = MockBroker::start(1).unwrap();
    broker.create_topic(topic, 1, 1).unwrap();
    let producer = Producer::new(&broker.bootstrap_servers())
        .unwrap()
        .with_record_options(interop_tests::kafka_peer::unchecked());
    (broker, producer)
}

/// A router whose `SreDomainFact` handler records each record's offset in `sink`.
fn offsets_into(sink: &Arc<Mutex<Vec<i64>>>) -> Router {
    let sink = sink.clone();
    Router::new().on::<SreDomainFact, _, _>(move |_, received| {
        sink.lock().unwrap().push(received.offset);
        async { Ok(()) }
    })
}

/// Reads `n` records of `topic` from the start with a bare librdkafka consumer.
async fn read_raw(bootstrap: &str, topic: &str, n: usize) -> Vec<KafkaRecord> {
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("group.id", "raw-reader")
        .set("auto.offset.reset", "earliest")
        .create()
        .unwrap();
    consumer.subscribe(&[topic]).unwrap();
    let mut records = Vec::new();
    tokio::time::timeout(TIMEOUT, async {
        while records.len() < n {
            let m = consumer.recv().await.unwrap();
            records.push(KafkaRecord {
                topic: m.topic().into(),
                key: m.key().unwrap_or_default().to_vec(),
                headers: m
                    .headers()
                    .map(|h| {
                        h.iter()
                            .map(|h| (h.key.to_owned(), h.value.unwrap_or_default().to_vec()))
                            .collect()
                    })
                    .unwrap_or_default(),
                value: m.payload().unwrap_or_default().to_vec(),
            });
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{} of {n} records of {topic}", records.len()));
    records
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn d_broker_errors_and_a_broker_down_lose_and_repeat_nothing() {
    const KEYS: i64 = 8;
    const PER_KEY: i64 = 40;
    let broker = MockBroker::start(3).unwrap();
    let topic = SreDomainFact::STREAM_REF;
    broker.create_topic(topic, 4, 3).unwrap();
    use RDKafkaRespErr::*;
    // The control: the injected error reaches a client, so a producer without retries
    // loses the record.
    let bare: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", broker.bootstrap_servers())
        .set("message.send.max.retries", "0")
        .create()
        .unwrap();
    broker.cluster().request_errors(
        RDKafkaApiKey::Produce,
        &[RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS],
    );
    let control = FutureRecord::<[u8], [u8]>::to(topic)
        .key(b"control")
        .payload(b"x");
    let (error, _) = bare.send(control, TIMEOUT).await.unwrap_err();
    assert_eq!(
        error.rdkafka_error_code(),
        Some(RDKafkaErrorCode::NotEnoughReplicas)
    );

    let producer = Producer::new(&broker.bootstrap_servers())
        .unwrap()
        .with_record_options(interop_tests::kafka_peer::unchecked());
    // Retriable produce errors, answered before the first records are written.
    broker.cluster().request_errors(
        RDKafkaApiKey::Produce,
        &[
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
            RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
            RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND,
            RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
        ],
    );
    let mut deliveries = Vec::new();
    for version in 1..=PER_KEY {
        if version == PER_KEY / 2 {
            broker.cluster().broker_down(2).unwrap();
        }
        if version == PER_KEY / 2 + 5 {
            tokio::time::sleep(Duration::from_millis(500)).await;
            broker.cluster().broker_up(2).unwrap();
        }
        for key in 0..KEYS {
            let event = fact(&format!("inc-{key}"), version);
            deliveries.push(producer.enqueue(&event, SCHEMA_ID).unwrap());
        }
    }
    for delivery in deliveries {
        delivery.await.expect("delivered despite the errors");
    }

    let seen: Arc<Mutex<Vec<(String, i64)>>> = Arc::default();
    let sink = seen.clone();
    let router = Router::new().on::<SreDomainFact, _, _>(move |fact, _| {
        let sink = sink.clone();
        async move {
            let subject = fact.subject.unwrap_or_default();
            sink.lock()
                .unwrap()
                .push((subject.aggregate_id, subject.aggregate_version));
            Ok(())
        }
    });
    let mut consumer = Consumer::new(&broker.bootstrap_servers(), "rust-d", router).unwrap();
    consume_n(&mut consumer, (KEYS * PER_KEY) as usize).await;
    let seen = seen.lock().unwrap();
    let mut per_key: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    for (key, version) in seen.iter() {
        per_key.entry(key).or_default().push(*version);
    }
    assert_eq!(per_key.len(), KEYS as usize);
    for (key, versions) in per_key {
        assert_eq!(
            versions,
            (1..=PER_KEY).collect::<Vec<_>>(),
            "{key}: every event once, in order"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn producer_errors_name_topic_key_and_cause() {
    // No broker listens on port 1: librdkafka retries until the message times out.
    let mut config = ClientConfig::new();
    config
        .set("bootstrap.servers", "127.0.0.1:1")
        .set("message.timeout.ms", "300");
    let producer = Producer::from_config(config)
        .unwrap()
        .with_record_options(interop_tests::kafka_peer::unchecked());
    let event = fact("inc-9", 1);
    let error = producer.send(&event, SCHEMA_ID).await.unwrap_err();
    assert_eq!(error.topic, SreDomainFact::STREAM_REF);
    assert_eq!(error.key, "acme:inc-9");
    let text = error.to_string();
    assert!(
        text.starts_with("producing to topic \"sre.domain.facts.v1\", key \"acme:inc-9\": "),
        "{text}"
    );
    assert!(text.contains("timed out"), "{text}");

    // An event whose trace context is malformed never reaches the client.
    let mut bad = fact("inc-10", 1);
    bad.meta.get_or_insert_default().traceparent = "00-zz-01".into();
    let error = producer.send(&bad, SCHEMA_ID).await.unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("ameide_core_proto.sre.core.v1.SreDomainFact.meta.traceparent: "),
        "{text}"
    );
    assert!(text.contains("key \"acme:inc-10\""), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_topic_of_several_types_is_dispatched_by_ce_type() {
    let broker = MockBroker::start(1).unwrap();
    broker.create_topic("sre.mixed", 1, 1).unwrap();
    let producer = Producer::new(&broker.bootstrap_servers())
        .unwrap()
        .with_record_options(interop_tests::kafka_peer::unchecked().topic("sre.mixed"));
    producer.send(&fact("inc-1", 1), SCHEMA_ID).await.unwrap();
    let intent = random_event::<SreDomainIntent>();
    producer.send(&intent, SCHEMA_ID).await.unwrap();
    // Without ce_type, a record of this topic could be either type.
    let mut bare = KafkaRecord::from_event_with(
        &fact("inc-2", 2),
        SCHEMA_ID,
        &interop_tests::kafka_peer::unchecked(),
    )
    .unwrap();
    bare.topic = "sre.mixed".into();
    bare.headers.clear();
    producer.send_record(&bare).await.unwrap();

    let seen: Arc<Mutex<Vec<&'static str>>> = Arc::default();
    let (facts, intents) = (seen.clone(), seen.clone());
    let router = Router::new()
        .on_topic::<SreDomainFact, _, _>("sre.mixed", move |_, _| {
            facts.lock().unwrap().push("fact");
            async { Ok(()) }
        })
        .on_topic::<SreDomainIntent, _, _>("sre.mixed", move |_, _| {
            intents.lock().unwrap().push("intent");
            async { Ok(()) }
        });
    let mut consumer = Consumer::new(&broker.bootstrap_servers(), "rust-mixed", router).unwrap();
    let outcomes = consume_n(&mut consumer, 3).await;
    assert_eq!(*seen.lock().unwrap(), ["fact", "intent"]);
    let Outcome::DeadLettered { reason, error, .. } = &outcomes[2] else {
        panic!("{outcomes:?}")
    };
    assert_eq!(*reason, dead_letter::Reason::NoRoute);
    assert!(
        error.contains("without ce_type") && error.contains("2 handlers"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_whose_dead_letter_fails_is_read_again_and_resumes_after_a_restart() {
    use RDKafkaRespErr::*;
    let topic = SreDomainFact::STREAM_REF;
    let (broker, producer) = one_partition(topic);
    let garbage = KafkaRecord {
        topic: topic.into(),
        key: b"garbage".to_vec(),
        headers: Vec::new(),
        value: b"not a frame".to_vec(),
    };
    producer.send_record(&garbage).await.unwrap();
    let valid = KafkaRecord::from_event_with(
        &fact("inc-1", 1),
        SCHEMA_ID,
        &interop_tests::kafka_peer::unchecked(),
    )
    .unwrap();
    producer.send_record(&valid).await.unwrap();

    // The dead-letter topic refuses writes: the garbage cannot be dead-lettered.
    let dlq = dead_letter::dead_letter_topic(topic);
    broker
        .cluster()
        .topic_error(&dlq, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED)
        .unwrap();
    let handled: Arc<Mutex<Vec<i64>>> = Arc::default();
    let router = offsets_into(&handled);
    let mut consumer = Consumer::new(&broker.bootstrap_servers(), "rust-retry", router).unwrap();
    let error = tokio::time::timeout(TIMEOUT, consumer.next())
        .await
        .unwrap()
        .unwrap_err();
    assert!(
        error.to_string().starts_with(
            "dead-lettering: producing to topic \"sre.domain.facts.v1.dlq\", key \"garbage\""
        ),
        "{error}"
    );
    // Writes allowed again: the same record comes back first, then the valid one.
    broker
        .cluster()
        .topic_error(&dlq, RD_KAFKA_RESP_ERR_NO_ERROR)
        .unwrap();
    let outcomes = consume_n(&mut consumer, 2).await;
    assert!(
        matches!(&outcomes[0], Outcome::DeadLettered { offset: 0, .. }),
        "{outcomes:?}"
    );
    assert!(
        matches!(&outcomes[1], Outcome::Handled { offset: 1, .. }),
        "{outcomes:?}"
    );
    consumer.commit().unwrap();
    drop(consumer);

    // A restarted consumer of the group resumes after the committed offset.
    let later = KafkaRecord::from_event_with(
        &fact("inc-1", 2),
        SCHEMA_ID,
        &interop_tests::kafka_peer::unchecked(),
    )
    .unwrap();
    producer.send_record(&later).await.unwrap();
    let router = offsets_into(&handled);
    let mut consumer = Consumer::new(&broker.bootstrap_servers(), "rust-retry", router).unwrap();
    let outcomes = consume_n(&mut consumer, 1).await;
    assert!(
        matches!(&outcomes[0], Outcome::Handled { offset: 2, .. }),
        "{outcomes:?}"
    );
    assert_eq!(*handled.lock().unwrap(), [1, 2]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_next_reads_its_record_again() {
    let topic = SreDomainFact::STREAM_REF;
    let (broker, producer) = one_partition(topic);
    for version in 1..=2 {
        producer
            .send(&fact("inc-1", version), SCHEMA_ID)
            .await
            .unwrap();
    }
    let calls: Arc<Mutex<Vec<i64>>> = Arc::default();
    let sink = calls.clone();
    let router = Router::new().on::<SreDomainFact, _, _>(move |_, received| {
        let first = {
            let mut calls = sink.lock().unwrap();
            calls.push(received.offset);
            calls.len() == 1
        };
        async move {
            if first {
                // Slower than the caller's patience: the call is dropped mid-handler.
                tokio::time::sleep(Duration::from_secs(30)).await;
            }
            Ok(())
        }
    });
    let mut consumer = Consumer::new(&broker.bootstrap_servers(), "rust-cancel", router).unwrap();
    // Joining the group takes a while: wait until the handler has the first record.
    let first = tokio::time::timeout(TIMEOUT, async {
        tokio::select! {
            _ = consumer.next() => unreachable!("the first handler sleeps 30 s"),
            () = async {
                while calls.lock().unwrap().is_empty() {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            } => {}
        }
    });
    first.await.unwrap();
    let outcomes = consume_n(&mut consumer, 2).await;
    assert!(
        matches!(
            &outcomes[..],
            [
                Outcome::Handled { offset: 0, .. },
                Outcome::Handled { offset: 1, .. }
            ]
        ),
        "{outcomes:?}"
    );
    assert_eq!(*calls.lock().unwrap(), [0, 0, 1], "offset 0 handled again");
}
