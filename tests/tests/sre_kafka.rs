//! SRE envelopes on Kafka: Confluent framing against confluent-kafka's own
//! ProtobufSerializer / ProtobufDeserializer (offline mock registry), both directions,
//! and CloudEvents binary-mode headers for an envelope.

use ameide_sre_proto::core::v1::{
    Actor, ActorKind, IncidentCreated, SreDomainFact, SreDomainIntent, SreSubject,
};
use ameide_sre_proto::process::v1::SreProcessFact;
use common_eventing::framing::{self, message_indexes_for};
use common_eventing::{CloudEventAttributes, EnvelopeMetadata, Eventing, TraceParent};
use interop_tests::{run, script};
use prost::Message;

#[derive(serde::Deserialize)]
struct Record {
    name: String,
    #[serde(rename = "type")]
    type_name: String,
}

/// Decodes a framed record written by confluent-kafka, checks schema id and index
/// path, and re-frames it from Rust for the consumer side.
fn check<M: Message + Default + PartialEq>(
    dir: &std::path::Path,
    record: &Record,
    descriptors: &[u8],
) {
    let framed = std::fs::read(dir.join(format!("{}.framed", record.name))).unwrap();
    let plain = std::fs::read(dir.join(format!("{}.bin", record.name))).unwrap();
    let decoded = framing::decode(&framed).unwrap_or_else(|e| panic!("{}: {e}", record.name));
    let expected_path = message_indexes_for(&record.type_name, descriptors).unwrap();
    assert_eq!(decoded.message_indexes, expected_path, "{}", record.name);
    assert!(
        decoded.schema_id > 0,
        "{}: the mock registry assigns ids from 1",
        record.name
    );
    let message = M::decode(decoded.payload).unwrap();
    assert!(
        message == M::decode(plain.as_slice()).unwrap(),
        "{}: payload differs",
        record.name
    );
    // Rust framing of the same message is byte-identical to the Python serializer's.
    let ours = framing::encode(decoded.schema_id, &expected_path, &message.encode_to_vec());
    assert_eq!(
        ours, framed,
        "{}: Rust framing differs from confluent-kafka's",
        record.name
    );
    std::fs::write(dir.join(format!("{}.rust.framed", record.name)), ours).unwrap();
}

#[test]
fn framing_interoperates_with_confluent_kafka() {
    let dir = tempfile::tempdir().unwrap();
    let mut produce = script("sre_kafka_framing.py");
    produce.arg("produce").arg(dir.path());
    println!("{}", run(produce));
    let records: Vec<Record> =
        serde_json::from_slice(&std::fs::read(dir.path().join("index.json")).unwrap()).unwrap();
    let nested_set = std::fs::read(dir.path().join("nested.binpb")).unwrap();
    let sre = ameide_sre_proto::FILE_DESCRIPTOR_SET;
    for record in &records {
        match record.type_name.as_str() {
            "ameide_core_proto.sre.core.v1.SreDomainFact" => {
                check::<SreDomainFact>(dir.path(), record, sre)
            }
            "ameide_core_proto.sre.core.v1.SreDomainIntent" => {
                check::<SreDomainIntent>(dir.path(), record, sre)
            }
            "ameide_core_proto.sre.process.v1.SreProcessFact" => {
                check::<SreProcessFact>(dir.path(), record, sre)
            }
            // Same wire shape as SreSubject; its index path is [1, 0].
            "ameide.framingtest.v1.Outer.Subject" => {
                assert_eq!(
                    message_indexes_for(&record.type_name, &nested_set).unwrap(),
                    [1, 0]
                );
                check::<SreSubject>(dir.path(), record, &nested_set)
            }
            other => panic!("unexpected record type {other}"),
        }
    }
    assert_eq!(records.len(), 4);
    let mut consume = script("sre_kafka_framing.py");
    consume.arg("consume").arg(dir.path());
    assert!(run(consume).contains("consumed 4"));
}

#[test]
fn incident_created_ready_for_kafka_and_back() {
    let traceparent: TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        .parse()
        .unwrap();
    let common =
        EnvelopeMetadata::builder("acme", "incident-service", ameide_sre_proto::SCHEMA_VERSION)
            .correlation_id("req-1")
            .trace(traceparent, None)
            .build()
            .unwrap();
    let meta = ameide_sre_proto::core::v1::SreMessageMeta::from_metadata(
        &common,
        Actor {
            kind: ActorKind::Human as i32,
            id: "alice".into(),
        },
    );
    let subject = SreSubject {
        aggregate_type: "Incident".into(),
        aggregate_id: "inc-42".into(),
        aggregate_version: 1,
    };
    let fact = SreDomainFact::new(
        meta,
        subject,
        IncidentCreated {
            aggregate_version: 1,
            ..Default::default()
        },
    );

    let key = fact.partition_key();
    assert_eq!(key, "acme:inc-42");
    let headers =
        CloudEventAttributes::for_envelope::<SreDomainFact>(&common, "urn:ameide:incident-service")
            .to_headers()
            .unwrap();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| String::from_utf8(v.clone()).unwrap())
    };
    assert_eq!(
        header("ce_type").as_deref(),
        Some("ameide.sre.domain.fact.v1")
    );
    assert_eq!(header("ce_id").as_deref(), Some(common.message_id.as_str()));
    assert_eq!(header("ce_specversion").as_deref(), Some("1.0"));
    assert!(header("ce_source").is_some() && header("ce_time").is_some());
    assert_eq!(
        header("traceparent").as_deref(),
        Some("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
    );

    let indexes = message_indexes_for(
        "ameide_core_proto.sre.core.v1.SreDomainFact",
        ameide_sre_proto::FILE_DESCRIPTOR_SET,
    )
    .unwrap();
    let value = framing::encode(42, &indexes, &fact.encode_to_vec());

    // The consumer side.
    let attributes = CloudEventAttributes::from_headers_for::<SreDomainFact>(&headers).unwrap();
    assert_eq!(attributes.id, common.message_id);
    let framed = framing::decode(&value).unwrap();
    assert_eq!(
        (framed.schema_id, framed.message_indexes.as_slice()),
        (42, indexes.as_slice())
    );
    let back = SreDomainFact::decode(framed.payload).unwrap();
    assert_eq!(back, fact);
    assert_eq!(
        back.fact_as::<IncidentCreated>().unwrap().aggregate_version,
        1
    );
    // A record of another type is refused by its ce_type.
    assert!(CloudEventAttributes::from_headers_for::<SreDomainIntent>(&headers).is_err());
}
