//! The agent framework's privilege levels and human-in-the-loop gates.

use crate::agf::v1::{AgentInvoked, HitlGateConfig, PrivilegeLevel};

impl PrivilegeLevel {
    /// The lowest level that goes through a human-in-the-loop gate.
    pub const HITL_THRESHOLD: PrivilegeLevel = PrivilegeLevel::ExecuteRisky;

    /// Whether actions at this level need human approval: level 3
    /// (`EXECUTE_RISKY`) and above. `UNSPECIFIED` is treated as needing it.
    ///
    /// ```
    /// use aumos_proto::agf::v1::PrivilegeLevel;
    /// assert!(!PrivilegeLevel::ExecuteSafe.requires_hitl());
    /// assert!(PrivilegeLevel::ExecuteRisky.requires_hitl());
    /// assert!(PrivilegeLevel::SuperAdmin.requires_hitl());
    /// ```
    pub fn requires_hitl(self) -> bool {
        self == PrivilegeLevel::Unspecified || self as i32 >= Self::HITL_THRESHOLD as i32
    }

    /// The framework's numeric level (1–5; 0 when unspecified).
    pub fn level(self) -> i32 {
        self as i32
    }
}

impl AgentInvoked {
    /// Whether this invocation needs human approval (see
    /// [`PrivilegeLevel::requires_hitl`]); unknown levels are gated.
    pub fn requires_hitl(&self) -> bool {
        PrivilegeLevel::try_from(self.privilege_level).map_or(true, PrivilegeLevel::requires_hitl)
    }
}

impl HitlGateConfig {
    /// Approval timeout as a duration (`approval_timeout_hours`, clamped at zero).
    pub fn approval_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(
            u64::try_from(self.approval_timeout_hours).unwrap_or(0) * 3600,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_three_and_above_are_gated() {
        let gated: Vec<i32> = (0..=5)
            .filter(|l| PrivilegeLevel::try_from(*l).unwrap().requires_hitl())
            .collect();
        assert_eq!(gated, [0, 3, 4, 5]);
        let invoked = AgentInvoked {
            privilege_level: PrivilegeLevel::Admin as i32,
            ..Default::default()
        };
        assert!(invoked.requires_hitl());
        assert!(
            !AgentInvoked {
                privilege_level: 1,
                ..Default::default()
            }
            .requires_hitl()
        );
        assert!(
            AgentInvoked {
                privilege_level: 42,
                ..Default::default()
            }
            .requires_hitl()
        );
    }

    #[test]
    fn timeout_in_hours() {
        let gate = HitlGateConfig {
            approval_timeout_hours: 24,
            ..Default::default()
        };
        assert_eq!(gate.approval_timeout().as_secs(), 86_400);
        let negative = HitlGateConfig {
            approval_timeout_hours: -1,
            ..Default::default()
        };
        assert_eq!(negative.approval_timeout().as_secs(), 0);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn hitl_gate_config_parses_the_seed_document_unchanged() {
        let seed = r#"{"gate_name": "high_risk_action", "trigger_condition": "privilege_level >= 3",
 "approval_timeout_hours": 24, "escalation_policy": "notify_admin",
 "auto_reject_on_timeout": false}"#;
        let gate: HitlGateConfig = serde_json::from_str(seed).unwrap();
        assert_eq!(
            gate,
            HitlGateConfig {
                gate_name: "high_risk_action".into(),
                trigger_condition: "privilege_level >= 3".into(),
                approval_timeout_hours: 24,
                escalation_policy: "notify_admin".into(),
                auto_reject_on_timeout: false,
            }
        );
        // Re-emitted as canonical proto3 JSON (camelCase, defaults omitted); reading
        // it back gives the same configuration.
        let emitted = serde_json::to_string(&gate).unwrap();
        assert_eq!(
            emitted,
            r#"{"gateName":"high_risk_action","triggerCondition":"privilege_level >= 3","approvalTimeoutHours":24,"escalationPolicy":"notify_admin"}"#
        );
        assert_eq!(
            serde_json::from_str::<HitlGateConfig>(&emitted).unwrap(),
            gate
        );
    }
}
