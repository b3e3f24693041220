//! `common_eventing::validate::Validate` impls: the `buf.validate` rules of every
//! message ([`rules`]), as plain Rust ([`emit`]), `string.pattern` carried from RE2
//! to the `regex` crate ([`pattern`]).

pub mod doc;
pub mod emit;
pub mod json_schema;
pub mod pattern;
pub mod rules;

pub use emit::generate;
