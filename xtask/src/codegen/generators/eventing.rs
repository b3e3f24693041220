//! The eventing option: reading `(ameide_core_proto.common.v1.eventing)` from the
//! descriptors, validating its field paths, and generating `Eventing` impls.

use crate::codegen::ident;
use crate::codegen::model::{PackageModel, Storage};
use crate::codegen::registry::Input;
use crate::protos::location;
use anyhow::{Result, bail};
use prost_reflect::{DescriptorPool, Kind, MessageDescriptor, Value};

/// Full name of the extension every event message sets.
pub const OPTION: &str = "ameide_core_proto.common.v1.eventing";

/// One annotated message and its (validated) option values.
#[derive(Debug, Clone)]
pub struct EventSpec {
    /// Full proto name of the message.
    pub message: String,
    /// The `.proto` file declaring it.
    pub file: String,
    /// `line:column` of the message declaration (1-based), when known.
    pub line_col: (usize, usize),
    /// Stable type id (CloudEvents type).
    pub stable_type: String,
    /// Schema-registry subject.
    pub schema_subject: String,
    /// Logical stream / Kafka topic.
    pub stream_ref: String,
    /// Record key paths.
    pub partition_key_fields: Vec<String>,
    /// Deduplication key paths.
    pub idempotency_key_fields: Vec<String>,
}

