//! `cargo xtask breaking`: every crate's contract against its last release.
//!
//! For each crate of `xtask/src/workspace.rs` with a baseline (`baselines/<crate>/`,
//! see [`crate::baseline`]):
//!
//! 1. `buf breaking . --against baselines/<crate>/image.binpb --exclude-imports` with the
//!    rules of `buf.yaml` (WIRE_JSON, plus the deletion rules of rpcs, services,
//!    messages, enums, extensions and packages). Every finding is printed like buf's.
//! 2. The change is classified (buf does not compare custom option values, so the
//!    eventing option and the MCP expose option are compared here:
//!    `EVENTING_OPTION_SAME`, `MCP_TOOL_SAME`):
//!    - **breaking**: buf reports anything;
//!    - **additive**: buf reports nothing but the descriptors of the crate's files
//!      differ (a new message, field, enum value, rpc, file or option; comments do not
//!      count: source info is excluded);
//!    - **none**: same descriptors.
//! 3. The crate version (`crates/<crate>/Cargo.toml`) is checked against the baseline's
//!    (see [`verdict`]): never lower; additive needs at least a minor bump (for 0.x,
//!    0.1.z → 0.2.0); breaking is refused whatever the version says. The one way to
//!    make an incompatible change is a new package version: add `foo.v2` next to
//!    `foo.v1` (additive), and once every user has moved, delete the whole `foo.v1`
//!    package — the only breaking change accepted, and only with a major bump
//!    (for 0.x, a minor bump) and `foo.v2` present in the crate.
//!
//! A crate without a baseline has never been released: nothing to compare.

use crate::baseline::{self, Baseline, ImageFile};
use crate::buf::{self, Finding};
use crate::workspace::{self, CRATES, CrateSpec};
use anyhow::{Context, Result, bail};
use std::fmt;
use std::path::Path;

/// A crate's proto packages, the unit that is released and compared.
#[derive(Debug, Clone)]
pub struct Contract {
    /// Cargo package name.
    pub name: String,
    /// Proto packages (never `google.protobuf`: the well-known types are Google's).
    pub packages: Vec<String>,
}

impl Contract {
    /// The contract of a crate of the workspace.
    pub fn of(spec: &CrateSpec) -> Self {
        Self {
            name: spec.name.to_string(),
            packages: spec
                .packages
                .iter()
                .map(|p| p.proto.to_string())
                .filter(|p| p != "google.protobuf")
                .collect(),
        }
    }

    /// Whether `package` belongs to the contract.
    pub fn owns(&self, package: &str) -> bool {
        self.packages.iter().any(|p| p == package)
    }
}

/// A crate version (`major.minor.patch`, optionally a pre-release; build metadata is
/// ignored, as semver says). A pre-release orders before its release, so `0.2.0-rc.1`
/// does not satisfy a required `0.2.0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// Major.
    pub major: u64,
    /// Minor.
    pub minor: u64,
    /// Patch.
    pub patch: u64,
    /// `false` for a pre-release (`-rc.1`), which sorts before the release.
    pub release: bool,
}

impl Version {
    /// Parses `1.2.3`, `1.2.3-rc.1` (a pre-release of `1.2.3`) and `1.2.3+meta`
    /// (the same as `1.2.3`).
    pub fn parse(text: &str) -> Result<Self> {
        let without_meta = text.split('+').next().unwrap_or_default();
        let (core, release) = match without_meta.split_once('-') {
            Some((core, _pre)) => (core, false),
            None => (without_meta, true),
        };
        let parts: Vec<&str> = core.split('.').collect();
        let [major, minor, patch] = parts.as_slice() else {
            bail!("{text:?} is not a major.minor.patch version");
        };
        let num = |s: &str| {
            s.parse::<u64>()
                .with_context(|| format!("{text:?} is not a major.minor.patch version"))
        };
        Ok(Self {
            major: num(major)?,
            minor: num(minor)?,
            patch: num(patch)?,
            release,
        })
    }

