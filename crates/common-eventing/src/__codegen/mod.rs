//! What the code `cargo xtask codegen` writes into the crates of this workspace calls,
//! and nothing else: the wire writers of the `Encode` impls ([`encode`]), the field
//! kinds of the proto3 JSON impls ([`json`], feature `serde`) and the checks of the
//! `Validate` impls ([`validate`], feature `validate`), and the prost every
//! generated message derives `Message` against ([`prost_upb`]).
//!
//! **Not a public API.** It is the contract between the crates of one release
//! (CONTRIBUTING, "Generated-code support"): it changes with the generator, in a
//! minor release (`0.2` to `0.3`, which Cargo treats as incompatible) and never in a
//! patch release, so generated code always finds the support it was generated
//! against. Hidden from the docs; call the public API instead.

pub mod encode;
#[cfg(feature = "serde")]
pub mod json;
#[cfg(feature = "serde")]
pub mod json_view;
pub mod prost_upb;
#[cfg(feature = "validate")]
pub mod validate;
pub mod view;