/// Every annotated message of the pool, sorted by stream; fails listing every invalid
/// option (`file:line:col: message M: ...`).
pub fn collect(pool: &DescriptorPool) -> Result<Vec<EventSpec>> {
    let Some(extension) = pool.get_extension_by_name(OPTION) else {
        return Ok(Vec::new());
    };
    let mut specs = Vec::new();
    let mut errors = Vec::new();
    for message in pool.all_messages() {
        let options = message.options();
        if !options.has_extension(&extension) {
            continue;
        }
        let value = options.get_extension(&extension);
        let Value::Message(option) = value.as_ref() else {
            continue;
        };
        let string = |name: &str| match option.get_field_by_name(name).as_deref() {
            Some(Value::String(s)) => s.clone(),
            _ => String::new(),
        };
        let list = |name: &str| match option.get_field_by_name(name).as_deref() {
            Some(Value::List(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        let file = message.parent_file();
        let spec = EventSpec {
            message: message.full_name().to_string(),
            file: file.name().to_string(),
            line_col: location(file.file_descriptor_proto(), message.path()),
            stable_type: string("type"),
            schema_subject: string("schema_subject"),
            stream_ref: string("stream_ref"),
            partition_key_fields: list("partition_key_fields"),
            idempotency_key_fields: list("idempotency_key_fields"),
        };
        let at = format!(
            "proto/{}:{}:{}: message {}",
            spec.file, spec.line_col.0, spec.line_col.1, spec.message
        );
        for problem in validate(&message, &spec) {
            errors.push(format!("{at}: {problem}"));
        }
        specs.push(spec);
    }
    if !errors.is_empty() {
        bail!("invalid eventing options:\n  {}", errors.join("\n  "));
    }
    specs.sort_by(|a, b| (&a.stream_ref, &a.message).cmp(&(&b.stream_ref, &b.message)));
    Ok(specs)
}

/// Problems with one option: empty values, subject not `{stream}-value`, key paths
/// that do not exist, cross a repeated field or a oneof, or do not end on a scalar.
pub fn validate(message: &MessageDescriptor, spec: &EventSpec) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, value) in [
        ("type", &spec.stable_type),
        ("stream_ref", &spec.stream_ref),
        ("schema_subject", &spec.schema_subject),
    ] {
        if value.is_empty() {
            problems.push(format!("eventing option `{name}` is empty"));
        }
    }
    if !spec.stream_ref.is_empty() && spec.schema_subject != format!("{}-value", spec.stream_ref) {
        problems.push(format!(
            "schema_subject {:?} must be {:?} (TopicNameStrategy)",
            spec.schema_subject,
            format!("{}-value", spec.stream_ref)
        ));
    }
    for (kind, paths) in [
        ("partition_key_fields", &spec.partition_key_fields),
        ("idempotency_key_fields", &spec.idempotency_key_fields),
    ] {
        if paths.is_empty() {
            problems.push(format!("`{kind}` is empty"));
        }
        for path in paths {
            if let Err(e) = resolve(message, path) {
                problems.push(format!("{kind} path {path:?}: {e}"));
            }
        }
    }
    problems
}

/// The fields along a dot-separated path, checked: every step but the last is a
/// singular message field outside any oneof; the last is a singular scalar.
pub fn resolve(
    message: &MessageDescriptor,
    path: &str,
) -> Result<Vec<prost_reflect::FieldDescriptor>, String> {
    let mut current = message.clone();
    let mut fields = Vec::new();
    let segments: Vec<&str> = path.split('.').collect();
    for (i, segment) in segments.iter().enumerate() {
        let field = current
            .get_field_by_name(segment)
            .ok_or_else(|| format!("{} has no field {segment:?}", current.full_name()))?;
        if field.is_list() || field.is_map() {
            return Err(format!("{}.{segment} is repeated", current.full_name()));
        }
        if field.containing_oneof().is_some() && !field.field_descriptor_proto().proto3_optional() {
            return Err(format!("{}.{segment} is in a oneof", current.full_name()));
        }
        let last = i + 1 == segments.len();
        match (field.kind(), last) {
            (Kind::Message(m), false) => current = m,
            (Kind::Message(m), true) => {
                return Err(format!("ends on message {}, not a scalar", m.full_name()));
            }
            (_, false) => {
                return Err(format!(
                    "{}.{segment} is a scalar with nothing below it",
                    current.full_name()
                ));
            }
            (_, true) => {}
        }
        fields.push(field);
    }
    Ok(fields)
}

/// A Rust expression (of type `String`) reading `path` from `self`.
fn key_expression(message: &MessageDescriptor, path: &str) -> Result<String> {
    let fields = resolve(message, path)
        .map_err(|e| anyhow::anyhow!("{}: {path}: {e}", message.full_name()))?;
    let (last, parents) = fields.split_last().expect("a path has at least one field");
    let to_string = |access: &str| match last.kind() {
        Kind::String => format!("{access}.clone()"),
        Kind::Bytes => {
            format!(
                "{access}.iter().map(|b| format!(\"{{b:02x}}\")).collect::<::prost::alloc::string::String>()"
            )
        }
        _ => format!("{access}.to_string()"),
    };
    let optional = Storage::of(last) == Storage::Optional;
    let leaf = |base: &str| {
        let access = format!("{base}.{}", ident::field(last));
        if optional {
            format!(
                "{access}.as_ref().map(|v| {}).unwrap_or_default()",
                to_string("v")
            )
        } else {
            to_string(&access)
        }
    };
    if parents.is_empty() {
        return Ok(leaf("self"));
    }
    let mut expr = format!("self.{}.as_ref()", ident::field(&parents[0]));
    for parent in &parents[1..] {
        expr.push_str(&format!(
            ".and_then(|m| m.{}.as_ref())",
            ident::field(parent)
        ));
    }
    Ok(format!("{expr}.map(|m| {}).unwrap_or_default()", leaf("m")))
}

/// The CloudEvents attributes an event carries in its own fields, and the field names
/// each is read from (`common_eventing::eventing::EventFields` documents the rule).
const EVENT_FIELDS: [(&str, &[&str], FieldType); 5] = [
    ("id", &["message_id", "event_id"], FieldType::String),
    (
        "time",
        &["occurred_at", "timestamp", "created_at"],
        FieldType::Timestamp,
    ),
    ("source", &["producer", "source_service"], FieldType::String),
    ("traceparent", &["traceparent"], FieldType::String),
    ("tracestate", &["tracestate"], FieldType::String),
];

/// The field type an attribute is read from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum FieldType {
    String,
    Timestamp,
}

/// The message field named `meta`, when it is a singular message outside any oneof.
fn meta_message(message: &MessageDescriptor) -> Option<prost_reflect::FieldDescriptor> {
    let meta = message.get_field_by_name("meta")?;
    let real_oneof =
        meta.containing_oneof().is_some() && !meta.field_descriptor_proto().proto3_optional();
    let singular = !meta.is_list() && !meta.is_map() && !real_oneof;
    (singular && matches!(meta.kind(), Kind::Message(_))).then_some(meta)
}

