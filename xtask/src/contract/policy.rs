//! The compatibility policy: buf's breaking check plus the option diffs classify a
//! crate's change since its release, and the version rule decides whether its
//! current version may ship it.

use super::Contract;
use super::eventing_diff::{eventing_changes, tool_changes};
use super::image::{self, Baseline, ImageFile};
use crate::buf::{self, Finding};
use crate::version::{Version, crate_version};
use anyhow::{Context, Result, bail};
use std::fmt;
use std::path::Path;

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

/// `foo.bar.v2` → (`foo.bar`, 2); `None` unless the last segment is `v` and digits
/// only (`foo.v1beta1` is not version 1).
pub fn package_version(package: &str) -> Option<(&str, u64)> {
    let (base, last) = package.rsplit_once('.')?;
    let digits = last.strip_prefix('v')?;
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None; // `v1beta1` is a pre-release track, not version 1
    }
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
    baseline: &Version,
    version: &Version,
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
            if *version >= needed {
                Ok(())
            } else {
                Err(format!(
                    "additive change since {baseline} needs at least version {needed} (a minor bump), found {version}"
                ))
            }
        }
        Change::Breaking if retired_only => {
            let needed = baseline.next_major();
            if *version >= needed {
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
/// [`image::build_workspace_image`]); `version` the crate's current version.
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
        &crate::codegen::generators::eventing::collect(&released_pool)?,
        &crate::codegen::generators::eventing::collect(&current_pool)?,
        contract,
    ));
    findings.extend(tool_changes(
        &crate::codegen::generators::mcp::collect(&released_pool),
        &crate::codegen::generators::mcp::collect(&current_pool),
        contract,
    ));
    let released = image::own_files(&image::read_image(&std::fs::read(&baseline.image)?)?);
    let now = image::contract_files(current, contract);
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
        baseline_version: baseline.version.clone(),
        version: version.clone(),
        change,
        verdict: verdict(change, retired_only, &baseline.version, version),
        findings,
    })
}

/// Checks every contract under `root` (a folder with `buf.yaml`, `proto/`,
/// `crates/<crate>/Cargo.toml` and `baselines/`): one report per released crate.
/// Fails on a baseline without a crate (a released crate must not disappear).
pub fn check_all(root: &Path, contracts: &[Contract]) -> Result<Vec<CrateReport>> {
    let tmp = tempfile::tempdir()?;
    let current = image::build_workspace_image(root, &tmp.path().join("current.binpb"))?;
    let mut reports = Vec::new();
    for contract in contracts {
        let Some(released) = image::load(root, &contract.name)? else {
            println!(
                "breaking: {} has no baseline (never released): nothing to compare",
                contract.name
            );
            continue;
        };
        let version = crate_version(root, &contract.name)?;
        reports.push(check_crate(root, contract, &current, &released, &version)?);
    }
    let dir = root.join(image::DIR);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn package_versions() {
        assert_eq!(package_version("foo.bar.v2"), Some(("foo.bar", 2)));
        assert_eq!(package_version("foo.v10"), Some(("foo", 10)));
        assert_eq!(
            package_version("foo.v1beta1"),
            None,
            "a beta is not version 1"
        );
        assert_eq!(package_version("foo.v"), None);
        assert_eq!(package_version("aios.tools"), None);
    }

    #[test]
    fn policy() {
        let ok = |c, from, to| verdict(c, false, &v(from), &v(to)).is_ok();
        assert!(ok(Change::None, "0.1.0", "0.1.0"));
        assert!(!ok(Change::None, "0.2.0", "0.1.9"));
        assert!(!ok(Change::Additive, "0.1.0", "0.1.1"));
        assert!(ok(Change::Additive, "0.1.0", "0.2.0"));
        assert!(
            !ok(Change::Additive, "0.1.0", "0.2.0-rc.1"),
            "a pre-release is not the release"
        );
        assert!(!ok(Change::Breaking, "0.1.0", "9.0.0"));
        assert!(verdict(Change::Breaking, true, &v("1.0.0"), &v("2.0.0")).is_ok());
        assert!(verdict(Change::Breaking, true, &v("1.0.0"), &v("1.1.0")).is_err());
    }
}
