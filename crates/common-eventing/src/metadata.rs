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
//! # Ok::<(), MetadataError>(())
//! ```
//!
//! What a valid envelope is (which fields are required, `schema_version` as
//! `vMAJOR.MINOR.PATCH`, `traceparent` in W3C form, ...) is the contract's, written
//! as `buf.validate` rules in the domain's `.proto` and checked by the generated
//! [`Validate`] impls: one source of truth, no rule written
//! twice. [`EnvelopeMetadataBuilder::build_into`] builds the domain's meta message and
//! checks it; `ameide_sre_proto::core::v1::SreMessageMeta::build` is that for the SRE
//! envelopes.

use std::fmt;

use crate::traceparent::TraceParent;
use crate::validate::{Validate, Violations};
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

/// Why [`EnvelopeMetadataBuilder::build`] or
/// [`build_into`](EnvelopeMetadataBuilder::build_into) refused the metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MetadataError {
    /// Never returned since the contract's rules moved to the `.proto`
    /// ([`MetadataError::Invalid`]); kept for one release.
    #[deprecated(note = "the contract is checked by `build_into`: MetadataError::Invalid")]
    Empty {
        /// The field: `tenant_id`, `producer`, `schema_version` or `message_id`.
        field: &'static str,
    },
    /// Never returned since the contract's rules moved to the `.proto`
    /// ([`MetadataError::Invalid`]); kept for one release.
    #[deprecated(note = "the contract is checked by `build_into`: MetadataError::Invalid")]
    InvalidSchemaVersion {
        /// The value given.
        found: String,
    },
    /// `occurred_at` is outside the range of a `Timestamp`.
    InvalidOccurredAt(RangeError),
    /// The domain's meta message breaks its `buf.validate` rules
    /// ([`EnvelopeMetadataBuilder::build_into`]); every violation names its field.
    Invalid(Violations),
}

impl fmt::Display for MetadataError {
    #[allow(deprecated)]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty { field } => write!(f, "envelope metadata: `{field}` is empty"),
            Self::InvalidSchemaVersion { found } => write!(
                f,
                "envelope metadata: schema_version {found:?} is not vMAJOR.MINOR.PATCH \
                 (e.g. v1.0.0, no leading zeros)"
            ),
            Self::InvalidOccurredAt(e) => write!(f, "envelope metadata: occurred_at: {e}"),
            Self::Invalid(v) => write!(f, "envelope metadata: {v}"),
        }
    }
}

impl std::error::Error for MetadataError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidOccurredAt(e) => Some(e),
            Self::Invalid(v) => Some(v),
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

    /// Fills `message_id` (new UUIDv7) and `occurred_at` (now) unless set explicitly.
    ///
    /// Fails only when an explicit `occurred_at` is out of a `Timestamp`'s range:
    /// whether the metadata keeps the contract is for the domain's rules to say
    /// ([`build_into`](Self::build_into)).
    pub fn build(self) -> Result<EnvelopeMetadata, MetadataError> {
        let Self {
            mut meta,
            message_id,
            occurred_at,
        } = self;
        meta.message_id = message_id.unwrap_or_else(crate::ids::uuid_v7);
        meta.occurred_at = match occurred_at {
            Some(at) => {
                at.validate().map_err(MetadataError::InvalidOccurredAt)?;
                at
            }
            None => Timestamp::now(),
        };
        Ok(meta)
    }

    /// [`build`](Self::build), then `into` the domain's meta message, checked against
    /// its `buf.validate` rules: a required field left empty, a `schema_version` that
    /// is not `vMAJOR.MINOR.PATCH` or a missing `traceparent` is
    /// [`MetadataError::Invalid`], naming every field.
    pub fn build_into<M: Validate>(
        self,
        into: impl FnOnce(&EnvelopeMetadata) -> M,
    ) -> Result<M, MetadataError> {
        let meta = into(&self.build()?);
        meta.validate().map_err(MetadataError::Invalid)?;
        Ok(meta)
    }
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