    /// The smallest version that may ship an additive change released after `self`:
    /// the next minor (`1.4.2` → `1.5.0`). For 0.x the minor is the number after
    /// `0.` (`0.1.3` → `0.2.0`), as in Cargo, where `0.1` and `0.2` are incompatible:
    /// prost structs are not `#[non_exhaustive]`, so a new field breaks struct
    /// literals and a patch release must never add one. `0.0.z` → `0.0.(z+1)`.
    pub fn next_minor(self) -> Self {
        match self {
            Self {
                major: 0,
                minor: 0,
                patch,
                ..
            } => Self::new(0, 0, patch + 1),
            Self { major, minor, .. } => Self::new(major, minor + 1, 0),
        }
    }

    /// The smallest semver-incompatible successor: `1.4.2` → `2.0.0`; for 0.x the same
    /// as [`Version::next_minor`] (`0.1.3` → `0.2.0`, Cargo's rule).
    pub fn next_major(self) -> Self {
        match self {
            Self { major: 0, .. } => self.next_minor(),
            Self { major, .. } => Self::new(major + 1, 0, 0),
        }
    }

    const fn new(major: u64, minor: u64, patch: u64) -> Self {
        Self {
            major,
            minor,
            patch,
            release: true,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.release {
            f.write_str("-pre")?;
        }
        Ok(())
    }
}

/// The version of `crates/<krate>/Cargo.toml` under `root`.
pub fn crate_version(root: &Path, krate: &str) -> Result<Version> {
    let path = root.join("crates").join(krate).join("Cargo.toml");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut in_package = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package && let Some(value) = line.strip_prefix("version") {
            let value = value.trim_start();
            let Some(value) = value.strip_prefix('=') else {
                bail!(
                    "{}: `{line}`: give the version literally, the baseline check reads it",
                    path.display()
                );
            };
            // `version = "0.1.0"  # a comment`: the quoted string, nothing after it.
            let quoted = value
                .trim()
                .strip_prefix('"')
                .and_then(|rest| rest.split_once('"'))
                .map(|(inner, _)| inner);
            let Some(quoted) = quoted else {
                bail!("{}: `{line}`: expected a quoted version", path.display());
            };
            return Version::parse(quoted);
        }
    }
    bail!("{}: no [package] version", path.display())
}

/// How a contract changed since its baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Same descriptors.
    None,
    /// Different descriptors, nothing buf calls breaking.
    Additive,
    /// buf reports breaking changes.
    Breaking,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Change::None => "none",
            Change::Additive => "additive",
            Change::Breaking => "breaking",
        })
    }
}

/// `foo.bar.v2` → (`foo.bar`, 2); `None` without a `vN` last segment.
pub fn package_version(package: &str) -> Option<(&str, u64)> {
    let (base, last) = package.rsplit_once('.')?;
    let digits: String = last
        .strip_prefix('v')?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    Some((base, digits.parse().ok()?))
}

/// The package a `PACKAGE_NO_DELETE` finding names.
fn deleted_package(finding: &Finding) -> Option<&str> {
    if finding.rule != "PACKAGE_NO_DELETE" {
        return None;
    }
    finding.message.split('"').nth(1)
}

/// Whether every finding is the deletion of a whole `X.vN` package superseded by an
/// `X.vM` (M > N) of the current contract: a retired package version.
pub fn only_retired_packages(findings: &[Finding], current_packages: &[String]) -> bool {
    !findings.is_empty()
        && findings.iter().all(|finding| {
            let Some((base, n)) = deleted_package(finding).and_then(package_version) else {
                return false;
            };
            current_packages
                .iter()
                .filter_map(|p| package_version(p))
                .any(|(b, m)| b == base && m > n)
        })
}

