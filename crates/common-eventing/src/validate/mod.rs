//! Contract validation: the `buf.validate` rules of the `.proto` files, checked by
//! generated Rust.
//!
//! `cargo xtask codegen` reads the [protovalidate](https://protovalidate.com) rules
//! (`buf.validate.field`, `buf.validate.oneof`) of every message and writes an
//! [`Validate`] impl for it: plain Rust, with no CEL interpreter, no reflection and no
//! descriptor pool. Each rule is checked exactly as protovalidate defines it, and a
//! broken rule is reported as a [`Violation`] with protovalidate's rule id, message and
//! field path, so a Rust service accepts and refuses what a Python or Go service
//! running protovalidate on the same schema does (a differential test against Python
//! `protovalidate` holds it on random and hostile instances of every annotated
//! message; rule shapes the protos do not use are covered by unit and golden tests).
//!
//! Messages without rules of their own check their sub-messages' rules; a message
//! with no rule anywhere below it validates in no time.
//!
//! ```
//! use common_eventing::validate::{Validate, Violation, Violations};
//! use common_eventing::wkt::Timestamp;
//!
//! // The well-known types have no rules: they are always valid.
//! assert!(Timestamp::default().validate().is_ok());
//! # let _: fn(Violations) -> Vec<Violation> = |v| v.into_iter().collect();
//! ```
//!
//! Rules the generator supports: `required`; `string.{min_len, max_len, min_bytes,
//! max_bytes, pattern, not_contains}`; `{int32,int64,uint32,uint64}.{gte, lte}`;
//! `enum.{defined_only, not_in}`; `repeated.{min_items, max_items, items}`;
//! `map.{min_pairs, max_pairs, keys, values}`; `(buf.validate.oneof).required`. Any
//! other rule, CEL included, fails `cargo xtask codegen` naming the file, the field and
//! the rule: a rule is never skipped silently.
//!
//! `string.pattern` follows RE2, as protovalidate specifies: `\d`, `\w` and `\s` are
//! ASCII only (`\s` without `\v`). Lengths count Unicode code points, `*_bytes` count
//! UTF-8 bytes.

#[cfg(feature = "grpc")]
mod status;
mod violation;

pub(crate) use crate::__codegen::validate as rt;

pub use violation::{FieldPathElement, RulePathElement, Subscript, Violation, Violations};

/// A message whose `buf.validate` rules can be checked. Generated for every message
/// of every crate of the workspace.
///
/// ```
/// use common_eventing::validate::Validate;
///
/// fn accept<M: Validate>(message: &M) -> Result<(), String> {
///     message.validate().map_err(|violations| violations.to_string())
/// }
/// assert!(accept(&common_eventing::wkt::Duration::default()).is_ok());
/// ```
pub trait Validate {
    /// Checks every rule of the message and of its sub-messages. Violations are
    /// reported oneofs first, then field by field in declaration order (protovalidate
    /// orders them by field; compare them as sets); past 100, they are counted, not
    /// listed ([`Violations::omitted`]).
    fn validate(&self) -> Result<(), Violations> {
        let mut cx = rt::Cx::default();
        self.validate_into(&mut cx);
        cx.finish()
    }

    /// Adds the message's violations to `cx`, below the field path `cx` is at.
    #[doc(hidden)]
    fn validate_into(&self, cx: &mut rt::Cx) {
        let _ = cx;
    }
}

/// Called once per message type by a package's generated `visit_validated` (with the
/// crate's `validate` feature): tables and tests over every message, no list by hand.
pub trait ValidateVisitor {
    /// Visits message type `M`.
    fn visit<M: Validate + prost::Message + prost::Name + Default + 'static>(&mut self);
}

impl<M: Validate + ?Sized> Validate for Box<M> {
    fn validate_into(&self, cx: &mut rt::Cx) {
        (**self).validate_into(cx);
    }
}

impl Validate for crate::wkt::Struct {}
impl Validate for crate::wkt::Value {}
impl Validate for crate::wkt::ListValue {}
