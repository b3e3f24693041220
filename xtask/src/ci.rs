//! `cargo xtask ci`: every check and test, in the order that fails fastest.

use crate::steps::{run_step, step};
use crate::workspace::CRATES;
use crate::{breaking, codegen::pipeline, conformance, downstream, lint, python, workspace};
use anyhow::{Result, bail};
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

/// Runs every check; stops at the first failure.
pub fn run() -> Result<()> {
    let started = Instant::now();
    let mut fmt = cargo();
    fmt.args(["fmt", "--all", "--check"]);
    run_step("cargo fmt --check", fmt)?;

    step("codegen --check", || pipeline::run(true))?;

    // buf is installed by xtask (PyPI buf-bin, pinned version, venv at target/buf).
    step("lint (buf STANDARD + workspace rules)", lint::run)?;
    step(
        "breaking (buf WIRE_JSON against baselines/ + version check)",
        breaking::run,
    )?;

    step(
        "C toolchain for librdkafka (common-eventing feature `rdkafka`)",
        crate::c_toolchain::ensure,
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
        "feature matrix: no default features (prost + bytes only), grpc without transport",
        check_feature_matrix,
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

    step(
        "fuzz (every target of fuzz/, unoptimized builds, 20 s each)",
        || crate::fuzz::run(CI_FUZZ_SECONDS, crate::fuzz::Build::Dev),
    )?;

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
        "--allow-dirty",
        "--target-dir",
        "target/package-verify",
    ]);
    package.args(workspace::published_package_args());
    run_step(
        "cargo package (each crate built alone from its .crate)",
        package,
    )?;

    step(
        "evolution: a new event and *_json field need only codegen (temporary copy)",
        crate::evolution::run,
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

/// The transport tonic's `transport` feature brings: never with `grpc` alone.
const TRANSPORT_ONLY: &[&str] = &[
    "hyper",
    "hyper-util",
    "hyper-timeout",
    "h2",
    "tower",
    "socket2",
    "axum",
    "tokio-macros",
];

/// tokio features of a runtime; tonic's codegen needs tokio's `sync` only.
const TOKIO_RUNTIME_FEATURES: &[&str] = &["rt", "rt-multi-thread", "net", "time", "macros"];

/// `(package, features)` of every normal dependency of `krate` built with `features`
/// (`None`: the default features).
fn dependency_tree(krate: &str, features: Option<&str>) -> Result<Vec<(String, Vec<String>)>> {
    let mut cmd = cargo();
    cmd.args(["tree", "--quiet", "--package", krate, "--edges", "normal"]);
    cmd.args(["--prefix", "none", "--format", "{p}|{f}"]);
    if let Some(features) = features {
        cmd.args(["--no-default-features", "--features", features]);
    }
    let out = cmd.output()?;
    if !out.status.success() {
        bail!(
            "cargo tree failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8(out.stdout)?
        .lines()
        .filter_map(|line| {
            let (package, features) = line.split_once('|')?;
            let name = package.split_whitespace().next()?.to_string();
            let features = features
                .trim_end_matches(" (*)")
                .split(',')
                .filter(|f| !f.is_empty())
                .map(str::to_string)
                .collect();
            Some((name, features))
        })
        .collect())
}

fn check_features(krate: &str, features: &str) -> Result<()> {
    let mut check = cargo();
    check.args(["check", "--quiet", "--package", krate, "--lib"]);
    check.args(["--no-default-features", "--features", features]);
    run_step(
        &format!("cargo check -p {krate} --no-default-features --features '{features}'"),
        check,
    )
}

/// The feature matrix: every crate without default features (prost + bytes only), and
/// every crate with services with `grpc` alone (tonic's codegen: no hyper, no h2, no
/// tokio runtime). The defaults are checked by `cargo package`, which builds each crate
/// alone with them.
fn check_feature_matrix() -> Result<()> {
    for krate in CRATES {
        check_features(krate.name, "")?;
        for (name, _) in dependency_tree(krate.name, Some(""))? {
            if FORBIDDEN_WITHOUT_FEATURES.contains(&name.as_str()) {
                bail!(
                    "{} without default features still depends on {name}",
                    krate.name
                );
            }
        }
        if krate.grpc {
            check_features(krate.name, "grpc")?;
            for (name, features) in dependency_tree(krate.name, Some("grpc"))? {
                if TRANSPORT_ONLY.contains(&name.as_str()) {
                    bail!(
                        "{} with `grpc` but not `transport` depends on {name}",
                        krate.name
                    );
                }
                if name == "tokio"
                    && let Some(f) = features
                        .iter()
                        .find(|f| TOKIO_RUNTIME_FEATURES.contains(&f.as_str()))
                {
                    bail!(
                        "{} with `grpc` but not `transport` enables tokio's runtime feature {f}",
                        krate.name
                    );
                }
            }
        }
    }
    // The hygiene fixture compiles with every feature (the workspace's tests), with
    // none, and with each alone: no generated path depends on another feature.
    for features in ["", "grpc", "serde", "validate"] {
        check_features(pipeline::HYGIENE.name, features)?;
    }
    // The defaults: `cargo package` (below) builds each crate alone from its `.crate`
    // with its default features.
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