/// The fields (path from `message`) an attribute is read from: the first of `names`
/// in the message, then in its `meta`; an error when that field has another type.
fn attribute_field(
    message: &MessageDescriptor,
    names: &[&str],
    want: FieldType,
) -> Result<Option<Vec<prost_reflect::FieldDescriptor>>, String> {
    let meta = meta_message(message);
    let mut scopes = vec![(message.clone(), Vec::new())];
    if let Some(meta) = &meta
        && let Kind::Message(inner) = meta.kind()
    {
        scopes.push((inner, vec![meta.clone()]));
    }
    for (scope, parents) in scopes {
        for name in names {
            let Some(field) = scope.get_field_by_name(name) else {
                continue;
            };
            let is_type = match (want, field.kind()) {
                (FieldType::String, Kind::String) => true,
                (FieldType::Timestamp, Kind::Message(m)) => {
                    m.full_name() == "google.protobuf.Timestamp"
                }
                _ => false,
            };
            let real_oneof = field.containing_oneof().is_some()
                && !field.field_descriptor_proto().proto3_optional();
            if !is_type || field.is_list() || field.is_map() || real_oneof {
                return Err(format!(
                    "field {}.{name} is read as a CloudEvents attribute and must be a singular {}",
                    scope.full_name(),
                    match want {
                        FieldType::String => "string",
                        FieldType::Timestamp => "google.protobuf.Timestamp",
                    }
                ));
            }
            let mut path = parents;
            path.push(field);
            return Ok(Some(path));
        }
    }
    Ok(None)
}

/// The body of `fn event_fields`: an `EventFields` literal reading each attribute's
/// field (an `Option` through `meta`).
fn event_fields_expression(message: &MessageDescriptor) -> Result<String> {
    let mut entries = String::new();
    for (attribute, names, want) in EVENT_FIELDS {
        let path = attribute_field(message, names, want)
            .map_err(|e| anyhow::anyhow!("{}: {e}", message.full_name()))?;
        let expression = match path {
            None => "::core::option::Option::None".to_owned(),
            Some(path) => {
                let (last, parents) = path.split_last().expect("a path has one field at least");
                let dotted = path
                    .iter()
                    .map(|f| f.name().to_owned())
                    .collect::<Vec<_>>()
                    .join(".");
                let leaf = ident::field(last);
                let optional = Storage::of(last) == Storage::Optional;
                let field = |value: &str| {
                    let value = if value == "value" {
                        "value".to_owned()
                    } else {
                        format!("value: {value}")
                    };
                    format!("::common_eventing::eventing::Field {{ path: {dotted:?}, {value} }}")
                };
                // A plain string is always there; an optional string or a Timestamp
                // may be unset.
                let read = match (want, optional) {
                    (FieldType::String, false) => None,
                    (FieldType::String, true) => Some("as_deref"),
                    (FieldType::Timestamp, _) => Some("as_ref"),
                };
                match (parents, read) {
                    ([], None) => format!(
                        "::core::option::Option::Some({})",
                        field(&format!("self.{leaf}.as_str()"))
                    ),
                    ([], Some(read)) => {
                        format!("self.{leaf}.{read}().map(|value| {})", field("value"))
                    }
                    ([meta], None) => format!(
                        "self.{}.as_ref().map(|m| {})",
                        ident::field(meta),
                        field(&format!("m.{leaf}.as_str()"))
                    ),
                    ([meta], Some(read)) => format!(
                        "self.{}.as_ref().and_then(|m| m.{leaf}.{read}()).map(|value| {})",
                        ident::field(meta),
                        field("value")
                    ),
                    _ => unreachable!("attributes are read at most one level down"),
                }
            }
        };
        entries.push_str(&format!("\n            {attribute}: {expression},"));
    }
    Ok(format!(
        "::common_eventing::eventing::EventFields {{{entries}\n        }}"
    ))
}

