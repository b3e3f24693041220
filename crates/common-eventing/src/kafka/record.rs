//! [`KafkaRecord`]: an event as one Kafka record (topic, key, CloudEvents headers and a
//! Confluent-framed value), and back.

use std::fmt;

use crate::Eventing;
use crate::cloudevents::{
    CONTENT_TYPE_PROTOBUF, CloudEventError, HEADER_CONTENT_TYPE, HEADER_ID, HEADER_SOURCE,
    HEADER_SPECVERSION, HEADER_TIME, HEADER_TRACEPARENT, HEADER_TRACESTATE, HEADER_TYPE,
    SPEC_VERSION,
};
use crate::eventing::Field;
use crate::framing::{self, DecodeMessageError};
use crate::registry::ProtoSchema;
use crate::traceparent::TraceParent;
use crate::validate::Validate;

/// One Kafka record, independent of any Kafka client: what a producer sends and what a
/// consumer receives.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KafkaRecord {
    /// The topic.
    pub topic: String,
    /// The record key (the event's partition key, UTF-8).
    pub key: Vec<u8>,
    /// The headers, in order (names may repeat on the wire).
    pub headers: Vec<(String, Vec<u8>)>,
    /// The value: the Confluent-framed protobuf message.
    pub value: Vec<u8>,
}

/// A record borrowed from wherever it lives (a consumer's message buffer, a
/// [`KafkaRecord`]): decoding one copies nothing but the message's own fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordRef<'a> {
    /// The topic.
    pub topic: &'a str,
    /// The record key; `None` for a record without one.
    pub key: Option<&'a [u8]>,
    /// The headers, in order.
    pub headers: &'a [(&'a str, &'a [u8])],
    /// The value; `None` for a tombstone.
    pub value: Option<&'a [u8]>,
}

/// Choices [`KafkaRecord::from_event_with`] takes beyond the event itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordOptions {
    /// The topic; `M::STREAM_REF` when `None`.
    pub topic: Option<String>,
    /// The CloudEvents `source` when the event has no producer field of its own (or
    /// leaves it empty); [`default_source`] when `None`.
    pub source: Option<String>,
    /// Frame the event even when it breaks its `buf.validate` rules (default `false`:
    /// such an event is [`RecordError::Invalid`], naming every field).
    pub skip_validation: bool,
}

impl RecordOptions {
    /// Sends to `topic` instead of the event's stream.
    pub fn topic(self, topic: impl Into<String>) -> Self {
        Self {
            topic: Some(topic.into()),
            ..self
        }
    }

    /// Frames events without checking their `buf.validate` rules: the caller takes
    /// over the contract (re-publishing records exactly as received, for example).
    pub fn skip_validation(self) -> Self {
        Self {
            skip_validation: true,
            ..self
        }
    }

    /// The CloudEvents `source` of events that do not name their producer.
    pub fn source(self, source: impl Into<String>) -> Self {
        Self {
            source: Some(source.into()),
            ..self
        }
    }
}

/// The CloudEvents `source` of an event of type `M` that names no producer: the
/// URI-reference `/{STREAM_REF}` (`/aumos.models.lifecycle`).
pub fn default_source<M: Eventing>() -> String {
    format!("/{}", M::STREAM_REF)
}

/// Why an event could not become a record, or a record could not become an event.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RecordError {
    /// A field the record's CloudEvents attributes come from holds a value they cannot
    /// take (a malformed `traceparent`, a time out of range).
    InvalidField {
        /// Full proto name of the event.
        message: &'static str,
        /// Dot-separated path of the field (`meta.traceparent`).
        path: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The attributes cannot be written as headers.
    Attributes(CloudEventError),
    /// A `ce_type` header is there but unreadable (repeated, not UTF-8).
    TypeHeader(CloudEventError),
    /// The record's `ce_type` names another event type.
    WrongType {
        /// The expected [`Eventing::STABLE_TYPE`].
        expected: &'static str,
        /// The `ce_type` found.
        found: String,
    },
    /// The record has no value (a tombstone).
    NoValue,
    /// The value is not a frame of the expected message (bad frame, other message
    /// indexes, or a payload that does not decode).
    Value(DecodeMessageError),
    /// The event breaks its `buf.validate` rules: on the producer path unless
    /// [`RecordOptions::skip_validation`], on the consumer path with `decode_valid`.
    Invalid(framing::InvalidMessage),
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidField {
                message,
                path,
                reason,
            } => write!(f, "{message}.{path}: {reason}"),
            Self::Attributes(e) => write!(f, "CloudEvents attributes: {e}"),
            Self::TypeHeader(e) => e.fmt(f),
            Self::WrongType { expected, found } => write!(
                f,
                "header `{HEADER_TYPE}` is {found:?}: the record holds another event type \
                 than {expected:?}"
            ),
            Self::NoValue => write!(f, "the record has no value (a tombstone)"),
            Self::Value(e) => write!(f, "value: {e}"),
            Self::Invalid(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for RecordError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Attributes(e) | Self::TypeHeader(e) => Some(e),
            Self::Value(e) => Some(e),
            Self::Invalid(e) => Some(e),
            _ => None,
        }
    }
}

