//! `cargo xtask bench --mcp [--calls N]`: tool-call round-trip latency through the MCP
//! adapter (`tests/benches/mcp_adapter.rs`: the official Python MCP client against the
//! adapter and the reference SRE backend, next to the direct gRPC call), printed as a
//! table and written to `target/bench/mcp.md`. Not a test and not part of CI.

use crate::python;
use anyhow::{Result, bail};

/// Entry point; `args` are passed to the benchmark (`--calls N`).
pub fn run(args: &[&str]) -> Result<()> {
    let py = python::ensure_venv()?;
    let status = crate::bench::cargo_bench("mcp_adapter")
        .args(args)
        .env("INTEROP_PYTHON", py)
        .status()?;
    if !status.success() {
        bail!("the MCP adapter benchmark failed ({status})");
    }
    Ok(())
}
