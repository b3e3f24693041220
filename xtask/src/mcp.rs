//! MCP tools from the protos: reading `(ameide_core_proto.mcp.annotations.v1.expose)`
//! from the rpc methods, the JSON Schemas of the messages' proto3 JSON, the generated
//! `JsonSchema` / `ToolInput` impls and `MCP_TOOLS` tables, and the tool catalog
//! (`docs/generated/mcp-tool-catalog.json`, embedded in the crate as
//! `MCP_TOOL_CATALOG`).
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
//! ([`crate::validate::json_schema`]). It never uses `anyOf`, `oneOf`, `allOf` or `additionalProperties: false`
//! (the portable subset MCP clients understand); `cargo xtask lint` warns when it
//! nests objects deeper than [`MAX_INPUT_DEPTH`] levels below the root or exceeds
//! about [`MAX_SCHEMA_TOKENS`] tokens.

use crate::eventing::EventSpec;
use crate::workspace::{CrateSpec, owner};
use anyhow::{Result, bail};
use prost_reflect::{
    DescriptorPool, FieldDescriptor, FileDescriptor, Kind, MessageDescriptor, MethodDescriptor,
    Value,
};
use serde_json::{Map, Value as Json, json};
use std::collections::{BTreeMap, BTreeSet};

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

/// Object levels an `inputSchema` may nest below its root (the portable subset).
pub const MAX_INPUT_DEPTH: usize = 2;
/// Rough size limit of one `inputSchema`, in tokens (about four characters each).
pub const MAX_SCHEMA_TOKENS: usize = 2000;
/// `$schema` of the catalog (upstream's name).
pub const CATALOG_SCHEMA: &str = "https://ameide.io/schemas/mcp-tool-catalog.v1.json";
/// File name of the catalog, in `docs/generated/` and in the crate's `src/generated/`.
pub const CATALOG_FILE: &str = "mcp-tool-catalog.json";
/// The JSON Schema dialect of every schema.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

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

/// Leading comment of the element at `path` of `file`, lines joined by spaces.
fn comment(file: &FileDescriptor, path: &[i32]) -> Option<String> {
    let info = file.file_descriptor_proto().source_code_info.as_ref()?;
    let location = info.location.iter().find(|l| l.path == path)?;
    let text = location.leading_comments.as_deref()?;
    let joined = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (!joined.is_empty()).then_some(joined)
}

fn with_description(mut schema: Json, description: Option<String>) -> Json {
    if let (Some(text), Json::Object(map)) = (description, &mut schema) {
        let text = match map.get("description").and_then(Json::as_str) {
            Some(existing) => format!("{text} {existing}"),
            None => text,
        };
        map.insert("description".into(), Json::String(text));
    }
    schema
}

const FLOAT_NOTE: &str =
    "Non-finite values are written as \"NaN\", \"Infinity\" or \"-Infinity\" (proto3 JSON).";

fn float_schema() -> Json {
    json!({
        "type": ["number", "string"],
        "pattern": "^(NaN|Infinity|-Infinity)$",
        "description": FLOAT_NOTE,
    })
}

fn int64_schema(signed: bool) -> Json {
    json!({
        "type": "string",
        "pattern": if signed { "^-?[0-9]+$" } else { "^[0-9]+$" },
        "description": "A 64-bit integer, written as a decimal string.",
    })
}

fn bytes_schema() -> Json {
    json!({
        "type": "string",
        "contentEncoding": "base64",
        "pattern": "^[A-Za-z0-9+/]*={0,2}$",
    })
}

/// Schema of a well-known type's JSON form, `None` for other messages.
fn well_known(name: &str) -> Option<Json> {
    Some(match name {
        "google.protobuf.Timestamp" => json!({
            "type": "string",
            "format": "date-time",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z$",
            "description": "RFC 3339 timestamp in UTC.",
        }),
        "google.protobuf.Duration" => json!({
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]{1,9})?s$",
            "description": "Duration in seconds with an `s` suffix, e.g. \"1.5s\".",
        }),
        "google.protobuf.FieldMask" => json!({
            "type": "string",
            "description": "Comma-separated lowerCamelCase field paths.",
        }),
        "google.protobuf.Struct" => json!({"type": "object", "description": "Any JSON object."}),
        "google.protobuf.ListValue" => json!({"type": "array", "description": "Any JSON array."}),
        "google.protobuf.Value" => json!({"description": "Any JSON value."}),
        "google.protobuf.Empty" => json!({"type": "object"}),
        "google.protobuf.Any" => json!({
            "type": "object",
            "properties": {"@type": {"type": "string", "description": "Type URL of the packed message."}},
            "required": ["@type"],
            "description": "A packed message: its JSON form and `@type` (well-known types under `value`).",
        }),
        "google.protobuf.DoubleValue" | "google.protobuf.FloatValue" => float_schema(),
        "google.protobuf.Int64Value" => int64_schema(true),
        "google.protobuf.UInt64Value" => int64_schema(false),
        "google.protobuf.Int32Value" => scalar(&Kind::Int32),
        "google.protobuf.UInt32Value" => scalar(&Kind::Uint32),
        "google.protobuf.BoolValue" => json!({"type": "boolean"}),
        "google.protobuf.StringValue" => json!({"type": "string"}),
        "google.protobuf.BytesValue" => bytes_schema(),
        _ => return None,
    })
}

