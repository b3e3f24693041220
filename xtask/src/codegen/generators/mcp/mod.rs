//! MCP tools from the protos: reading `(ameide_core_proto.mcp.annotations.v1.expose)`
//! from the rpc methods (`options.rs`), the JSON Schemas of the messages' proto3 JSON
//! (`schema.rs`), the generated `JsonSchema` / `ToolInput` impls and `MCP_TOOLS` tables
//! (`emit.rs`), and the tool catalog (`docs/generated/mcp-tool-catalog.json`, embedded
//! in the crate as `MCP_TOOL_CATALOG`) with its README example (`catalog.rs`).
//!
//! # The schemas
//!
//! Draft 2020-12, describing the canonical proto3 JSON the workspace's serde writes
//! (the workspace's JSON generator for generated messages, `common_eventing::wkt` for
//! the well-known types) and Python's `json_format` writes too:
//!
//! | proto | JSON Schema |
//! | --- | --- |
//! | field names | the `json_name` (lowerCamelCase); in an `inputSchema`, the fields with a `buf.validate` `required` rule are `required` (elsewhere none is: proto3 omits defaults) |
//! | `int32`, `sint32`, `sfixed32` / `uint32`, `fixed32` | `integer` with the type's bounds |
//! | `int64`, `sint64`, `sfixed64` / `uint64`, `fixed64` | `string` of decimal digits (`^-?[0-9]+$` / `^[0-9]+$`) |
//! | `double`, `float` | `number`; non-finite values are the strings `"NaN"`, `"Infinity"`, `"-Infinity"`: `type: [number, string]` with a pattern that only strings must match |
//! | `bool`, `string` | `boolean`, `string` |
//! | `bytes` | `string`, standard base64 with padding |
//! | enum | `string`, one of the value names (`google.protobuf.NullValue`: `null`); a number a newer schema added, which the JSON keeps and writes as a number (proto3 enums are open), is outside the schema: the portable subset has no `anyOf` |
//! | message | `object` with `properties`, inlined; a message that contains itself goes to `$defs` and is referenced |
//! | `repeated` / `map<K, V>` | `array` of `items` / `object` with `additionalProperties` (keys are strings) |
//! | oneof member | an optional property whose description says which members exclude it |
//! | `Timestamp` / `Duration` / `FieldMask` | RFC 3339 string ending in `Z` / `"1.5s"` / comma-separated paths |
//! | `Struct` / `ListValue` / `Value` / `Empty` / `Any` | any object / any array / any value / object / object with `@type` |
//! | wrappers | the bare value of the wrapped type |
//!
//! A tool's `inputSchema` is its request's schema without the adapter-filled fields
//! (the top-level [`ADAPTER_FILLED`] names and the option's `adapter_filled_fields`
//! paths), with the keywords of the request's `buf.validate` rules
//! ([`crate::codegen::generators::validate::json_schema`]). It never uses `anyOf`, `oneOf`, `allOf` or `additionalProperties: false`
//! (the portable subset MCP clients understand); `cargo xtask lint` warns when it
//! nests objects deeper than [`MAX_INPUT_DEPTH`] levels below the root or exceeds
//! about [`MAX_SCHEMA_TOKENS`] tokens.

mod catalog;
mod emit;
mod options;
mod schema;

pub use self::{catalog::*, emit::*, options::*, schema::*};

/// `cargo xtask catalog --mcp`: prints the tool catalog.
pub fn run() -> anyhow::Result<()> {
    let compiled = crate::protos::compile(&crate::workspace::proto_dir())?;
    let tools = collect(&compiled.pool);
    match workspace_catalog(&compiled.pool, &tools)? {
        Some((_, text)) => print!("{text}"),
        None => print!("{}", catalog(&compiled.pool, &[], "0.0.0")),
    }
    Ok(())
}

/// The workspace's protos compiled, and their tools (for the tests).
#[cfg(test)]
fn workspace() -> (prost_reflect::DescriptorPool, Vec<ToolSpec>) {
    let compiled = crate::protos::compile(&crate::workspace::proto_dir()).unwrap();
    let tools = collect(&compiled.pool);
    (compiled.pool, tools)
}
