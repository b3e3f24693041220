//! `cargo xtask fuzz [--seconds N]`: every cargo-fuzz target of `fuzz/` (one per
//! hand-written parser, each checking round trips), `N` seconds each (default 60),
//! starting from the committed seed corpus `fuzz/corpus/<target>/`. New inputs go to a
//! temporary corpus, so the tree stays clean. Needs the nightly toolchain; installs
//! cargo-fuzz when missing.
//!
//! `cargo xtask fuzz` builds the targets optimized (cargo-fuzz's default: release with
//! debug assertions), for long runs. `cargo xtask ci` smoke-fuzzes [`Build::Dev`]
//! builds instead: the same targets, address sanitizer and coverage, with overflow
//! checks on, at a fraction of the build time (an optimized build of the targets,
//! tokio, tonic and axum included, took most of CI's fuzz step).

use crate::workspace;
use anyhow::{Context, Result, bail};
use std::process::Command;

/// The cargo-fuzz release installed when none is.
const CARGO_FUZZ_VERSION: &str = "0.13.1";

fn cargo() -> Command {
    let mut cmd = Command::new("cargo");
    cmd.current_dir(workspace::root())
        // The outer `cargo xtask` sets the stable toolchain; fuzzing needs nightly.
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO");
    cmd
}

fn ensure_cargo_fuzz() -> Result<()> {
    let have = cargo()
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        let mut install = cargo();
        install.args([
            "install",
            "cargo-fuzz",
            "--locked",
            "--version",
            CARGO_FUZZ_VERSION,
        ]);
        crate::steps::run_step("cargo install cargo-fuzz", install)?;
    }
    Ok(())
}

/// The targets, as cargo-fuzz lists them from `fuzz/Cargo.toml`.
pub fn targets() -> Result<Vec<String>> {
    let out = cargo()
        .args(["+nightly", "fuzz", "list"])
        .output()
        .context("running cargo fuzz list")?;
    if !out.status.success() {
        bail!(
            "cargo fuzz list failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8(out.stdout)?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// How the targets are built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Build {
    /// Optimized, with debug assertions (cargo-fuzz's default): the most inputs per
    /// second, for long runs.
    Release,
    /// Unoptimized (`--dev`): quick to build, for CI's short runs.
    Dev,
}

impl Build {
    fn flag(self) -> Option<&'static str> {
        match self {
            Build::Release => None,
            Build::Dev => Some("--dev"),
        }
    }
}

/// Runs every target for `seconds`, built as `build` says.
pub fn run(seconds: u64, build_kind: Build) -> Result<()> {
    ensure_cargo_fuzz()?;
    let targets = targets()?;
    if targets.is_empty() {
        bail!("fuzz/Cargo.toml declares no targets");
    }
    let mut build = cargo();
    build.args(["+nightly", "fuzz", "build"]);
    build.args(build_kind.flag());
    crate::steps::run_step("cargo fuzz build", build)?;
    for target in &targets {
        let seeds = workspace::root().join("fuzz/corpus").join(target);
        if !seeds.is_dir() {
            bail!(
                "{target} has no seed corpus: add files to {}",
                seeds.display()
            );
        }
    }
    // A libFuzzer process uses one core: run as many targets at once as there are
    // cores, each logging to a file of its own (printed whole when it fails).
    let parallel = std::thread::available_parallelism().map_or(1, usize::from);
    for batch in targets.chunks(parallel) {
        let mut running = Vec::new();
        for target in batch {
            let dir = tempfile::tempdir()?;
            let corpus = dir.path().join("corpus");
            std::fs::create_dir(&corpus)?;
            let log_path = dir.path().join("log");
            let log = std::fs::File::create(&log_path)?;
            let mut run = cargo();
            run.args(["+nightly", "fuzz", "run"])
                .args(build_kind.flag())
                .arg(target)
                .arg(&corpus)
                .arg(workspace::root().join("fuzz/corpus").join(target))
                .arg("--")
                .arg(format!("-max_total_time={seconds}"))
                .arg("-rss_limit_mb=2048")
                .arg("-print_final_stats=1")
                .stdout(log.try_clone()?)
                .stderr(log);
            println!("==> fuzz {target} ({seconds} s)");
            let child = run
                .spawn()
                .with_context(|| format!("starting the fuzzer of {target}"))?;
            running.push((target, child, dir, log_path, std::time::Instant::now()));
        }
        let mut failed = Vec::new();
        for (target, mut child, _dir, log_path, started) in running {
            let status = child.wait()?;
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            if status.success() {
                let runs = log
                    .lines()
                    .rev()
                    .find(|l| l.starts_with("Done "))
                    .unwrap_or("");
                println!(
                    "<== fuzz {target}: ok in {:.1}s ({runs})",
                    started.elapsed().as_secs_f64()
                );
            } else {
                eprintln!("{log}");
                failed.push(format!("{target} ({status})"));
            }
        }
        if !failed.is_empty() {
            bail!(
                "fuzzing failed: {} (crash inputs are under fuzz/artifacts/)",
                failed.join(", ")
            );
        }
    }
    Ok(())
}

/// `[--seconds N] [--dev]`: N seconds per target (60 when not given), optimized
/// builds unless `--dev`.
pub fn parse_args(args: &[&str]) -> Result<(u64, Build)> {
    const USAGE: &str = "usage: cargo xtask fuzz [--seconds N] [--dev]";
    let mut seconds = 60;
    let mut build = Build::Release;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--seconds" => {
                let n = rest.next().with_context(|| USAGE)?;
                seconds = n
                    .parse()
                    .with_context(|| format!("--seconds takes a whole number, not {n:?}"))?;
            }
            "--dev" => build = Build::Dev,
            _ => bail!(USAGE),
        }
    }
    Ok((seconds, build))
}
