//! Running the named, timed steps of `cargo xtask ci` and `cargo xtask downstream`.

use anyhow::{Context, Result, bail};
use std::process::Command;
use std::time::Instant;

/// Runs one step, printing its name and time; fails naming it.
pub fn run_step(name: &str, mut cmd: Command) -> Result<()> {
    let started = Instant::now();
    println!("==> {name}");
    let status = cmd.status().with_context(|| format!("starting {name}"))?;
    if !status.success() {
        bail!("step `{name}` failed ({status})");
    }
    println!("<== {name}: ok in {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Runs one in-process step, printing its name and time; fails naming it.
pub fn step(name: &str, f: impl FnOnce() -> Result<()>) -> Result<()> {
    let started = Instant::now();
    println!("==> {name}");
    f().with_context(|| format!("step `{name}` failed"))?;
    println!("<== {name}: ok in {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}
