//! The `buf.validate` rules of a field or oneof, read from the descriptors into a
//! typed model: what the validator generator emits code for and the MCP generator
//! turns into JSON Schema keywords. A rule outside the supported set (CEL included)
//! is an error naming the file, the field and the rule, never skipped.

use anyhow::{Result, bail};
use prost_reflect::{
    DescriptorPool, DynamicMessage, FieldDescriptor, Kind, MessageDescriptor, OneofDescriptor,
    Value,
};

/// `(buf.validate.field)`.
pub const FIELD_OPTION: &str = "buf.validate.field";
/// `(buf.validate.oneof)`.
pub const ONEOF_OPTION: &str = "buf.validate.oneof";
/// `(buf.validate.message)`.
pub const MESSAGE_OPTION: &str = "buf.validate.message";

/// The rules of one field (or of a repeated field's items, a map's keys or values).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldRules {
    /// `required`.
    pub required: bool,
    /// The rules of the field's type.
    pub typed: Option<TypeRules>,
}

/// Rules of a field's type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRules {
    /// `string.*`.
    String(StringRules),
    /// `int32.*`, `int64.*`, `uint32.*`, `uint64.*`.
    Int(IntRules),
    /// `enum.*`.
    Enum(EnumRules),
    /// `repeated.*`.
    Repeated(RepeatedRules),
    /// `map.*`.
    Map(MapRules),
}

/// `string.*`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StringRules {
    pub min_len: Option<u64>,
    pub max_len: Option<u64>,
    pub min_bytes: Option<u64>,
    pub max_bytes: Option<u64>,
    /// The RE2 pattern, as written in the `.proto`.
    pub pattern: Option<String>,
    pub not_contains: Option<String>,
}

/// `<int type>.{gte, lte}`.
#[derive(Debug, Clone, PartialEq)]
pub struct IntRules {
    /// `int32`, `int64`, `uint32` or `uint64`.
    pub ty: &'static str,
    pub gte: Option<i128>,
    pub lte: Option<i128>,
}

/// `enum.*`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EnumRules {
    pub defined_only: bool,
    pub not_in: Vec<i32>,
}

/// `repeated.*`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RepeatedRules {
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub items: Option<Box<FieldRules>>,
}

/// `map.*`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MapRules {
    pub min_pairs: Option<u64>,
    pub max_pairs: Option<u64>,
    pub keys: Option<Box<FieldRules>>,
    pub values: Option<Box<FieldRules>>,
}

/// The message-valued extension `name` of an options message, when set.
fn option(pool: &DescriptorPool, options: &DynamicMessage, name: &str) -> Option<DynamicMessage> {
    let extension = pool.get_extension_by_name(name)?;
    if !options.has_extension(&extension) {
        return None;
    }
    match options.get_extension(&extension).as_ref() {
        Value::Message(m) => Some(m.clone()),
        _ => None,
    }
}

fn location(field: &FieldDescriptor) -> String {
    let file = field.parent_file();
    let (line, col) = crate::protos::location(file.file_descriptor_proto(), field.path());
    format!("{}:{line}:{col}: {}", file.name(), field.full_name())
}

/// The field's rules, `None` when it has none.
pub fn field_rules(pool: &DescriptorPool, field: &FieldDescriptor) -> Result<Option<FieldRules>> {
    let Some(rules) = option(pool, &field.options(), FIELD_OPTION) else {
        return Ok(None);
    };
    let shape = if field.is_map() {
        Shape::Map
    } else if field.is_list() {
        Shape::List
    } else {
        Shape::Single
    };
    read(&rules, &field.kind(), shape, field)
        .map(Some)
        .map_err(|e| anyhow::anyhow!("{}: {e}", location(field)))
}

#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Single,
    List,
    Map,
}

