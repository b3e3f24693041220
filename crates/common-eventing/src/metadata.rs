//! Envelope metadata: the identity, time, version, tenancy and trace context every
//! event message carries, filled consistently by one builder.
//!
//! [`EnvelopeMetadata`] does not depend on any domain's `meta` message; each domain
//! copies its fields into its own envelope. New message ids are UUIDv7, so they sort
//! by creation time (and do within a process even in the same millisecond).
//!
//! ```
//! use common_eventing::metadata::{EnvelopeMetadata, MetadataError};
//! use common_eventing::traceparent::TraceParent;
//!
//! let meta = EnvelopeMetadata::builder("acme", "urn:ameide:sre-planner", "v1.2.0")
//!     .correlation_id("incident-42")
//!     .causation_id("0190f1c2-0000-7000-8000-000000000000")
//!     .trace(TraceParent::generate(), None)
//!     .build()?;
//! assert_eq!(meta.message_id.len(), 36);
//! assert_eq!(meta.tenant_id, "acme");
//!
//! let err = EnvelopeMetadata::builder("acme", "urn:ameide:sre-planner", "1.2").build();
//! assert_eq!(err, Err(MetadataError::InvalidSchemaVersion { found: "1.2".into() }));
//! # Ok::<(), MetadataError>(())
//! ```

use std::fmt;

use crate::traceparent::TraceParent;
use crate::wkt::{RangeError, Timestamp};

/// Envelope metadata of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvelopeMetadata {
    /// Unique id of this message (a hyphenated UUIDv7 unless set explicitly).
    pub message_id: String,
    /// When the occurrence happened (now unless set explicitly).
    pub occurred_at: Timestamp,
    /// Version of the message schema, `vMAJOR.MINOR.PATCH`.
    pub schema_version: String,
    /// Tenant the message belongs to.
    pub tenant_id: String,
    /// Producing service (e.g. its URI).
    pub producer: String,
    /// Id shared by every message of one business flow.
    pub correlation_id: Option<String>,
    /// Id of the message that caused this one.
    pub causation_id: Option<String>,
    /// W3C trace context of the producing span.
    pub traceparent: Option<TraceParent>,
    /// W3C `tracestate` travelling with [`traceparent`](Self::traceparent).
    pub tracestate: Option<String>,
}

/// Builder of [`EnvelopeMetadata`]; see [`EnvelopeMetadata::builder`].
#[derive(Debug, Clone)]
#[must_use = "call .build() to get the metadata"]
pub struct EnvelopeMetadataBuilder {
    meta: EnvelopeMetadata,
    message_id: Option<String>,
    occurred_at: Option<Timestamp>,
}

/// Why [`EnvelopeMetadataBuilder::build`] refused the metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MetadataError {
    /// A required field is empty.
    Empty {
        /// The field: `tenant_id`, `producer`, `schema_version` or `message_id`.
        field: &'static str,
    },
    /// `schema_version` is not `vMAJOR.MINOR.PATCH`.
    InvalidSchemaVersion {
        /// The value given.
        found: String,
    },
    /// `occurred_at` is outside the range of a `Timestamp`.
    InvalidOccurredAt(RangeError),
}

impl fmt::Display for MetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty { field } => write!(f, "envelope metadata: `{field}` is empty"),
            Self::InvalidSchemaVersion { found } => write!(
                f,
                "envelope metadata: schema_version {found:?} is not vMAJOR.MINOR.PATCH \
                 (e.g. v1.0.0, no leading zeros)"
            ),
            Self::InvalidOccurredAt(e) => write!(f, "envelope metadata: occurred_at: {e}"),
        }
    }
}

impl std::error::Error for MetadataError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidOccurredAt(e) => Some(e),
            _ => None,
        }
    }
}

impl EnvelopeMetadata {
    /// Starts metadata for a message of `tenant_id` from `producer`, in schema
    /// version `schema_version` (`vMAJOR.MINOR.PATCH`).
    pub fn builder(
        tenant_id: impl Into<String>,
        producer: impl Into<String>,
        schema_version: impl Into<String>,
    ) -> EnvelopeMetadataBuilder {
        EnvelopeMetadataBuilder {
            meta: EnvelopeMetadata {
                message_id: String::new(),
                occurred_at: Timestamp::default(),
                schema_version: schema_version.into(),
                tenant_id: tenant_id.into(),
                producer: producer.into(),
                correlation_id: None,
                causation_id: None,
                traceparent: None,
                tracestate: None,
            },
            message_id: None,
            occurred_at: None,
        }
    }
}

impl EnvelopeMetadataBuilder {
    /// Sets the correlation id (shared by every message of one flow).
    pub fn correlation_id(mut self, id: impl Into<String>) -> Self {
        self.meta.correlation_id = Some(id.into());
        self
    }

    /// Sets the causation id (the message this one answers or follows from).
    pub fn causation_id(mut self, id: impl Into<String>) -> Self {
        self.meta.causation_id = Some(id.into());
        self
    }

    /// Sets the trace context of the producing span.
    pub fn trace(mut self, traceparent: TraceParent, tracestate: Option<String>) -> Self {
        self.meta.traceparent = Some(traceparent);
        self.meta.tracestate = tracestate;
        self
    }

    /// Uses this message id instead of a new UUIDv7 (e.g. when re-emitting a message).
    pub fn message_id(mut self, id: impl Into<String>) -> Self {
        self.message_id = Some(id.into());
        self
    }

    /// Uses this time instead of now.
    pub fn occurred_at(mut self, at: Timestamp) -> Self {
        self.occurred_at = Some(at);
        self
    }

