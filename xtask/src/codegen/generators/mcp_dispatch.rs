//! The MCP adapter's dispatch, generated from the exposed rpcs: one `match` arm per
//! tool, from the tool name to the typed tonic client call behind it, written to
//! `apps/mcp-adapter/src/generated/mcp_dispatch.rs`.
//!
//! Nothing is looked up at run time: each arm parses the arguments into the request
//! type (the crates' serde), fills the adapter-filled fields from the caller, calls the
//! rpc on the service's generated client and writes the response as JSON. The helpers
//! it calls (`parse`, `grpc_request`, `to_json`, `Caller`, `CallError`) are the adapter's
//! hand-written `crate::dispatch` module; the generated code only names types.

use crate::codegen::generators::mcp::{self, ToolSpec};
use crate::codegen::ident;
use crate::codegen::output::{Files, header};
use crate::workspace;
use anyhow::{Result, bail};
use heck::{ToSnakeCase, ToUpperCamelCase};
use prost_reflect::DescriptorPool;
use std::path::PathBuf;

/// The generated file's name.
pub const FILE: &str = "mcp_dispatch.rs";

/// Where the adapter's generated code is committed.
pub fn generated_dir() -> PathBuf {
    workspace::root().join("apps/mcp-adapter/src/generated")
}

/// The adapter's generated folder and its one file, for `codegen::generate_all`.
pub fn generate_all(pool: &DescriptorPool, tools: &[ToolSpec]) -> Result<(PathBuf, Files)> {
    let text = generate(pool, tools, |package| {
        workspace::owner(package)?
            .packages
            .iter()
            .find(|p| p.proto == package)
            .map(|p| p.rust.to_string())
    })?;
    Ok((
        generated_dir(),
        Files::from([(FILE.to_string(), text.into_bytes())]),
    ))
}

/// tonic's module name for a service: its Rust type name, lowercased with `_` before
/// each capital (tonic-build's `naive_snake_case`).
fn tonic_module(service_type: &str) -> String {
    let mut out = String::new();
    for (i, c) in service_type.chars().enumerate() {
        if i > 0 && c.is_uppercase() {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The statement filling one adapter-filled field of `request` from `caller`.
fn fill(tool: &ToolSpec, path: &str) -> Result<String> {
    Ok(match path {
        "tenant_id" => "    request.tenant_id = caller.tenant_id.clone();\n".to_string(),
        other => bail!(
            "{}: tool {}: the adapter fills {other:?}, but xtask/src/codegen/generators/mcp_dispatch.rs knows \
             how to fill `tenant_id` only; teach `fill` the new field first",
            tool.location(),
            tool.name
        ),
    })
}

/// The dispatch of `tools`. `rust_module` gives the absolute Rust module of a proto
/// package (`::ameide_sre_proto::core::v1`).
pub fn generate(
    pool: &DescriptorPool,
    tools: &[ToolSpec],
    rust_module: impl Fn(&str) -> Option<String>,
) -> Result<String> {
    let path_of = |package: &str, relative: &str| -> Result<String> {
        match rust_module(package) {
            Some(module) => Ok(format!("{module}::{relative}")),
            None => bail!("package {package} belongs to no crate of xtask/src/workspace.rs"),
        }
    };
    let mut arms = String::new();
    let mut fns = String::new();
    let mut names = String::new();
    for tool in tools {
        if tool.streaming {
            bail!(
                "{}: tool {} streams; a tool call is one request and one result",
                tool.location(),
                tool.name
            );
        }
        let input = pool
            .get_message_by_name(&tool.input)
            .expect("collected from this pool");
        let output = pool
            .get_message_by_name(&tool.output)
            .expect("collected from this pool");
        let request = path_of(input.package_name(), &ident::message_path(&input))?;
        let response = path_of(output.package_name(), &ident::message_path(&output))?;
        let service = tool.service.rsplit('.').next().unwrap_or_default();
        let service_type = service.to_upper_camel_case();
        let client = path_of(
            &tool.package,
            &format!(
                "{}_client::{service_type}Client",
                tonic_module(&service_type)
            ),
        )?;
        let method = tool.method.to_snake_case();
        let function = tool.name.replace('.', "_").to_snake_case();
        let mut fills = String::new();
        for path in mcp::adapter_filled(&input, tool) {
            fills.push_str(&fill(tool, &path)?);
        }
        names.push_str(&format!("    {:?},\n", tool.name));
        arms.push_str(&format!(
            "        {:?} => {function}(channel, caller, arguments).await,\n",
            tool.name
        ));
        fns.push_str(&format!(
            "\n/// `{name}` ({side}): `{rpc}`.\n\
             async fn {function}(\n\
             \x20   channel: &::tonic::transport::Channel,\n\
             \x20   caller: &Caller,\n\
             \x20   arguments: Arguments,\n\
             ) -> Result<::serde_json::Value, CallError> {{\n\
             \x20   let {binding}: {request} = parse(arguments, caller)?;\n\
             {fills}\
             \x20   let reply = {client}::new(channel.clone())\n\
             \x20       .{method}(grpc_request(request, caller)?)\n\
             \x20       .await?;\n\
             \x20   to_json::<{response}>(reply.into_inner())\n\
             }}\n",
            name = tool.name,
            binding = if fills.is_empty() {
                "request"
            } else {
                "mut request"
            },
            side = tool.cqrs_side(),
            rpc = tool.rpc(),
        ));
    }
    Ok(format!(
        "{header}\
         // Dispatch from MCP tool name to the typed tonic client call, one arm per rpc\n\
         // carrying `(ameide_core_proto.mcp.annotations.v1.expose)` (written by\n\
         // `xtask/src/codegen/generators/mcp_dispatch.rs`; included by the adapter's `dispatch` module).\n\
         \n\
         use crate::dispatch::{{Arguments, CallError, Caller, grpc_request, parse, to_json}};\n\
         \n\
         /// Every tool name this dispatch serves, in the catalog's order.\n\
         pub const TOOL_NAMES: &[&str] = &[\n\
         {names}\
         ];\n\
         \n\
         /// Calls the rpc behind `tool` on `channel` with `arguments` for `caller`; `None`\n\
         /// when no rpc exposes a tool of that name.\n\
         pub async fn call(\n\
         \x20   channel: &::tonic::transport::Channel,\n\
         \x20   caller: &Caller,\n\
         \x20   tool: &str,\n\
         \x20   arguments: Arguments,\n\
         ) -> Option<Result<::serde_json::Value, CallError>> {{\n\
         \x20   Some(match tool {{\n\
         {arms}\
         \x20       _ => return None,\n\
         \x20   }})\n\
         }}\n\
         {fns}",
        header = header("MCP adapter dispatch")
    ))
}

#[cfg(test)]
mod tests {
    use super::tonic_module;

    #[test]
    fn module_names_follow_tonic() {
        assert_eq!(tonic_module("SreSloQueryService"), "sre_slo_query_service");
        assert_eq!(tonic_module("IncidentService"), "incident_service");
    }
}