fn read(
    rules: &DynamicMessage,
    kind: &Kind,
    shape: Shape,
    field: &FieldDescriptor,
) -> Result<FieldRules> {
    let mut out = FieldRules::default();
    for (rule, value) in rules.fields() {
        let name = rule.name();
        match (name, value) {
            ("required", Value::Bool(b)) => out.required = *b,
            ("string", Value::Message(m)) => {
                expect(kind, shape, "string", matches!(kind, Kind::String))?;
                out.typed = Some(TypeRules::String(string_rules(m)?));
            }
            ("int32" | "int64" | "uint32" | "uint64", Value::Message(m)) => {
                let fits = matches!(
                    (name, kind),
                    ("int32", Kind::Int32)
                        | ("int64", Kind::Int64)
                        | ("uint32", Kind::Uint32)
                        | ("uint64", Kind::Uint64)
                );
                expect(kind, shape, name, fits)?;
                let ty = match name {
                    "int32" => "int32",
                    "int64" => "int64",
                    "uint32" => "uint32",
                    _ => "uint64",
                };
                out.typed = Some(TypeRules::Int(int_rules(ty, m)?));
            }
            ("enum", Value::Message(m)) => {
                expect(kind, shape, "enum", matches!(kind, Kind::Enum(_)))?;
                out.typed = Some(TypeRules::Enum(enum_rules(m)?));
            }
            ("repeated", Value::Message(m)) => {
                if shape != Shape::List {
                    bail!("rule `repeated` on a field that is not repeated");
                }
                out.typed = Some(TypeRules::Repeated(repeated_rules(m, kind, field)?));
            }
            ("map", Value::Message(m)) => {
                if shape != Shape::Map {
                    bail!("rule `map` on a field that is not a map");
                }
                out.typed = Some(TypeRules::Map(map_rules(m, kind, field)?));
            }
            (other, _) => bail!(
                "rule `{other}` is not supported by the validator generator (see \
                 common_eventing::validate for the supported rules)"
            ),
        }
    }
    if out.required
        && shape == Shape::Single
        && field.containing_oneof().is_some()
        && !field.field_descriptor_proto().proto3_optional()
    {
        bail!(
            "rule `required` on a oneof member: put `(buf.validate.oneof).required` on the oneof"
        );
    }
    Ok(out)
}

fn expect(kind: &Kind, shape: Shape, rule: &str, fits: bool) -> Result<()> {
    if shape != Shape::Single || !fits {
        bail!("rule `{rule}` does not apply to a field of type {kind:?}");
    }
    Ok(())
}

fn unsupported(group: &str, rule: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "rule `{group}.{rule}` is not supported by the validator generator (see \
         common_eventing::validate for the supported rules)"
    )
}

fn u64_of(v: &Value) -> u64 {
    v.as_u64().unwrap_or_default()
}

fn string_rules(m: &DynamicMessage) -> Result<StringRules> {
    let mut out = StringRules::default();
    for (rule, value) in m.fields() {
        match rule.name() {
            "min_len" => out.min_len = Some(u64_of(value)),
            "max_len" => out.max_len = Some(u64_of(value)),
            "min_bytes" => out.min_bytes = Some(u64_of(value)),
            "max_bytes" => out.max_bytes = Some(u64_of(value)),
            "pattern" => {
                let p = value.as_str().unwrap_or_default().to_string();
                super::pattern::translate(&p)
                    .map_err(|e| anyhow::anyhow!("rule `string.pattern`: {e}"))?;
                out.pattern = Some(p);
            }
            "not_contains" => {
                out.not_contains = Some(value.as_str().unwrap_or_default().to_string())
            }
            other => return Err(unsupported("string", other)),
        }
    }
    Ok(out)
}

fn int_rules(ty: &'static str, m: &DynamicMessage) -> Result<IntRules> {
    let mut out = IntRules {
        ty,
        gte: None,
        lte: None,
    };
    let num = |v: &Value| -> i128 {
        match v {
            Value::I32(x) => i128::from(*x),
            Value::I64(x) => i128::from(*x),
            Value::U32(x) => i128::from(*x),
            Value::U64(x) => i128::from(*x),
            _ => 0,
        }
    };
    for (rule, value) in m.fields() {
        match rule.name() {
            "gte" => out.gte = Some(num(value)),
            "lte" => out.lte = Some(num(value)),
            other => return Err(unsupported(ty, other)),
        }
    }
    if let (Some(gte), Some(lte)) = (out.gte, out.lte)
        && gte > lte
    {
        bail!(
            "rule `{ty}.gte` ({gte}) above `{ty}.lte` ({lte}): an exclusive range is not supported"
        );
    }
    Ok(out)
}

