//! CloudEvents 1.0 Kafka protocol binding, binary content mode.
//!
//! The record value is the (framed) protobuf message; the event attributes travel as
//! Kafka headers: `ce_specversion`, `ce_id`, `ce_type`, `ce_source`, `ce_time`,
//! `ce_subject`, `content-type`, plus the W3C `traceparent` / `tracestate`. The type
//! is the message's [`Eventing::STABLE_TYPE`], so a consumer can tell what a record
//! holds before decoding it, and [`CloudEventAttributes::from_headers_for`] refuses a
//! record of another type.
//!
//! ```
//! use common_eventing::cloudevents::{CloudEventAttributes, CloudEventError};
//! use common_eventing::wkt::Timestamp;
//! # use common_eventing::Eventing;
//! # #[derive(Clone, PartialEq, prost::Message)]
//! # struct Started { #[prost(string, tag = "1")] id: String }
//! # impl prost::Name for Started {
//! #     const NAME: &'static str = "Started";
//! #     const PACKAGE: &'static str = "demo.v1";
//! # }
//! # common_eventing::encode_with_prost!(Started);
//! # impl Eventing for Started {
//! #     const STABLE_TYPE: &'static str = "demo.started.v1";
//! #     const SCHEMA_SUBJECT: &'static str = "demo.started-value";
//! #     const STREAM_REF: &'static str = "demo.started";
//! #     const PARTITION_KEY_FIELDS: &'static [&'static str] = &["id"];
//! #     const IDEMPOTENCY_KEY_FIELDS: &'static [&'static str] = &["id"];
//! #     fn partition_key_values(&self) -> Vec<String> { vec![self.id.clone()] }
//! #     fn idempotency_key_values(&self) -> Vec<String> { vec![self.id.clone()] }
//! # }
//!
//! // `Started` implements `Eventing` (generated), with STABLE_TYPE "demo.started.v1".
//! let attrs = CloudEventAttributes::new::<Started>("urn:ameide:demo-producer")
//!     .with_time("2024-05-01T12:00:00Z".parse::<Timestamp>()?)
//!     .with_subject("run-42");
//! let headers = attrs.to_headers()?;
//! assert!(headers.contains(&("ce_type".to_string(), b"demo.started.v1".to_vec())));
//! assert!(headers.contains(&("ce_time".to_string(), b"2024-05-01T12:00:00Z".to_vec())));
//!
//! let back = CloudEventAttributes::from_headers_for::<Started>(&headers)?;
//! assert_eq!(back, attrs);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use crate::Eventing;
use crate::metadata::EnvelopeMetadata;
use crate::traceparent::TraceParent;
use crate::wkt::{RangeError, Timestamp};

/// Kafka record headers: names and byte values, in order.
pub type KafkaHeaders = Vec<(String, Vec<u8>)>;

/// The CloudEvents version written and accepted.
pub const SPEC_VERSION: &str = "1.0";
/// `content-type` of a protobuf-encoded record value.
pub const CONTENT_TYPE_PROTOBUF: &str = "application/x-protobuf";

/// Header of the `specversion` attribute.
pub const HEADER_SPECVERSION: &str = "ce_specversion";
/// Header of the `id` attribute.
pub const HEADER_ID: &str = "ce_id";
/// Header of the `type` attribute.
pub const HEADER_TYPE: &str = "ce_type";
/// Header of the `source` attribute.
pub const HEADER_SOURCE: &str = "ce_source";
/// Header of the `time` attribute.
pub const HEADER_TIME: &str = "ce_time";
/// Header of the `subject` attribute.
pub const HEADER_SUBJECT: &str = "ce_subject";
/// Header of the `datacontenttype` attribute (no `ce_` prefix in this binding).
pub const HEADER_CONTENT_TYPE: &str = "content-type";
/// W3C trace context header.
pub const HEADER_TRACEPARENT: &str = "traceparent";
/// W3C trace state header.
pub const HEADER_TRACESTATE: &str = "tracestate";

