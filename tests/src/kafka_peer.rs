//! Kafka tests' plumbing: random events whose CloudEvents fields are valid, and
//! confluent-kafka (`tests/python/kafka_peer.py`) consuming and producing against the
//! tests' mock cluster.

use std::sync::OnceLock;

use common_eventing::traceparent::TraceParent;
use prost::Message as _;
use prost_reflect::{DescriptorPool, DynamicMessage, Kind, ReflectMessage, Value};

use crate::every_message::{pool, random_value};
use crate::{run, script};

/// Record options that frame events without checking their `buf.validate` rules:
/// the transport tests send random events, which do not keep the SRE contract (what
/// the contract refuses is tested in `tests/contract_enforced.rs`).
pub fn unchecked() -> common_eventing::kafka::RecordOptions {
    common_eventing::kafka::RecordOptions::default().skip_validation()
}

/// Every crate's descriptors, built once per test process.
pub fn shared_pool() -> &'static DescriptorPool {
    static POOL: OnceLock<DescriptorPool> = OnceLock::new();
    POOL.get_or_init(pool)
}

/// A random `M` (every field set or not at random, two levels down) whose fields the
/// record's CloudEvents attributes come from hold what they can take: a W3C
/// `traceparent` or none, times within RFC 3339's range, and a `meta` when the message
/// has one.
pub fn random_event<M: prost::Message + prost::Name + Default>() -> M {
    let descriptor = shared_pool()
        .get_message_by_name(&M::full_name())
        .unwrap_or_else(|| panic!("{} is in the pool", M::full_name()));
    let mut message = DynamicMessage::new(descriptor.clone());
    for field in descriptor.fields() {
        if fastrand::u8(..3) != 0 {
            message.set_field(&field, random_value(&field, 1));
        }
    }
    fix_attributes(&mut message);
    if let Some(meta) = descriptor.get_field_by_name("meta") {
        let mut inner = match message.get_field(&meta).as_ref() {
            Value::Message(m) => m.clone(),
            _ => unreachable!("meta is a message"),
        };
        fix_attributes(&mut inner);
        message.set_field(&meta, Value::Message(inner));
    }
    M::decode(message.encode_to_vec().as_slice()).expect("a dynamic message decodes")
}

fn fix_attributes(message: &mut DynamicMessage) {
    let descriptor = message.descriptor();
    if let Some(field) = descriptor.get_field_by_name("traceparent") {
        let value = if fastrand::bool() {
            TraceParent::generate().to_string()
        } else {
            String::new()
        };
        message.set_field(&field, Value::String(value));
    }
    for name in ["occurred_at", "timestamp", "created_at"] {
        let Some(field) = descriptor.get_field_by_name(name) else {
            continue;
        };
        let Kind::Message(timestamp) = field.kind() else {
            continue;
        };
        if fastrand::u8(..4) == 0 {
            message.clear_field(&field);
            continue;
        }
        let mut time = DynamicMessage::new(timestamp);
        time.set_field_by_name("seconds", Value::I64(fastrand::i64(0..253_402_300_800)));
        time.set_field_by_name("nanos", Value::I32(fastrand::i32(0..1_000_000_000)));
        message.set_field(&field, Value::Message(time));
    }
}

/// One record as confluent-kafka's `DeserializingConsumer` read it.
#[derive(Debug, serde::Deserialize)]
pub struct PeerRecord {
    /// Topic.
    pub topic: String,
    /// Partition.
    pub partition: i32,
    /// Offset.
    pub offset: i64,
    /// The key, as `StringDeserializer` read it.
    pub key: Option<String>,
    /// Headers: name and hex value.
    pub headers: Vec<(String, String)>,
    /// The deserialized message, re-serialized (hex).
    pub message: String,
}

/// One record confluent-kafka's `SerializingProducer` sent.
#[derive(Debug, serde::Deserialize)]
pub struct PeerSent {
    /// Topic.
    pub topic: String,
    /// Full proto name of the message.
    #[serde(rename = "type")]
    pub type_name: String,
    /// The key.
    pub key: String,
    /// The message (hex of its deterministic serialization).
    pub message: String,
}

/// Runs `kafka_peer.py <command>` against `bootstrap` with `spec`; returns its output.
fn peer<T: serde::de::DeserializeOwned>(
    command: &str,
    bootstrap: &str,
    spec: &serde_json::Value,
) -> Vec<T> {
    let dir = tempfile::tempdir().unwrap();
    let spec_path = dir.path().join("spec.json");
    let out_path = dir.path().join("out.json");
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let mut cmd = script("kafka_peer.py");
    cmd.arg(command)
        .arg(bootstrap)
        .arg(&spec_path)
        .arg(&out_path);
    println!("{}", run(cmd));
    serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap()
}

/// confluent-kafka's `DeserializingConsumer` reads `count` records of each
/// `(topic, full proto name, count)`.
pub fn python_consume(bootstrap: &str, topics: &[(&str, &str, usize)]) -> Vec<PeerRecord> {
    let spec: Vec<serde_json::Value> = topics
        .iter()
        .map(|(topic, type_name, count)| {
            serde_json::json!({"topic": topic, "type": type_name, "count": count})
        })
        .collect();
    peer("consume", bootstrap, &serde_json::Value::from(spec))
}

/// confluent-kafka's `SerializingProducer` publishes test messages of each
/// `(topic, full proto name)`.
pub fn python_produce(bootstrap: &str, topics: &[(&str, &str)]) -> Vec<PeerSent> {
    let spec: Vec<serde_json::Value> = topics
        .iter()
        .map(|(topic, type_name)| serde_json::json!({"topic": topic, "type": type_name}))
        .collect();
    peer("produce", bootstrap, &serde_json::Value::from(spec))
}
