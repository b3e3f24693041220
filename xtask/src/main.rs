//! Workspace automation: `cargo xtask <command>`.
//!
//! - `codegen [--check]`: regenerate the committed code of every crate from `proto/`
//!   with protox (no protoc), or fail listing every stale, missing or extra file.
//! - `ci`: every check and test, exactly as CI runs them.
//! - `catalog [--json]`: print the eventing catalog (stream, message, type, subject, keys).
//! - `venv`: create or refresh the Python interop venv under `target/`.

mod catalog;
mod ci;
mod codegen;
mod eventing;
mod oneofs;
mod protos;
mod python;
mod workspace;

use anyhow::{Result, bail};

const USAGE: &str = "usage: cargo xtask <codegen [--check] | catalog [--json] | ci | venv>";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen::run(false),
        ["codegen", "--check"] => codegen::run(true),
        ["catalog"] => catalog::run(false),
        ["catalog", "--json"] => catalog::run(true),
        ["ci"] => ci::run(),
        ["venv"] => python::ensure_venv().map(|_| ()),
        _ => bail!("{USAGE}"),
    }
}
