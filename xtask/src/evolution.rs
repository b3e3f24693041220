//! `cargo xtask evolution`: the maintainer's path, proved on a temporary copy of the
//! workspace. A new AumOS event (eventing option, `event_id`, `tenant_id`,
//! `timestamp`) and a new `bytes hints_json` field on an aiOS message are added to
//! the `.proto` files, `cargo xtask codegen` runs, and then, with no Rust edited by
//! hand, a downstream crate calls `NewEvent::new_event`, the `Eventing` consts and
//! the `set_`/`decode_` accessors on them, and the two crates' own tests pass.
//! `cargo xtask ci` runs it.

use crate::steps::run_step;
use crate::workspace;
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;

const NEW_EVENT: &str = r#"syntax = "proto3";

package aumos.events.v1;

import "ameide_core_proto/common/v1/eventing.proto";
import "google/protobuf/timestamp.proto";

// A probe was recorded (added by `cargo xtask evolution`).
message ProbeRecorded {
  option (ameide_core_proto.common.v1.eventing) = {
    type: "aumos.probe.events.v1"
    stream_ref: "aumos.probe.events"
    schema_subject: "aumos.probe.events-value"
    partition_key_fields: ["tenant_id"]
    idempotency_key_fields: ["event_id"]
  };
  // Event id (UUID).
  string event_id = 1;
  // Tenant.
  string tenant_id = 2;
  // When it was recorded.
  google.protobuf.Timestamp timestamp = 3;
  // What was probed.
  string target = 4;
}
"#;

const DOWNSTREAM_MANIFEST: &str = r#"[package]
name = "evolution-probe"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
aumos-proto = { path = "../crates/aumos-proto" }
aios-proto = { path = "../crates/aios-proto" }
common-eventing = { path = "../crates/common-eventing" }
serde_json = "1"
"#;

const DOWNSTREAM_MAIN: &str = r#"use aios_proto::tools::ExecuteRequest;
use aumos_proto::NewEvent;
use aumos_proto::events::v1::ProbeRecorded;
use common_eventing::Eventing;

fn main() {
    let event = ProbeRecorded::new_event("acme");
    assert_eq!(event.tenant_id, "acme");
    assert_eq!(&event.event_id[14..15], "7", "a UUIDv7");
    assert!(event.timestamp.is_some());
    assert_eq!(ProbeRecorded::STREAM_REF, "aumos.probe.events");
    assert_eq!(ProbeRecorded::STABLE_TYPE, "aumos.probe.events.v1");
    assert_eq!(event.partition_key_values(), ["acme"]);

    let mut request = ExecuteRequest::default();
    request.set_hints_json(&serde_json::json!({"retry": 2})).unwrap();
    let hints: serde_json::Value = request.decode_hints_json().unwrap();
    assert_eq!(hints["retry"], 2);
    request.hints_json = "{oops".into();
    let err = request.decode_hints_json::<serde_json::Value>().unwrap_err();
    assert!(err.to_string().starts_with("aios.tools.ExecuteRequest.hints_json: "), "{err}");
    println!("evolution probe: ok");
}
"#;

/// Copies the files git knows of (tracked, and untracked but not ignored).
fn copy_workspace(root: &Path, to: &Path) -> Result<()> {
    let out = Command::new("git")
        .current_dir(root)
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .output()
        .context("running git ls-files")?;
    if !out.status.success() {
        bail!(
            "git ls-files failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for name in out.stdout.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = std::str::from_utf8(name)?;
        let from = root.join(name);
        if !from.is_file() {
            continue; // deleted in the work tree
        }
        let dest = to.join(name);
        std::fs::create_dir_all(dest.parent().expect("a file has a parent"))?;
        std::fs::copy(&from, &dest).with_context(|| format!("copying {name}"))?;
    }
    Ok(())
}

fn edit(path: &Path, f: impl FnOnce(String) -> Result<String>) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    std::fs::write(path, f(text)?)?;
    Ok(())
}

/// Runs the check in a temporary copy of the workspace; builds share `target_dir`.
pub fn run() -> Result<()> {
    let root = workspace::root();
    let tmp = tempfile::tempdir()?;
    let copy = tmp.path();
    copy_workspace(&root, copy)?;

    std::fs::write(
        copy.join("proto/aumos/events/v1/probe_event.proto"),
        NEW_EVENT,
    )?;
    edit(&copy.join("proto/aios/tools/tools.proto"), |text| {
        let anchor = "  // Why the tool is called.\n  string reason = 5;\n";
        if !text.contains(anchor) {
            bail!("proto/aios/tools/tools.proto: ExecuteRequest.reason not found");
        }
        Ok(text.replacen(
            anchor,
            &format!("{anchor}  // Hints for the tool runner, JSON (added by `cargo xtask evolution`).\n  bytes hints_json = 99;\n"),
            1,
        ))
    })?;
    std::fs::create_dir_all(copy.join("evolution-probe/src"))?;
    std::fs::write(copy.join("evolution-probe/Cargo.toml"), DOWNSTREAM_MANIFEST)?;
    std::fs::write(copy.join("evolution-probe/src/main.rs"), DOWNSTREAM_MAIN)?;
    edit(&copy.join("Cargo.toml"), |text| {
        Ok(text.replacen("members = [", "members = [\"evolution-probe\", ", 1))
    })?;

    // The copy's builds share this workspace's target dir: registry dependencies are
    // compiled once (the copy's own crates have other paths, so other artifacts).
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let cargo = |args: &[&str]| {
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.current_dir(copy)
            .env("CARGO_TARGET_DIR", &target)
            .env("PROTOC", "/nonexistent/protoc")
            .args(args);
        cmd
    };
    // This workspace's xtask, run on the copy (building the copy's xtask into the
    // shared target dir would replace the running binary).
    let mut codegen = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    codegen
        .current_dir(&root)
        .args(["run", "--quiet", "-p", "xtask", "--", "codegen"])
        .env(workspace::ROOT_ENV, copy);
    run_step(
        "evolution: cargo xtask codegen (new event, new *_json field)",
        codegen,
    )?;
    for generated in [
        "crates/aumos-proto/src/generated/aumos.events.v1.constructors.rs",
        "crates/aios-proto/src/generated/aios.tools.json_fields.rs",
    ] {
        let text = std::fs::read_to_string(copy.join(generated))?;
        let needle = if generated.contains("constructors") {
            "impl crate::NewEvent for ProbeRecorded"
        } else {
            "pub fn decode_hints_json"
        };
        if !text.contains(needle) {
            bail!("{generated}: codegen wrote no `{needle}`");
        }
    }
    run_step(
        "evolution: a downstream crate uses the new event and field",
        cargo(&["run", "--quiet", "-p", "evolution-probe"]),
    )?;
    run_step(
        "evolution: the crates' own tests",
        cargo(&[
            "test",
            "--quiet",
            "--all-features",
            "-p",
            "aumos-proto",
            "-p",
            "aios-proto",
            "--lib",
        ]),
    )
}
