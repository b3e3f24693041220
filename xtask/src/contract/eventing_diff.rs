//! The custom options buf does not compare: the eventing option
//! (`EVENTING_OPTION_SAME`) and the MCP expose option (`MCP_TOOL_SAME`) of every
//! released message and rpc.

use super::Contract;
use crate::buf::Finding;
use crate::codegen::ident::package_of;

/// `EVENTING_OPTION_SAME` findings: every message of the contract that was released
/// with the eventing option keeps it, with the same stable type, stream, subject and
/// key paths (consumers route, deduplicate and look up schemas by them).
pub fn eventing_changes(
    released: &[crate::codegen::generators::eventing::EventSpec],
    current: &[crate::codegen::generators::eventing::EventSpec],
    contract: &Contract,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for before in released
        .iter()
        .filter(|s| contract.owns(package_of(&s.message)))
    {
        let Some(now) = current.iter().find(|s| s.message == before.message) else {
            if current.iter().all(|s| s.file != before.file) {
                continue; // the message is gone: buf reports the deletion
            }
            findings.push(Finding {
                path: Some(format!("proto/{}", before.file)),
                line: 1,
                column: 1,
                rule: "EVENTING_OPTION_SAME".into(),
                message: format!(
                    "{} lost its eventing option (stream {:?})",
                    before.message, before.stream_ref
                ),
            });
            continue;
        };
        let changed: Vec<String> = [
            (
                "type",
                format!("{:?}", before.stable_type),
                format!("{:?}", now.stable_type),
            ),
            (
                "stream_ref",
                format!("{:?}", before.stream_ref),
                format!("{:?}", now.stream_ref),
            ),
            (
                "schema_subject",
                format!("{:?}", before.schema_subject),
                format!("{:?}", now.schema_subject),
            ),
            (
                "partition_key_fields",
                format!("{:?}", before.partition_key_fields),
                format!("{:?}", now.partition_key_fields),
            ),
            (
                "idempotency_key_fields",
                format!("{:?}", before.idempotency_key_fields),
                format!("{:?}", now.idempotency_key_fields),
            ),
        ]
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(name, a, b)| format!("{name} {a} -> {b}"))
        .collect();
        if !changed.is_empty() {
            findings.push(Finding {
                path: Some(format!("proto/{}", now.file)),
                line: now.line_col.0,
                column: now.line_col.1,
                rule: "EVENTING_OPTION_SAME".into(),
                message: format!(
                    "eventing option of {} changed: {} (publish under a new stream/package version instead)",
                    now.message,
                    changed.join(", ")
                ),
            });
        }
    }
    findings
}

/// `MCP_TOOL_SAME` findings: every rpc of the contract released as an MCP tool keeps
/// its tool name, hints and approval (agents and their permission grants name tools;
/// clients trust the hints). A tool may be added, never removed or renamed.
pub fn tool_changes(
    released: &[crate::codegen::generators::mcp::ToolSpec],
    current: &[crate::codegen::generators::mcp::ToolSpec],
    contract: &Contract,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for before in released.iter().filter(|t| contract.owns(&t.package)) {
        let Some(now) = current.iter().find(|t| t.rpc() == before.rpc()) else {
            findings.push(Finding {
                path: Some(format!("proto/{}", before.file)),
                line: 1,
                column: 1,
                rule: "MCP_TOOL_SAME".into(),
                message: format!(
                    "tool {:?} ({}) was removed: a released tool stays exposed",
                    before.name,
                    before.rpc()
                ),
            });
            continue;
        };
        let flag = |b: bool| b.to_string();
        let changed: Vec<String> = [
            (
                "tool_name",
                format!("{:?}", before.name),
                format!("{:?}", now.name),
            ),
            (
                "readOnlyHint",
                flag(before.hints.read_only),
                flag(now.hints.read_only),
            ),
            (
                "destructiveHint",
                flag(before.hints.destructive),
                flag(now.hints.destructive),
            ),
            (
                "idempotentHint",
                flag(before.hints.idempotent),
                flag(now.hints.idempotent),
            ),
            (
                "openWorldHint",
                flag(before.hints.open_world),
                flag(now.hints.open_world),
            ),
            (
                "requires_approval",
                flag(before.requires_approval),
                flag(now.requires_approval),
            ),
        ]
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(name, a, b)| format!("{name} {a} -> {b}"))
        .collect();
        if !changed.is_empty() {
            findings.push(Finding {
                path: Some(format!("proto/{}", now.file)),
                line: now.line_col.0,
                column: now.line_col.1,
                rule: "MCP_TOOL_SAME".into(),
                message: format!(
                    "MCP tool of {} changed: {} (expose a new tool instead)",
                    now.rpc(),
                    changed.join(", ")
                ),
            });
        }
    }
    findings
}
