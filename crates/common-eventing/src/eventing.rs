//! The eventing trait: how an event message travels, declared once in its `.proto`.
//!
//! Every event-carrying message of the workspace carries the
//! `(ameide_core_proto.common.v1.eventing)` option. `cargo xtask codegen` validates
//! it (each key path exists and ends on a scalar) and implements [`Eventing`] for the
//! message, so a producer gets topic, key and subject from the type, with no
//! reflection at run time.

/// Separator between the values of a multi-field key (`partition_key`,
/// `idempotency_key`): `acme:inc-42` for `meta.tenant_id` + `subject.aggregate_id`.
///
/// Values are joined as they are, not escaped: keys stay readable and equal to what
/// other producers build by plain concatenation, but a value that itself contains `:`
/// can make two keys equal (`a:b` + `c` and `a` + `b:c`). Keep `:` out of ids used as
/// key parts, or use [`Eventing::partition_key_values`] to see the parts.
pub const KEY_SEPARATOR: &str = ":";

/// One field an event message carries about itself: where it is and its value.
#[derive(Debug, PartialEq)]
pub struct Field<'a, T: ?Sized> {
    /// Dot-separated path from the message (`meta.traceparent`), for errors.
    pub path: &'static str,
    /// The field's value, borrowed from the message.
    pub value: &'a T,
}

impl<T: ?Sized> Clone for Field<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for Field<'_, T> {}

/// What an event message says about itself in its own fields: the CloudEvents
/// attributes of its Kafka record (`kafka::KafkaRecord::from_event`).
///
/// Generated for every message with the eventing option, by one rule over the
/// descriptors: each attribute is the first field found with one of its names, looked
/// up in the message and then in its `meta` message field:
///
/// | attribute | field names | field type |
/// | --- | --- | --- |
/// | `id` | `message_id`, `event_id` | `string` |
/// | `time` | `occurred_at`, `timestamp`, `created_at` | `google.protobuf.Timestamp` |
/// | `source` | `producer`, `source_service` | `string` |
/// | `traceparent` | `traceparent` | `string` |
/// | `tracestate` | `tracestate` | `string` |
///
/// A field with one of these names and another type fails codegen, naming it. `None`
/// means the message has no such field, or (for message fields along the way) that
/// it is unset.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct EventFields<'a> {
    /// The event's id (CloudEvents `id`).
    pub id: Option<Field<'a, str>>,
    /// When it happened (CloudEvents `time`).
    pub time: Option<Field<'a, crate::wkt::Timestamp>>,
    /// Who produced it (CloudEvents `source`).
    pub source: Option<Field<'a, str>>,
    /// W3C `traceparent` of the producing span.
    pub traceparent: Option<Field<'a, str>>,
    /// W3C `tracestate`.
    pub tracestate: Option<Field<'a, str>>,
}

/// Routing and identity of an event message, generated from its eventing option.
/// Events are written by the workspace's one encoder ([`Encode`](crate::encode::Encode)).
pub trait Eventing: prost::Message + prost::Name + crate::encode::Encode {
    /// Stable type id; survives package refactors; the CloudEvents `type`
    /// (e.g. `ameide.sre.domain.fact.v1`).
    const STABLE_TYPE: &'static str;
    /// Schema-registry subject (TopicNameStrategy: `{stream}-value`).
    const SCHEMA_SUBJECT: &'static str;
    /// Logical stream: the Kafka topic (family) the message is published to.
    const STREAM_REF: &'static str;
    /// Dot-separated field paths whose values form the record key.
    const PARTITION_KEY_FIELDS: &'static [&'static str];
    /// Dot-separated field paths whose values identify the message for deduplication.
    const IDEMPOTENCY_KEY_FIELDS: &'static [&'static str];

    /// The values at [`PARTITION_KEY_FIELDS`](Self::PARTITION_KEY_FIELDS), in order
    /// (an unset message on the way yields an empty string).
    fn partition_key_values(&self) -> Vec<String>;

    /// The values at [`IDEMPOTENCY_KEY_FIELDS`](Self::IDEMPOTENCY_KEY_FIELDS), in order.
    fn idempotency_key_values(&self) -> Vec<String>;

    /// The id, time, source and trace context the message carries in its own fields
    /// (generated; see [`EventFields`] for the rule). The default is none of them.
    fn event_fields(&self) -> EventFields<'_> {
        EventFields::default()
    }

    /// The record key: the partition key values joined by [`KEY_SEPARATOR`].
    fn partition_key(&self) -> String {
        self.partition_key_values().join(KEY_SEPARATOR)
    }

    /// The deduplication key: the idempotency key values joined by [`KEY_SEPARATOR`].
    fn idempotency_key(&self) -> String {
        self.idempotency_key_values().join(KEY_SEPARATOR)
    }
}
