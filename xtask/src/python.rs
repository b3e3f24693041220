//! The Python interop environment: a venv under `target/` with pinned packages from PyPI.

use crate::workspace;
use anyhow::{Context, Result, bail};
use std::path::PathBuf;
use std::process::Command;

/// Pinned requirements of the interop tests.
pub fn requirements() -> PathBuf {
    workspace::root().join("tests/python/requirements.txt")
}

/// The venv folder.
pub fn venv_dir() -> PathBuf {
    workspace::root().join("target/interop-venv")
}

/// The venv's interpreter.
pub fn venv_python() -> PathBuf {
    venv_dir().join("bin/python")
}

/// Creates the venv if needed and installs the pinned requirements when they changed.
pub fn ensure_venv() -> Result<PathBuf> {
    let python = venv_python();
    let wanted =
        std::fs::read_to_string(requirements()).context("reading tests/python/requirements.txt")?;
    let stamp = venv_dir().join("requirements.installed");
    if python.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(python);
    }
    if !python.exists() {
        let host = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string());
        println!("venv: creating {} with {host}", venv_dir().display());
        let status = Command::new(&host)
            .args(["-m", "venv"])
            .arg(venv_dir())
            .status()
            .with_context(|| format!("running {host} -m venv (is python3 installed?)"))?;
        if !status.success() {
            bail!("{host} -m venv failed ({status}); on Debian install python3-venv");
        }
    }
    println!("venv: installing {}", requirements().display());
    let status = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(requirements())
        .status()?;
    if !status.success() {
        bail!("pip install -r tests/python/requirements.txt failed ({status})");
    }
    std::fs::write(stamp, wanted)?;
    Ok(python)
}