fn scalar(kind: &Kind) -> Json {
    match kind {
        Kind::Double | Kind::Float => float_schema(),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => {
            json!({"type": "integer", "minimum": i32::MIN, "maximum": i32::MAX})
        }
        Kind::Uint32 | Kind::Fixed32 => {
            json!({"type": "integer", "minimum": 0, "maximum": u32::MAX})
        }
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => int64_schema(true),
        Kind::Uint64 | Kind::Fixed64 => int64_schema(false),
        Kind::Bool => json!({"type": "boolean"}),
        Kind::String => json!({"type": "string"}),
        Kind::Bytes => bytes_schema(),
        Kind::Enum(e) if e.full_name() == "google.protobuf.NullValue" => json!({"type": "null"}),
        // Names only: the portable subset has no `anyOf` for "or an int32", so a
        // value a newer schema added (kept and written as its number) is outside it.
        Kind::Enum(e) => json!({
            "type": "string",
            "enum": e.values().map(|v| v.name().to_string()).collect::<Vec<_>>(),
        }),
        Kind::Message(_) => unreachable!("messages are not scalars"),
    }
}

/// Builds schemas, collecting the `$defs` of messages that contain themselves.
struct Builder {
    defs: BTreeMap<String, Json>,
    stack: Vec<String>,
    recursive: BTreeSet<String>,
    /// Whether the `buf.validate` rules become keywords (`inputSchema`s).
    rules: bool,
}

impl Builder {
    fn new(rules: bool) -> Self {
        Self {
            defs: BTreeMap::new(),
            stack: Vec::new(),
            recursive: BTreeSet::new(),
            rules,
        }
    }

    /// The schema of a value of `kind`.
    fn kind(&mut self, kind: &Kind) -> Json {
        match kind {
            Kind::Message(m) => self.message(m, "", &[]),
            other => scalar(other),
        }
    }

    /// The schema of one field's value (repeated and map included).
    fn field(&mut self, field: &FieldDescriptor, prefix: &str, skip: &[String]) -> Json {
        let description = comment(&field.parent_file(), field.path());
        let schema = if field.is_map() {
            let Kind::Message(entry) = field.kind() else {
                unreachable!("a map field is a message field")
            };
            let value = entry.map_entry_value_field();
            json!({"type": "object", "additionalProperties": self.kind(&value.kind())})
        } else if field.is_list() {
            json!({"type": "array", "items": self.kind(&field.kind())})
        } else {
            match field.kind() {
                Kind::Message(m) => {
                    let path = format!("{prefix}{}.", field.name());
                    self.message(&m, &path, skip)
                }
                other => scalar(&other),
            }
        };
        let mut schema = schema;
        if self.rules {
            crate::validate::json_schema::constrain(field, &mut schema);
        }
        let mut schema = with_description(schema, description);
        if let Some(oneof) = field.containing_oneof().filter(|o| !o.is_synthetic()) {
            let others: Vec<String> = oneof
                .fields()
                .filter(|f| f.number() != field.number())
                .map(|f| format!("`{}`", f.json_name()))
                .collect();
            let note = format!(
                "Exclusive: member of oneof `{}`; set at most one of this and {}.",
                oneof.name(),
                others.join(", ")
            );
            if let Json::Object(map) = &mut schema {
                let text = match map.get("description").and_then(Json::as_str) {
                    Some(d) => format!("{d} {note}"),
                    None => note,
                };
                map.insert("description".into(), Json::String(text));
            }
        }
        schema
    }