    /// Validates and fills `message_id` (new UUIDv7) and `occurred_at` (now) unless
    /// set explicitly.
    ///
    /// Fails when `tenant_id`, `producer`, `schema_version` or an explicit
    /// `message_id` is empty, `schema_version` is not `vN.N.N` (digits without
    /// leading zeros), or an explicit `occurred_at` is out of range.
    pub fn build(self) -> Result<EnvelopeMetadata, MetadataError> {
        let Self {
            mut meta,
            message_id,
            occurred_at,
        } = self;
        for (value, field) in [
            (&meta.tenant_id, "tenant_id"),
            (&meta.producer, "producer"),
            (&meta.schema_version, "schema_version"),
        ] {
            if value.is_empty() {
                return Err(MetadataError::Empty { field });
            }
        }
        if !is_schema_version(&meta.schema_version) {
            return Err(MetadataError::InvalidSchemaVersion {
                found: meta.schema_version,
            });
        }
        meta.message_id = match message_id {
            Some(id) if id.is_empty() => {
                return Err(MetadataError::Empty {
                    field: "message_id",
                });
            }
            Some(id) => id,
            None => crate::ids::uuid_v7(),
        };
        meta.occurred_at = match occurred_at {
            Some(at) => {
                at.validate().map_err(MetadataError::InvalidOccurredAt)?;
                at
            }
            None => Timestamp::now(),
        };
        Ok(meta)
    }
}

/// `v` followed by three dot-separated non-negative integers without leading zeros.
fn is_schema_version(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('v') else {
        return false;
    };
    let parts: Vec<&str> = rest.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes().all(|c| c.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder() -> EnvelopeMetadataBuilder {
        EnvelopeMetadata::builder("acme", "urn:ameide:test", "v1.0.0")
    }

    #[test]
    fn fills_uuid_v7_and_now() {
        let before = Timestamp::now();
        let meta = builder().build().unwrap();
        let after = Timestamp::now();
        let id = uuid::Uuid::parse_str(&meta.message_id).unwrap();
        assert_eq!(id.get_version_num(), 7);
        // Version nibble in the canonical text form.
        assert_eq!(meta.message_id.as_bytes()[14], b'7');
        assert_eq!(meta.message_id, meta.message_id.to_lowercase());
        let at = (meta.occurred_at.seconds, meta.occurred_at.nanos);
        assert!((before.seconds, before.nanos) <= at && at <= (after.seconds, after.nanos));
        assert_eq!(meta.schema_version, "v1.0.0");
        assert_eq!(meta.tenant_id, "acme");
        assert_eq!(meta.producer, "urn:ameide:test");
        assert_eq!(meta.correlation_id, None);
        assert_eq!(meta.traceparent, None);
    }

    #[test]
    fn ids_in_sequence_sort_ascending() {
        let ids: Vec<String> = (0..1000)
            .map(|_| builder().build().unwrap().message_id)
            .collect();
        for pair in ids.windows(2) {
            assert!(pair[0] < pair[1], "{} !< {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn takes_correlation_causation_and_trace() {
        let tp = TraceParent::generate();
        let meta = builder()
            .correlation_id("corr")
            .causation_id("cause")
            .trace(tp, Some("a=b".into()))
            .message_id("fixed")
            .occurred_at(Timestamp {
                seconds: 1_700_000_000,
                nanos: 0,
            })
            .build()
            .unwrap();
        assert_eq!(meta.correlation_id.as_deref(), Some("corr"));
        assert_eq!(meta.causation_id.as_deref(), Some("cause"));
        assert_eq!(meta.traceparent, Some(tp));
        assert_eq!(meta.tracestate.as_deref(), Some("a=b"));
        assert_eq!(meta.message_id, "fixed");
        assert_eq!(meta.occurred_at.seconds, 1_700_000_000);
    }

    #[test]
    fn rejects_empty_required_fields() {
        let empty = |t: &str, p: &str, v: &str| EnvelopeMetadata::builder(t, p, v).build();
        assert_eq!(
            empty("", "p", "v1.0.0"),
            Err(MetadataError::Empty { field: "tenant_id" })
        );
        assert_eq!(
            empty("t", "", "v1.0.0"),
            Err(MetadataError::Empty { field: "producer" })
        );
        assert_eq!(
            empty("t", "p", ""),
            Err(MetadataError::Empty {
                field: "schema_version"
            })
        );
        assert_eq!(
            builder().message_id("").build(),
            Err(MetadataError::Empty {
                field: "message_id"
            })
        );
    }

    #[test]
    fn validates_schema_version() {
        for good in ["v1.0.0", "v0.0.1", "v10.20.30"] {
            assert!(
                EnvelopeMetadata::builder("t", "p", good).build().is_ok(),
                "{good}"
            );
        }
        for bad in [
            "1.0.0",
            "v1.0",
            "v1.0.0.0",
            "v1..0",
            "V1.0.0",
            "v1.0.0-rc1",
            "v01.0.0",
            "v1.0.x",
            "v",
            " v1.0.0",
        ] {
            let err = EnvelopeMetadata::builder("t", "p", bad)
                .build()
                .unwrap_err();
            assert_eq!(
                err,
                MetadataError::InvalidSchemaVersion { found: bad.into() },
                "{bad}"
            );
            assert!(err.to_string().contains(bad), "{err}");
        }
    }

    #[test]
    fn rejects_out_of_range_time() {
        let err = builder()
            .occurred_at(Timestamp {
                seconds: 0,
                nanos: -1,
            })
            .build()
            .unwrap_err();
        assert!(matches!(err, MetadataError::InvalidOccurredAt(_)), "{err}");
    }
}
