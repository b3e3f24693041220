//! Every event type's generated `Eventing` impl returns what the catalog documents
//! (docs/generated/eventing-catalog.json, written by `cargo xtask codegen` from the
//! .proto options), and its keys read the documented field paths.

use common_eventing::{EventVisitor, Eventing, KEY_SEPARATOR};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

#[derive(serde::Deserialize)]
struct Entry {
    stream_ref: String,
    message: String,
    stable_type: String,
    schema_subject: String,
    partition_key_fields: Vec<String>,
    idempotency_key_fields: Vec<String>,
}

fn catalog() -> BTreeMap<String, Entry> {
    let path = interop_tests::workspace_root().join("docs/generated/eventing-catalog.json");
    let entries: Vec<Entry> = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    entries
        .into_iter()
        .map(|e| (e.message.clone(), e))
        .collect()
}

/// Sets `value` at a dot-separated proto field path of a JSON object.
fn set_path(object: &mut Map<String, Value>, path: &str, value: &str) {
    match path.split_once('.') {
        None => {
            object.insert(path.to_string(), json!(value));
        }
        Some((head, rest)) => {
            let child = object.entry(head).or_insert_with(|| json!({}));
            set_path(child.as_object_mut().unwrap(), rest, value);
        }
    }
}

/// Streams the contract sheets name (shared/contracts: aumos.md, aumos-agent-framework.md,
/// ameide-sre.md), independent of the .proto options the catalog is generated from.
const FROM_THE_SHEETS: &[(&str, &str)] = &[
    ("aumos.events.v1.AgentEnvelope", "aumos.agents.envelope"),
    (
        "aumos.events.v1.ModelLifecycleEvent",
        "aumos.models.lifecycle",
    ),
    (
        "aumos.events.v1.GovernanceDecisionEvent",
        "aumos.governance.decision",
    ),
    ("aumos.events.v1.SecurityAlertEvent", "aumos.security.alert"),
    ("aumos.events.v1.MeteringEvent", "aumos.metering.usage"),
    ("aumos.agf.v1.WorkflowStarted", "agf.workflow.started"),
    ("aumos.agf.v1.WorkflowCompleted", "agf.workflow.completed"),
    ("aumos.agf.v1.WorkflowFailed", "agf.workflow.failed"),
    (
        "aumos.agf.v1.WorkflowPausedHitl",
        "agf.workflow.paused_hitl",
    ),
    ("aumos.agf.v1.AgentInvoked", "agf.agent.invoked"),
    (
        "aumos.agf.v1.HitlApprovalRequested",
        "agf.hitl.approval_requested",
    ),
    ("aumos.agf.v1.HitlApproved", "agf.hitl.approved"),
    ("aumos.agf.v1.HitlRejected", "agf.hitl.rejected"),
    (
        "aumos.agf.v1.CircuitBreakerOpened",
        "agf.circuit_breaker.opened",
    ),
    (
        "aumos.agf.v1.CircuitBreakerClosed",
        "agf.circuit_breaker.closed",
    ),
    (
        "ameide_core_proto.sre.core.v1.SreDomainIntent",
        "sre.domain.intents.v1",
    ),
    (
        "ameide_core_proto.sre.core.v1.SreDomainFact",
        "sre.domain.facts.v1",
    ),
    (
        "ameide_core_proto.sre.process.v1.SreProcessFact",
        "sre.process.facts.v1",
    ),
];

/// Keys the sheets name: AumOS and agent-framework records are keyed by tenant and
/// deduplicated by event id (the envelope by message id); SRE envelopes as listed.
fn keys_from_the_sheets(message: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match message {
        "aumos.events.v1.AgentEnvelope" => (&["tenant_id"], &["message_id"]),
        "ameide_core_proto.sre.process.v1.SreProcessFact" => (
            &["meta.tenant_id", "subject.workflow_id"],
            &["meta.message_id"],
        ),
        m if m.starts_with("ameide_core_proto.sre.") => (
            &["meta.tenant_id", "subject.aggregate_id"],
            &["meta.message_id"],
        ),
        _ => (&["tenant_id"], &["event_id"]),
    }
}

struct Check {
    catalog: BTreeMap<String, Entry>,
    seen: Vec<String>,
}

