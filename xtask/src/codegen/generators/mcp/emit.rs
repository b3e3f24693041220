//! `<pkg>.mcp.rs`: the `JsonSchema` / `ToolInput` impls, `JSON_SCHEMAS`, `MCP_TOOLS`.

use super::{ToolSpec, adapter_filled, message_schema, schema::schema_of};
use crate::codegen::generators::eventing::EventSpec;
use crate::codegen::model::PackageModel;
use crate::codegen::registry::Input;
use anyhow::{Result, bail};
use std::collections::BTreeSet;

/// The messages that get a `JsonSchema` impl: every tool input and output and every
/// message with the eventing option.
pub fn schema_messages(tools: &[ToolSpec], specs: &[EventSpec]) -> BTreeSet<String> {
    tools
        .iter()
        .flat_map(|t| [t.input.clone(), t.output.clone()])
        .chain(specs.iter().map(|s| s.message.clone()))
        .collect()
}

/// `JsonSchema` and `ToolInput` impls for the messages of `package`, and its
/// `MCP_TOOLS` table when it declares exposed services.
pub fn generate_impls(input: &Input, model: &PackageModel) -> Result<String> {
    let (pool, tools, specs, package) =
        (input.pool, input.tools, input.events, model.name.as_str());
    let mut out = String::new();
    let mut table = Vec::new();
    for name in schema_messages(tools, specs) {
        let message = pool
            .get_message_by_name(&name)
            .expect("collected from this pool");
        if message.package_name() != package {
            continue;
        }
        if package == "google.protobuf" {
            bail!(
                "{name}: a well-known type cannot be a tool input or output; wrap it in a message"
            );
        }
        let rust = crate::codegen::ident::message_path(&message);
        table.push((name.clone(), rust.clone()));
        let schema = message_schema(&message, &[]).to_string();
        out.push_str(&format!(
            "\n/// JSON Schema (draft 2020-12) of `{name}`'s proto3 JSON.\n\
             impl ::common_eventing::mcp::JsonSchema for {rust} {{\n\
             \x20   const JSON_SCHEMA: &'static str = {schema:?};\n\
             }}\n"
        ));
        let inputs: Vec<&ToolSpec> = tools.iter().filter(|t| t.input == name).collect();
        if let Some(first) = inputs.first() {
            let filled = adapter_filled(&message, first);
            for other in &inputs[1..] {
                if adapter_filled(&message, other) != filled {
                    bail!(
                        "{}: tools {} and {} take {name} with different adapter_filled_fields",
                        other.location(),
                        first.name,
                        other.name
                    );
                }
            }
            let input = schema_of(&message, &filled, true).to_string();
            let list = filled
                .iter()
                .map(|p| format!("{p:?}"))
                .collect::<Vec<_>>()
                .join(", ");
            out.push_str(&format!(
                "\n/// `inputSchema` of the tool(s) taking `{name}`: {tool_names}.\n\
                 impl ::common_eventing::mcp::ToolInput for {rust} {{\n\
                 \x20   const INPUT_SCHEMA: &'static str = {input:?};\n\
                 \x20   const ADAPTER_FILLED_FIELDS: &'static [&'static str] = &[{list}];\n\
                 }}\n",
                tool_names = inputs
                    .iter()
                    .map(|t| format!("`{}`", t.name))
                    .collect::<Vec<_>>()
                    .join(", "),
            ));
        }
    }
    if !table.is_empty() {
        out.push_str(
            "\n/// `(full proto name, JSON Schema)` of every message of this package that implements\n\
             /// `common_eventing::mcp::JsonSchema` (tool inputs and outputs, event messages), by name.\n\
             pub const JSON_SCHEMAS: &[(&str, &str)] = &[\n",
        );
        for (name, rust) in &table {
            out.push_str(&format!(
                "    ({name:?}, <{rust} as ::common_eventing::mcp::JsonSchema>::JSON_SCHEMA),\n"
            ));
        }
        out.push_str("];\n");
    }
    let own: Vec<&ToolSpec> = tools.iter().filter(|t| t.package == package).collect();
    if !own.is_empty() {
        out.push_str(
            "\n/// The MCP tools of this package: every rpc with the expose option, by tool name.\n\
             pub const MCP_TOOLS: &[::common_eventing::mcp::Tool] = &[\n",
        );
        for tool in own {
            let path = |name: &str| {
                let message = pool
                    .get_message_by_name(name)
                    .expect("collected from this pool");
                (model.path_of(&message))
                    .ok_or_else(|| anyhow::anyhow!("{name}: no crate owns its package"))
            };
            let (input, output) = (path(&tool.input)?, path(&tool.output)?);
            let side = if tool.cqrs_side() == "query" {
                "Query"
            } else {
                "Command"
            };
            out.push_str(&format!(
                "    ::common_eventing::mcp::Tool {{\n\
                 \x20       name: {name:?},\n\
                 \x20       description: {description:?},\n\
                 \x20       rpc: {rpc:?},\n\
                 \x20       cqrs_side: ::common_eventing::mcp::CqrsSide::{side},\n\
                 \x20       hints: ::common_eventing::mcp::ToolHints {{ read_only: {ro}, destructive: {de}, idempotent: {id}, open_world: {ow} }},\n\
                 \x20       requires_approval: {approval},\n\
                 \x20       input_schema: <{input} as ::common_eventing::mcp::ToolInput>::INPUT_SCHEMA,\n\
                 \x20       output_schema: <{output} as ::common_eventing::mcp::JsonSchema>::JSON_SCHEMA,\n\
                 \x20   }},\n",
                name = tool.name,
                description = tool.description,
                rpc = tool.rpc(),
                ro = tool.hints.read_only,
                de = tool.hints.destructive,
                id = tool.hints.idempotent,
                ow = tool.hints.open_world,
                approval = tool.requires_approval,
            ));
        }
        out.push_str("];\n");
    }
    Ok(out)
}
