//! `KafkaRecord` for every event type of the workspace, on random events: topic, key,
//! CloudEvents headers from the event's own fields, the framed value, and decoding
//! back (with and without headers, and refusing another type's record). No broker:
//! tests/kafka.rs takes records to one.

use common_eventing::cloudevents::CloudEventAttributes;
use common_eventing::kafka::{KafkaRecord, RecordError};
use common_eventing::registry::ProtoSchema;
use common_eventing::visit::JsonMessage;
use common_eventing::wkt::TIMESTAMP_MAX_SECONDS;
use common_eventing::{EventVisitor, Eventing, Known, framing};
use interop_tests::kafka_peer::{random_event, shared_pool};
use prost::Message;
use prost_reflect::{DynamicMessage, Value};

const ROUNDS: usize = 40;

struct EveryEvent {
    types: usize,
    with_trace: usize,
    with_time: usize,
}

impl EventVisitor for EveryEvent {
    fn visit<M: Eventing + JsonMessage + ProtoSchema + Known>(&mut self) {
        self.types += 1;
        for _ in 0..ROUNDS {
            let event = random_event::<M>();
            check_record(&event);
            self.with_trace += usize::from(check_invalid_trace(&event));
            self.with_time += usize::from(check_time_out_of_range(&event));
        }
    }
}

fn check_record<M: Eventing + ProtoSchema + Default>(event: &M) {
    let name = M::FULL_NAME;
    let record = KafkaRecord::from_event(event, 7).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(record.topic, M::STREAM_REF, "{name}");
    assert_eq!(record.key, event.partition_key().as_bytes(), "{name}");
    assert_eq!(
        record.value,
        framing::encode_message(7, event),
        "{name}: the value is the Confluent frame"
    );
    let attributes = CloudEventAttributes::from_headers_for::<M>(&record.headers)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let fields = event.event_fields();
    match fields.id.map(|f| f.value).filter(|v| !v.is_empty()) {
        Some(id) => assert_eq!(attributes.id, id, "{name}: ce_id is the event's id"),
        None => assert_eq!(attributes.id.len(), 36, "{name}: a fresh UUID"),
    }
    assert_eq!(attributes.time, fields.time.map(|f| *f.value), "{name}");
    let source = fields.source.map(|f| f.value).filter(|v| !v.is_empty());
    assert_eq!(
        attributes.source,
        source.map_or_else(|| format!("/{}", M::STREAM_REF), str::to_owned),
        "{name}"
    );
    assert_eq!(
        attributes.traceparent.map(|t| t.to_string()),
        fields
            .traceparent
            .map(|f| f.value.to_owned())
            .filter(|v| !v.is_empty()),
        "{name}"
    );

    let back: M = record.decode().unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(back.encode_to_vec(), event.encode_to_vec(), "{name}");
    // What confluent-kafka's SerializingProducer writes: no headers at all.
    let bare = KafkaRecord {
        headers: Vec::new(),
        ..record.clone()
    };
    let back: M = bare.decode().unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(back.encode_to_vec(), event.encode_to_vec(), "{name}");
    // Another type's record is refused by its ce_type, before the payload is read.
    let mut other = record;
    for (header, value) in &mut other.headers {
        if header == "ce_type" {
            *value = b"someone.else.v1".to_vec();
        }
    }
    let Err(error) = other.decode::<M>() else {
        panic!("{name}: another type's record decoded")
    };
    assert_eq!(
        error,
        RecordError::WrongType {
            expected: M::STABLE_TYPE,
            found: "someone.else.v1".into()
        }
    );
    assert!(error.to_string().contains(M::STABLE_TYPE), "{error}");
}

/// `event` with the field at `path` set to `value`, through reflection.
fn with_field<M: Message + Default + prost::Name>(event: &M, path: &str, value: Value) -> M {
    let descriptor = shared_pool().get_message_by_name(&M::full_name()).unwrap();
    let mut message = DynamicMessage::decode(descriptor, event.encode_to_vec().as_slice()).unwrap();
    match path.split_once('.') {
        None => message.set_field_by_name(path, value),
        Some((parent, leaf)) => {
            let Value::Message(mut inner) = message.get_field_by_name(parent).unwrap().into_owned()
            else {
                unreachable!("{path} goes through a message")
            };
            inner.set_field_by_name(leaf, value);
            message.set_field_by_name(parent, Value::Message(inner));
        }
    }
    M::decode(message.encode_to_vec().as_slice()).unwrap()
}

/// A malformed `traceparent` is refused, naming the field. False when `M` has none.
fn check_invalid_trace<M: Eventing + ProtoSchema + Default>(event: &M) -> bool {
    let Some(path) = event.event_fields().traceparent.map(|f| f.path) else {
        return false;
    };
    let bad = with_field(event, path, Value::String("00-not-a-trace-01".into()));
    let error = KafkaRecord::from_event(&bad, 1).unwrap_err();
    assert!(
        matches!(error, RecordError::InvalidField { path: p, .. } if p == path),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .starts_with(&format!("{}.{path}: ", M::FULL_NAME)),
        "{error}"
    );
    true
}

/// A time RFC 3339 cannot write is refused, naming the field. False when `M` has none
/// set.
fn check_time_out_of_range<M: Eventing + ProtoSchema + Default>(event: &M) -> bool {
    let Some(path) = event.event_fields().time.map(|f| f.path) else {
        return false;
    };
    let descriptor = shared_pool()
        .get_message_by_name("google.protobuf.Timestamp")
        .unwrap();
    let mut year_10000 = DynamicMessage::new(descriptor);
    let seconds = TIMESTAMP_MAX_SECONDS + 1;
    year_10000.set_field_by_name("seconds", Value::I64(seconds));
    let bad = with_field(event, path, Value::Message(year_10000));
    let error = KafkaRecord::from_event(&bad, 1).unwrap_err();
    assert!(
        matches!(error, RecordError::InvalidField { path: p, .. } if p == path),
        "{error}"
    );
    true
}

#[test]
fn every_event_type_makes_a_record_that_reads_back() {
    let mut visitor = EveryEvent {
        types: 0,
        with_trace: 0,
        with_time: 0,
    };
    aumos_proto::events::v1::visit_events(&mut visitor);
    aumos_proto::agf::v1::visit_events(&mut visitor);
    ameide_sre_proto::core::v1::visit_events(&mut visitor);
    ameide_sre_proto::process::v1::visit_events(&mut visitor);
    let eventing = shared_pool()
        .get_extension_by_name("ameide_core_proto.common.v1.eventing")
        .unwrap();
    let annotated = shared_pool()
        .all_messages()
        .filter(|m| m.options().has_extension(&eventing))
        .count();
    assert_eq!(
        visitor.types, annotated,
        "every event type of the workspace"
    );
    // The rule reads a trace context from the SRE envelopes and the agent-framework
    // events, and a time from nearly every type.
    assert!(
        visitor.with_trace >= 13 * ROUNDS / 2,
        "{}",
        visitor.with_trace
    );
    assert!(
        visitor.with_time >= 20 * ROUNDS / 2,
        "{}",
        visitor.with_time
    );
}
