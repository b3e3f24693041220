#![doc = include_str!("../../README.md")]
//!
//! # Interop test plumbing
//!
//! Shared plumbing of the interop tests: finding the pinned Python venv and running
//! the peer scripts in `tests/python/`.
//!
//! The venv is created by `cargo xtask venv` (or `cargo xtask ci`) under
//! `target/interop-venv` from `tests/python/requirements.txt`; `INTEROP_PYTHON` may
//! point at another interpreter with the same packages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The Python interpreter with the pinned peer packages. Panics with the command to
/// run when there is none: an interop test never passes without its peer.
pub fn python() -> PathBuf {
    let python = std::env::var_os("INTEROP_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/interop-venv/bin/python"));
    assert!(
        python.exists(),
        "no interop Python at {}: run `cargo xtask venv` (or `cargo xtask ci`) first",
        python.display()
    );
    python
}

/// A command running `tests/python/<script>` with the interop interpreter.
pub fn script(name: &str) -> Command {
    let mut cmd = Command::new(python());
    cmd.arg(workspace_root().join("tests/python").join(name))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONPATH", workspace_root().join("tests/python"));
    cmd
}

/// Runs a script to completion; panics with its output when it fails.
pub fn run(mut cmd: Command) -> String {
    let out: Output = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("starting {cmd:?}: {e}"));
    stdout_of(&format!("{cmd:?}"), out)
}

/// The stdout of a finished peer process; panics with its stdout and stderr when it
/// failed, naming it `what`.
pub fn stdout_of(what: &str, out: Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed ({})\n--- stdout\n{stdout}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

pub mod aios_fake;
pub mod every_message;
pub mod h2_probe;
pub mod ingest_stack;
pub mod kafka_peer;
pub mod mcp_stack;
pub mod raw_grpc;
pub mod roundtrip;
pub mod validate_cases;

/// Decodes hex (what the Python peers write for bytes).
pub fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

/// Concatenation of encoded `FileDescriptorSet`s is itself a valid encoded set.
pub fn descriptor_sets(sets: &[&[u8]]) -> Vec<u8> {
    sets.concat()
}
