//! The buf CLI: installing the pinned release from PyPI and running it.
//!
//! buf is the official binary as packaged on PyPI (`buf-bin`, the same release as npm's
//! `@bufbuild/buf`) at exactly [`BUF_VERSION`], installed into a venv at `target/buf`
//! with `python3 -m venv target/buf && target/buf/bin/python -m pip install
//! buf-bin==<version>` the first time it is needed (and again whenever the installed
//! version differs). Nothing is downloaded from anywhere else, and nothing is
//! downloaded when the pinned version is present. `cargo xtask lint`, `breaking`,
//! `baseline`, `ci` and the xtask tests all go through [`ensure`], so a fresh clone
//! needs nothing beyond the Rust toolchain and `python3` (the README's promise).

use crate::workspace;
use anyhow::{Context, Result, bail};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The buf release every check runs with. Changing it may change buf's findings:
/// update it in its own change and rerun `cargo xtask ci`.
pub const BUF_VERSION: &str = "1.75.0";

/// The PyPI package holding the buf CLI.
pub const PYPI_PACKAGE: &str = "buf-bin";

/// Where buf is installed (a Python venv).
pub fn install_dir() -> PathBuf {
    workspace::root().join("target").join("buf")
}

/// One finding of buf or of the workspace's own rules, printed like buf prints them:
/// `proto/<file>:<line>:<column> <RULE> <message>`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// File path relative to the workspace root (`proto/...`); `None` when the finding
    /// has no file (buf's `PACKAGE_NO_DELETE`: the whole package is gone).
    pub path: Option<String>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Rule id: buf's (`FIELD_SAME_NAME`) or the workspace's (`SRE_INTENT_NAME`).
    pub rule: String,
    /// What is wrong.
    pub message: String,
}

impl Finding {
    /// `path:line:column`, or `proto:1:1` for a finding without a file.
    pub fn location(&self) -> String {
        format!(
            "{}:{}:{}",
            self.path.as_deref().unwrap_or("proto"),
            self.line,
            self.column
        )
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.location(), self.rule, self.message)
    }
}

/// Parses buf's `--error-format msvs` output
/// (`proto/a/b.proto(12,3) : error RULE_ID : message`, or `<input>(1,1) : ...`).
pub fn parse_msvs(output: &str) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    for line in output.lines().filter(|l| !l.trim().is_empty()) {
        let parsed = (|| {
            let mut parts = line.splitn(3, " : ");
            let (at, kind, message) = (parts.next()?, parts.next()?, parts.next()?);
            let open = at.rfind('(')?;
            let (path, position) = (&at[..open], at[open + 1..].strip_suffix(')')?);
            let (l, c) = position.split_once(',')?;
            let rule = kind.split_whitespace().nth(1)?;
            Some(Finding {
                path: (path != "<input>").then(|| path.to_string()),
                line: l.trim().parse().ok()?,
                column: c.trim().parse().ok()?,
                rule: rule.to_string(),
                message: message.to_string(),
            })
        })();
        match parsed {
            Some(finding) => findings.push(finding),
            None => bail!("unexpected buf output line: {line}"),
        }
    }
    Ok(findings)
}

/// The pinned buf binary, installing it from PyPI if it is missing or another version.
/// Safe to call from concurrent processes (a file lock serialises installs).
pub fn ensure() -> Result<PathBuf> {
    static BUF: OnceLock<PathBuf> = OnceLock::new();
    if let Some(path) = BUF.get() {
        return Ok(path.clone());
    }
    let dir = install_dir();
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let lock = std::fs::File::create(dir.join(".install.lock"))?;
    lock.lock().context("locking target/buf")?;
    let path = match installed(&dir) {
        Some(path) => path,
        None => {
            install(&dir)?;
            installed(&dir).with_context(|| {
                format!(
                    "pip installed {PYPI_PACKAGE}=={BUF_VERSION} but `buf --version` does not report {BUF_VERSION}"
                )
            })?
        }
    };
    drop(lock);
    Ok(BUF.get_or_init(|| path).clone())
}

/// The installed buf, if it is the pinned version.
fn installed(dir: &Path) -> Option<PathBuf> {
    let path = dir.join("bin").join("buf");
    let ok = path.is_file()
        && Command::new(&path)
            .arg("--version")
            .output()
            .is_ok_and(|o| {
                o.status.success() && String::from_utf8_lossy(&o.stdout).trim() == BUF_VERSION
            });
    ok.then_some(path)
}

fn install(dir: &Path) -> Result<()> {
    let python = dir.join("bin").join("python");
    if !python.exists() {
        let host = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string());
        println!("buf: {host} -m venv {}", dir.display());
        let status = Command::new(&host)
            .args(["-m", "venv"])
            .arg(dir)
            .status()
            .with_context(|| format!("running {host} -m venv (is python3 installed?)"))?;
        if !status.success() {
            bail!("{host} -m venv {} failed ({status})", dir.display());
        }
    }
    let spec = format!("{PYPI_PACKAGE}=={BUF_VERSION}");
    println!("buf: pip install {spec} into {}", dir.display());
    let status = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &spec,
        ])
        .status()
        .with_context(|| format!("running {}", python.display()))?;
    if !status.success() {
        bail!("pip install {spec} failed ({status})");
    }
    Ok(())
}

/// Runs `buf <args> --error-format msvs` in `dir`: `Ok` with the findings when buf
/// succeeded (exit 0) or reported findings (exit 100), an error otherwise (bad
/// configuration, a file that does not compile, ...).
pub fn check(dir: &Path, args: &[&str]) -> Result<Vec<Finding>> {
    let buf = ensure()?;
    let out = Command::new(&buf)
        .current_dir(dir)
        .args(args)
        .args(["--error-format", "msvs"])
        .output()
        .with_context(|| format!("running {}", buf.display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    match out.status.code() {
        Some(0) | Some(100) => parse_msvs(&stdout),
        _ => bail!(
            "buf {} failed ({}) in {}:\n{}{}",
            args.join(" "),
            out.status,
            dir.display(),
            stdout,
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// Runs `buf <args>` in `dir` and fails unless it succeeds.
pub fn run(dir: &Path, args: &[&str]) -> Result<()> {
    let buf = ensure()?;
    let out = Command::new(&buf)
        .current_dir(dir)
        .args(args)
        .output()
        .with_context(|| format!("running {}", buf.display()))?;
    if !out.status.success() {
        bail!(
            "buf {} failed ({}) in {}:\n{}{}",
            args.join(" "),
            out.status,
            dir.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_msvs() {
        let out = "proto/a/b.proto(12,3) : error FIELD_SAME_NAME : Field \"2\" : renamed.\n\
                   <input>(1,1) : error PACKAGE_NO_DELETE : Previously present package \"x.v1\" was deleted.\n";
        let findings = parse_msvs(out).unwrap();
        assert_eq!(
            findings[0].to_string(),
            "proto/a/b.proto:12:3 FIELD_SAME_NAME Field \"2\" : renamed."
        );
        assert_eq!(findings[1].path, None);
        assert_eq!(
            findings[1].to_string(),
            "proto:1:1 PACKAGE_NO_DELETE Previously present package \"x.v1\" was deleted."
        );
        assert!(parse_msvs("something else").is_err());
    }
}
