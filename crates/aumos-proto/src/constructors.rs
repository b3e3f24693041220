//! Constructors that fill what every producer must: a fresh UUIDv7 id and the time.
//! The `NewEvent` impls are generated (`src/generated/*.constructors.rs`).

use crate::agf::v1::PrivilegeLevel;
use crate::events::v1::AgentEnvelope;
use common_eventing::ids::uuid_v7;
use common_eventing::wkt::Timestamp;

impl AgentEnvelope {
    /// A message from `source_agent_id` to `target_agent_id` for `tenant_id`, with a
    /// new UUIDv7 `message_id` and `created_at` = now. Payload, conversation and
    /// correlation ids, metadata and TTL are left for the caller to set.
    ///
    /// ```
    /// use aumos_proto::agf::v1::PrivilegeLevel;
    /// use aumos_proto::events::v1::AgentEnvelope;
    ///
    /// let envelope = AgentEnvelope::new("acme", "planner", "executor", "task.assign", PrivilegeLevel::ExecuteSafe);
    /// assert_eq!(envelope.privilege(), Some(PrivilegeLevel::ExecuteSafe));
    /// assert!(!envelope.requires_hitl());
    /// assert_eq!(&envelope.message_id[14..15], "7"); // UUIDv7
    /// ```
    pub fn new(
        tenant_id: impl Into<String>,
        source_agent_id: impl Into<String>,
        target_agent_id: impl Into<String>,
        message_type: impl Into<String>,
        privilege_level: PrivilegeLevel,
    ) -> Self {
        AgentEnvelope {
            message_id: uuid_v7(),
            tenant_id: tenant_id.into(),
            source_agent_id: source_agent_id.into(),
            target_agent_id: target_agent_id.into(),
            message_type: message_type.into(),
            privilege_level: privilege_level as i32,
            created_at: Some(Timestamp::now()),
            ..Default::default()
        }
    }
}

/// Events that carry an `event_id`, a `tenant_id` and a time field: `new_event` fills
/// a UUIDv7 `event_id`, the tenant and the event time (now); set the rest with struct
/// update syntax or field assignment.
///
/// `cargo xtask codegen` implements it for every event message (eventing option) with
/// a `string event_id`, a `string tenant_id` and a time field (`Timestamp timestamp`
/// or `occurred_at`, or `int64 timestamp_ms`); the rule is in
/// `xtask/src/codegen/generators/constructors.rs`, nothing is listed by hand.
pub trait NewEvent: Default {
    /// A new event for `tenant_id` with a fresh id and the current time.
    fn new_event(tenant_id: impl Into<String>) -> Self;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agf::v1::WorkflowStarted;
    use crate::events::v1::{AuditEvent, MeteringEvent};

    #[test]
    fn new_events_have_fresh_v7_ids_and_now() {
        let before = Timestamp::now();
        let a = AuditEvent::new_event("acme");
        let b = AuditEvent::new_event("acme");
        assert_ne!(a.event_id, b.event_id);
        assert!(a.event_id < b.event_id, "UUIDv7 ids sort by creation");
        assert_eq!(&a.event_id[14..15], "7");
        assert_eq!(a.tenant_id, "acme");
        assert!(a.timestamp.unwrap().seconds >= before.seconds);
        let w = WorkflowStarted::new_event("t");
        assert!(w.occurred_at.is_some() && !w.event_id.is_empty());
        let m = MeteringEvent::new_event("t");
        assert!((m.timestamp_ms / 1000 - before.seconds).abs() <= 5);
    }

    /// Every event of the crate can be made with `new_event`, except `AgentEnvelope`
    /// (a message, not an event: `AgentEnvelope::new`): the events of both packages,
    /// counted through the generated visitor, and one of each time-field kind built.
    #[cfg(feature = "serde")]
    #[test]
    fn every_event_but_the_envelope_has_an_id_tenant_and_time() {
        struct Names(Vec<String>);
        impl common_eventing::EventVisitor for Names {
            fn visit<M: common_eventing::Eventing + common_eventing::JsonMessage>(&mut self) {
                self.0.push(M::full_name());
            }
        }
        let mut events = Names(Vec::new());
        crate::events::v1::visit_events(&mut events);
        crate::agf::v1::visit_events(&mut events);
        assert!(
            events.0.len() >= 25,
            "the visitor found {} events",
            events.0.len()
        );
        let set =
            <prost_types::FileDescriptorSet as prost::Message>::decode(crate::FILE_DESCRIPTOR_SET)
                .unwrap();
        for name in events
            .0
            .iter()
            .filter(|n| *n != "aumos.events.v1.AgentEnvelope")
        {
            let (package, message) = name.rsplit_once('.').unwrap();
            let descriptor = set
                .file
                .iter()
                .filter(|f| f.package() == package)
                .flat_map(|f| &f.message_type)
                .find(|m| m.name() == message)
                .unwrap();
            let fields: Vec<&str> = descriptor.field.iter().map(|f| f.name()).collect();
            assert!(
                fields.contains(&"event_id") && fields.contains(&"tenant_id"),
                "{name}"
            );
            assert!(
                ["timestamp", "occurred_at", "timestamp_ms"]
                    .iter()
                    .any(|t| fields.contains(t)),
                "{name}"
            );
        }
        let _ = (
            crate::events::v1::SecurityAlertEvent::new_event("t"),
            crate::agf::v1::HitlRejected::new_event("t"),
            crate::events::v1::RateLimitEvent::new_event("t"),
        );
    }

    #[test]
    fn envelope_privilege() {
        let mut e = AgentEnvelope::new("t", "a", "b", "x", PrivilegeLevel::ExecuteRisky);
        assert_eq!(e.privilege_level, 3);
        assert!(e.requires_hitl());
        e.privilege_level = 2;
        assert!(!e.requires_hitl());
        e.privilege_level = 9;
        assert_eq!(e.privilege(), None);
        assert!(e.requires_hitl(), "unknown levels are gated");
    }
}