/// The version policy. `Ok(())` when `version` may ship a change of kind `change`
/// made since `baseline`, else why not.
pub fn verdict(
    change: Change,
    retired_only: bool,
    baseline: Version,
    version: Version,
) -> Result<(), String> {
    if version < baseline {
        return Err(format!(
            "version {version} is lower than the released {baseline}"
        ));
    }
    match change {
        Change::None => Ok(()),
        Change::Additive => {
            let needed = baseline.next_minor();
            if version >= needed {
                Ok(())
            } else {
                Err(format!(
                    "additive change since {baseline} needs at least version {needed} (a minor bump), found {version}"
                ))
            }
        }
        Change::Breaking if retired_only => {
            let needed = baseline.next_major();
            if version >= needed {
                Ok(())
            } else {
                Err(format!(
                    "retiring a package version since {baseline} needs at least version {needed} (a major bump), found {version}"
                ))
            }
        }
        Change::Breaking => Err(format!(
            "breaking change since {baseline}: refused whatever the version ({version}). \
             Keep the published numbers, names and types (reserve what you delete), or \
             put the new shape in a new package version (foo.v2) next to the old one"
        )),
    }
}

/// The outcome for one crate.
#[derive(Debug, Clone)]
pub struct CrateReport {
    /// Crate name.
    pub name: String,
    /// Released version.
    pub baseline_version: Version,
    /// Current version.
    pub version: Version,
    /// The change since the release.
    pub change: Change,
    /// buf's findings (empty unless breaking).
    pub findings: Vec<Finding>,
    /// The version policy's verdict.
    pub verdict: Result<(), String>,
}

impl CrateReport {
    /// Whether the crate may ship as is.
    pub fn ok(&self) -> bool {
        self.verdict.is_ok()
    }

    /// Prints the findings and a summary line.
    pub fn print(&self) {
        for finding in &self.findings {
            println!("{finding}");
        }
        let status = match &self.verdict {
            Ok(()) => "ok".to_string(),
            Err(why) => format!("FAILED: {why}"),
        };
        println!(
            "breaking: {} {} (released {}): change {}, {status}",
            self.name, self.version, self.baseline_version, self.change
        );
    }
}

/// Compares the contract under `root` (a folder with `buf.yaml` and `proto/`) with its
/// baseline. `current` is the image of the whole proto root (see
/// [`baseline::build_workspace_image`]); `version` the crate's current version.
pub fn check_crate(
    root: &Path,
    contract: &Contract,
    current: &[ImageFile],
    baseline: &Baseline,
    version: &Version,
) -> Result<CrateReport> {
    let against = std::path::absolute(&baseline.image)?;
    let against = against.to_string_lossy();
    let mut findings = buf::check(
        root,
        &["breaking", ".", "--against", &against, "--exclude-imports"],
    )?;
    // buf does not compare custom option values: a renamed topic or a changed key
    // would pass as "additive". The eventing option is part of the contract.
    let released_pool =
        prost_reflect::DescriptorPool::decode(std::fs::read(&baseline.image)?.as_slice())
            .context("reading the baseline image's descriptors")?;
    let current_pool = crate::protos::compile(&root.join("proto"))?.pool;
    findings.extend(eventing_changes(
        &crate::eventing::collect(&released_pool)?,
        &crate::eventing::collect(&current_pool)?,
        contract,
    ));
    findings.extend(tool_changes(
        &crate::mcp::collect(&released_pool),
        &crate::mcp::collect(&current_pool),
        contract,
    ));
    let released = baseline::own_files(&baseline::read_image(&std::fs::read(&baseline.image)?)?);
    let now = baseline::contract_files(current, contract);
    let change = if !findings.is_empty() {
        Change::Breaking
    } else if released != now {
        Change::Additive
    } else {
        Change::None
    };
    let packages: Vec<String> = current
        .iter()
        .filter(|f| contract.owns(&f.package))
        .map(|f| f.package.clone())
        .collect();
    let retired_only = only_retired_packages(&findings, &packages);
    Ok(CrateReport {
        name: contract.name.clone(),
        baseline_version: baseline.version,
        version: *version,
        change,
        verdict: verdict(change, retired_only, baseline.version, *version),
        findings,
    })
}