impl KafkaRecord {
    /// The record of `event`, framed for `schema_id`: topic `M::STREAM_REF`, key the
    /// partition key, CloudEvents binary-mode headers, and the Confluent-framed value
    /// (the bytes confluent-kafka's `ProtobufSerializer` writes).
    ///
    /// The headers are `ce_specversion`, `ce_id` (the event's own id field; a new
    /// UUIDv7 when it has none, different for every call, so give events an id when
    /// consumers deduplicate on `ce_id`), `ce_type` (`M::STABLE_TYPE`), `ce_source` (its
    /// producer field, else [`default_source`]), `ce_time` (its time field, when set),
    /// `content-type`, and `traceparent` / `tracestate` when it carries them; which
    /// fields are read is [`EventFields`](crate::eventing::EventFields)' rule.
    ///
    /// Fails when such a field holds what the attribute cannot take, naming the field:
    /// a `traceparent` not in W3C form, a time outside RFC 3339's range.
    ///
    /// ```
    /// use common_eventing::kafka::KafkaRecord;
    /// # use common_eventing::Eventing;
    /// # use common_eventing::registry::ProtoSchema;
    /// # fn send<M: Eventing + ProtoSchema + common_eventing::validate::Validate + Default + PartialEq + std::fmt::Debug>(event: &M)
    /// # -> Result<(), Box<dyn std::error::Error>> {
    /// let record = KafkaRecord::from_event(event, 7)?;
    /// assert_eq!(record.topic, M::STREAM_REF);
    /// assert_eq!(record.key, event.partition_key().into_bytes());
    /// assert_eq!(record.header("ce_type"), Some(M::STABLE_TYPE.as_bytes()));
    /// assert_eq!(record.decode::<M>()?, *event);
    /// # Ok(()) }
    /// ```
    pub fn from_event<M: Eventing + ProtoSchema + Validate>(
        event: &M,
        schema_id: u32,
    ) -> Result<Self, RecordError> {
        Self::from_event_with(event, schema_id, &RecordOptions::default())
    }

    /// Like [`from_event`](Self::from_event), with another topic or default source.
    pub fn from_event_with<M: Eventing + ProtoSchema + Validate>(
        event: &M,
        schema_id: u32,
        options: &RecordOptions,
    ) -> Result<Self, RecordError> {
        if !options.skip_validation {
            check(event)?;
        }
        let headers = headers_of(event, options)?;
        Ok(Self {
            topic: options
                .topic
                .clone()
                .unwrap_or_else(|| M::STREAM_REF.to_owned()),
            key: event.partition_key().into_bytes(),
            headers,
            value: framing::encode_message(schema_id, event),
        })
    }

    /// The value of the first header called `name`.
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }

    /// Decodes the record as `M`: checks `ce_type` against `M::STABLE_TYPE` when the
    /// record has one (a record without CloudEvents headers, as confluent-kafka's
    /// `SerializingProducer` writes, decodes too), checks the frame's message indexes,
    /// then decodes the payload.
    pub fn decode<M: Eventing + ProtoSchema + Default>(&self) -> Result<M, RecordError> {
        let headers: Vec<(&str, &[u8])> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_slice()))
            .collect();
        RecordRef {
            topic: &self.topic,
            key: Some(&self.key),
            headers: &headers,
            value: Some(&self.value),
        }
        .decode()
    }

    /// [`decode`](Self::decode), then the event's `buf.validate` rules
    /// ([`RecordRef::decode_valid`]).
    pub fn decode_valid<M: Eventing + ProtoSchema + Default + Validate>(
        &self,
    ) -> Result<M, RecordError> {
        let event = self.decode::<M>()?;
        check(&event)?;
        Ok(event)
    }
}

