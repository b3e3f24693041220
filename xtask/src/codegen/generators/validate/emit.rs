//! The Rust of the `Validate` impls: per field, the checks protovalidate runs, in the
//! order it runs them, each reporting protovalidate's rule id, message and paths.

use super::rules::{self, FieldRules, IntRules, StringRules, TypeRules};
use crate::codegen::model::{Field, Message, Oneof, PackageModel, Storage, presence};
use crate::codegen::registry::Input;
use anyhow::{Result, bail};
use prost_reflect::{DescriptorPool, FieldDescriptor, Kind, MessageDescriptor};
use std::collections::HashMap;
use std::fmt::Write as _;

/// The `Validate` impl of every message of the package.
pub fn generate(input: &Input, model: &PackageModel) -> Result<String> {
    let pool = input.pool;
    let mut memo = HashMap::new();
    let mut out = String::new();
    let mut visits = String::new();
    for message in &model.messages {
        rules::check_message(pool, &message.descriptor)?;
        let ty = &message.path;
        let _ = writeln!(visits, "    visitor.visit::<{ty}>();");
        if !has_rules(pool, &message.descriptor, &mut memo)? {
            let _ = write!(
                out,
                "\n/// `{full}` has no `buf.validate` rules, nor has any message below it.\n\
                 impl ::common_eventing::validate::Validate for {ty} {{}}\n",
                full = message.full_name()
            );
            continue;
        }
        let mut body = String::new();
        for oneof in &message.oneofs {
            oneof_code(pool, message, oneof, &mut memo, &mut body)?;
        }
        for field in &message.fields {
            if !matches!(field.storage, Storage::Case { .. }) {
                field_code(pool, field, &mut memo, &mut body)?;
            }
        }
        let _ = write!(
            out,
            "\n/// The `buf.validate` rules of `{full}`.\n\
             impl ::common_eventing::validate::Validate for {ty} {{\n\
             \x20   #[allow(clippy::all, unused_variables)]\n\
             \x20   fn validate_into(&self, cx: &mut ::common_eventing::__codegen::validate::Cx) {{\n\
             \x20       use ::common_eventing::__codegen::validate as rt;\n\
             {body}\
             \x20   }}\n\
             }}\n",
            full = message.full_name()
        );
    }
    if !visits.is_empty() {
        let _ = write!(
            out,
            "\n/// Calls `visitor.visit::<M>()` once for every message type of this package\n\
             /// (nested ones included), each with its [`Validate`](::common_eventing::validate::Validate) impl.\n\
             pub fn visit_validated<V: ::common_eventing::validate::ValidateVisitor>(visitor: &mut V) {{\n\
             {visits}\
             }}\n"
        );
    }
    Ok(out)
}

/// Whether the message or any message below it has a rule (each answer from a full
/// search of what the message reaches, so a cycle never hides a rule).
pub fn has_rules(
    pool: &DescriptorPool,
    message: &MessageDescriptor,
    memo: &mut HashMap<String, bool>,
) -> Result<bool> {
    if let Some(known) = memo.get(message.full_name()) {
        return Ok(*known);
    }
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![message.clone()];
    let mut any = false;
    while let Some(m) = stack.pop() {
        if !seen.insert(m.full_name().to_string()) {
            continue;
        }
        if own_rules(pool, &m)? {
            any = true;
            break;
        }
        stack.extend(m.fields().filter_map(|f| nested_message(&f)));
    }
    memo.insert(message.full_name().to_string(), any);
    Ok(any)
}

