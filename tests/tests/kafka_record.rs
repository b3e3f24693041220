//! `KafkaRecord` for every event type of the workspace, on random events: topic, key,
//! CloudEvents headers from the event's own fields, the framed value, and decoding
//! back (with and without headers, and refusing another type's record). No broker:
//! tests/kafka.rs takes records to one.
//!
//! The fields the attributes come from are checked against the rule as documented,
//! applied here again to the descriptors (not through the generated `event_fields`):
//! the path it picks and the value at that path, read by reflection.

use common_eventing::cloudevents::CloudEventAttributes;
use common_eventing::kafka::{KafkaRecord, RecordError};
use common_eventing::registry::ProtoSchema;
use common_eventing::validate::Validate;
use common_eventing::visit::JsonMessage;
use common_eventing::wkt::TIMESTAMP_MAX_SECONDS;
use common_eventing::{EventVisitor, Eventing, Known, framing};
use interop_tests::kafka_peer::{random_event, shared_pool};
use prost::Message;
use prost_reflect::{DynamicMessage, Kind, MessageDescriptor, ReflectMessage, Value};

const ROUNDS: usize = 40;

/// The rule of `common_eventing::eventing::EventFields`, as its documentation states
/// it: each attribute's field names, in order.
const RULE: [(&str, &[&str]); 5] = [
    ("id", &["message_id", "event_id"]),
    ("time", &["occurred_at", "timestamp", "created_at"]),
    ("source", &["producer", "source_service"]),
    ("traceparent", &["traceparent"]),
    ("tracestate", &["tracestate"]),
];

/// The path the rule picks for `names` in `descriptor`: the message first, then `meta`.
fn rule_path(descriptor: &MessageDescriptor, names: &[&str]) -> Option<String> {
    if let Some(name) = names
        .iter()
        .find(|n| descriptor.get_field_by_name(n).is_some())
    {
        return Some((*name).to_owned());
    }
    let meta = descriptor.get_field_by_name("meta")?;
    let Kind::Message(meta) = meta.kind() else {
        return None;
    };
    let name = names.iter().find(|n| meta.get_field_by_name(n).is_some())?;
    Some(format!("meta.{name}"))
}

/// The value at `path` of `message`, read by reflection; `None` through an unset
/// `meta` or at an unset message field.
fn value_at(message: &DynamicMessage, path: &str) -> Option<Value> {
    let (scope, leaf) = match path.split_once('.') {
        None => (message.clone(), path),
        Some((parent, leaf)) => {
            if !message.has_field_by_name(parent) {
                return None;
            }
            let Value::Message(inner) = message.get_field_by_name(parent)?.into_owned() else {
                unreachable!("{path} goes through a message")
            };
            (inner, leaf)
        }
    };
    let field = scope.descriptor().get_field_by_name(leaf)?;
    if matches!(field.kind(), Kind::Message(_)) && !scope.has_field(&field) {
        return None;
    }
    Some(scope.get_field(&field).into_owned())
}

/// Each attribute's generated path and value against the rule's path and the value
/// reflection reads there.
fn check_fields_follow_the_rule<M: Eventing + ProtoSchema + Default>(event: &M) {
    let name = M::FULL_NAME;
    let descriptor = shared_pool().get_message_by_name(name).unwrap();
    let message =
        DynamicMessage::decode(descriptor.clone(), event.encode_to_vec().as_slice()).unwrap();
    let fields = event.event_fields();
    let text = |f: Option<common_eventing::eventing::Field<'_, str>>| {
        f.map(|f| (f.path.to_owned(), Value::String(f.value.to_owned())))
    };
    let time = fields.time.map(|f| {
        let descriptor = shared_pool()
            .get_message_by_name("google.protobuf.Timestamp")
            .unwrap();
        let mut t = DynamicMessage::new(descriptor);
        t.set_field_by_name("seconds", Value::I64(f.value.seconds));
        t.set_field_by_name("nanos", Value::I32(f.value.nanos));
        (f.path.to_owned(), Value::Message(t))
    });
    let generated = [
        text(fields.id),
        time,
        text(fields.source),
        text(fields.traceparent),
        text(fields.tracestate),
    ];
    for ((attribute, names), got) in RULE.iter().zip(generated) {
        let want = rule_path(&descriptor, names)
            .and_then(|path| value_at(&message, &path).map(|value| (path, value)));
        assert_eq!(got, want, "{name}: {attribute}");
    }
}