/// The CloudEvents attributes of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudEventAttributes {
    /// `id`: unique per event within its source (a UUIDv7 by default).
    pub id: String,
    /// `source`: the producer, as a URI reference (e.g. `urn:ameide:sre-planner`).
    pub source: String,
    /// `type`: the message's [`Eventing::STABLE_TYPE`].
    pub event_type: String,
    /// `time`: when the occurrence happened (now by default).
    pub time: Option<Timestamp>,
    /// `subject`: what the event is about, within the source.
    pub subject: Option<String>,
    /// `datacontenttype`, written as `content-type` ([`CONTENT_TYPE_PROTOBUF`] by default).
    pub content_type: Option<String>,
    /// W3C `traceparent` of the producing span.
    pub traceparent: Option<TraceParent>,
    /// W3C `tracestate`, vendor data travelling with `traceparent`.
    pub tracestate: Option<String>,
}

/// Why attributes could not be written to or read from headers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CloudEventError {
    /// A required header is absent.
    MissingHeader {
        /// The header name, e.g. `ce_source`.
        header: &'static str,
    },
    /// A header appears more than once, so the attribute is ambiguous.
    DuplicateHeader {
        /// The header name.
        header: &'static str,
    },
    /// A header value is not UTF-8.
    InvalidUtf8 {
        /// The header name.
        header: &'static str,
    },
    /// A required attribute is empty.
    EmptyAttribute {
        /// The header name.
        header: &'static str,
    },
    /// `ce_specversion` is not `1.0`.
    UnsupportedSpecVersion {
        /// The version found.
        found: String,
    },
    /// `ce_time` is not an RFC 3339 time, or the time cannot be written as one.
    InvalidTime(RangeError),
    /// `ce_type` is not the type the caller expects.
    TypeMismatch {
        /// The expected [`Eventing::STABLE_TYPE`].
        expected: &'static str,
        /// The `ce_type` found.
        found: String,
    },
}

impl fmt::Display for CloudEventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingHeader { header } => write!(f, "missing CloudEvents header `{header}`"),
            Self::DuplicateHeader { header } => {
                write!(f, "CloudEvents header `{header}` appears more than once")
            }
            Self::InvalidUtf8 { header } => write!(f, "header `{header}` is not UTF-8"),
            Self::EmptyAttribute { header } => write!(f, "header `{header}` is empty"),
            Self::UnsupportedSpecVersion { found } => write!(
                f,
                "header `{HEADER_SPECVERSION}` is {found:?}, expected {SPEC_VERSION:?}"
            ),
            Self::InvalidTime(e) => write!(f, "header `{HEADER_TIME}`: {e}"),
            Self::TypeMismatch { expected, found } => write!(
                f,
                "header `{HEADER_TYPE}` is {found:?}, expected {expected:?}"
            ),
        }
    }
}

impl std::error::Error for CloudEventError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidTime(e) => Some(e),
            _ => None,
        }
    }
}

impl CloudEventAttributes {
    /// Attributes for a message of type `M` from `source`: a new UUIDv7 id, type
    /// `M::STABLE_TYPE`, time now, content type [`CONTENT_TYPE_PROTOBUF`].
    pub fn new<M: Eventing>(source: impl Into<String>) -> Self {
        Self {
            id: crate::ids::uuid_v7(),
            source: source.into(),
            event_type: M::STABLE_TYPE.to_owned(),
            time: Some(Timestamp::now()),
            subject: None,
            content_type: Some(CONTENT_TYPE_PROTOBUF.to_owned()),
            traceparent: None,
            tracestate: None,
        }
    }

