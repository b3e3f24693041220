//! MCP tool rules: every rpc carrying `(ameide_core_proto.mcp.annotations.v1.expose)`
//! (see [`crate::codegen::generators::mcp`]). `cargo xtask codegen` refuses to generate while any error
//! rule fails.
//!
//! | rule | definition |
//! | --- | --- |
//! | `MCP_TOOL_NAME` | the tool name matches `^[a-z][a-z0-9]*\.[a-z][A-Za-z0-9]*$` (`<capability>.<lowerCamelOperation>`; within MCP's `^[A-Za-z0-9._-]{1,128}$`) |
//! | `MCP_TOOL_UNIQUE` | no two rpcs of the workspace expose the same tool name |
//! | `MCP_TOOL_DESCRIPTION` | the description is not empty |
//! | `MCP_CAPABILITY_SIZE` | at most [`MAX_TOOLS_PER_CAPABILITY`] tools per capability (upstream's recommendation) |
//! | `MCP_CAPABILITY_PACKAGE` | the tools of a capability are rpcs of one proto package (the catalog's `proto_package`) |
//! | `MCP_QUERY_READ_ONLY` | a tool on a `*QueryService` (a query tool) is `read_only` |
//! | `MCP_COMMAND_READ_ONLY` | a tool on any other service (a command tool) is not `read_only`: read-only tools are queries and belong on a `*QueryService` |
//! | `MCP_NO_FACT_TOOLS` | no tool takes or returns a fact: a message carried by a fact envelope (`SreDomainFact`, `SreProcessFact`), or one with the eventing option that is not on an intents stream (facts, process facts, events) |
//! | `MCP_NO_STREAMING` | the rpc streams on neither side (a tool call is one request, one result) |
//! | `MCP_ADAPTER_FILLED_VALID` | every `adapter_filled_fields` path names a field of the request (singular message fields along the way) |
//!
//! Warnings (printed, never failing):
//!
//! | rule | definition |
//! | --- | --- |
//! | `MCP_INPUT_PORTABLE` | the `inputSchema` nests objects at most [`crate::codegen::generators::mcp::MAX_INPUT_DEPTH`] levels below its root and stays under about [`crate::codegen::generators::mcp::MAX_SCHEMA_TOKENS`] tokens (upstream's portable subset; the message's shape may not allow it) |

use super::{finding, own_files, sre};
use crate::buf::Finding;
use crate::codegen::generators::eventing;
use crate::codegen::generators::mcp::{self, ToolSpec};
use prost_reflect::{DescriptorPool, FileDescriptor, MessageDescriptor};
use std::collections::BTreeMap;

/// Upstream's recommended maximum of tools per capability (adapter).
pub const MAX_TOOLS_PER_CAPABILITY: usize = 20;

/// Whether `name` matches `^[a-z][a-z0-9]*\.[a-z][A-Za-z0-9]*$`.
pub fn valid_tool_name(name: &str) -> bool {
    let Some((capability, operation)) = name.split_once('.') else {
        return false;
    };
    let starts_lower = |s: &str| s.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    starts_lower(capability)
        && capability
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && starts_lower(operation)
        && operation.chars().all(|c| c.is_ascii_alphanumeric())
}

fn file_of(pool: &DescriptorPool, tool: &ToolSpec) -> Option<FileDescriptor> {
    pool.get_file_by_name(&tool.file)
}

/// The tools of the proto root's own files.
fn own_tools(pool: &DescriptorPool) -> Vec<(ToolSpec, FileDescriptor)> {
    let files: Vec<String> = own_files(pool).map(|f| f.name().to_string()).collect();
    mcp::collect(pool)
        .into_iter()
        .filter(|t| files.contains(&t.file))
        .filter_map(|t| file_of(pool, &t).map(|f| (t, f)))
        .collect()
}

/// Why `message` is a fact, if it is one.
pub fn fact_reason(pool: &DescriptorPool, message: &MessageDescriptor) -> Option<String> {
    for envelope in sre::ENVELOPES
        .iter()
        .filter(|e| e.kind == sre::Payload::Fact)
    {
        if message.full_name() == envelope.message {
            return Some(format!("{} is a fact envelope", message.full_name()));
        }
        let package = envelope.message.rsplit_once('.').map_or("", |(p, _)| p);
        if envelope
            .catalog
            .iter()
            .any(|(_, name)| message.full_name() == format!("{package}.{name}"))
        {
            return Some(format!(
                "{} is a fact carried by {}",
                message.full_name(),
                envelope.message
            ));
        }
    }
    let extension = pool.get_extension_by_name(eventing::OPTION)?;
    let options = message.options();
    if !options.has_extension(&extension) {
        return None;
    }
    let value = options.get_extension(&extension);
    let stream = value
        .as_message()
        .and_then(|m| m.get_field_by_name("stream_ref"))
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    if stream.split('.').any(|s| s == "intents") {
        return None;
    }
    Some(format!(
        "{} is an event (eventing option, stream {stream:?})",
        message.full_name()
    ))
}

