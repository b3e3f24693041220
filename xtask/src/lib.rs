//! Workspace automation behind `cargo xtask` (the binary is `src/main.rs`), as a
//! library so the integration tests in `tests/` drive the same code.

pub mod baseline;
pub mod bench;
pub mod bench_mcp;
pub mod breaking;
pub mod buf;
pub mod catalog;
pub mod ci;
pub mod codegen;
pub mod conformance;
pub mod constructors;
pub mod contract;
pub mod downstream;
pub mod envelopes;
pub mod eventing;
pub mod evolution;
pub mod fuzz;
pub mod generators;
pub mod ident;
pub mod json;
pub mod json_fields;
pub mod lint;
pub mod lossless;
pub mod mcp;
pub mod mcp_dispatch;
pub mod modtree;
pub mod oneofs;
pub mod output;
pub mod protos;
pub mod python;
pub mod schemas;
pub mod steps;
pub mod time_fields;
pub mod upstream;
pub mod wire;
pub mod workspace;
