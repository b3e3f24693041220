//! Reading the expose option: a [`ToolSpec`] per rpc, and the adapter-filled fields.

use anyhow::Result;
use prost_reflect::{DescriptorPool, Kind, MessageDescriptor, MethodDescriptor, Value};

/// Full name of the extension on `google.protobuf.MethodOptions`.
pub const OPTION: &str = "ameide_core_proto.mcp.annotations.v1.expose";

/// Top-level request fields the MCP adapter always fills from the caller's token and
/// context (upstream's write guide: tenant, message and correlation ids, occurred-at),
/// so they never appear in an `inputSchema`.
pub const ADAPTER_FILLED: &[&str] = &[
    "tenant_id",
    "message_id",
    "correlation_id",
    "causation_id",
    "occurred_at",
];

/// MCP tool annotations, resolved with MCP's defaults for unset hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hints {
    /// `readOnlyHint` (default false).
    pub read_only: bool,
    /// `destructiveHint` (default true).
    pub destructive: bool,
    /// `idempotentHint` (default false).
    pub idempotent: bool,
    /// `openWorldHint` (default true).
    pub open_world: bool,
}

/// One rpc method carrying the expose option, with its option values.
#[derive(Debug, Clone)]
pub struct ToolSpec {
    /// `tool_name`.
    pub name: String,
    /// `description`.
    pub description: String,
    /// `hints`, resolved.
    pub hints: Hints,
    /// `requires_approval`.
    pub requires_approval: bool,
    /// The option's `adapter_filled_fields` (paths beyond [`ADAPTER_FILLED`]).
    pub adapter_filled_fields: Vec<String>,
    /// Full name of the service.
    pub service: String,
    /// Method name.
    pub method: String,
    /// Package of the service.
    pub package: String,
    /// Full name of the request message.
    pub input: String,
    /// Full name of the response message.
    pub output: String,
    /// Either side streams (a tool is one request, one result).
    pub streaming: bool,
    /// The `.proto` file declaring the method.
    pub file: String,
    /// Source path of the method in its file.
    pub path: Vec<i32>,
    /// `line:column` of the method (1-based).
    pub line_col: (usize, usize),
}

impl ToolSpec {
    /// `package.Service/Method`, the gRPC path without its leading slash.
    pub fn rpc(&self) -> String {
        format!("{}/{}", self.service, self.method)
    }

    /// `query` for a method of a `*QueryService`, else `command`.
    pub fn cqrs_side(&self) -> &'static str {
        if self
            .service
            .rsplit('.')
            .next()
            .unwrap_or_default()
            .ends_with("QueryService")
        {
            "query"
        } else {
            "command"
        }
    }

    /// The part of the tool name before the first dot.
    pub fn capability(&self) -> &str {
        self.name.split('.').next().unwrap_or_default()
    }

    /// `proto/<file>:line:col`.
    pub fn location(&self) -> String {
        format!(
            "proto/{}:{}:{}",
            self.file, self.line_col.0, self.line_col.1
        )
    }
}

/// Every rpc carrying the option, sorted by tool name then rpc (no validation: see
/// `crate::lint::mcp`).
pub fn collect(pool: &DescriptorPool) -> Vec<ToolSpec> {
    let Some(extension) = pool.get_extension_by_name(OPTION) else {
        return Vec::new();
    };
    let mut tools = Vec::new();
    for service in pool.services() {
        for method in service.methods() {
            let options = method.options();
            if !options.has_extension(&extension) {
                continue;
            }
            let value = options.get_extension(&extension);
            let Value::Message(option) = value.as_ref() else {
                continue;
            };
            tools.push(spec(&method, option));
        }
    }
    tools.sort_by_key(|t| (t.name.clone(), t.rpc()));
    tools
}

fn spec(method: &MethodDescriptor, option: &prost_reflect::DynamicMessage) -> ToolSpec {
    let string = |name: &str| match option.get_field_by_name(name).as_deref() {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    let hints = match option.get_field_by_name("hints").as_deref() {
        Some(Value::Message(m)) => Some(m.clone()),
        _ => None,
    };
    let hint = |name: &str, default: bool| {
        hints
            .as_ref()
            .filter(|h| h.has_field_by_name(name))
            .and_then(|h| h.get_field_by_name(name).and_then(|v| v.as_bool()))
            .unwrap_or(default)
    };
    let adapter_filled_fields = match option.get_field_by_name("adapter_filled_fields").as_deref() {
        Some(Value::List(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    let service = method.parent_service();
    let file = service.parent_file();
    ToolSpec {
        name: string("tool_name"),
        description: string("description"),
        hints: Hints {
            read_only: hint("read_only", false),
            destructive: hint("destructive", true),
            idempotent: hint("idempotent", false),
            open_world: hint("open_world", true),
        },
        requires_approval: matches!(
            option.get_field_by_name("requires_approval").as_deref(),
            Some(Value::Bool(true))
        ),
        adapter_filled_fields,
        service: service.full_name().to_string(),
        method: method.name().to_string(),
        package: service.package_name().to_string(),
        input: method.input().full_name().to_string(),
        output: method.output().full_name().to_string(),
        streaming: method.is_client_streaming() || method.is_server_streaming(),
        file: file.name().to_string(),
        path: method.path().to_vec(),
        line_col: crate::protos::location(file.file_descriptor_proto(), method.path()),
    }
}

/// The adapter-filled field paths of a tool's request: the top-level fields named in
/// [`ADAPTER_FILLED`] that the request has, then the option's paths.
pub fn adapter_filled(input: &MessageDescriptor, tool: &ToolSpec) -> Vec<String> {
    let mut paths: Vec<String> = ADAPTER_FILLED
        .iter()
        .filter(|name| input.get_field_by_name(name).is_some())
        .map(|name| name.to_string())
        .collect();
    for path in &tool.adapter_filled_fields {
        if !paths.contains(path) {
            paths.push(path.clone());
        }
    }
    paths
}

/// Whether `path` names a field of `message` (every step but the last a singular
/// message field).
pub fn resolve_path(message: &MessageDescriptor, path: &str) -> Result<(), String> {
    let mut current = message.clone();
    let segments: Vec<&str> = path.split('.').collect();
    for (i, segment) in segments.iter().enumerate() {
        let field = current
            .get_field_by_name(segment)
            .ok_or_else(|| format!("{} has no field {segment:?}", current.full_name()))?;
        if i + 1 < segments.len() {
            match field.kind() {
                Kind::Message(m) if !field.is_list() && !field.is_map() => current = m,
                _ => {
                    return Err(format!(
                        "{}.{segment} is not a singular message field",
                        current.full_name()
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::workspace;

    #[test]
    fn unset_hints_take_mcp_defaults() {
        let (_, tools) = workspace();
        let create = tools
            .iter()
            .find(|t| t.name == "sre.createIncident")
            .unwrap();
        assert_eq!(create.cqrs_side(), "command");
        assert!(!create.hints.read_only && !create.requires_approval);
        let resolve = tools
            .iter()
            .find(|t| t.name == "sre.resolveIncident")
            .unwrap();
        assert!(resolve.requires_approval);
        for hidden in [
            "ReclassifyIncidentSeverity",
            "TransitionIncidentStatus",
            "CloseIncident",
        ] {
            assert!(
                tools.iter().all(|t| t.method != hidden),
                "{hidden} is exposed"
            );
        }
    }
}