/// Runs every error rule.
pub fn check(pool: &DescriptorPool, out: &mut Vec<Finding>) {
    let tools = own_tools(pool);
    let mut first_of: BTreeMap<&str, &ToolSpec> = BTreeMap::new();
    let mut by_capability: BTreeMap<&str, Vec<&ToolSpec>> = BTreeMap::new();
    for (tool, file) in &tools {
        let at = |rule: &str, message: String| {
            finding(
                file,
                &tool.path,
                rule,
                format!("rpc {}: {message}", tool.rpc()),
            )
        };
        if !valid_tool_name(&tool.name) {
            out.push(at(
                "MCP_TOOL_NAME",
                format!(
                    "tool name {:?} must match ^[a-z][a-z0-9]*\\.[a-z][A-Za-z0-9]*$ (<capability>.<lowerCamelOperation>)",
                    tool.name
                ),
            ));
        }
        match first_of.get(tool.name.as_str()) {
            Some(first) => out.push(at(
                "MCP_TOOL_UNIQUE",
                format!(
                    "tool name {:?} is already exposed by {} ({})",
                    tool.name,
                    first.rpc(),
                    first.location()
                ),
            )),
            None => {
                first_of.insert(&tool.name, tool);
            }
        }
        if tool.description.trim().is_empty() {
            out.push(at(
                "MCP_TOOL_DESCRIPTION",
                format!("tool {:?} has no description", tool.name),
            ));
        }
        let side = tool.cqrs_side();
        if side == "query" && !tool.hints.read_only {
            out.push(at(
                "MCP_QUERY_READ_ONLY",
                format!(
                    "tool {:?} is on a *QueryService (a query tool) but not read_only",
                    tool.name
                ),
            ));
        }
        if side == "command" && tool.hints.read_only {
            out.push(at(
                "MCP_COMMAND_READ_ONLY",
                format!(
                    "tool {:?} is read_only but {} is not a *QueryService: query tools go on *QueryService, command tools are never read_only",
                    tool.name, tool.service
                ),
            ));
        }
        for (role, name) in [("request", &tool.input), ("response", &tool.output)] {
            if let Some(message) = pool.get_message_by_name(name)
                && let Some(why) = fact_reason(pool, &message)
            {
                out.push(at(
                    "MCP_NO_FACT_TOOLS",
                    format!(
                        "tool {:?}: its {role} {why}; facts travel on their streams and are never tools",
                        tool.name
                    ),
                ));
            }
        }
        if tool.streaming {
            out.push(at(
                "MCP_NO_STREAMING",
                format!(
                    "tool {:?}: a streaming rpc cannot be a tool (one request, one result)",
                    tool.name
                ),
            ));
        }
        if let Some(input) = pool.get_message_by_name(&tool.input) {
            for path in &tool.adapter_filled_fields {
                if let Err(e) = mcp::resolve_path(&input, path) {
                    out.push(at(
                        "MCP_ADAPTER_FILLED_VALID",
                        format!(
                            "tool {:?}: adapter_filled_fields path {path:?}: {e}",
                            tool.name
                        ),
                    ));
                }
            }
        }
        by_capability
            .entry(tool.capability())
            .or_default()
            .push(tool);
    }
    for (capability, members) in &by_capability {
        if members.len() > MAX_TOOLS_PER_CAPABILITY {
            let extra = members[MAX_TOOLS_PER_CAPABILITY];
            if let Some(file) = file_of(pool, extra) {
                out.push(finding(
                    &file,
                    &extra.path,
                    "MCP_CAPABILITY_SIZE",
                    format!(
                        "rpc {}: capability {capability:?} has {} tools, more than {MAX_TOOLS_PER_CAPABILITY}; split it",
                        extra.rpc(),
                        members.len()
                    ),
                ));
            }
        }
        let package = &members[0].package;
        for tool in members.iter().filter(|t| &t.package != package) {
            if let Some(file) = file_of(pool, tool) {
                out.push(finding(
                    &file,
                    &tool.path,
                    "MCP_CAPABILITY_PACKAGE",
                    format!(
                        "rpc {}: capability {capability:?} is in package {package} ({}), this tool in {}",
                        tool.rpc(),
                        members[0].name,
                        tool.package
                    ),
                ));
            }
        }
    }
}

/// The warning rules (`MCP_INPUT_PORTABLE`).
pub fn warnings(pool: &DescriptorPool, out: &mut Vec<Finding>) {
    for (tool, file) in own_tools(pool) {
        if pool.get_message_by_name(&tool.input).is_none() {
            continue;
        }
        let schema = mcp::input_schema(pool, &tool);
        let depth = mcp::object_depth(&schema);
        let tokens = mcp::approximate_tokens(&schema);
        let mut problems = Vec::new();
        if depth > mcp::MAX_INPUT_DEPTH {
            problems.push(format!(
                "nests objects {depth} levels below the root (portable: at most {})",
                mcp::MAX_INPUT_DEPTH
            ));
        }
        if tokens > mcp::MAX_SCHEMA_TOKENS {
            problems.push(format!(
                "is about {tokens} tokens (portable: under {})",
                mcp::MAX_SCHEMA_TOKENS
            ));
        }
        if !problems.is_empty() {
            out.push(finding(
                &file,
                &tool.path,
                "MCP_INPUT_PORTABLE",
                format!(
                    "rpc {}: the inputSchema of tool {:?} ({}) {}",
                    tool.rpc(),
                    tool.name,
                    tool.input,
                    problems.join(" and ")
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::valid_tool_name;

    #[test]
    fn tool_names() {
        for good in ["sre.getIncident", "sre.get01", "a1.b"] {
            assert!(valid_tool_name(good), "{good}");
        }
        for bad in [
            "sre",
            "Sre.getIncident",
            "sre.GetIncident",
            "sre.get_incident",
            "sre.get.incident",
            "1sre.get",
            "sre.",
            ".get",
            "sre-x.get",
        ] {
            assert!(!valid_tool_name(bad), "{bad}");
        }
    }
}