/// Whether the message itself has a rule (on a field or a oneof).
fn own_rules(pool: &DescriptorPool, message: &MessageDescriptor) -> Result<bool> {
    for oneof in message.oneofs().filter(|o| !o.is_synthetic()) {
        if rules::oneof_required(pool, &oneof)? {
            return Ok(true);
        }
    }
    for field in message.fields() {
        if rules::field_rules(pool, &field)?.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The message a field holds (a map's value message, not its entry).
fn nested_message(field: &FieldDescriptor) -> Option<MessageDescriptor> {
    match field.kind() {
        Kind::Message(m) if m.is_map_entry() => match m.map_entry_value_field().kind() {
            Kind::Message(v) => Some(v),
            _ => None,
        },
        Kind::Message(m) => Some(m),
        _ => None,
    }
}

fn type_number(field: &FieldDescriptor) -> i32 {
    field.field_descriptor_proto().r#type.unwrap_or_default()
}

/// The `rt::Field` constant of a field.
fn field_const(field: &FieldDescriptor) -> String {
    let (key, value) = match field.kind() {
        Kind::Message(m) if m.is_map_entry() => (
            type_number(&m.map_entry_key_field()),
            type_number(&m.map_entry_value_field()),
        ),
        _ => (0, 0),
    };
    format!(
        "const F: rt::Field = rt::Field {{ number: {}, name: {:?}, ty: {}, key: {key}, value: {value} }};",
        field.number(),
        field.name(),
        type_number(field)
    )
}

/// How a check reports: on the field, on an element, on a map entry's key or value.
#[derive(Clone, Copy)]
enum At<'a> {
    Field,
    Item,
    Key(&'a str),
    Value(&'a str),
}

fn report(at: At, rule: &str) -> String {
    match at {
        At::Field => format!("cx.violation(&F, {rule});"),
        At::Item => format!("cx.item_violation(&F, i, {rule});"),
        At::Key(sub) => format!("cx.entry_violation(&F, {sub}, {rule}, true);"),
        At::Value(sub) => format!("cx.entry_violation(&F, {sub}, {rule}, false);"),
    }
}

/// A `&rt::Rule` literal (promoted to a `'static`).
fn rule(pool: &DescriptorPool, path: &[&str], id: &str, message: &str) -> Result<String> {
    let mut elements = Vec::new();
    let mut at = pool
        .get_message_by_name("buf.validate.FieldRules")
        .ok_or_else(|| anyhow::anyhow!("buf/validate/validate.proto is not compiled"))?;
    for (i, name) in path.iter().enumerate() {
        let Some(field) = at.get_field_by_name(name) else {
            bail!(
                "buf.validate rule path {path:?}: no field {name} in {}",
                at.full_name()
            );
        };
        elements.push(format!(
            "::common_eventing::validate::RulePathElement {{ field_number: {}, field_name: {name:?}, field_type: {} }}",
            field.number(),
            type_number(&field)
        ));
        if i + 1 < path.len() {
            match field.kind() {
                Kind::Message(m) => at = m,
                _ => bail!("buf.validate rule path {path:?}: {name} is not a message"),
            }
        }
    }
    Ok(format!(
        "&rt::Rule {{ id: {id:?}, message: {message:?}, path: &[{}] }}",
        elements.join(", ")
    ))
}

/// The rule ids and message templates (`%s`: the rule's value), as the CEL of
/// `buf/validate/validate.proto` defines them (a test checks each against it).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("string.min_len", "must be at least %s characters"),
    ("string.max_len", "must be at most %s characters"),
    ("string.min_bytes", "must be at least %s bytes"),
    ("string.max_bytes", "must be at most %s bytes"),
    ("string.pattern", "does not match regex pattern `%s`"),
    ("string.not_contains", "contains substring `%s`"),
    ("int.gte", "must be greater than or equal to %s"),
    ("int.lte", "must be less than or equal to %s"),
    (
        "int.gte_lte",
        "must be greater than or equal to %s and less than or equal to %s",
    ),
    ("enum.not_in", "must not be in list %s"),
    ("repeated.min_items", "must contain at least %s item(s)"),
    ("repeated.max_items", "must contain no more than %s item(s)"),
    ("map.min_pairs", "map must be at least %s entries"),
    ("map.max_pairs", "map must be at most %s entries"),
];

fn message_of(key: &str, values: &[String]) -> String {
    let template = TEMPLATES
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, t)| *t)
        .unwrap_or_else(|| panic!("no template {key}"));
    let mut out = String::new();
    let mut values = values.iter();
    let mut parts = template.split("%s").peekable();
    while let Some(part) = parts.next() {
        out.push_str(part);
        if parts.peek().is_some() {
            out.push_str(values.next().map_or("", String::as_str));
        }
    }
    out
}

/// The checks of `rules` on the value `v` (a reference) of kind `kind`.
fn value_checks(
    pool: &DescriptorPool,
    prefix: &[&'static str],
    rules: &FieldRules,
    kind: &Kind,
    at: At,
    out: &mut String,
) -> Result<()> {
    let path = |rest: &[&'static str]| -> Vec<&'static str> {
        prefix.iter().chain(rest).copied().collect()
    };
    match &rules.typed {
        None => {}
        Some(TypeRules::String(s)) => string_checks(pool, &path(&["string"]), s, at, out)?,
        Some(TypeRules::Int(i)) => int_checks(pool, &path(&[i.ty]), i, at, out)?,
        Some(TypeRules::Enum(e)) => {
            let Kind::Enum(descriptor) = kind else {
                bail!("enum rules on a {kind:?}");
            };
            if e.defined_only {
                let values: Vec<String> = descriptor
                    .values()
                    .map(|v| v.number().to_string())
                    .collect();
                let r = rule(
                    pool,
                    &path(&["enum", "defined_only"]),
                    "enum.defined_only",
                    "value must be one of the defined enum values",
                )?;
                let _ = writeln!(
                    out,
                    "            if !::core::matches!(*v, {}) {{ {} }}",
                    values.join(" | "),
                    report(at, &r)
                );
            }
            if !e.not_in.is_empty() {
                let list: Vec<String> = e.not_in.iter().map(i32::to_string).collect();
                let message = message_of("enum.not_in", &[format!("[{}]", list.join(", "))]);
                let list: Vec<String> = e
                    .not_in
                    .iter()
                    .copied()
                    .collect::<std::collections::BTreeSet<i32>>()
                    .iter()
                    .map(i32::to_string)
                    .collect();
                let r = rule(pool, &path(&["enum", "not_in"]), "enum.not_in", &message)?;
                let _ = writeln!(
                    out,
                    "            if ::core::matches!(*v, {}) {{ {} }}",
                    list.join(" | "),
                    report(at, &r)
                );
            }
        }
        Some(TypeRules::Repeated(_) | TypeRules::Map(_)) => {
            bail!("repeated or map rules on a single value")
        }
    }
    Ok(())
}

fn string_checks(
    pool: &DescriptorPool,
    path: &[&'static str],
    s: &StringRules,
    at: At,
    out: &mut String,
) -> Result<()> {
    let p = |rule_name: &'static str| -> Vec<&'static str> {
        let mut v = path.to_vec();
        v.push(rule_name);
        v
    };
    // protovalidate's order: the StringRules fields by number.
    let bounds = [
        ("min_len", s.min_len, "rt::fewer_chars_than(v, {n})"),
        ("max_len", s.max_len, "rt::more_chars_than(v, {n})"),
        ("min_bytes", s.min_bytes, "v.len() < {n}"),
        ("max_bytes", s.max_bytes, "v.len() > {n}"),
    ];
    for (name, bound, cond) in bounds {
        let Some(n) = bound else { continue };
        if n == 0 && name.starts_with("min") {
            continue; // holds always
        }
        let id = format!("string.{name}");
        let message = message_of(&id, &[n.to_string()]);
        let r = rule(pool, &p(name), &id, &message)?;
        let cond = cond.replace("{n}", &n.to_string());
        let _ = writeln!(out, "            if {cond} {{ {} }}", report(at, &r));
    }
    if let Some(pattern) = &s.pattern {
        let translated = super::pattern::translate(pattern)?;
        let message = message_of("string.pattern", std::slice::from_ref(pattern));
        let r = rule(pool, &p("pattern"), "string.pattern", &message)?;
        let _ = writeln!(
            out,
            "            {{ static P: rt::Pattern = rt::Pattern::new({translated:?}); if !P.is_match(v) {{ {} }} }}",
            report(at, &r)
        );
    }
    if let Some(needle) = &s.not_contains {
        let message = message_of("string.not_contains", std::slice::from_ref(needle));
        let r = rule(pool, &p("not_contains"), "string.not_contains", &message)?;
        let _ = writeln!(
            out,
            "            if v.contains({needle:?}) {{ {} }}",
            report(at, &r)
        );
    }
    Ok(())
}

fn int_checks(
    pool: &DescriptorPool,
    path: &[&'static str],
    i: &IntRules,
    at: At,
    out: &mut String,
) -> Result<()> {
    let ty = i.ty;
    let suffix = match ty {
        "int32" => "i32",
        "int64" => "i64",
        "uint32" => "u32",
        _ => "u64",
    };
    let (min, max): (i128, i128) = match ty {
        "int32" => (i32::MIN.into(), i32::MAX.into()),
        "int64" => (i64::MIN.into(), i64::MAX.into()),
        "uint32" => (0, u32::MAX.into()),
        _ => (0, u64::MAX.into()),
    };
    let mut p = path.to_vec();
    let (id, message, cond) = match (i.gte, i.lte) {
        (Some(g), Some(l)) => {
            p.push("gte");
            (
                format!("{ty}.gte_lte"),
                message_of("int.gte_lte", &[g.to_string(), l.to_string()]),
                // A bound at the type's limit holds always: only the other is tested.
                match (g == min, l == max) {
                    (true, true) => "false".to_string(),
                    (true, false) => format!("*v > {l}{suffix}"),
                    (false, true) => format!("*v < {g}{suffix}"),
                    (false, false) => format!("!({g}{suffix}..={l}{suffix}).contains(v)"),
                },
            )
        }
        (Some(g), None) => {
            p.push("gte");
            (
                format!("{ty}.gte"),
                message_of("int.gte", &[g.to_string()]),
                if g == min {
                    "false".to_string()
                } else {
                    format!("*v < {g}{suffix}")
                },
            )
        }
        (None, Some(l)) => {
            p.push("lte");
            (
                format!("{ty}.lte"),
                message_of("int.lte", &[l.to_string()]),
                if l == max {
                    "false".to_string()
                } else {
                    format!("*v > {l}{suffix}")
                },
            )
        }
        (None, None) => return Ok(()),
    };
    if cond == "false" {
        return Ok(());
    }
    let r = rule(pool, &p, &id, &message)?;
    let _ = writeln!(out, "            if {cond} {{ {} }}", report(at, &r));
    Ok(())
}

/// The `Subscript` expression of a map key `k` (a reference).
fn key_subscript(kind: &Kind) -> Result<&'static str> {
    Ok(match kind {
        Kind::String => "rt::Subscript::StringKey(::std::string::String::clone(k))",
        Kind::Bool => "rt::Subscript::BoolKey(*k)",
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => "rt::Subscript::IntKey(i64::from(*k))",
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => "rt::Subscript::IntKey(*k)",
        Kind::Uint32 | Kind::Fixed32 => "rt::Subscript::UintKey(u64::from(*k))",
        Kind::Uint64 | Kind::Fixed64 => "rt::Subscript::UintKey(*k)",
        other => bail!("map key of kind {other:?}"),
    })
}

fn field_code(
    pool: &DescriptorPool,
    model: &Field,
    memo: &mut HashMap<String, bool>,
    out: &mut String,
) -> Result<()> {
    let field = &model.descriptor;
    let rules = rules::field_rules(pool, field)?.unwrap_or_default();
    let nested = match model.message_type() {
        Some(m) => has_rules(pool, &m, memo)?,
        None => false,
    };
    if rules == FieldRules::default() && !nested {
        return Ok(());
    }
    if field.cardinality() == prost_reflect::Cardinality::Required {
        bail!(
            "{}: proto2 `required` fields are not supported by the validator generator",
            field.full_name()
        );
    }
    let (name, kind) = (&model.ident, &model.kind);
    let _ = writeln!(out, "        {{\n            {}", field_const(field));
    match &model.storage {
        Storage::Map { key: kk, value: vk } => {
            let _ = writeln!(out, "            let m = &self.{name};");
            let map = match &rules.typed {
                Some(TypeRules::Map(m)) => m.clone(),
                _ => Default::default(),
            };
            let mut body = String::new();
            for (bound, name_, op, key) in [
                (map.min_pairs, "min_pairs", "<", "map.min_pairs"),
                (map.max_pairs, "max_pairs", ">", "map.max_pairs"),
            ] {
                // A lower bound of 0 holds always (and `< 0` on a length does not compile
                // warning-free).
                if let Some(n) = bound.filter(|n| *n > 0 || op == ">") {
                    let r = rule(
                        pool,
                        &["map", name_],
                        key,
                        &message_of(key, &[n.to_string()]),
                    )?;
                    let _ = writeln!(
                        body,
                        "            if (m.len() as u64) {op} {n} {{ {} }}",
                        report(At::Field, &r)
                    );
                }
            }
            let sub = key_subscript(kk)?;
            let mut entry_body = String::new();
            if let Some(keys) = &map.keys {
                let mut s = String::new();
                value_checks(pool, &["map", "keys"], keys, kk, At::Key(sub), &mut s)?;
                let _ = write!(entry_body, "            {{ let v = k;\n{s}            }}\n");
            }
            if let Some(values) = &map.values {
                let mut s = String::new();
                value_checks(pool, &["map", "values"], values, vk, At::Value(sub), &mut s)?;
                let _ = write!(entry_body, "            {{ let v = x;\n{s}            }}\n");
            }
            if nested {
                let _ = writeln!(
                    entry_body,
                    "            cx.nested(&F, ::core::option::Option::Some({sub}), x);"
                );
            }
            if !entry_body.is_empty() {
                let _ = write!(
                    body,
                    "            for (k, x) in m.iter() {{\n{entry_body}            }}\n"
                );
            }
            required_or(out, rules.required, "m", &body);
        }
        Storage::Repeated { .. } => {
            let list = match &rules.typed {
                Some(TypeRules::Repeated(r)) => r.clone(),
                _ => Default::default(),
            };
            let _ = writeln!(out, "            let l = &self.{name};");
            let whole = std::mem::take(out);
            for (bound, name_, op, key) in [
                (list.min_items, "min_items", "<", "repeated.min_items"),
                (list.max_items, "max_items", ">", "repeated.max_items"),
            ] {
                if let Some(n) = bound.filter(|n| *n > 0 || op == ">") {
                    let r = rule(
                        pool,
                        &["repeated", name_],
                        key,
                        &message_of(key, &[n.to_string()]),
                    )?;
                    let _ = writeln!(
                        out,
                        "            if (l.len() as u64) {op} {n} {{ {} }}",
                        report(At::Field, &r)
                    );
                }
            }
            let mut item_body = String::new();
            if let Some(items) = &list.items {
                value_checks(
                    pool,
                    &["repeated", "items"],
                    items,
                    kind,
                    At::Item,
                    &mut item_body,
                )?;
            }
            if nested {
                let _ = writeln!(
                    item_body,
                    "            cx.nested(&F, ::core::option::Option::Some(rt::Subscript::Index(i as u64)), v);"
                );
            }
            if !item_body.is_empty() {
                let _ = write!(
                    out,
                    "            for (i, v) in l.iter().enumerate() {{\n{item_body}            }}\n"
                );
            }
            let checks = std::mem::replace(out, whole);
            required_or(out, rules.required, "l", &checks);
        }
        Storage::Message { .. } | Storage::Optional => {
            let mut some = String::new();
            value_checks(pool, &[], &rules, kind, At::Field, &mut some)?;
            if nested {
                let _ = writeln!(
                    some,
                    "            cx.nested(&F, ::core::option::Option::None, v);"
                );
            }
            let none = if rules.required {
                "cx.violation(&F, &rt::REQUIRED);"
            } else {
                ""
            };
            let _ = write!(
                out,
                "            match &self.{name} {{\n\
             \x20               ::core::option::Option::Some(v) => {{\n{some}            }}\n\
             \x20               ::core::option::Option::None => {{ {none} }}\n\
             \x20           }}\n"
            );
        }
        Storage::Implicit => {
            let _ = writeln!(out, "            let v = &self.{name};");
            let mut checks = String::new();
            value_checks(pool, &[], &rules, kind, At::Field, &mut checks)?;
            if rules.required {
                let _ = write!(
                    out,
                    "            if {} {{ cx.violation(&F, &rt::REQUIRED); }} else {{\n{checks}            }}\n",
                    presence(kind, "(*v)", false, true)
                );
            } else {
                out.push_str(&checks);
            }
        }
        Storage::Case { .. } => bail!(
            "{}: a oneof case is checked with its oneof",
            field.full_name()
        ),
    }
    out.push_str("        }\n");
    Ok(())
}

/// The checks of a list or map `var`, after its `required` rule when it has one:
/// `required` fails alone, nothing else is checked on an empty list or map.
fn required_or(out: &mut String, required: bool, var: &str, checks: &str) {
    if required {
        let _ = write!(
            out,
            "            if {var}.is_empty() {{ cx.violation(&F, &rt::REQUIRED); }} else {{\n{checks}            }}\n"
        );
    } else {
        out.push_str(checks);
    }
}

fn oneof_code(
    pool: &DescriptorPool,
    message: &Message,
    oneof: &Oneof,
    memo: &mut HashMap<String, bool>,
    out: &mut String,
) -> Result<()> {
    let required = rules::oneof_required(pool, &oneof.descriptor)?;
    let ty = &oneof.ty;
    let mut arms = String::new();
    let mut all = true;
    for case in message.cases(oneof) {
        let (field, Storage::Case { variant, .. }) = (&case.descriptor, &case.storage) else {
            unreachable!("a case")
        };
        let rules = rules::field_rules(pool, field)?.unwrap_or_default();
        let nested = match case.message_type() {
            Some(m) => has_rules(pool, &m, memo)?,
            None => false,
        };
        if rules == FieldRules::default() && !nested {
            all = false;
            continue;
        }
        let mut body = String::new();
        value_checks(pool, &[], &rules, &case.kind, At::Field, &mut body)?;
        if nested {
            let _ = writeln!(
                body,
                "            cx.nested(&F, ::core::option::Option::None, v);"
            );
        }
        let _ = write!(
            arms,
            "            ::core::option::Option::Some({ty}::{variant}(v)) => {{\n\
             \x20           {f}\n{body}            }}\n",
            f = field_const(field),
        );
    }
    if !required && arms.is_empty() {
        return Ok(());
    }
    let none = if required {
        format!("cx.oneof_violation({:?});", oneof.descriptor.name())
    } else {
        String::new()
    };
    let other = if all {
        ""
    } else {
        "            ::core::option::Option::Some(_) => {}\n"
    };
    let _ = write!(
        out,
        "        match &self.{name} {{\n{arms}{other}            ::core::option::Option::None => {{ {none} }}\n        }}\n",
        name = oneof.ident,
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::TEMPLATES;

    /// Every rule id and message template is the one `validate.proto`'s CEL writes.
    #[test]
    fn templates_are_validate_protos() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../proto/buf/validate/validate.proto"
        ))
        .unwrap();
        for (id, template) in TEMPLATES {
            let ids: Vec<String> = match id.strip_prefix("int.") {
                Some(rest) => ["int32", "int64", "uint32", "uint64"]
                    .iter()
                    .map(|t| format!("{t}.{rest}"))
                    .collect(),
                None => vec![id.to_string()],
            };
            for id in ids {
                let at = text
                    .find(&format!("id: \"{id}\""))
                    .unwrap_or_else(|| panic!("{id} is not in validate.proto"));
                let cel = &text[at..at + 600.min(text.len() - at)];
                // CEL's `%s` and `%d` format an integer alike.
                assert!(
                    cel.contains(&format!("'{template}'"))
                        || cel.contains(&format!("'{}'", template.replace("%s", "%d"))),
                    "{id}: {template:?} is not its CEL message"
                );
            }
        }
    }
}
