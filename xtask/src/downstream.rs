//! `cargo xtask downstream`: a crate outside the workspace, depending on the packaged
//! crates (what `cargo publish` would upload) with every feature, checked against the
//! newest compatible versions of every dependency (a fresh `cargo update`) and against
//! the minimums the crates declare (`cargo +nightly update -Z direct-minimal-versions`),
//! so the caret ranges of the published manifests are known to hold at both ends.
//!
//! The project lives in `target/downstream/` with its own target dir (kept between
//! runs). Its workspace holds the unpacked `.crate` files as members, so their own
//! direct dependencies are the ones pinned to their minimums, and
//! `[patch.crates-io]` points the crates' mutual dependencies at those copies.

use crate::workspace::{self, CRATES};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The downstream crate: the README's producer path with only the crates and their
/// re-exports (no direct prost, tonic or pbjson dependency).
const APP_MANIFEST: &str = r#"[package]
name = "downstream-app"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
common-eventing = { version = "0.2", features = ["schema-registry-converter"] }
chaukas-spec-client = "0.2"
chaukas-spec-server = "0.2"
aios-proto = "0.2"
aumos-proto = "0.2"
ameide-sre-proto = "0.2"
"#;

const APP_LIB: &str = r#"//! Uses each crate the way the README does.
use ameide_sre_proto::core::v1::{IncidentCreated, SreDomainFact};
use ameide_sre_proto::prost::Message;
use common_eventing::framing;
use common_eventing::registry::ProtoSchema;

pub fn frame(fact: &SreDomainFact, schema_id: u32) -> Vec<u8> {
    framing::encode_message(schema_id, fact)
}

pub fn unframe(value: &[u8]) -> Result<SreDomainFact, framing::DecodeMessageError> {
    framing::decode_message::<SreDomainFact>(value).map(|f| f.message)
}

pub fn registration() -> common_eventing::schema_registry_converter::schema_registry_common::SuppliedSchema {
    SreDomainFact::supplied_schema()
}

pub fn created_len() -> usize {
    IncidentCreated::default().encoded_len()
}

pub type Client = aios_proto::tools::tool_registry_client::ToolRegistryClient<aios_proto::tonic::transport::Channel>;
pub type Status = ameide_sre_proto::tonic::Status;

pub fn bytes(event: &chaukas_spec_server::common::v1::Event) -> Vec<u8> {
    event.encode_to_vec()
}

pub fn envelope() -> aumos_proto::events::v1::AgentEnvelope {
    aumos_proto::events::v1::AgentEnvelope::default()
}
"#;

fn cargo(toolchain: Option<&str>, dir: &Path, target: &Path) -> Command {
    let mut cmd = Command::new("cargo");
    if let Some(t) = toolchain {
        cmd.arg(format!("+{t}"));
    }
    cmd.current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("PROTOC", "/nonexistent/protoc")
        // Not the workspace's: rustup picks the toolchain from the project folder.
        .env_remove("CARGO")
        .env_remove("RUSTUP_TOOLCHAIN");
    cmd
}

fn run(what: &str, cmd: Command) -> Result<()> {
    crate::steps::run_step(&format!("downstream: {what}"), cmd)
}

/// Packages every crate (no verification: `cargo xtask ci` verifies separately) and
/// unpacks the `.crate` files under `dir/crates/`; returns the folder names.
fn unpack_crates(root: &Path, dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let package_dir = dir.join("package-target");
    let mut package = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    package
        .current_dir(root)
        .env("PROTOC", "/nonexistent/protoc")
        .args(["package", "--allow-dirty", "--no-verify", "--quiet"])
        .args(workspace::published_package_args())
        .arg("--target-dir")
        .arg(&package_dir);
    run("cargo package --no-verify", package)?;
    let crates_dir = dir.join("project/crates");
    if crates_dir.exists() {
        std::fs::remove_dir_all(&crates_dir)?;
    }
    std::fs::create_dir_all(&crates_dir)?;
    let mut out = Vec::new();
    for krate in CRATES {
        let version = crate_version(root, krate.name)?;
        let file = package_dir
            .join("package")
            .join(format!("{}-{version}.crate", krate.name));
        let status = Command::new("tar")
            .arg("xzf")
            .arg(&file)
            .arg("-C")
            .arg(&crates_dir)
            .status()
            .with_context(|| format!("unpacking {}", file.display()))?;
        if !status.success() {
            bail!("tar xzf {} failed", file.display());
        }
        let unpacked = crates_dir.join(format!("{}-{version}", krate.name));
        strip_dev_dependencies(&unpacked.join("Cargo.toml"))?;
        out.push((krate.name.to_string(), unpacked));
    }
    Ok(out)
}

