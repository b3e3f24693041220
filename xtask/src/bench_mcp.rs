//! The server benchmarks, each a bench target of `tests/` run with the interop venv.
//! Not tests and not part of CI.
//!
//! - `cargo xtask bench --mcp [--calls N]`: tool-call round-trip latency through the
//!   MCP adapter (`tests/benches/mcp_adapter.rs`: the official Python MCP client
//!   against the adapter and the reference SRE backend, next to the direct gRPC
//!   call), printed as a table and written to `target/bench/mcp.md`.
//! - `cargo xtask bench --load [--seconds S] [--rounds N] [--stored N]`: the ingest
//!   server's ingest rate alone and while 4 clients scan the store
//!   (`tests/benches/server_load.rs`).
//! - `cargo xtask bench --kafka [--events N] [--rounds N]`: typed events per second
//!   produced and consumed through librdkafka's mock cluster, and the codec's share
//!   of that time (`tests/benches/kafka.rs`), written to `target/bench/kafka.md`.

use crate::python;
use anyhow::{Result, bail};

/// Runs bench target `bench` of `tests/`; `args` are passed to it.
pub fn run(bench: &str, args: &[&str]) -> Result<()> {
    let py = python::ensure_venv()?;
    let status = crate::bench::cargo_bench(bench)
        .args(args)
        .env("INTEROP_PYTHON", py)
        .status()?;
    if !status.success() {
        bail!("benchmark {bench} failed ({status})");
    }
    Ok(())
}