/// `EVENTING_OPTION_SAME` findings: every message of the contract that was released
/// with the eventing option keeps it, with the same stable type, stream, subject and
/// key paths (consumers route, deduplicate and look up schemas by them).
pub fn eventing_changes(
    released: &[crate::eventing::EventSpec],
    current: &[crate::eventing::EventSpec],
    contract: &Contract,
) -> Vec<Finding> {
    let package_of = |message: &str| message.rsplit_once('.').map_or("", |(p, _)| p).to_string();
    let mut findings = Vec::new();
    for before in released
        .iter()
        .filter(|s| contract.owns(&package_of(&s.message)))
    {
        let Some(now) = current.iter().find(|s| s.message == before.message) else {
            if current.iter().all(|s| s.file != before.file) {
                continue; // the message is gone: buf reports the deletion
            }
            findings.push(Finding {
                path: Some(format!("proto/{}", before.file)),
                line: 1,
                column: 1,
                rule: "EVENTING_OPTION_SAME".into(),
                message: format!(
                    "{} lost its eventing option (stream {:?})",
                    before.message, before.stream_ref
                ),
            });
            continue;
        };
        let changed: Vec<String> = [
            (
                "type",
                format!("{:?}", before.stable_type),
                format!("{:?}", now.stable_type),
            ),
            (
                "stream_ref",
                format!("{:?}", before.stream_ref),
                format!("{:?}", now.stream_ref),
            ),
            (
                "schema_subject",
                format!("{:?}", before.schema_subject),
                format!("{:?}", now.schema_subject),
            ),
            (
                "partition_key_fields",
                format!("{:?}", before.partition_key_fields),
                format!("{:?}", now.partition_key_fields),
            ),
            (
                "idempotency_key_fields",
                format!("{:?}", before.idempotency_key_fields),
                format!("{:?}", now.idempotency_key_fields),
            ),
        ]
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(name, a, b)| format!("{name} {a} -> {b}"))
        .collect();
        if !changed.is_empty() {
            findings.push(Finding {
                path: Some(format!("proto/{}", now.file)),
                line: now.line_col.0,
                column: now.line_col.1,
                rule: "EVENTING_OPTION_SAME".into(),
                message: format!(
                    "eventing option of {} changed: {} (publish under a new stream/package version instead)",
                    now.message,
                    changed.join(", ")
                ),
            });
        }
    }
    findings
}

/// `MCP_TOOL_SAME` findings: every rpc of the contract released as an MCP tool keeps
/// its tool name, hints and approval (agents and their permission grants name tools;
/// clients trust the hints). A tool may be added, never removed or renamed.
pub fn tool_changes(
    released: &[crate::mcp::ToolSpec],
    current: &[crate::mcp::ToolSpec],
    contract: &Contract,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for before in released.iter().filter(|t| contract.owns(&t.package)) {
        let Some(now) = current.iter().find(|t| t.rpc() == before.rpc()) else {
            findings.push(Finding {
                path: Some(format!("proto/{}", before.file)),
                line: 1,
                column: 1,
                rule: "MCP_TOOL_SAME".into(),
                message: format!(
                    "tool {:?} ({}) was removed: a released tool stays exposed",
                    before.name,
                    before.rpc()
                ),
            });
            continue;
        };
        let flag = |b: bool| b.to_string();
        let changed: Vec<String> = [
            (
                "tool_name",
                format!("{:?}", before.name),
                format!("{:?}", now.name),
            ),
            (
                "readOnlyHint",
                flag(before.hints.read_only),
                flag(now.hints.read_only),
            ),
            (
                "destructiveHint",
                flag(before.hints.destructive),
                flag(now.hints.destructive),
            ),
            (
                "idempotentHint",
                flag(before.hints.idempotent),
                flag(now.hints.idempotent),
            ),
            (
                "openWorldHint",
                flag(before.hints.open_world),
                flag(now.hints.open_world),
            ),
            (
                "requires_approval",
                flag(before.requires_approval),
                flag(now.requires_approval),
            ),
        ]
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(name, a, b)| format!("{name} {a} -> {b}"))
        .collect();
        if !changed.is_empty() {
            findings.push(Finding {
                path: Some(format!("proto/{}", now.file)),
                line: now.line_col.0,
                column: now.line_col.1,
                rule: "MCP_TOOL_SAME".into(),
                message: format!(
                    "MCP tool of {} changed: {} (expose a new tool instead)",
                    now.rpc(),
                    changed.join(", ")
                ),
            });
        }
    }
    findings
}

