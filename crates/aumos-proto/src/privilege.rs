//! The agent framework's privilege levels and human-in-the-loop gates.

use crate::agf::v1::{AgentInvoked, HitlGateConfig, PrivilegeLevel};
use crate::events::v1::AgentEnvelope;

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

impl AgentEnvelope {
    /// The envelope's `privilege_level` (an `int32` on the wire, holding the
    /// framework's level 1–5) as a [`PrivilegeLevel`]; `None` for values outside it.
    pub fn privilege(&self) -> Option<PrivilegeLevel> {
        PrivilegeLevel::try_from(self.privilege_level)
            .ok()
            .filter(|p| *p != PrivilegeLevel::Unspecified)
    }

    /// Whether acting on this envelope needs a human-in-the-loop approval. Unknown
    /// levels are treated as requiring one.
    pub fn requires_hitl(&self) -> bool {
        self.privilege().is_none_or(PrivilegeLevel::requires_hitl)
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

#[cfg(feature = "serde")]
impl HitlGateConfig {
    /// The framework's own document form: snake_case keys and every field present,
    /// defaults included (the shape of its configuration files). Canonical proto3 JSON
    /// (`serde_json::to_value`) is camelCase and omits defaults; both parse back.
    ///
    /// ```
    /// use aumos_proto::agf::v1::HitlGateConfig;
    ///
    /// let seed = r#"{"gate_name": "high_risk_action", "trigger_condition": "privilege_level >= 3",
    ///  "approval_timeout_hours": 24, "escalation_policy": "notify_admin",
    ///  "auto_reject_on_timeout": false}"#;
    /// let gate: HitlGateConfig = serde_json::from_str(seed).unwrap();
    /// let again: serde_json::Value = serde_json::from_str(seed).unwrap();
    /// assert_eq!(gate.to_document(), again); // the same document, key for key
    /// ```
    pub fn to_document(&self) -> serde_json::Value {
        serde_json::json!({
            "gate_name": self.gate_name,
            "trigger_condition": self.trigger_condition,
            "approval_timeout_hours": self.approval_timeout_hours,
            "escalation_policy": self.escalation_policy,
            "auto_reject_on_timeout": self.auto_reject_on_timeout,
        })
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
        // The document form re-emits the seed unchanged, key for key.
        let seed_value: serde_json::Value = serde_json::from_str(seed).unwrap();
        assert_eq!(gate.to_document(), seed_value);
        assert_eq!(
            serde_json::from_value::<HitlGateConfig>(gate.to_document()).unwrap(),
            gate
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn document_form_has_every_field_of_the_descriptor() {
        use prost::Message;
        let set = prost_types::FileDescriptorSet::decode(crate::FILE_DESCRIPTOR_SET).unwrap();
        let message = set
            .file
            .iter()
            .flat_map(|f| &f.message_type)
            .find(|m| m.name() == "HitlGateConfig")
            .unwrap();
        let mut declared: Vec<&str> = message.field.iter().map(|f| f.name()).collect();
        declared.sort_unstable();
        let document = HitlGateConfig::default().to_document();
        let mut emitted: Vec<&str> = document
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        emitted.sort_unstable();
        assert_eq!(emitted, declared, "to_document must list every field");
    }
}