fn enum_rules(m: &DynamicMessage) -> Result<EnumRules> {
    let mut out = EnumRules::default();
    for (rule, value) in m.fields() {
        match rule.name() {
            "defined_only" => out.defined_only = value.as_bool().unwrap_or_default(),
            "not_in" => {
                out.not_in = value
                    .as_list()
                    .unwrap_or_default()
                    .iter()
                    .filter_map(Value::as_i32)
                    .collect();
            }
            other => return Err(unsupported("enum", other)),
        }
    }
    Ok(out)
}

fn nested(m: &DynamicMessage, kind: &Kind, field: &FieldDescriptor) -> Result<Box<FieldRules>> {
    let rules = read(m, kind, Shape::Single, field)?;
    if rules.required {
        bail!("rule `required` inside `items`, `keys` or `values` is not supported");
    }
    Ok(Box::new(rules))
}

fn repeated_rules(
    m: &DynamicMessage,
    kind: &Kind,
    field: &FieldDescriptor,
) -> Result<RepeatedRules> {
    let mut out = RepeatedRules::default();
    for (rule, value) in m.fields() {
        match (rule.name(), value) {
            ("min_items", v) => out.min_items = Some(u64_of(v)),
            ("max_items", v) => out.max_items = Some(u64_of(v)),
            ("items", Value::Message(items)) => out.items = Some(nested(items, kind, field)?),
            (other, _) => return Err(unsupported("repeated", other)),
        }
    }
    Ok(out)
}

fn map_rules(m: &DynamicMessage, kind: &Kind, field: &FieldDescriptor) -> Result<MapRules> {
    let Kind::Message(entry) = kind else {
        bail!("a map field's kind is its entry");
    };
    let (key, value_kind) = (
        entry.map_entry_key_field().kind(),
        entry.map_entry_value_field().kind(),
    );
    let mut out = MapRules::default();
    for (rule, value) in m.fields() {
        match (rule.name(), value) {
            ("min_pairs", v) => out.min_pairs = Some(u64_of(v)),
            ("max_pairs", v) => out.max_pairs = Some(u64_of(v)),
            ("keys", Value::Message(k)) => out.keys = Some(nested(k, &key, field)?),
            ("values", Value::Message(v)) => out.values = Some(nested(v, &value_kind, field)?),
            (other, _) => return Err(unsupported("map", other)),
        }
    }
    Ok(out)
}

/// Whether the oneof has `(buf.validate.oneof).required = true`; any other oneof
/// rule is an error.
pub fn oneof_required(pool: &DescriptorPool, oneof: &OneofDescriptor) -> Result<bool> {
    let Some(m) = option(pool, &oneof.options(), ONEOF_OPTION) else {
        return Ok(false);
    };
    let mut required = false;
    for (rule, value) in m.fields() {
        match rule.name() {
            "required" => required = value.as_bool().unwrap_or_default(),
            other => bail!(
                "{}: oneof {}: rule `{other}` is not supported by the validator generator",
                oneof.parent_message().parent_file().name(),
                oneof.full_name()
            ),
        }
    }
    Ok(required)
}

/// Fails when the message has `(buf.validate.message)` rules: none is supported
/// (CEL, `oneof` groups), so none may be silently skipped.
pub fn check_message(pool: &DescriptorPool, message: &MessageDescriptor) -> Result<()> {
    if option(pool, &message.options(), MESSAGE_OPTION).is_some() {
        bail!(
            "{}: message {}: `(buf.validate.message)` rules (CEL, oneof groups) are not \
             supported by the validator generator",
            message.parent_file().name(),
            message.full_name()
        );
    }
    Ok(())
}