/// Checks every contract under `root` (a folder with `buf.yaml`, `proto/`,
/// `crates/<crate>/Cargo.toml` and `baselines/`): one report per released crate.
/// Fails on a baseline without a crate (a released crate must not disappear).
pub fn check_all(root: &Path, contracts: &[Contract]) -> Result<Vec<CrateReport>> {
    let tmp = tempfile::tempdir()?;
    let current = baseline::build_workspace_image(root, &tmp.path().join("current.binpb"))?;
    let mut reports = Vec::new();
    for contract in contracts {
        let Some(released) = baseline::load(root, &contract.name)? else {
            println!(
                "breaking: {} has no baseline (never released): nothing to compare",
                contract.name
            );
            continue;
        };
        let version = crate_version(root, &contract.name)?;
        reports.push(check_crate(root, contract, &current, &released, &version)?);
    }
    let dir = root.join(baseline::DIR);
    if dir.exists() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type()?.is_dir() && !contracts.iter().any(|c| c.name == name) {
                bail!(
                    "baselines/{name} has no crate in xtask/src/workspace.rs: a released crate must not disappear"
                );
            }
        }
    }
    Ok(reports)
}

/// `cargo xtask breaking`: checks every crate of the workspace; fails if any fails.
pub fn run() -> Result<()> {
    let contracts: Vec<Contract> = CRATES.iter().map(Contract::of).collect();
    let reports = check_all(&workspace::root(), &contracts)?;
    let mut failed = Vec::new();
    for report in &reports {
        report.print();
        if !report.ok() {
            failed.push(report.name.as_str());
        }
    }
    if !failed.is_empty() {
        bail!("breaking: refused for {}", failed.join(", "));
    }
    println!("breaking: every released contract is compatible and correctly versioned");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn crate_version_reads_the_quoted_value() {
        let dir = tempfile::tempdir().unwrap();
        let krate = dir.path().join("crates/x");
        std::fs::create_dir_all(&krate).unwrap();
        std::fs::write(
            krate.join("Cargo.toml"),
            "[package]\nname = \"x\"\nversion = \"0.2.0\"  # bumped for the new field\n",
        )
        .unwrap();
        assert_eq!(crate_version(dir.path(), "x").unwrap(), v("0.2.0"));
    }

    #[test]
    fn versions() {
        assert!(
            v("0.2.0-rc.1") < v("0.2.0"),
            "a pre-release is not its release"
        );
        assert!(v("0.2.0-rc.1") > v("0.1.9"));
        assert_eq!(v("1.2.3+build.7"), v("1.2.3"));
        assert!(Version::parse("1.2").is_err());
        assert!(v("0.10.0") > v("0.9.9"));
        assert_eq!(v("1.4.2").next_minor(), v("1.5.0"));
        assert_eq!(v("1.4.2").next_major(), v("2.0.0"));
        assert_eq!(v("0.1.3").next_minor(), v("0.2.0"));
        assert_eq!(v("0.1.3").next_major(), v("0.2.0"));
        assert_eq!(v("0.0.3").next_minor(), v("0.0.4"));
    }

    #[test]
    fn package_versions() {
        assert_eq!(package_version("foo.bar.v2"), Some(("foo.bar", 2)));
        assert_eq!(package_version("foo.v1beta1"), Some(("foo", 1)));
        assert_eq!(package_version("aios.tools"), None);
    }

    #[test]
    fn policy() {
        let ok = |c, from, to| verdict(c, false, v(from), v(to)).is_ok();
        assert!(ok(Change::None, "0.1.0", "0.1.0"));
        assert!(!ok(Change::None, "0.2.0", "0.1.9"));
        assert!(!ok(Change::Additive, "0.1.0", "0.1.1"));
        assert!(ok(Change::Additive, "0.1.0", "0.2.0"));
        assert!(!ok(Change::Breaking, "0.1.0", "9.0.0"));
        assert!(verdict(Change::Breaking, true, v("1.0.0"), v("2.0.0")).is_ok());
        assert!(verdict(Change::Breaking, true, v("1.0.0"), v("1.1.0")).is_err());
    }
}