impl EventVisitor for Check {
    fn visit<M: Eventing + common_eventing::JsonMessage>(&mut self) {
        let name = M::full_name();
        let entry = self
            .catalog
            .get(&name)
            .unwrap_or_else(|| panic!("{name} is not in the catalog"));
        assert_eq!(M::STREAM_REF, entry.stream_ref, "{name}");
        assert_eq!(M::STABLE_TYPE, entry.stable_type, "{name}");
        assert_eq!(M::SCHEMA_SUBJECT, entry.schema_subject, "{name}");
        assert_eq!(
            M::SCHEMA_SUBJECT,
            format!("{}-value", M::STREAM_REF),
            "{name}"
        );
        assert_eq!(
            M::PARTITION_KEY_FIELDS,
            entry.partition_key_fields,
            "{name}"
        );
        assert_eq!(
            M::IDEMPOTENCY_KEY_FIELDS,
            entry.idempotency_key_fields,
            "{name}"
        );
        // Against the contract sheets, not only the generated catalog.
        if let Some((_, stream)) = FROM_THE_SHEETS.iter().find(|(m, _)| *m == name) {
            assert_eq!(
                M::STREAM_REF,
                *stream,
                "{name}: stream differs from the contract sheet"
            );
        }
        let (partition, idempotency) = keys_from_the_sheets(&name);
        assert_eq!(
            M::PARTITION_KEY_FIELDS,
            partition,
            "{name}: partition key vs the sheet"
        );
        assert_eq!(
            M::IDEMPOTENCY_KEY_FIELDS,
            idempotency,
            "{name}: idempotency key vs the sheet"
        );

        // A message with a distinct value at every key path, built through proto3
        // JSON (snake_case names), so the keys must come from exactly those fields.
        let mut object = Map::new();
        let mut expect = |paths: &[&str], tag: &str| -> String {
            let values: Vec<String> = paths.iter().map(|p| format!("{tag}-{p}")).collect();
            for (p, v) in paths.iter().zip(&values) {
                set_path(&mut object, p, v);
            }
            values.join(KEY_SEPARATOR)
        };
        let partition = expect(M::PARTITION_KEY_FIELDS, "pk");
        let idempotency = expect(M::IDEMPOTENCY_KEY_FIELDS, "ik");
        let message: M = serde_json::from_value(Value::Object(object.clone()))
            .unwrap_or_else(|e| panic!("{name}: {e} in {}", Value::Object(object.clone())));
        assert_eq!(message.partition_key(), partition, "{name}");
        assert_eq!(message.idempotency_key(), idempotency, "{name}");
        // An empty message yields empty values, never a panic.
        assert_eq!(
            M::default().partition_key_values().len(),
            M::PARTITION_KEY_FIELDS.len()
        );
        self.seen.push(name);
    }
}

#[test]
fn every_event_type_matches_the_catalog_and_reads_its_key_paths() {
    let mut check = Check {
        catalog: catalog(),
        seen: Vec::new(),
    };
    aumos_proto::events::v1::visit_events(&mut check);
    aumos_proto::agf::v1::visit_events(&mut check);
    ameide_sre_proto::core::v1::visit_events(&mut check);
    ameide_sre_proto::process::v1::visit_events(&mut check);
    check.seen.sort();
    let documented: Vec<String> = check.catalog.keys().cloned().collect();
    assert_eq!(
        check.seen, documented,
        "catalog entries without an Eventing impl, or the reverse"
    );
    assert_eq!(check.seen.len(), 28);
    for (message, _) in FROM_THE_SHEETS {
        assert!(
            check.seen.iter().any(|s| s == message),
            "{message} has no Eventing impl"
        );
    }
}

#[test]
fn documented_aumos_topics_and_sre_streams() {
    use ameide_sre_proto::core::v1::{SreDomainFact, SreDomainIntent};
    use ameide_sre_proto::process::v1::SreProcessFact;
    use aumos_proto::agf::v1::{AgentInvoked, WorkflowStarted};
    use aumos_proto::events::v1::{AgentEnvelope, AuditEvent};
    assert_eq!(AgentEnvelope::STREAM_REF, "aumos.agents.envelope");
    assert_eq!(AgentEnvelope::IDEMPOTENCY_KEY_FIELDS, ["message_id"]);
    assert_eq!(AuditEvent::SCHEMA_SUBJECT, "aumos.audit.events-value");
    assert_eq!(WorkflowStarted::STREAM_REF, "agf.workflow.started");
    assert_eq!(AgentInvoked::PARTITION_KEY_FIELDS, ["tenant_id"]);
    assert_eq!(SreDomainFact::STABLE_TYPE, "ameide.sre.domain.fact.v1");
    assert_eq!(SreDomainFact::STREAM_REF, "sre.domain.facts.v1");
    assert_eq!(SreDomainIntent::STREAM_REF, "sre.domain.intents.v1");
    assert_eq!(
        SreProcessFact::PARTITION_KEY_FIELDS,
        ["meta.tenant_id", "subject.workflow_id"]
    );
    assert_eq!(
        SreDomainFact::PARTITION_KEY_FIELDS,
        ["meta.tenant_id", "subject.aggregate_id"]
    );
    assert_eq!(SreDomainIntent::IDEMPOTENCY_KEY_FIELDS, ["meta.message_id"]);
}
