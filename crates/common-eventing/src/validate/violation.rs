//! [`Violation`] and [`Violations`]: what a broken rule reports, in the shape of
//! `buf.validate.Violation`.

use std::fmt;

/// The index or key a [`FieldPathElement`] selects in a repeated or map field
/// (`buf.validate.FieldPathElement.subscript`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subscript {
    /// An element of a repeated field.
    Index(u64),
    /// A `bool` map key.
    BoolKey(bool),
    /// A signed integer map key.
    IntKey(i64),
    /// An unsigned integer map key.
    UintKey(u64),
    /// A string map key.
    StringKey(String),
}

/// One step of a field path (`buf.validate.FieldPathElement`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldPathElement {
    /// The field's number; `None` for a oneof.
    pub field_number: Option<i32>,
    /// The field's (or oneof's) name in the `.proto`.
    pub field_name: &'static str,
    /// The field's `google.protobuf.FieldDescriptorProto.Type` number (9 string, 11
    /// message, 14 enum, ...); `None` for a oneof.
    pub field_type: Option<i32>,
    /// For a map field, the key's type number.
    pub key_type: Option<i32>,
    /// For a map field, the value's type number.
    pub value_type: Option<i32>,
    /// The element of a repeated field or the entry of a map this step selects.
    pub subscript: Option<Subscript>,
}

/// One step of the path of a rule inside `buf.validate.FieldRules` (for
/// `string.max_len`: `string` = 14, then `max_len` = 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RulePathElement {
    /// The rule field's number.
    pub field_number: i32,
    /// The rule field's name.
    pub field_name: &'static str,
    /// The rule field's type number.
    pub field_type: i32,
}

/// One broken rule (`buf.validate.Violation`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Violation {
    pub(crate) field: Vec<FieldPathElement>,
    pub(crate) rule: &'static [RulePathElement],
    pub(crate) rule_id: &'static str,
    pub(crate) message: &'static str,
    pub(crate) for_key: bool,
}

impl Violation {
    /// The path of the field that broke the rule, in protovalidate's string form:
    /// `meta.tenant_id`, `items[2].name`, `labels["k"]`.
    pub fn field_path(&self) -> String {
        let mut out = String::new();
        for (i, element) in self.field.iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            out.push_str(element.field_name);
            match &element.subscript {
                None => {}
                Some(Subscript::Index(i)) => out.push_str(&format!("[{i}]")),
                Some(Subscript::BoolKey(b)) => out.push_str(&format!("[{b}]")),
                Some(Subscript::IntKey(k)) => out.push_str(&format!("[{k}]")),
                Some(Subscript::UintKey(k)) => out.push_str(&format!("[{k}]")),
                Some(Subscript::StringKey(k)) => {
                    out.push('[');
                    quote(k, &mut out);
                    out.push(']');
                }
            }
        }
        out
    }

    /// The field path as its elements (numbers, names, types and subscripts).
    pub fn field(&self) -> &[FieldPathElement] {
        &self.field
    }

    /// The path of the rule inside `buf.validate.FieldRules` (empty for a oneof's
    /// `required`).
    pub fn rule(&self) -> &'static [RulePathElement] {
        self.rule
    }

    /// protovalidate's id of the rule: `required`, `string.min_len`,
    /// `int32.gte_lte`, ...
    pub fn rule_id(&self) -> &str {
        self.rule_id
    }

    /// protovalidate's message: `value is required`, `must be at most 128 characters`.
    pub fn message(&self) -> &str {
        self.message
    }

    /// Whether the rule was broken by a map key (not by its value).
    pub fn for_key(&self) -> bool {
        self.for_key
    }
}

/// Go's `strconv.Quote`, which protovalidate's field paths use for string keys.
fn quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if !printable(c) && (c as u32) > 0xffff => {
                out.push_str(&format!("\\U{:08x}", c as u32));
            }
            c if !printable(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Go's `unicode.IsPrint`, as far as it matters in a key: control characters,
/// spaces other than the ASCII one and the invisible format characters are escaped.
fn printable(c: char) -> bool {
    !(c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(c,
            '\u{ad}' | '\u{61c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}' | '\u{feff}' | '\u{e000}'..='\u{f8ff}'
            | '\u{e0001}' | '\u{e0020}'..='\u{e007f}' | '\u{f0000}'..))
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} [{}]",
            self.field_path(),
            self.message,
            self.rule_id
        )
    }
}

/// The rules a message broke (never empty): the first
/// [`MAX_VIOLATIONS`](super::rt::MAX_VIOLATIONS) (100) in full, the rest counted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Violations {
    pub(crate) list: Vec<Violation>,
    pub(crate) omitted: usize,
}

impl Violations {
    /// The violations listed, in the order they were found.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.list.iter()
    }

    /// How many violations are listed (at least one, at most 100).
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Always `false`: a `Violations` has at least one violation.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The violations listed, as a slice.
    pub fn as_slice(&self) -> &[Violation] {
        &self.list
    }

    /// How many more violations were found past the first 100 and not listed.
    pub fn omitted(&self) -> usize {
        self.omitted
    }
}

impl IntoIterator for Violations {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.into_iter()
    }
}

impl<'a> IntoIterator for &'a Violations {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

impl fmt::Display for Violations {
    /// `field: message [rule id]`, separated by `; `.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.list.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        if self.omitted > 0 {
            write!(f, "; and {} more", self.omitted)?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(name: &'static str, subscript: Option<Subscript>) -> FieldPathElement {
        FieldPathElement {
            field_number: Some(1),
            field_name: name,
            field_type: Some(9),
            key_type: None,
            value_type: None,
            subscript,
        }
    }

    #[test]
    fn field_paths_in_protovalidate_form() {
        let v = Violation {
            field: vec![
                element("items", Some(Subscript::Index(2))),
                element(
                    "labels",
                    Some(Subscript::StringKey("a\"b\\\n\u{1}é".into())),
                ),
                element("name", None),
            ],
            rule: &[],
            rule_id: "required",
            message: "value is required",
            for_key: false,
        };
        assert_eq!(
            v.field_path(),
            "items[2].labels[\"a\\\"b\\\\\\n\\x01é\"].name"
        );
        assert_eq!(
            v.to_string(),
            "items[2].labels[\"a\\\"b\\\\\\n\\x01é\"].name: value is required [required]"
        );
    }
}