    /// Attributes for a message of type `M` carrying `meta`: the id is its
    /// `message_id`, the time its `occurred_at`, the trace context its own, so a
    /// consumer deduplicating on either sees the same identity.
    pub fn for_envelope<M: Eventing>(meta: &EnvelopeMetadata, source: impl Into<String>) -> Self {
        Self {
            id: meta.message_id.clone(),
            time: Some(meta.occurred_at),
            traceparent: meta.traceparent,
            tracestate: meta.tracestate.clone(),
            ..Self::new::<M>(source)
        }
    }

    /// Replaces the generated id.
    pub fn with_id(self, id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            ..self
        }
    }

    /// Replaces the time (now by default).
    pub fn with_time(self, time: Timestamp) -> Self {
        Self {
            time: Some(time),
            ..self
        }
    }

    /// Sets the subject.
    pub fn with_subject(self, subject: impl Into<String>) -> Self {
        Self {
            subject: Some(subject.into()),
            ..self
        }
    }

    /// Sets the trace context.
    pub fn with_trace(self, traceparent: TraceParent, tracestate: Option<String>) -> Self {
        Self {
            traceparent: Some(traceparent),
            tracestate,
            ..self
        }
    }

    /// The Kafka headers of these attributes (`tracestate` only with a `traceparent`).
    ///
    /// Fails if `id`, `source` or the type is empty, or `time` is out of range.
    pub fn to_headers(&self) -> Result<KafkaHeaders, CloudEventError> {
        for (value, header) in [
            (&self.id, HEADER_ID),
            (&self.source, HEADER_SOURCE),
            (&self.event_type, HEADER_TYPE),
        ] {
            if value.is_empty() {
                return Err(CloudEventError::EmptyAttribute { header });
            }
        }
        let mut headers = KafkaHeaders::with_capacity(9);
        let mut put = |name: &str, value: &str| {
            headers.push((name.to_owned(), value.as_bytes().to_vec()));
        };
        put(HEADER_SPECVERSION, SPEC_VERSION);
        put(HEADER_ID, &self.id);
        put(HEADER_TYPE, &self.event_type);
        put(HEADER_SOURCE, &self.source);
        if let Some(time) = &self.time {
            put(
                HEADER_TIME,
                &time.to_rfc3339().map_err(CloudEventError::InvalidTime)?,
            );
        }
        if let Some(subject) = &self.subject {
            put(HEADER_SUBJECT, subject);
        }
        if let Some(content_type) = &self.content_type {
            put(HEADER_CONTENT_TYPE, content_type);
        }
        if let Some(traceparent) = &self.traceparent {
            put(HEADER_TRACEPARENT, &traceparent.to_string());
            if let Some(tracestate) = &self.tracestate {
                put(HEADER_TRACESTATE, tracestate);
            }
        }
        Ok(headers)
    }

    /// Reads the attributes from Kafka headers, whatever the event type.
    ///
    /// `ce_specversion` (`1.0`), `ce_id`, `ce_source` and `ce_type` are required and
    /// non-empty; `ce_time`, `ce_subject` and `content-type` (matched
    /// case-insensitively) are optional. Other headers, including CloudEvents
    /// extensions, are ignored. An invalid `traceparent` is dropped with its
    /// `tracestate`, as W3C Trace Context prescribes, rather than failing the record.
    pub fn from_headers<K: AsRef<str>, V: AsRef<[u8]>>(
        headers: &[(K, V)],
    ) -> Result<Self, CloudEventError> {
        let get = |header: &'static str| -> Result<Option<&str>, CloudEventError> {
            let mut found = headers.iter().filter(|(name, _)| {
                let name = name.as_ref();
                if header == HEADER_CONTENT_TYPE {
                    name.eq_ignore_ascii_case(header)
                } else {
                    name == header
                }
            });
            let Some((_, value)) = found.next() else {
                return Ok(None);
            };
            if found.next().is_some() {
                return Err(CloudEventError::DuplicateHeader { header });
            }
            std::str::from_utf8(value.as_ref())
                .map(Some)
                .map_err(|_| CloudEventError::InvalidUtf8 { header })
        };
        let required = |header: &'static str| -> Result<String, CloudEventError> {
            match get(header)? {
                None => Err(CloudEventError::MissingHeader { header }),
                Some("") => Err(CloudEventError::EmptyAttribute { header }),
                Some(value) => Ok(value.to_owned()),
            }
        };

        let spec_version = required(HEADER_SPECVERSION)?;
        if spec_version != SPEC_VERSION {
            return Err(CloudEventError::UnsupportedSpecVersion {
                found: spec_version,
            });
        }
        let id = required(HEADER_ID)?;
        let source = required(HEADER_SOURCE)?;
        let event_type = required(HEADER_TYPE)?;
        let time = get(HEADER_TIME)?
            .map(str::parse::<Timestamp>)
            .transpose()
            .map_err(CloudEventError::InvalidTime)?;
        let subject = get(HEADER_SUBJECT)?.map(str::to_owned);
        let content_type = get(HEADER_CONTENT_TYPE)?.map(str::to_owned);
        // Trace context is best effort: never a reason to reject a record.
        let traceparent = get(HEADER_TRACEPARENT)
            .ok()
            .flatten()
            .and_then(|v| v.parse::<TraceParent>().ok());
        let tracestate = traceparent
            .and(get(HEADER_TRACESTATE).ok().flatten())
            .map(str::to_owned);
        Ok(Self {
            id,
            source,
            event_type,
            time,
            subject,
            content_type,
            traceparent,
            tracestate,
        })
    }

    /// Like [`from_headers`](Self::from_headers), and checks that `ce_type` is
    /// `M::STABLE_TYPE`.
    pub fn from_headers_for<M: Eventing>(
        headers: &[(impl AsRef<str>, impl AsRef<[u8]>)],
    ) -> Result<Self, CloudEventError> {
        let attrs = Self::from_headers(headers)?;
        if attrs.event_type != M::STABLE_TYPE {
            return Err(CloudEventError::TypeMismatch {
                expected: M::STABLE_TYPE,
                found: attrs.event_type,
            });
        }
        Ok(attrs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::encode_with_prost!(Started, Finished);

    #[derive(Clone, PartialEq, prost::Message)]
    struct Started {
        #[prost(string, tag = "1")]
        id: String,
    }
    impl prost::Name for Started {
        const NAME: &'static str = "Started";
        const PACKAGE: &'static str = "demo.v1";
    }
    impl Eventing for Started {
        const STABLE_TYPE: &'static str = "demo.started.v1";
        const SCHEMA_SUBJECT: &'static str = "demo.started-value";
        const STREAM_REF: &'static str = "demo.started";
        const PARTITION_KEY_FIELDS: &'static [&'static str] = &["id"];
        const IDEMPOTENCY_KEY_FIELDS: &'static [&'static str] = &["id"];
        fn partition_key_values(&self) -> Vec<String> {
            vec![self.id.clone()]
        }
        fn idempotency_key_values(&self) -> Vec<String> {
            vec![self.id.clone()]
        }
    }

    #[derive(Clone, PartialEq, prost::Message)]
    struct Finished {}
    impl prost::Name for Finished {
        const NAME: &'static str = "Finished";
        const PACKAGE: &'static str = "demo.v1";
    }
    impl Eventing for Finished {
        const STABLE_TYPE: &'static str = "demo.finished.v1";
        const SCHEMA_SUBJECT: &'static str = "demo.finished-value";
        const STREAM_REF: &'static str = "demo.finished";
        const PARTITION_KEY_FIELDS: &'static [&'static str] = &[];
        const IDEMPOTENCY_KEY_FIELDS: &'static [&'static str] = &[];
        fn partition_key_values(&self) -> Vec<String> {
            vec![]
        }
        fn idempotency_key_values(&self) -> Vec<String> {
            vec![]
        }
    }

    const TP: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    fn header<'a>(headers: &'a [(String, Vec<u8>)], name: &str) -> Option<&'a str> {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| std::str::from_utf8(v).unwrap())
    }

    fn full() -> CloudEventAttributes {
        CloudEventAttributes::new::<Started>("urn:ameide:test")
            .with_id("evt-1")
            .with_time(Timestamp {
                seconds: 1_700_000_000,
                nanos: 500_000_000,
            })
            .with_subject("run-42")
            .with_trace(TP.parse().unwrap(), Some("vendor=abc".into()))
    }

    #[test]
    fn writes_the_binary_mode_headers() {
        let headers = full().to_headers().unwrap();
        let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "ce_specversion",
                "ce_id",
                "ce_type",
                "ce_source",
                "ce_time",
                "ce_subject",
                "content-type",
                "traceparent",
                "tracestate"
            ]
        );
        assert_eq!(header(&headers, "ce_specversion"), Some("1.0"));
        assert_eq!(header(&headers, "ce_id"), Some("evt-1"));
        assert_eq!(header(&headers, "ce_type"), Some("demo.started.v1"));
        assert_eq!(header(&headers, "ce_source"), Some("urn:ameide:test"));
        assert_eq!(
            header(&headers, "ce_time"),
            Some("2023-11-14T22:13:20.500Z")
        );
        assert_eq!(header(&headers, "ce_subject"), Some("run-42"));
        assert_eq!(
            header(&headers, "content-type"),
            Some("application/x-protobuf")
        );
        assert_eq!(header(&headers, "traceparent"), Some(TP));
        assert_eq!(header(&headers, "tracestate"), Some("vendor=abc"));
    }

    #[test]
    fn round_trips() {
        let attrs = full();
        let back = CloudEventAttributes::from_headers_for::<Started>(&attrs.to_headers().unwrap());
        assert_eq!(back, Ok(attrs));

        // Minimal attributes round trip too (optional ones stay absent).
        let minimal = CloudEventAttributes {
            time: None,
            content_type: None,
            ..CloudEventAttributes::new::<Started>("s")
        };
        let headers = minimal.to_headers().unwrap();
        assert_eq!(headers.len(), 4);
        assert_eq!(CloudEventAttributes::from_headers(&headers), Ok(minimal));
    }

    #[test]
    fn defaults_are_fresh_uuid_v7_and_now() {
        let before = Timestamp::now();
        let a = CloudEventAttributes::new::<Started>("s");
        let b = CloudEventAttributes::new::<Started>("s");
        let id = uuid::Uuid::parse_str(&a.id).unwrap();
        assert_eq!(id.get_version_num(), 7);
        assert_ne!(a.id, b.id);
        let t = a.time.unwrap();
        assert!((t.seconds, t.nanos) >= (before.seconds, before.nanos));
        assert_eq!(a.event_type, "demo.started.v1");
        assert_eq!(a.content_type.as_deref(), Some(CONTENT_TYPE_PROTOBUF));
    }

    #[test]
    fn type_mismatch_is_an_error() {
        let headers = full().to_headers().unwrap();
        let err = CloudEventAttributes::from_headers_for::<Finished>(&headers).unwrap_err();
        assert_eq!(
            err,
            CloudEventError::TypeMismatch {
                expected: "demo.finished.v1",
                found: "demo.started.v1".into()
            }
        );
        assert!(err.to_string().contains("demo.finished.v1"), "{err}");
        // The untyped reader accepts any type.
        assert!(CloudEventAttributes::from_headers(&headers).is_ok());
    }

    #[test]
    fn missing_required_headers_are_named() {
        for missing in [HEADER_SPECVERSION, HEADER_ID, HEADER_SOURCE, HEADER_TYPE] {
            let headers: Vec<_> = full()
                .to_headers()
                .unwrap()
                .into_iter()
                .filter(|(n, _)| n != missing)
                .collect();
            let err = CloudEventAttributes::from_headers(&headers).unwrap_err();
            assert_eq!(err, CloudEventError::MissingHeader { header: missing });
            assert!(err.to_string().contains(missing), "{err}");
        }
    }

    #[test]
    fn invalid_headers_are_named() {
        let with = |name: &str, value: &[u8]| -> Vec<(String, Vec<u8>)> {
            let mut headers = full().to_headers().unwrap();
            headers.iter_mut().find(|(n, _)| n == name).unwrap().1 = value.to_vec();
            headers
        };
        assert_eq!(
            CloudEventAttributes::from_headers(&with("ce_specversion", b"0.3")),
            Err(CloudEventError::UnsupportedSpecVersion {
                found: "0.3".into()
            })
        );
        assert_eq!(
            CloudEventAttributes::from_headers(&with("ce_source", b"\xff\xfe")),
            Err(CloudEventError::InvalidUtf8 {
                header: "ce_source"
            })
        );
        assert_eq!(
            CloudEventAttributes::from_headers(&with("ce_id", b"")),
            Err(CloudEventError::EmptyAttribute { header: "ce_id" })
        );
        assert!(matches!(
            CloudEventAttributes::from_headers(&with("ce_time", b"yesterday")),
            Err(CloudEventError::InvalidTime(_))
        ));
        let mut headers = full().to_headers().unwrap();
        headers.push(("ce_id".into(), b"evt-2".to_vec()));
        assert_eq!(
            CloudEventAttributes::from_headers(&headers),
            Err(CloudEventError::DuplicateHeader { header: "ce_id" })
        );
    }

    #[test]
    fn invalid_trace_context_is_dropped_not_fatal() {
        let mut headers = full().to_headers().unwrap();
        headers
            .iter_mut()
            .find(|(n, _)| n == "traceparent")
            .unwrap()
            .1 = b"00-00000000000000000000000000000000-00f067aa0ba902b7-01".to_vec();
        let attrs = CloudEventAttributes::from_headers(&headers).unwrap();
        assert_eq!(attrs.traceparent, None);
        assert_eq!(attrs.tracestate, None);
    }

    #[test]
    fn reads_borrowed_headers_and_any_content_type_case() {
        let headers: [(&str, &[u8]); 5] = [
            ("ce_specversion", b"1.0"),
            ("ce_id", b"x"),
            ("ce_source", b"/s"),
            ("ce_type", b"demo.started.v1"),
            ("Content-Type", b"application/x-protobuf"),
        ];
        let attrs = CloudEventAttributes::from_headers_for::<Started>(&headers).unwrap();
        assert_eq!(
            attrs.content_type.as_deref(),
            Some("application/x-protobuf")
        );
        assert_eq!(attrs.time, None);
    }

    #[test]
    fn writing_checks_required_attributes_and_time() {
        let no_source = CloudEventAttributes::new::<Started>("");
        assert_eq!(
            no_source.to_headers(),
            Err(CloudEventError::EmptyAttribute {
                header: "ce_source"
            })
        );
        let bad_time = CloudEventAttributes::new::<Started>("s").with_time(Timestamp {
            seconds: i64::MAX,
            nanos: 0,
        });
        assert!(matches!(
            bad_time.to_headers(),
            Err(CloudEventError::InvalidTime(_))
        ));
    }

    #[test]
    fn envelope_identity_carries_over() {
        let tp: TraceParent = TP.parse().unwrap();
        let meta = EnvelopeMetadata::builder("acme", "urn:ameide:test", "v1.0.0")
            .trace(tp, Some("k=v".into()))
            .build()
            .unwrap();
        let attrs = CloudEventAttributes::for_envelope::<Started>(&meta, "urn:ameide:test");
        assert_eq!(attrs.id, meta.message_id);
        assert_eq!(attrs.time, Some(meta.occurred_at));
        assert_eq!(attrs.traceparent, Some(tp));
        assert_eq!(attrs.tracestate.as_deref(), Some("k=v"));
        assert_eq!(attrs.event_type, "demo.started.v1");
    }
}
