//! buffa 0.9's owned messages and views of the bench payloads, generated at build
//! time from the same `.proto` files as the workspace's crates (the second peer of
//! `cargo xtask bench`; not published).
#![allow(missing_docs, nonstandard_style, clippy::all, unused_qualifications)]

/// `chaukas.spec.common.v1`.
pub mod chaukas {
    buffa::include_proto!("chaukas.spec.common.v1");
}

/// `aios.common`.
pub mod aios {
    buffa::include_proto!("aios.common");
}
