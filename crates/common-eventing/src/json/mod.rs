//! proto3 JSON of generated messages: the options, the depth limit, and the runtime the
//! generated `Serialize`/`Deserialize` impls are written against (feature `serde`).
//!
//! Every message of every domain crate reads and writes the
//! [proto3 JSON mapping](https://protobuf.dev/programming-guides/json/), checked by
//! Google's conformance suite (`cargo xtask conformance`):
//!
//! - `null` is the default of any field (a `google.protobuf.Value` field becomes
//!   `null_value`);
//! - enums are open: an unknown number is kept and written back as a number, a known
//!   one as its name; names and numbers are both read;
//! - 64-bit integers are written as strings; integers are read from numbers (also
//!   `5.0` or `1e2`, when exact) or decimal strings; floats are written as numbers or
//!   `"NaN"`, `"Infinity"`, `"-Infinity"`, and read correctly rounded;
//! - a key may be the JSON name or the proto field name, but a field given twice (by
//!   either name), two members of one oneof, or a key the schema does not know are
//!   errors; errors name the field path (`retry.attempt: ...`).
//! - nesting is limited to [`DEPTH_LIMIT`] message levels, counted as the binary
//!   decoder counts them (a `Struct` object costs three: the struct, its map entry
//!   and the value), so nothing is accepted from JSON that its binary form cannot
//!   return.
//!
//! ```
//! use common_eventing::wkt::Struct;
//! let deep = format!("{}1{}", r#"{"a":"#.repeat(40), "}".repeat(40));
//! let err = serde_json::from_str::<Struct>(&deep).unwrap_err().to_string();
//! assert!(err.contains("depth limit of 100"), "{err}");
//! ```

#[allow(unsafe_code)] // SSE2 compares; see escape.rs
mod escape;
pub(crate) use crate::__codegen::json as rt;
mod write;

pub use write::{to_string, to_vec};

/// The deepest message nesting accepted, in binary decoder levels: prost's recursion
/// limit, and Python protobuf's (`max_recursion_depth`, upb's decode depth).
pub const DEPTH_LIMIT: u32 = 100;

/// Options of proto3 JSON parsing, set for a scope with [`with_options`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Skip keys the schema does not know, and enum names it does not know (the field,
    /// list element or map entry is then left out), instead of failing. Off by default.
    pub ignore_unknown_fields: bool,
}

/// Runs `f` (a `serde_json::from_*` call) with `options` in effect on this thread.
///
/// ```
/// use common_eventing::json::{ParseOptions, with_options};
/// use common_eventing::wkt::Empty;
/// let lenient = ParseOptions { ignore_unknown_fields: true };
/// // Empty's JSON is hand-written; generated messages honour the option the same way.
/// let _ = with_options(lenient, || serde_json::from_str::<Empty>("{}"));
/// ```
pub fn with_options<R>(options: ParseOptions, f: impl FnOnce() -> R) -> R {
    rt::with_options(options, f)
}