/// `impl ::common_eventing::Eventing for <Type>` for each annotated message of `package`.
/// `rust_type` maps a full proto message name to its path relative to the package module.
pub fn generate_impls(input: &Input, model: &PackageModel) -> Result<String> {
    let (pool, specs, package) = (input.pool, input.events, model.name.as_str());
    let mut out = String::new();
    for spec in specs {
        let message = pool
            .get_message_by_name(&spec.message)
            .expect("collected from this pool");
        if message.package_name() != package {
            continue;
        }
        let rust_path = ident::message_path(&message);
        let list = |paths: &[String]| {
            paths
                .iter()
                .map(|p| format!("{p:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let exprs = |paths: &[String]| -> Result<String> {
            Ok(paths
                .iter()
                .map(|p| key_expression(&message, p))
                .collect::<Result<Vec<_>>>()?
                .join(", "))
        };
        out.push_str(&format!(
            "\n/// Routing of `{name}` (stream `{stream}`), from its eventing option.\n\
             impl ::common_eventing::Eventing for {rust_path} {{\n\
             \x20   const STABLE_TYPE: &'static str = {stable:?};\n\
             \x20   const SCHEMA_SUBJECT: &'static str = {subject:?};\n\
             \x20   const STREAM_REF: &'static str = {stream:?};\n\
             \x20   const PARTITION_KEY_FIELDS: &'static [&'static str] = &[{pk}];\n\
             \x20   const IDEMPOTENCY_KEY_FIELDS: &'static [&'static str] = &[{ik}];\n\
             \x20   fn partition_key_values(&self) -> ::prost::alloc::vec::Vec<::prost::alloc::string::String> {{\n\
             \x20       ::prost::alloc::vec![{pk_exprs}]\n\
             \x20   }}\n\
             \x20   fn idempotency_key_values(&self) -> ::prost::alloc::vec::Vec<::prost::alloc::string::String> {{\n\
             \x20       ::prost::alloc::vec![{ik_exprs}]\n\
             \x20   }}\n\
             \x20   fn event_fields(&self) -> ::common_eventing::eventing::EventFields<'_> {{\n\
             \x20       {fields}\n\
             \x20   }}\n\
             }}\n",
            name = spec.message,
            stream = spec.stream_ref,
            stable = spec.stable_type,
            subject = spec.schema_subject,
            pk = list(&spec.partition_key_fields),
            ik = list(&spec.idempotency_key_fields),
            pk_exprs = exprs(&spec.partition_key_fields)?,
            ik_exprs = exprs(&spec.idempotency_key_fields)?,
            fields = event_fields_expression(&message)?,
        ));
    }
    Ok(out)
}

/// `visit_messages`: calls `visitor.visit::<M>()` for every message type of `package`
/// (nested ones included, map entries excluded), in declaration order.
pub fn generate_visitor(input: &Input, model: &PackageModel) -> Result<String> {
    // Only where the JSON generator writes impls: the visitors require `JsonMessage`.
    if !crate::codegen::generators::json::writes(model) {
        return Ok(String::new());
    }
    // In the order the events were collected (by name), as before the model.
    let events: String = (input.events.iter())
        .filter_map(|e| model.messages.iter().find(|m| m.full_name() == e.message))
        .map(|m| format!("    visitor.visit::<{}>();\n", m.path))
        .collect();
    let events = if events.is_empty() {
        String::new()
    } else {
        format!(
            "\n/// Calls `visitor.visit::<M>()` once for every event type of this package (the\n\
             /// messages with the eventing option). Needs the `validate` feature too.\n\
             #[cfg(feature = \"validate\")]\n\
             pub fn visit_events<V: ::common_eventing::EventVisitor>(visitor: &mut V) {{\n{events}}}\n"
        )
    };
    let calls: String = (model.messages.iter())
        .map(|m| format!("    visitor.visit::<{}>();\n", m.path))
        .collect();
    Ok(format!(
        "\n/// Calls `visitor.visit::<M>()` once for every message type of this package\n\
         /// (nested ones included): register them all for `Any` JSON, build per-type\n\
         /// tables, and so on, without listing types by hand.\n\
         pub fn visit_messages<V: ::common_eventing::MessageVisitor>(visitor: &mut V) {{\n{calls}}}\n{events}"
    ))
}