struct EveryEvent {
    types: usize,
    with_trace: usize,
    with_time: usize,
    /// Types whose rule paths include a traceparent / a time, from the descriptors.
    expect_trace: usize,
    expect_time: usize,
}

impl EventVisitor for EveryEvent {
    fn visit<
        M: Eventing + JsonMessage + ProtoSchema + Known + common_eventing::validate::Validate,
    >(
        &mut self,
    ) {
        self.types += 1;
        let descriptor = shared_pool().get_message_by_name(M::FULL_NAME).unwrap();
        let has = |names: &[&str]| usize::from(rule_path(&descriptor, names).is_some());
        self.expect_trace += ROUNDS * has(RULE[3].1);
        self.expect_time += ROUNDS * has(RULE[1].1);
        for round in 0..ROUNDS {
            let mut event = random_event::<M>();
            if round % 4 == 3 && descriptor.get_field_by_name("meta").is_some() {
                // No header at all: nothing is read through it.
                let mut message =
                    DynamicMessage::decode(descriptor.clone(), event.encode_to_vec().as_slice())
                        .unwrap();
                message.clear_field_by_name("meta");
                event = M::decode(message.encode_to_vec().as_slice()).unwrap();
                let through_meta = |names: &[&str]| {
                    usize::from(
                        rule_path(&descriptor, names).is_some_and(|p| p.starts_with("meta.")),
                    )
                };
                self.expect_trace -= through_meta(RULE[3].1);
                self.expect_time -= through_meta(RULE[1].1);
            }
            check_fields_follow_the_rule(&event);
            check_record(&event);
            self.with_trace += usize::from(check_invalid_trace(&event));
            self.with_time += usize::from(check_time_out_of_range(&event));
        }
    }
}

fn check_record<M: Eventing + ProtoSchema + Default + Validate>(event: &M) {
    let name = M::FULL_NAME;
    let record = KafkaRecord::from_event_with(event, 7, &interop_tests::kafka_peer::unchecked())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(record.topic, M::STREAM_REF, "{name}");
    assert_eq!(record.key, event.partition_key().as_bytes(), "{name}");
    assert_eq!(
        record.value,
        framing::encode_message(7, event),
        "{name}: the value is the Confluent frame"
    );
    let attributes = CloudEventAttributes::from_headers_for::<M>(&record.headers)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    // The headers are exactly what CloudEventAttributes writes for these attributes.
    assert_eq!(attributes.to_headers().unwrap(), record.headers, "{name}");
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
fn check_invalid_trace<M: Eventing + ProtoSchema + Default + Validate>(event: &M) -> bool {
    let Some(path) = event.event_fields().traceparent.map(|f| f.path) else {
        return false;
    };
    let bad = with_field(event, path, Value::String("00-not-a-trace-01".into()));
    let error =
        KafkaRecord::from_event_with(&bad, 1, &interop_tests::kafka_peer::unchecked()).unwrap_err();
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
fn check_time_out_of_range<M: Eventing + ProtoSchema + Default + Validate>(event: &M) -> bool {
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
    let error =
        KafkaRecord::from_event_with(&bad, 1, &interop_tests::kafka_peer::unchecked()).unwrap_err();
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
        expect_trace: 0,
        expect_time: 0,
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
    // Every round of a type with a traceparent (or time) field, header set, refused a
    // malformed one: none was skipped.
    assert_eq!(visitor.with_trace, visitor.expect_trace);
    assert!(
        visitor.expect_trace >= 13 * ROUNDS / 2,
        "SRE envelopes and agf events"
    );
    // A time can be unset (random_event leaves a quarter unset): at most every round.
    assert!(visitor.with_time <= visitor.expect_time);
    assert!(
        visitor.with_time >= visitor.expect_time / 2,
        "{}",
        visitor.with_time
    );
}
