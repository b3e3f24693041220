//! `ENUM_VALUE_ENUM_PREFIX`: every value of every enum outside aiOS starts with the
//! enum's name in UPPER_SNAKE_CASE and `_` (`INCIDENT_STATUS_OPEN` in
//! `IncidentStatus`, `RUNBOOK_AUTOMATION_LEVEL_MANUAL` in `RunbookAutomationLevel`).
//!
//! buf's `ENUM_VALUE_PREFIX` says the same, but buf lint can be exempted per file in
//! `buf.yaml`; this rule has one exemption, fixed here: the aiOS packages (`aios.*`),
//! whose value names (`GOAL_PENDING`) are upstream's JSON (see proto/aios/README.md).

use super::{finding, own_files};
use crate::buf::Finding;
use prost_reflect::DescriptorPool;

/// Package prefixes exempt from the rule.
pub const EXEMPT_PACKAGE_PREFIXES: &[&str] = &["aios."];

/// The prefix every value of `enum_name` needs.
pub fn prefix(enum_name: &str) -> String {
    format!(
        "{}_",
        heck::ToShoutySnakeCase::to_shouty_snake_case(enum_name)
    )
}

/// Runs the rule.
pub fn check(pool: &DescriptorPool, out: &mut Vec<Finding>) {
    let files: Vec<String> = own_files(pool).map(|f| f.name().to_string()).collect();
    for descriptor in pool.all_enums() {
        let file = descriptor.parent_file();
        if !files.iter().any(|f| f == file.name())
            || EXEMPT_PACKAGE_PREFIXES
                .iter()
                .any(|p| descriptor.package_name().starts_with(p))
        {
            continue;
        }
        let prefix = prefix(descriptor.name());
        for value in descriptor.values() {
            if !value.name().starts_with(&prefix) {
                out.push(finding(
                    &file,
                    value.path(),
                    "ENUM_VALUE_ENUM_PREFIX",
                    format!(
                        "enum value {} of {} must start with {prefix:?}",
                        value.name(),
                        descriptor.full_name()
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn prefixes() {
        assert_eq!(super::prefix("IncidentStatus"), "INCIDENT_STATUS_");
        assert_eq!(super::prefix("SLOStatus"), "SLO_STATUS_");
        assert_eq!(super::prefix("Severity"), "SEVERITY_");
    }
}
