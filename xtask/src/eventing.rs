//! The eventing option: reading `(ameide_core_proto.common.v1.eventing)` from the
//! descriptors, validating its field paths, and generating `Eventing` impls.

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

/// 1-based `line:column` of the element at `path` of a file, from its source info.
pub fn location(file: &prost_types::FileDescriptorProto, path: &[i32]) -> (usize, usize) {
    file.source_code_info
        .as_ref()
        .and_then(|info| info.location.iter().find(|l| l.path == path))
        .map(|l| (l.span[0] as usize + 1, l.span[1] as usize + 1))
        .unwrap_or((1, 1))
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

/// Rust field identifier of a proto field (prost's naming: keywords raw).
fn rust_field(name: &str) -> String {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
        "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod",
        "move", "mut", "pub", "ref", "return", "static", "struct", "trait", "true", "type",
        "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
        "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
    ];
    if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_string()
    }
}

/// A Rust expression (of type `String`) reading `path` from `self`.
fn key_expression(message: &MessageDescriptor, path: &str) -> Result<String> {
    let fields = resolve(message, path)
        .map_err(|e| anyhow::anyhow!("{}: {path}: {e}", message.full_name()))?;
    let (last, parents) = fields.split_last().expect("a path has at least one field");
    let to_string = |access: &str| match last.kind() {
        Kind::String => format!("{access}.clone()"),
        Kind::Bytes => {
            format!("{access}.iter().map(|b| format!(\"{{b:02x}}\")).collect::<String>()")
        }
        _ => format!("{access}.to_string()"),
    };
    let optional = last.field_descriptor_proto().proto3_optional();
    let leaf = |base: &str| {
        let access = format!("{base}.{}", rust_field(last.name()));
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
    let mut expr = format!("self.{}.as_ref()", rust_field(parents[0].name()));
    for parent in &parents[1..] {
        expr.push_str(&format!(
            ".and_then(|m| m.{}.as_ref())",
            rust_field(parent.name())
        ));
    }
    Ok(format!("{expr}.map(|m| {}).unwrap_or_default()", leaf("m")))
}

/// `impl ::common_eventing::Eventing for <Type>` for each annotated message of `package`.
/// `rust_type` maps a full proto message name to its path relative to the package module.
pub fn generate_impls(pool: &DescriptorPool, specs: &[EventSpec], package: &str) -> Result<String> {
    let mut out = String::new();
    for spec in specs {
        let message = pool
            .get_message_by_name(&spec.message)
            .expect("collected from this pool");
        if message.package_name() != package {
            continue;
        }
        let rust_path = rust_type_path(&message);
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
             }}\n",
            name = spec.message,
            stream = spec.stream_ref,
            stable = spec.stable_type,
            subject = spec.schema_subject,
            pk = list(&spec.partition_key_fields),
            ik = list(&spec.idempotency_key_fields),
            pk_exprs = exprs(&spec.partition_key_fields)?,
            ik_exprs = exprs(&spec.idempotency_key_fields)?,
        ));
    }
    Ok(out)
}

/// prost's Rust path of a message relative to its package module
/// (`Outer.Inner` → `outer::Inner`).
pub fn rust_type_path(message: &MessageDescriptor) -> String {
    rust_type_path_of(message.full_name(), message.package_name())
}

/// [`rust_type_path`] of any type (message or enum) by full name and package.
pub fn rust_type_path_of(full_name: &str, package: &str) -> String {
    let relative = full_name
        .strip_prefix(package)
        .unwrap_or(full_name)
        .trim_start_matches('.');
    let parts: Vec<&str> = relative.split('.').collect();
    let (name, parents) = parts.split_last().unwrap();
    let mut path: Vec<String> = parents.iter().map(|p| to_snake(p)).collect();
    path.push(to_upper_camel(name));
    path.join("::")
}

fn to_snake(s: &str) -> String {
    heck::ToSnakeCase::to_snake_case(s)
}

/// prost's type naming (`SLOCreated` → `SloCreated`, `MCPCall` → `McpCall`).
fn to_upper_camel(s: &str) -> String {
    heck::ToUpperCamelCase::to_upper_camel_case(s)
}

/// `visit_messages`: calls `visitor.visit::<M>()` for every message type of `package`
/// (nested ones included, map entries excluded), in declaration order.
pub fn generate_visitor(pool: &DescriptorPool, specs: &[EventSpec], package: &str) -> String {
    let mut events = String::new();
    for spec in specs {
        let message = pool
            .get_message_by_name(&spec.message)
            .expect("collected from this pool");
        if message.package_name() == package {
            events.push_str(&format!(
                "    visitor.visit::<{}>();\n",
                rust_type_path(&message)
            ));
        }
    }
    let events = if events.is_empty() {
        String::new()
    } else {
        format!(
            "\n/// Calls `visitor.visit::<M>()` once for every event type of this package (the\n\
             /// messages with the eventing option).\n\
             #[cfg(feature = \"serde\")]\n\
             pub fn visit_events<V: ::common_eventing::EventVisitor>(visitor: &mut V) {{\n{events}}}\n"
        )
    };
    let mut calls = String::new();
    for message in pool.all_messages() {
        if message.package_name() == package && !message.is_map_entry() {
            calls.push_str(&format!(
                "    visitor.visit::<{}>();\n",
                rust_type_path(&message)
            ));
        }
    }
    format!(
        "\n/// Calls `visitor.visit::<M>()` once for every message type of this package\n\
         /// (nested ones included): register them all for `Any` JSON, build per-type\n\
         /// tables, and so on, without listing types by hand.\n\
         #[cfg(feature = \"serde\")]\n\
         pub fn visit_messages<V: ::common_eventing::MessageVisitor>(visitor: &mut V) {{\n{calls}}}\n{events}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prost_names() {
        assert_eq!(to_upper_camel("SLOCreated"), "SloCreated");
        assert_eq!(to_upper_camel("MCPCall"), "McpCall");
        assert_eq!(to_upper_camel("IncidentCreated"), "IncidentCreated");
        assert_eq!(to_upper_camel("SLIWindowRecorded"), "SliWindowRecorded");
        assert_eq!(to_upper_camel("WorkflowPausedHitl"), "WorkflowPausedHitl");
        assert_eq!(to_snake("SreDomainFact"), "sre_domain_fact");
    }
}