    /// The schema of `message`, leaving out the fields whose proto paths (`prefix` +
    /// name) are in `skip`.
    fn message(&mut self, message: &MessageDescriptor, prefix: &str, skip: &[String]) -> Json {
        if let Some(wkt) = well_known(message.full_name()) {
            return wkt;
        }
        let name = message.full_name().to_string();
        if self.stack.contains(&name) {
            self.recursive.insert(name.clone());
            return json!({"$ref": format!("#/$defs/{name}")});
        }
        self.stack.push(name.clone());
        let mut properties = Map::new();
        let mut required = Vec::new();
        for field in message.fields() {
            let path = format!("{prefix}{}", field.name());
            if skip.contains(&path) {
                continue;
            }
            if self.rules && crate::validate::json_schema::is_required(&field) {
                required.push(Json::String(field.json_name().to_string()));
            }
            properties.insert(
                field.json_name().to_string(),
                self.field(&field, prefix, skip),
            );
        }
        self.stack.pop();
        let mut schema = json!({"type": "object", "properties": properties});
        if !required.is_empty() {
            schema["required"] = Json::Array(required);
        }
        if let Some(text) = comment(&message.parent_file(), message.path()) {
            schema["description"] = Json::String(text);
        }
        if self.recursive.contains(&name) && !self.defs.contains_key(&name) {
            // Referenced from inside itself: the references point at this definition.
            self.defs.insert(name, schema.clone());
        }
        schema
    }
}

/// The root schema of `message`'s proto3 JSON, without the fields at `skip` (proto
/// field paths; the adapter-filled fields of an `inputSchema`).
pub fn message_schema(message: &MessageDescriptor, skip: &[String]) -> Json {
    schema_of(message, skip, false)
}

/// [`message_schema`], with the `buf.validate` rules as keywords when `rules`
/// ([`crate::validate::json_schema`]).
fn schema_of(message: &MessageDescriptor, skip: &[String], rules: bool) -> Json {
    let mut builder = Builder::new(rules);
    let body = builder.message(message, "", skip);
    let Json::Object(body) = body else {
        unreachable!("a message schema is an object")
    };
    let mut root = Map::new();
    root.insert("$schema".into(), Json::String(DIALECT.into()));
    root.insert("title".into(), Json::String(message.full_name().into()));
    root.extend(body);
    if !builder.defs.is_empty() {
        root.insert(
            "$defs".into(),
            Json::Object(builder.defs.into_iter().collect()),
        );
    }
    Json::Object(root)
}

/// Object levels below the root of a schema (the root object is level 0).
pub fn object_depth(schema: &Json) -> usize {
    fn walk(schema: &Json, level: usize) -> usize {
        let Json::Object(map) = schema else {
            return level;
        };
        let is_object = match map.get("type") {
            Some(Json::String(t)) => t == "object",
            Some(Json::Array(ts)) => ts.iter().any(|t| t == "object"),
            _ => false,
        };
        let here = if is_object { level + 1 } else { level };
        let mut deepest = here;
        if let Some(Json::Object(props)) = map.get("properties") {
            for p in props.values() {
                deepest = deepest.max(walk(p, here));
            }
        }
        for key in ["items", "additionalProperties"] {
            if let Some(s) = map.get(key) {
                deepest = deepest.max(walk(s, here));
            }
        }
        deepest
    }
    walk(schema, 0).saturating_sub(1)
}

/// Rough token count of a schema (compact JSON, four characters a token).
pub fn approximate_tokens(schema: &Json) -> usize {
    schema.to_string().len().div_ceil(4)
}

/// A tool's `inputSchema`.
pub fn input_schema(pool: &DescriptorPool, tool: &ToolSpec) -> Json {
    let input = pool
        .get_message_by_name(&tool.input)
        .expect("collected from this pool");
    schema_of(&input, &adapter_filled(&input, tool), true)
}

/// A tool's `outputSchema`.
pub fn output_schema(pool: &DescriptorPool, tool: &ToolSpec) -> Json {
    let output = pool
        .get_message_by_name(&tool.output)
        .expect("collected from this pool");
    message_schema(&output, &[])
}

fn catalog_tool(pool: &DescriptorPool, tool: &ToolSpec) -> Json {
    json!({
        "name": tool.name,
        "description": tool.description,
        "rpc": tool.rpc(),
        "cqrs_side": tool.cqrs_side(),
        "hints": {
            "readOnlyHint": tool.hints.read_only,
            "destructiveHint": tool.hints.destructive,
            "idempotentHint": tool.hints.idempotent,
            "openWorldHint": tool.hints.open_world,
        },
        "requires_approval": tool.requires_approval,
        "inputSchema": input_schema(pool, tool),
        "outputSchema": output_schema(pool, tool),
    })
}

