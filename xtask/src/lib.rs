//! Workspace automation behind `cargo xtask` (the binary is `src/main.rs`), as a
//! library so the integration tests in `tests/` drive the same code.

pub mod baseline;
pub mod bench;
pub mod bench_mcp;
pub mod breaking;
pub mod buf;
pub mod c_toolchain;
pub mod ci;
pub mod codegen;
pub mod conformance;
pub mod contract;
pub mod downstream;
pub mod evolution;
pub mod fuzz;
pub mod lint;
pub mod protos;
pub mod python;
pub mod steps;
pub mod version;
pub mod wire;
pub mod workspace;
