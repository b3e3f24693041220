//! `cargo xtask ci`: every check and test, in the order that fails fastest.

use crate::workspace::CRATES;
use crate::{breaking, codegen, conformance, downstream, lint, python, workspace};
use anyhow::{Context, Result, bail};
use std::process::Command;
use std::time::Instant;

/// A protoc that does not exist: nothing in the build or the tests may need one.
const NO_PROTOC: &str = "/nonexistent/protoc";

/// How long CI fuzzes each target (`cargo xtask fuzz --seconds N` for longer runs).
const CI_FUZZ_SECONDS: u64 = 20;

/// Crates that must build as prost + bytes only with default features off.
const FORBIDDEN_WITHOUT_FEATURES: &[&str] = &[
    "tonic",
    "hyper",
    "tokio",
    "h2",
    "tower",
    "serde",
    "chrono",
    "uuid",
    "getrandom",
    "prost-types",
];

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(workspace::root()).env("PROTOC", NO_PROTOC);
    cmd
}

/// Runs one step, printing its name and time; fails naming it.
pub(crate) fn run_step(name: &str, mut cmd: Command) -> Result<()> {
    let started = Instant::now();
    println!("==> {name}");
    let status = cmd.status().with_context(|| format!("starting {name}"))?;
    if !status.success() {
        bail!("step `{name}` failed ({status})");
    }
    println!("<== {name}: ok in {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}

fn step(name: &str, f: impl FnOnce() -> Result<()>) -> Result<()> {
    let started = Instant::now();
    println!("==> {name}");
    f().with_context(|| format!("step `{name}` failed"))?;
    println!("<== {name}: ok in {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Runs every check; stops at the first failure.
pub fn run() -> Result<()> {
    let started = Instant::now();
    let mut fmt = cargo();
    fmt.args(["fmt", "--all", "--check"]);
    run_step("cargo fmt --check", fmt)?;

    step("codegen --check", || codegen::run(true))?;

    // buf is installed by xtask (PyPI buf-bin, pinned version, venv at target/buf).
    step("lint (buf STANDARD + workspace rules)", lint::run)?;
    step(
        "breaking (buf WIRE_JSON against baselines/ + version check)",
        breaking::run,
    )?;

    let mut clippy = cargo();
    clippy.args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ]);
    run_step("cargo clippy -D warnings", clippy)?;

    let mut doc = cargo();
    doc.args(["doc", "--workspace", "--no-deps", "--all-features"])
        .env("RUSTDOCFLAGS", "-D warnings");
    run_step("cargo doc (warnings denied)", doc)?;

    step(
        "feature matrix: default features off is prost + bytes only",
        check_minimal_features,
    )?;

    let python = python::ensure_venv()?;
    let mut test = cargo();
    test.args(["test", "--workspace", "--all-features"])
        .env("INTEROP_PYTHON", &python);
    run_step(
        "cargo test --workspace --all-features (with Python interop)",
        test,
    )?;

    step(
        "conformance (Google's protobuf conformance suite, binary and JSON)",
        conformance::run,
    )?;

    step("fuzz (every target of fuzz/, 20 s each)", || {
        crate::fuzz::run(CI_FUZZ_SECONDS)
    })?;

    // Cargo treats registry crates as immutable: a sibling crate packaged by an
    // earlier run (same name and version, other content) would be reused from its
    // unpacked sources and its compiled artifacts. Verify in a target dir of its own,
    // started clean, with the unpacked copies forgotten.
    let verify_dir = workspace::root().join("target/package-verify");
    for stale in [workspace::root().join("target/package"), verify_dir.clone()] {
        if stale.exists() {
            std::fs::remove_dir_all(&stale)?;
        }
    }
    forget_unpacked_workspace_crates()?;
    let mut package = cargo();
    package.args([
        "package",
        "--workspace",
        "--exclude",
        "xtask",
        "--exclude",
        "interop-tests",
        // The unpublished apps (publish = false): nothing downstream builds them.
        "--exclude",
        "sre-backend",
        "--exclude",
        "mcp-adapter",
        "--exclude",
        "conformance-testee",
        "--allow-dirty",
        "--target-dir",
        "target/package-verify",
    ]);
    run_step(
        "cargo package (each crate built alone from its .crate)",
        package,
    )?;

    step(
        "downstream crate at the newest and at the minimum versions",
        downstream::run_all,
    )?;

    step("cargo deny check bans licenses sources", deny)?;

    println!(
        "ci: all checks passed in {:.0}s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Cargo unpacks the `.crate` files of `cargo package`'s temporary registry under
/// `$CARGO_HOME/registry/src/-<hash>/<name>-<version>` and never refreshes an existing
/// folder, so a rerun at the same version would verify against the sources of an
/// earlier run. Remove those folders for the workspace's crates (only the temporary
/// registries' folders, whose names start with `-`; crates.io's are left alone).
fn forget_unpacked_workspace_crates() -> Result<()> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cargo")));
    let Some(src) = cargo_home.map(|h| h.join("registry/src")) else {
        return Ok(());
    };
    let Ok(registries) = std::fs::read_dir(&src) else {
        return Ok(());
    };
    for registry in registries.flatten() {
        if !registry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        for unpacked in std::fs::read_dir(registry.path())?.flatten() {
            let name = unpacked.file_name().to_string_lossy().into_owned();
            if CRATES
                .iter()
                .any(|c| name.starts_with(&format!("{}-", c.name)))
            {
                std::fs::remove_dir_all(unpacked.path())?;
            }
        }
    }
    Ok(())
}

fn check_minimal_features() -> Result<()> {
    for krate in CRATES {
        let mut check = cargo();
        check.args([
            "check",
            "--quiet",
            "--package",
            krate.name,
            "--no-default-features",
            "--lib",
        ]);
        run_step(
            &format!("cargo check -p {} --no-default-features", krate.name),
            check,
        )?;
        let out = cargo()
            .args([
                "tree",
                "--quiet",
                "--package",
                krate.name,
                "--no-default-features",
                "--edges",
                "normal",
                "--prefix",
                "none",
                "--format",
                "{p}",
            ])
            .output()?;
        if !out.status.success() {
            bail!(
                "cargo tree failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let tree = String::from_utf8(out.stdout)?;
        for line in tree.lines() {
            let name = line.split_whitespace().next().unwrap_or_default();
            if FORBIDDEN_WITHOUT_FEATURES.contains(&name) {
                bail!(
                    "{} without default features still depends on {name}",
                    krate.name
                );
            }
        }
    }
    Ok(())
}

fn deny() -> Result<()> {
    let have = cargo()
        .args(["deny", "--version"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !have {
        let mut install = cargo();
        install.args(["install", "cargo-deny", "--locked", "--version", "0.20.2"]);
        run_step("cargo install cargo-deny", install)?;
    }
    let mut check = cargo();
    check.args([
        "deny",
        "--workspace",
        "check",
        "bans",
        "licenses",
        "sources",
    ]);
    run_step("cargo deny", check)
}
