//! Envelope metadata and the schema version. The constructors and readers of the
//! envelopes (`SreDomainFact::new`, `fact_as`, `into_fact`, ...) are generated for
//! every message made of `meta`, `subject` and one oneof of messages
//! (`src/generated/*.envelopes.rs`, rule in `xtask/src/codegen/generators/envelopes.rs`).

#[cfg(feature = "envelope-metadata")]
use crate::core::v1::SreMessageMeta;
#[cfg(feature = "envelope-metadata")]
use common_eventing::EnvelopeMetadata;

/// The schema version stamped into `SreMessageMeta.schema_version` by this crate:
/// `v` + the crate version (additive changes bump the minor version).
pub const SCHEMA_VERSION: &str = concat!("v", env!("CARGO_PKG_VERSION"));

#[cfg(feature = "envelope-metadata")]
impl SreMessageMeta {
    /// Envelope metadata from the common builder (UUIDv7 `message_id`,
    /// `occurred_at`, schema version, tenant, producer, correlation, causation, trace
    /// context) plus who acted.
    pub fn from_metadata(meta: &EnvelopeMetadata, actor: crate::core::v1::Actor) -> Self {
        SreMessageMeta {
            message_id: meta.message_id.clone(),
            schema_version: meta.schema_version.clone(),
            tenant_id: meta.tenant_id.clone(),
            occurred_at: Some(meta.occurred_at),
            producer: meta.producer.clone(),
            correlation_id: meta.correlation_id.clone().unwrap_or_default(),
            causation_id: meta.causation_id.clone().unwrap_or_default(),
            traceparent: meta.traceparent.map(|t| t.to_string()).unwrap_or_default(),
            tracestate: meta.tracestate.clone().unwrap_or_default(),
            actor: Some(actor),
        }
    }

    /// Builds the metadata and checks it against the contract's rules (the
    /// `buf.validate` rules of `SreMessageMeta`, generated): a required field left
    /// empty, a malformed `schema_version` or `traceparent` is
    /// [`MetadataError::Invalid`](common_eventing::MetadataError::Invalid), naming the
    /// fields.
    ///
    /// ```
    /// use ameide_sre_proto::core::v1::{Actor, SreMessageMeta};
    /// use common_eventing::EnvelopeMetadata;
    /// use common_eventing::traceparent::TraceParent;
    ///
    /// let builder = || EnvelopeMetadata::builder("acme", "sre-agent", "v1.0.0").correlation_id("c-1");
    /// let meta = SreMessageMeta::build(builder().trace(TraceParent::generate(), None), Actor::default())?;
    /// assert_eq!(meta.tenant_id, "acme");
    ///
    /// // No trace context: the contract requires `traceparent`.
    /// let err = SreMessageMeta::build(builder(), Actor::default()).unwrap_err();
    /// assert_eq!(err.to_string(), "envelope metadata: traceparent: value is required [required]");
    /// # Ok::<(), common_eventing::MetadataError>(())
    /// ```
    pub fn build(
        builder: common_eventing::metadata::EnvelopeMetadataBuilder,
        actor: crate::core::v1::Actor,
    ) -> Result<Self, common_eventing::MetadataError> {
        builder.build_into(|meta| Self::from_metadata(meta, actor))
    }
}

#[cfg(all(test, feature = "envelope-metadata"))]
mod tests {
    use super::*;
    use crate::core::v1::{
        Actor, ActorKind, CreateIncidentRequested, IncidentCreated, IncidentResolved,
        SreDomainFact, SreDomainIntent, SreSubject, sre_domain_fact, sre_domain_intent,
    };
    use crate::process::v1::{
        IncidentTriageStarted, RemediationApplied, SreProcessFact, SreProcessSubject,
    };

    fn meta() -> SreMessageMeta {
        let common = EnvelopeMetadata::builder("acme", "sre-agent", SCHEMA_VERSION)
            .correlation_id("corr-1")
            .build()
            .unwrap();
        SreMessageMeta::from_metadata(
            &common,
            Actor {
                kind: ActorKind::Agent as i32,
                id: "triage-bot".into(),
            },
        )
    }

    #[test]
    fn fact_case_is_chosen_by_type_and_read_back() {
        let created = IncidentCreated {
            aggregate_version: 1,
            ..Default::default()
        };
        let envelope = SreDomainFact::new(meta(), SreSubject::default(), created.clone());
        assert!(matches!(
            envelope.fact,
            Some(sre_domain_fact::Fact::IncidentCreated(_))
        ));
        assert_eq!(envelope.fact_as::<IncidentCreated>(), Some(&created));
        assert_eq!(envelope.fact_as::<IncidentResolved>(), None);
        let envelope = envelope.into_fact::<IncidentResolved>().unwrap_err();
        assert_eq!(envelope.into_fact::<IncidentCreated>().unwrap(), created);
    }

    #[test]
    fn intents_and_process_facts() {
        let intent = SreDomainIntent::new(
            meta(),
            SreSubject::default(),
            CreateIncidentRequested::default(),
        );
        assert!(matches!(
            intent.intent,
            Some(sre_domain_intent::Intent::CreateIncidentRequested(_))
        ));
        assert!(intent.intent_as::<CreateIncidentRequested>().is_some());
        let process = SreProcessFact::new(
            meta(),
            SreProcessSubject::default(),
            IncidentTriageStarted::default(),
        );
        assert!(process.fact_as::<IncidentTriageStarted>().is_some());
        assert!(process.fact_as::<RemediationApplied>().is_none());
    }

    #[test]
    fn meta_from_common_metadata() {
        let m = meta();
        assert_eq!(m.tenant_id, "acme");
        assert_eq!(m.producer, "sre-agent");
        assert_eq!(m.schema_version, SCHEMA_VERSION);
        assert_eq!(m.correlation_id, "corr-1");
        assert_eq!(&m.message_id[14..15], "7", "UUIDv7");
        assert!(m.occurred_at.is_some());
        assert_eq!(m.actor.unwrap().id, "triage-bot");
        assert!(SCHEMA_VERSION.starts_with("v0."));
    }
}
