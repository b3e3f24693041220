//! The `buf.validate` rules JSON Schema can say, for the MCP tools' `inputSchema`s:
//! `required`, `minLength` / `maxLength` (both count code points, as protovalidate
//! does), `pattern`, `minimum` / `maximum` (32-bit integers; 64-bit ones are JSON
//! strings), `minItems` / `maxItems`, `minProperties` / `maxProperties`,
//! `propertyNames` for map keys, and an `enum` without the values `not_in` refuses.
//!
//! JSON Schema patterns are ECMA-262 regexes, not RE2: the pattern is written as
//! translated for the `regex` crate ([`super::pattern`]: `\d`, `\w`, `\s` spelled as
//! ASCII classes), which reads the same in ECMA-262 for the patterns the protos use.
//! A pattern with a construct the two read differently (flags, nested or POSIX
//! classes, Unicode properties, `\x{..}`, `\A`, `\z`) is left out. Either way the
//! adapter validates the parsed request with the generated rules, so the schema is
//! the agent's guide and the rules are the check. `min_bytes`, `max_bytes` and
//! `not_contains` have no keyword and are not described.

use super::pattern;
use super::rules::{self, FieldRules, TypeRules};
use prost_reflect::{FieldDescriptor, Kind};
use serde_json::{Value as Json, json};

/// Whether `field` must be present in the JSON (its `required` rule).
pub fn is_required(field: &FieldDescriptor) -> bool {
    // Unsupported rules already failed codegen in the validator generator.
    rules::field_rules(field.parent_pool(), field)
        .ok()
        .flatten()
        .is_some_and(|r| r.required)
}

/// Adds the keywords of `field`'s rules to its value schema.
pub fn constrain(field: &FieldDescriptor, schema: &mut Json) {
    let Ok(Some(rules)) = rules::field_rules(field.parent_pool(), field) else {
        return;
    };
    match &rules.typed {
        Some(TypeRules::Repeated(r)) => {
            set(schema, "minItems", r.min_items.map(Json::from));
            set(schema, "maxItems", r.max_items.map(Json::from));
            if let Some(items) = &r.items {
                single(items, &field.kind(), &mut schema["items"]);
            }
        }
        Some(TypeRules::Map(m)) => {
            set(schema, "minProperties", m.min_pairs.map(Json::from));
            set(schema, "maxProperties", m.max_pairs.map(Json::from));
            if let Some(keys) = &m.keys {
                let mut names = json!({"type": "string"});
                single(keys, &Kind::String, &mut names);
                schema["propertyNames"] = names;
            }
            if let (Some(values), Kind::Message(entry)) = (&m.values, field.kind()) {
                let kind = entry.map_entry_value_field().kind();
                single(values, &kind, &mut schema["additionalProperties"]);
            }
        }
        _ => single(&rules, &field.kind(), schema),
    }
}

/// Whether a translated pattern reads the same in ECMA-262 (u-mode): no flags, no
/// nested or POSIX classes, no Unicode properties, no `\x{..}`, `\A`, `\z`.
fn ecma_safe(pattern: &str) -> bool {
    !["(?", "[[", "[:", "\\p", "\\P", "\\x", "\\A", "\\z", "&&"]
        .iter()
        .any(|s| pattern.contains(s))
}

fn set(schema: &mut Json, key: &str, value: Option<Json>) {
    if let (Some(value), Json::Object(map)) = (value, schema) {
        map.insert(key.to_string(), value);
    }
}

/// The keywords of the rules of one value.
fn single(rules: &FieldRules, kind: &Kind, schema: &mut Json) {
    match &rules.typed {
        Some(TypeRules::String(s)) => {
            set(schema, "minLength", s.min_len.map(Json::from));
            set(schema, "maxLength", s.max_len.map(Json::from));
            if let Some(p) = &s.pattern
                && let Ok(translated) = pattern::translate(p)
                && ecma_safe(&translated)
            {
                set(schema, "pattern", Some(Json::from(translated)));
            }
        }
        Some(TypeRules::Int(i))
            if matches!(i.ty, "int32" | "uint32") && schema["type"] == "integer" =>
        {
            set(schema, "minimum", i.gte.map(|v| Json::from(v as i64)));
            set(schema, "maximum", i.lte.map(|v| Json::from(v as i64)));
        }
        Some(TypeRules::Enum(e)) => {
            if let (Kind::Enum(descriptor), Some(Json::Array(names))) =
                (kind, schema.get_mut("enum"))
            {
                let refused: Vec<String> = descriptor
                    .values()
                    .filter(|v| e.not_in.contains(&v.number()))
                    .map(|v| v.name().to_string())
                    .collect();
                names.retain(|n| !n.as_str().is_some_and(|n| refused.iter().any(|r| r == n)));
            }
        }
        _ => {}
    }
}
