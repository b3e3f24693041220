//! The JSON Schemas (the table in [`super`]): messages, `inputSchema`, `outputSchema`.

use super::{ToolSpec, adapter_filled};
use prost_reflect::{DescriptorPool, FieldDescriptor, FileDescriptor, Kind, MessageDescriptor};
use serde_json::{Map, Value as Json, json};
use std::collections::{BTreeMap, BTreeSet};

/// Object levels an `inputSchema` may nest below its root (the portable subset).
pub const MAX_INPUT_DEPTH: usize = 2;
/// Rough size limit of one `inputSchema`, in tokens (about four characters each).
pub const MAX_SCHEMA_TOKENS: usize = 2000;
/// The JSON Schema dialect of every schema.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

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
            crate::codegen::generators::validate::json_schema::constrain(field, &mut schema);
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
            if self.rules && crate::codegen::generators::validate::json_schema::is_required(&field)
            {
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
/// ([`crate::codegen::generators::validate::json_schema`]).
pub(super) fn schema_of(message: &MessageDescriptor, skip: &[String], rules: bool) -> Json {
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

#[cfg(test)]
mod tests {
    use super::super::workspace;
    use super::*;

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
}
