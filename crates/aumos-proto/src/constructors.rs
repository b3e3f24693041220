//! Constructors that fill what every producer must: a fresh UUIDv7 id and the time.

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

/// Events that carry an `event_id` and a `tenant_id`: `new` fills a UUIDv7
/// `event_id`, the tenant and the event time (now); set the rest with struct update
/// syntax or field assignment.
pub trait NewEvent: Default {
    /// A new event for `tenant_id` with a fresh id and the current time.
    fn new_event(tenant_id: impl Into<String>) -> Self;
}

macro_rules! new_event {
    ($($ty:path => $time:ident),* $(,)?) => {$(
        impl NewEvent for $ty {
            fn new_event(tenant_id: impl Into<String>) -> Self {
                Self {
                    event_id: uuid_v7(),
                    tenant_id: tenant_id.into(),
                    $time: Some(Timestamp::now()),
                    ..Default::default()
                }
            }
        }
    )*
        /// Full names of the events with a `NewEvent` impl from this list.
        #[cfg(test)]
        fn listed_new_events() -> Vec<String> {
            vec![$(<$ty as prost::Name>::full_name()),*]
        }
    };
}

new_event! {
    crate::events::v1::AuditEvent => timestamp,
    crate::events::v1::FeatureFlagEvaluationEvent => timestamp,
    crate::events::v1::FeatureFlagChangeEvent => timestamp,
    crate::events::v1::GovernanceDecisionEvent => timestamp,
    crate::events::v1::LockAcquiredEvent => timestamp,
    crate::events::v1::LockReleasedEvent => timestamp,
    crate::events::v1::LockContentionEvent => timestamp,
    crate::events::v1::ModelLifecycleEvent => timestamp,
    crate::events::v1::CircuitBreakerEvent => timestamp,
    crate::events::v1::RateLimitEvent => timestamp,
    crate::events::v1::BulkheadEvent => timestamp,
    crate::events::v1::SecurityAlertEvent => timestamp,
    crate::events::v1::UsageMetricsEvent => timestamp,
    crate::agf::v1::WorkflowStarted => occurred_at,
    crate::agf::v1::WorkflowCompleted => occurred_at,
    crate::agf::v1::WorkflowFailed => occurred_at,
    crate::agf::v1::WorkflowPausedHitl => occurred_at,
    crate::agf::v1::AgentInvoked => occurred_at,
    crate::agf::v1::HitlApprovalRequested => occurred_at,
    crate::agf::v1::HitlApproved => occurred_at,
    crate::agf::v1::HitlRejected => occurred_at,
    crate::agf::v1::CircuitBreakerOpened => occurred_at,
    crate::agf::v1::CircuitBreakerClosed => occurred_at,
}

impl NewEvent for crate::events::v1::MeteringEvent {
    /// `timestamp_ms` is milliseconds since the Unix epoch.
    fn new_event(tenant_id: impl Into<String>) -> Self {
        let now = Timestamp::now();
        Self {
            event_id: uuid_v7(),
            tenant_id: tenant_id.into(),
            timestamp_ms: now.seconds * 1000 + i64::from(now.nanos / 1_000_000),
            ..Default::default()
        }
    }
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
    /// (a message, not an event: `AgentEnvelope::new`). A new event type without an
    /// impl fails here.
    #[cfg(feature = "serde")]
    #[test]
    fn every_event_has_a_constructor() {
        struct Names(Vec<String>);
        impl common_eventing::EventVisitor for Names {
            fn visit<M: common_eventing::Eventing + common_eventing::JsonMessage>(&mut self) {
                self.0.push(M::full_name());
            }
        }
        let mut events = Names(Vec::new());
        crate::events::v1::visit_events(&mut events);
        crate::agf::v1::visit_events(&mut events);
        let mut events: Vec<String> = events
            .0
            .into_iter()
            .filter(|n| n != "aumos.events.v1.AgentEnvelope")
            .collect();
        events.sort();
        let mut listed = listed_new_events();
        listed.push("aumos.events.v1.MeteringEvent".into());
        listed.sort();
        assert_eq!(listed, events);
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