/// Drops the `[dev-dependencies]` tables of a packaged manifest: a user of the crate
/// never resolves them, and their minimums are the crate's own test setup.
fn strip_dev_dependencies(manifest: &Path) -> Result<()> {
    let text = std::fs::read_to_string(manifest)?;
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.starts_with('[') {
            skipping = line.starts_with("[dev-dependencies");
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    std::fs::write(manifest, out)?;
    Ok(())
}

fn crate_version(root: &Path, name: &str) -> Result<String> {
    let manifest = std::fs::read_to_string(root.join("crates").join(name).join("Cargo.toml"))?;
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .map(|v| v.trim_end_matches('"').to_string())
        .with_context(|| format!("crates/{name}/Cargo.toml has no version line"))
}

/// Every published manifest's version requirements are caret ranges: no `=`, `<`,
/// `~` or `*` pin.
fn check_no_pins(crates: &[(String, PathBuf)]) -> Result<()> {
    let mut pins = Vec::new();
    for (name, dir) in crates {
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml"))?;
        for (number, line) in manifest.lines().enumerate() {
            let line = line.trim();
            let Some(value) = line.strip_prefix("version = \"") else {
                continue;
            };
            if value.starts_with(['=', '<', '~', '*', '>']) {
                pins.push(format!("{name}/Cargo.toml:{}: {line}", number + 1));
            }
        }
    }
    if !pins.is_empty() {
        bail!(
            "published manifests must use caret ranges:\n  {}",
            pins.join("\n  ")
        );
    }
    Ok(())
}

/// Entry point.
pub fn run_all() -> Result<()> {
    let root = workspace::root();
    let dir = root.join("target/downstream");
    let project = dir.join("project");
    std::fs::create_dir_all(project.join("app/src"))?;
    let crates = unpack_crates(&root, &dir)?;
    check_no_pins(&crates)?;

    let mut manifest = String::from(
        "[workspace]\nresolver = \"3\"\nmembers = [\"app\", \"crates/*\"]\n\n[patch.crates-io]\n",
    );
    for (name, path) in &crates {
        manifest.push_str(&format!(
            "{name} = {{ path = \"crates/{}\" }}\n",
            path.file_name().unwrap().to_string_lossy()
        ));
    }
    std::fs::write(project.join("Cargo.toml"), manifest)?;
    std::fs::write(project.join("app/Cargo.toml"), APP_MANIFEST)?;
    std::fs::write(project.join("app/src/lib.rs"), APP_LIB)?;
    let target = dir.join("target");

    // Newest compatible versions.
    let lock = project.join("Cargo.lock");
    if lock.exists() {
        std::fs::remove_file(&lock)?;
    }
    let mut update = cargo(None, &project, &target);
    update.args(["update", "--quiet"]);
    run("cargo update (newest compatible versions)", update)?;
    let mut check = cargo(None, &project, &target);
    check.args(["check", "--quiet", "-p", "downstream-app"]);
    run("cargo check at the newest versions", check)?;

    // The declared minimums of every crate's direct dependencies.
    std::fs::remove_file(&lock)?;
    let mut minimal = cargo(Some("nightly"), &project, &target);
    minimal.args(["update", "--quiet", "-Z", "direct-minimal-versions"]);
    run(
        "cargo +nightly update -Z direct-minimal-versions (declared minimums)",
        minimal,
    )?;
    let mut check = cargo(None, &project, &target);
    check.args(["check", "--quiet", "-p", "downstream-app"]);
    run("cargo check at the minimum versions", check)?;
    Ok(())
}

/// `cargo xtask doc`: the workspace's rustdoc as docs.rs builds it (nightly, `--cfg
/// docsrs`), so each item shows the features it needs; warnings denied.
pub fn doc() -> Result<()> {
    let root = workspace::root();
    let mut doc = cargo(Some("nightly"), &root, &root.join("target/doc-nightly"));
    doc.args(["doc", "--no-deps", "--all-features"])
        .args(workspace::published_package_args())
        .env("RUSTDOCFLAGS", "--cfg docsrs -D warnings");
    run("cargo +nightly doc --cfg docsrs", doc)?;
    println!(
        "docs: {}",
        root.join("target/doc-nightly/doc/common_eventing/index.html")
            .display()
    );
    Ok(())
}
