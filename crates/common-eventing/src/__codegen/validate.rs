//! What the generated `Validate` impls call. Not a public API: it changes with the
//! generator, and the crates of one release always agree on it.

use crate::validate::{FieldPathElement, Validate, Violation, Violations};
pub use crate::validate::{RulePathElement, Subscript};

/// A field as the generated code names it in a violation.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Field number.
    pub number: i32,
    /// Field name.
    pub name: &'static str,
    /// `FieldDescriptorProto.Type` number.
    pub ty: i32,
    /// Map key type number (0: not a map).
    pub key: i32,
    /// Map value type number (0: not a map).
    pub value: i32,
}

impl Field {
    /// Its path element; a map's key and value types only where an entry is meant
    /// (as protovalidate writes them).
    fn element(&self, subscript: Option<Subscript>) -> FieldPathElement {
        let entry = subscript.is_some();
        FieldPathElement {
            field_number: Some(self.number),
            field_name: self.name,
            field_type: Some(self.ty),
            key_type: (entry && self.key != 0).then_some(self.key),
            value_type: (entry && self.value != 0).then_some(self.value),
            subscript,
        }
    }
}

/// A rule: its id, its message (the rule's values are constants, so the message is
/// one too) and its path in `buf.validate.FieldRules`.
#[derive(Debug)]
pub struct Rule {
    /// protovalidate's rule id.
    pub id: &'static str,
    /// protovalidate's message.
    pub message: &'static str,
    /// The rule's path.
    pub path: &'static [RulePathElement],
}

/// `required` on a field.
pub static REQUIRED: Rule = Rule {
    id: "required",
    message: "value is required",
    path: &[RulePathElement {
        field_number: 25,
        field_name: "required",
        field_type: 8,
    }],
};

/// `(buf.validate.oneof).required`.
pub static ONEOF_REQUIRED: Rule = Rule {
    id: "required",
    message: "exactly one field is required in oneof",
    path: &[],
};

/// The most violations one check lists; the rest are only counted
/// ([`Violations::omitted`]), so a hostile message cannot make its answer grow without
/// bound (a million broken elements in a 4 MiB request).
pub const MAX_VIOLATIONS: usize = 100;

/// The violations found so far and the field path being checked.
#[derive(Debug, Default)]
pub struct Cx {
    path: Vec<FieldPathElement>,
    found: Vec<Violation>,
    omitted: usize,
}

impl Cx {
    /// `Ok` when nothing was found.
    pub fn finish(self) -> Result<(), Violations> {
        if self.found.is_empty() {
            Ok(())
        } else {
            Err(Violations {
                list: self.found,
                omitted: self.omitted,
            })
        }
    }

    fn push(&mut self, last: FieldPathElement, rule: &'static Rule, for_key: bool) {
        if self.found.len() >= MAX_VIOLATIONS {
            self.omitted += 1;
            return;
        }
        let mut field = Vec::with_capacity(self.path.len() + 1);
        field.extend(self.path.iter().cloned());
        field.push(last);
        self.found.push(Violation {
            field,
            rule: rule.path,
            rule_id: rule.id,
            message: rule.message,
            for_key,
        });
    }

    /// `field` broke `rule`.
    #[cold]
    pub fn violation(&mut self, field: &Field, rule: &'static Rule) {
        self.push(field.element(None), rule, false);
    }

    /// An element of the repeated `field` broke `rule`.
    #[cold]
    pub fn item_violation(&mut self, field: &Field, index: usize, rule: &'static Rule) {
        self.push(
            field.element(Some(Subscript::Index(index as u64))),
            rule,
            false,
        );
    }

    /// The entry `key` of the map `field` broke `rule` with its key (`for_key`) or
    /// its value.
    #[cold]
    pub fn entry_violation(
        &mut self,
        field: &Field,
        key: Subscript,
        rule: &'static Rule,
        for_key: bool,
    ) {
        self.push(field.element(Some(key)), rule, for_key);
    }

    /// No field of the oneof `name` is set.
    #[cold]
    pub fn oneof_violation(&mut self, name: &'static str) {
        self.push(
            FieldPathElement {
                field_number: None,
                field_name: name,
                field_type: None,
                key_type: None,
                value_type: None,
                subscript: None,
            },
            &ONEOF_REQUIRED,
            false,
        );
    }

    /// Checks the sub-message `message` of `field` (of its element `subscript`).
    pub fn nested<M: Validate + ?Sized>(
        &mut self,
        field: &Field,
        subscript: Option<Subscript>,
        message: &M,
    ) {
        self.path.push(field.element(subscript));
        message.validate_into(self);
        self.path.pop();
    }
}

/// Whether `s` has more than `n` Unicode code points (`string.max_len` counts code
/// points); its byte length decides without counting when it can (a code point is 1
/// to 4 bytes).
#[inline]
pub fn more_chars_than(s: &str, n: usize) -> bool {
    s.len() > n && (s.len() > n.saturating_mul(4) || s.chars().count() > n)
}

/// Whether `s` has fewer than `n` Unicode code points (`string.min_len`).
#[inline]
pub fn fewer_chars_than(s: &str, n: usize) -> bool {
    s.len() < n || (s.len() < n.saturating_mul(4) && s.chars().count() < n)
}

/// A `string.pattern`, translated by the generator from RE2 to the `regex` crate's
/// syntax (`\d`, `\w`, `\s` made ASCII as in RE2) and compiled on first use.
#[cfg(feature = "validate-pattern")]
pub struct Pattern {
    source: &'static str,
    compiled: std::sync::OnceLock<regex::Regex>,
}

#[cfg(feature = "validate-pattern")]
impl Pattern {
    /// A pattern of `source` (already translated; the generator compiled it once).
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: std::sync::OnceLock::new(),
        }
    }

    /// Whether the pattern matches anywhere in `s` (RE2's `PartialMatch`, what
    /// protovalidate's `matches` does).
    pub fn is_match(&self, s: &str) -> bool {
        self.compiled
            .get_or_init(|| {
                regex::Regex::new(self.source)
                    .expect("the generator compiled every pattern with the same regex crate")
            })
            .is_match(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_bounds_agree_with_counting() {
        for s in ["", "a", "é", "😀", "aé😀", "😀😀😀😀", "abcd", "ééééé"] {
            let count = s.chars().count();
            for n in 0..12 {
                assert_eq!(more_chars_than(s, n), count > n, "{s:?} > {n}");
                assert_eq!(fewer_chars_than(s, n), count < n, "{s:?} < {n}");
            }
        }
    }
}
