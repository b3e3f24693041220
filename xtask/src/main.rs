//! Workspace automation: `cargo xtask <command>`.
//!
//! - `codegen [--check]`: regenerate the committed code of every crate from `proto/`
//!   with protox (no protoc), or fail listing every stale, missing or extra file.
//! - `ci`: every check and test, exactly as CI runs them.
//! - `conformance`: Google's protobuf conformance suite (binary and JSON, recommended
//!   tests enforced) against the testee in `conformance/testee`.
//! - `fuzz [--seconds N] [--dev]`: every cargo-fuzz target of `fuzz/`, N seconds each
//!   (nightly; `--dev`: unoptimized builds, as CI runs them).
//! - `catalog [--json]`: print the eventing catalog (stream, message, type, subject, keys).
//! - `catalog --mcp`: print the MCP tool catalog (`docs/generated/mcp-tool-catalog.json`).
//! - `venv`: create or refresh the Python interop venv under `target/`.
//! - `lint`: buf STANDARD lint of `proto/` (`buf.yaml`), then the workspace's own rules.
//! - `breaking`: every released contract (`baselines/`) against the current one, with
//!   the version check.
//! - `baseline [<crate>...]`: record the current contract of the crates as released.
//! - `bench [--seconds S] [--rounds N] [--readme]`: the codec benchmark, Rust against Python upb on
//!   the same bytes, as one table (not part of CI).
//! - `bench --mcp [--calls N]`: tool-call round-trip latency through the MCP adapter.
//! - `bench --kafka [--events N] [--rounds N]`: typed events per second through Kafka
//!   (librdkafka's mock cluster), produced and consumed, with the codec's share.
//! - `bench --load [--seconds S] [--rounds N] [--stored N]`: the ingest server's ingest
//!   rate alone and under 4 scanning clients.
//! - `downstream`: check a crate depending on the packaged crates at the newest and at
//!   the minimum compatible versions of their dependencies.
//! - `evolution`: on a temporary copy of the workspace, add an AumOS event and an aiOS
//!   `bytes *_json` field, run codegen, and build and run a downstream crate using them.
//! - `doc`: rustdoc as docs.rs builds it (nightly, `--cfg docsrs`: feature badges).

use anyhow::{Result, bail};
use std::process::ExitCode;
use xtask::codegen::generators::{catalog, mcp};
use xtask::codegen::pipeline;
use xtask::{
    baseline, bench, bench_mcp, breaking, ci, conformance, downstream, evolution, fuzz, lint,
    python,
};

const USAGE: &str = "usage: cargo xtask <codegen [--check] | catalog [--json | --mcp] | ci | conformance | fuzz [--seconds N] [--dev] | venv | lint | breaking | baseline [<crate>...] | bench [--seconds S] [--rounds N] [--readme] | bench --mcp [--calls N] | bench --load [--seconds S] [--rounds N] [--stored N] | bench --kafka [--events N] [--rounds N] | downstream | evolution | doc>";

/// Runs the command; a failure prints its cause chain (no backtrace noise, whatever
/// `RUST_BACKTRACE` says) and exits with status 1.
fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => pipeline::run(false),
        ["codegen", "--check"] => pipeline::run(true),
        ["catalog"] => catalog::run(false),
        ["catalog", "--json"] => catalog::run(true),
        ["catalog", "--mcp"] => mcp::run(),
        ["ci"] => ci::run(),
        ["conformance"] => conformance::run(),
        ["fuzz", rest @ ..] => {
            let (seconds, build) = fuzz::parse_args(rest)?;
            fuzz::run(seconds, build)
        }
        ["venv"] => python::ensure_venv().map(|_| ()),
        ["lint"] => lint::run(),
        ["breaking"] => breaking::run(),
        ["baseline", crates @ ..] => baseline::run(crates),
        ["bench", "--mcp", rest @ ..] => bench_mcp::run("mcp_adapter", rest),
        ["bench", "--load", rest @ ..] => bench_mcp::run("server_load", rest),
        ["bench", "--kafka", rest @ ..] => bench_mcp::run("kafka", rest),
        ["bench", rest @ ..] => bench::run(rest),
        ["downstream"] => downstream::run_all(),
        ["evolution"] => evolution::run(),
        ["doc"] => downstream::doc(),
        _ => bail!("{USAGE}"),
    }
}