impl<'a> RecordRef<'a> {
    /// The `ce_type` header: `None` when absent, an error when repeated or not UTF-8.
    pub fn event_type(&self) -> Result<Option<&'a str>, RecordError> {
        let mut found = self.headers.iter().filter(|(n, _)| *n == HEADER_TYPE);
        let Some((_, value)) = found.next() else {
            return Ok(None);
        };
        if found.next().is_some() {
            return Err(RecordError::TypeHeader(CloudEventError::DuplicateHeader {
                header: HEADER_TYPE,
            }));
        }
        std::str::from_utf8(value).map(Some).map_err(|_| {
            RecordError::TypeHeader(CloudEventError::InvalidUtf8 {
                header: HEADER_TYPE,
            })
        })
    }

    /// Decodes the record as `M`; see [`KafkaRecord::decode`].
    pub fn decode<M: Eventing + ProtoSchema + Default>(&self) -> Result<M, RecordError> {
        if let Some(found) = self.event_type()?
            && found != M::STABLE_TYPE
        {
            return Err(RecordError::WrongType {
                expected: M::STABLE_TYPE,
                found: found.to_owned(),
            });
        }
        let value = self.value.ok_or(RecordError::NoValue)?;
        framing::decode_message::<M>(value)
            .map(|framed| framed.message)
            .map_err(RecordError::Value)
    }

    /// [`decode`](Self::decode), then the event's `buf.validate` rules: an event that
    /// breaks its contract is [`RecordError::Invalid`], naming every field.
    pub fn decode_valid<M: Eventing + ProtoSchema + Default + Validate>(
        &self,
    ) -> Result<M, RecordError> {
        let event = self.decode::<M>()?;
        check(&event)?;
        Ok(event)
    }

    /// An owned copy.
    pub fn to_record(&self) -> KafkaRecord {
        KafkaRecord {
            topic: self.topic.to_owned(),
            key: self.key.unwrap_or_default().to_vec(),
            headers: self
                .headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), v.to_vec()))
                .collect(),
            value: self.value.unwrap_or_default().to_vec(),
        }
    }
}

/// [`RecordError::Invalid`], naming every field, when `event` breaks its
/// `buf.validate` rules.
fn check<M: ProtoSchema + Validate>(event: &M) -> Result<(), RecordError> {
    event.validate().map_err(|violations| {
        RecordError::Invalid(framing::InvalidMessage {
            full_name: M::FULL_NAME,
            violations,
        })
    })
}

/// A text field's value, `None` when absent or empty.
fn text<'a>(field: Option<Field<'a, str>>) -> Option<&'a str> {
    field.map(|f| f.value).filter(|v| !v.is_empty())
}

/// The CloudEvents headers of `event`, from its own fields: what
/// `CloudEventAttributes::to_headers` writes for the same attributes, in its order,
/// written directly (no intermediate attributes).
fn headers_of<M: Eventing + ProtoSchema>(
    event: &M,
    options: &RecordOptions,
) -> Result<Vec<(String, Vec<u8>)>, RecordError> {
    let fields = event.event_fields();
    let invalid = |path: &'static str, reason: String| RecordError::InvalidField {
        message: M::FULL_NAME,
        path,
        reason,
    };
    let mut headers = Vec::with_capacity(8);
    let mut put = |name: &str, value: Vec<u8>| headers.push((name.to_owned(), value));
    put(HEADER_SPECVERSION, SPEC_VERSION.as_bytes().to_vec());
    put(
        HEADER_ID,
        match text(fields.id) {
            Some(id) => id.as_bytes().to_vec(),
            None => crate::ids::uuid_v7().into_bytes(),
        },
    );
    put(HEADER_TYPE, M::STABLE_TYPE.as_bytes().to_vec());
    let source = match (text(fields.source), &options.source) {
        (Some(source), _) => source.as_bytes().to_vec(),
        (None, Some(source)) => source.as_bytes().to_vec(),
        (None, None) => default_source::<M>().into_bytes(),
    };
    if source.is_empty() {
        return Err(RecordError::Attributes(CloudEventError::EmptyAttribute {
            header: HEADER_SOURCE,
        }));
    }
    put(HEADER_SOURCE, source);
    if let Some(field) = fields.time {
        let time = field
            .value
            .to_rfc3339()
            .map_err(|e| invalid(field.path, e.to_string()))?;
        put(HEADER_TIME, time.into_bytes());
    }
    put(
        HEADER_CONTENT_TYPE,
        CONTENT_TYPE_PROTOBUF.as_bytes().to_vec(),
    );
    if let Some(field) = fields.traceparent.filter(|f| !f.value.is_empty()) {
        // Checked, then written as the event carries it.
        field
            .value
            .parse::<TraceParent>()
            .map_err(|e| invalid(field.path, e.to_string()))?;
        put(HEADER_TRACEPARENT, field.value.as_bytes().to_vec());
        if let Some(tracestate) = text(fields.tracestate) {
            put(HEADER_TRACESTATE, tracestate.as_bytes().to_vec());
        }
    }
    Ok(headers)
}