/// The catalog of `tools` (upstream's format), pretty-printed with sorted keys and a
/// final newline. `version` is the version of the crate exposing them.
pub fn catalog(pool: &DescriptorPool, tools: &[ToolSpec], version: &str) -> String {
    let mut capabilities: BTreeMap<&str, Vec<&ToolSpec>> = BTreeMap::new();
    for tool in tools {
        capabilities
            .entry(tool.capability())
            .or_default()
            .push(tool);
    }
    let capabilities: Vec<Json> = capabilities
        .into_iter()
        .map(|(name, tools)| {
            json!({
                "name": name,
                "proto_package": tools[0].package,
                "tools": tools.iter().map(|t| catalog_tool(pool, t)).collect::<Vec<_>>(),
                "resources": [],
            })
        })
        .collect();
    let catalog = json!({
        "$schema": CATALOG_SCHEMA,
        "version": version,
        "capabilities": capabilities,
    });
    let mut text = serde_json::to_string_pretty(&catalog).expect("JSON values serialize");
    text.push('\n');
    text
}

/// The crate whose packages hold every tool's service, and its catalog; `None`
/// without tools. Fails when tools live in more than one crate (one catalog, one
/// version).
pub fn workspace_catalog(
    pool: &DescriptorPool,
    tools: &[ToolSpec],
) -> Result<Option<(&'static CrateSpec, String)>> {
    let mut owners: Vec<&'static CrateSpec> = Vec::new();
    for tool in tools {
        let Some(krate) = owner(&tool.package) else {
            bail!(
                "{}: tool {}: package {} belongs to no crate of xtask/src/workspace.rs",
                tool.location(),
                tool.name,
                tool.package
            );
        };
        if !owners.iter().any(|o| o.name == krate.name) {
            owners.push(krate);
        }
    }
    match owners.as_slice() {
        [] => Ok(None),
        [krate] => {
            let version =
                crate::version::crate_version(&crate::workspace::root(), krate.name)?.to_string();
            Ok(Some((krate, catalog(pool, tools, &version))))
        }
        _ => bail!(
            "MCP tools are exposed from several crates ({}): the catalog carries one crate version; \
             give each crate its own catalog document first",
            owners.iter().map(|o| o.name).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The messages that get a `JsonSchema` impl: every tool input and output and every
/// message with the eventing option.
pub fn schema_messages(tools: &[ToolSpec], specs: &[EventSpec]) -> BTreeSet<String> {
    tools
        .iter()
        .flat_map(|t| [t.input.clone(), t.output.clone()])
        .chain(specs.iter().map(|s| s.message.clone()))
        .collect()
}

/// Rust path of `message` from the module of `package`: relative inside it, else
/// absolute through the owning crate.
fn rust_path_from(message: &MessageDescriptor, package: &str) -> Result<String> {
    owner(package)
        .and_then(|krate| crate::ident::path_from(krate, package, message))
        .ok_or_else(|| anyhow::anyhow!("{}: no crate owns its package", message.full_name()))
}

/// `JsonSchema` and `ToolInput` impls for the messages of `package`, and its
/// `MCP_TOOLS` table when it declares exposed services.
pub fn generate_impls(
    pool: &DescriptorPool,
    tools: &[ToolSpec],
    specs: &[EventSpec],
    package: &str,
) -> Result<String> {
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
        let rust = crate::ident::message_path(&message);
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
            let input = rust_path_from(&pool.get_message_by_name(&tool.input).unwrap(), package)?;
            let output = rust_path_from(&pool.get_message_by_name(&tool.output).unwrap(), package)?;
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

/// The tool the README shows as the catalog's example.
pub const README_EXAMPLE_TOOL: &str = "sre.getIncident";
/// Marks the start of the example tool in README.md.
pub const README_START: &str =
    "<!-- mcp-example-tool: start (generated by `cargo xtask codegen`; do not edit) -->";
/// Marks its end.
pub const README_END: &str = "<!-- mcp-example-tool: end -->";

/// `text` with the part between [`README_START`] and [`README_END`] replaced by the
/// catalog entry of [`README_EXAMPLE_TOOL`] (its `outputSchema` left out for length).
/// A README without the markers is returned unchanged.
pub fn splice_readme(text: &str, pool: &DescriptorPool, tools: &[ToolSpec]) -> Result<String> {
    let Some(start) = text.find(README_START).map(|s| s + README_START.len()) else {
        return Ok(text.to_string());
    };
    let Some(end) = text[start..].find(README_END).map(|e| e + start) else {
        bail!("README.md lacks the marker {README_END}");
    };
    let Some(tool) = tools.iter().find(|t| t.name == README_EXAMPLE_TOOL) else {
        bail!("README.md shows tool {README_EXAMPLE_TOOL}, which no rpc exposes");
    };
    let mut entry = catalog_tool(pool, tool);
    let output = entry
        .as_object_mut()
        .and_then(|m| m.remove("outputSchema"))
        .unwrap_or_default();
    let entry = serde_json::to_string_pretty(&entry).expect("JSON values serialize");
    Ok(format!(
        "{}\n```json\n{entry}\n```\n\nIts `outputSchema` (left out above) is the schema of `{}` (top-level \
         properties: {}), about {} tokens.\n{}",
        &text[..start],
        tool.output,
        output["properties"]
            .as_object()
            .map(|p| p
                .keys()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", "))
            .unwrap_or_default(),
        approximate_tokens(&output),
        &text[end..]
    ))
}

/// `cargo xtask catalog --mcp`: prints the tool catalog.
pub fn run() -> Result<()> {
    let compiled = crate::protos::compile(&crate::workspace::proto_dir())?;
    let tools = collect(&compiled.pool);
    match workspace_catalog(&compiled.pool, &tools)? {
        Some((_, text)) => print!("{text}"),
        None => print!("{}", catalog(&compiled.pool, &[], "0.0.0")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> (DescriptorPool, Vec<ToolSpec>) {
        let compiled = crate::protos::compile(&crate::workspace::proto_dir()).unwrap();
        let tools = collect(&compiled.pool);
        (compiled.pool, tools)
    }

    /// Every keyword used anywhere in a schema.
    fn keywords(schema: &Json, out: &mut BTreeSet<String>) {
        match schema {
            Json::Object(map) => {
                for (k, v) in map {
                    out.insert(k.clone());
                    if k != "properties" {
                        keywords(v, out);
                    } else if let Json::Object(props) = v {
                        props.values().for_each(|p| keywords(p, out));
                    }
                }
            }
            Json::Array(items) => items.iter().for_each(|i| keywords(i, out)),
            _ => {}
        }
    }

    #[test]
    fn input_schemas_keep_to_the_portable_subset_and_drop_adapter_fields() {
        let (pool, tools) = workspace();
        assert_eq!(tools.len(), 18);
        for tool in &tools {
            let schema = input_schema(&pool, tool);
            let mut used = BTreeSet::new();
            keywords(&schema, &mut used);
            for banned in ["anyOf", "oneOf", "allOf"] {
                assert!(!used.contains(banned), "{}: {banned}", tool.name);
            }
            assert!(
                !schema
                    .to_string()
                    .contains("\"additionalProperties\":false"),
                "{}",
                tool.name
            );
            assert_eq!(schema["$schema"], DIALECT);
            assert!(
                schema["properties"].get("tenantId").is_none(),
                "{}",
                tool.name
            );
            // The full message schema still has it.
            let input = pool.get_message_by_name(&tool.input).unwrap();
            assert!(
                message_schema(&input, &[])["properties"]
                    .get("tenantId")
                    .is_some()
            );
        }
    }

    #[test]
    fn proto3_json_forms() {
        let (pool, _) = workspace();
        let slo = message_schema(
            &pool
                .get_message_by_name("ameide_core_proto.sre.core.v1.SLO")
                .unwrap(),
            &[],
        );
        let props = &slo["properties"];
        assert_eq!(props["target"]["type"], json!(["number", "string"]));
        let subject = message_schema(
            &pool
                .get_message_by_name("ameide_core_proto.sre.core.v1.SreSubject")
                .unwrap(),
            &[],
        );
        // int64 as a decimal string, under its JSON name.
        assert_eq!(subject["properties"]["aggregateVersion"]["type"], "string");
        assert_eq!(
            subject["properties"]["aggregateVersion"]["pattern"],
            "^-?[0-9]+$"
        );
        let fact = message_schema(
            &pool
                .get_message_by_name("ameide_core_proto.sre.core.v1.SreDomainFact")
                .unwrap(),
            &[],
        );
        let created = fact["properties"]["incidentCreated"]["description"]
            .as_str()
            .unwrap();
        assert!(
            created.contains("Exclusive: member of oneof `fact`"),
            "{created}"
        );
        let meta = &fact["properties"]["meta"]["properties"];
        assert_eq!(meta["occurredAt"]["format"], "date-time");
    }

    #[test]
    fn depth_counts_object_levels_below_the_root() {
        let flat = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        assert_eq!(object_depth(&flat), 0);
        let two = json!({"type": "object", "properties": {"a": {"type": "array", "items":
            {"type": "object", "properties": {"b": {"type": "object"}}}}}});
        assert_eq!(object_depth(&two), 2);
    }

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
