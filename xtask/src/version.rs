//! Crate versions, parsed with the `semver` crate, and read from `Cargo.toml` with
//! the `toml` crate.

use anyhow::{Context, Result, bail};
use std::fmt;
use std::path::Path;

/// A crate version: a semver version without its build metadata (which semver says
/// does not take part in precedence), so `1.2.3+build.7 == 1.2.3`. Pre-releases keep
/// their identifiers: `0.2.0-alpha < 0.2.0-rc.2 < 0.2.0`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(semver::Version);

impl Version {
    /// Parses a semver version (`1.2.3`, `1.2.3-rc.1`, `1.2.3+meta`).
    pub fn parse(text: &str) -> Result<Self> {
        let mut version = semver::Version::parse(text.trim())
            .with_context(|| format!("{text:?} is not a semver version (major.minor.patch)"))?;
        version.build = semver::BuildMetadata::EMPTY;
        Ok(Self(version))
    }

    /// The version as the `semver` crate's type.
    pub fn semver(&self) -> &semver::Version {
        &self.0
    }

    /// Whether it is a pre-release (`-rc.1`).
    pub fn is_prerelease(&self) -> bool {
        !self.0.pre.is_empty()
    }

    /// The smallest version that may ship an additive change released after `self`:
    /// the next minor (`1.4.2` → `1.5.0`). For 0.x the minor is the number after
    /// `0.` (`0.1.3` → `0.2.0`), as in Cargo, where `0.1` and `0.2` are incompatible:
    /// prost structs are not `#[non_exhaustive]`, so a new field breaks struct
    /// literals and a patch release must never add one. `0.0.z` → `0.0.(z+1)`.
    pub fn next_minor(&self) -> Self {
        let v = &self.0;
        match (v.major, v.minor) {
            (0, 0) => Self::new(0, 0, v.patch + 1),
            (major, minor) => Self::new(major, minor + 1, 0),
        }
    }

    /// The smallest semver-incompatible successor: `1.4.2` → `2.0.0`; for 0.x the same
    /// as [`Version::next_minor`] (`0.1.3` → `0.2.0`, Cargo's rule).
    pub fn next_major(&self) -> Self {
        match self.0.major {
            0 => self.next_minor(),
            major => Self::new(major + 1, 0, 0),
        }
    }

    fn new(major: u64, minor: u64, patch: u64) -> Self {
        Self(semver::Version::new(major, minor, patch))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The `[package] version` of `crates/<krate>/Cargo.toml` under `root`, which must
/// be written literally (not `version.workspace = true`): the baseline check reads it.
pub fn crate_version(root: &Path, krate: &str) -> Result<Version> {
    let path = root.join("crates").join(krate).join("Cargo.toml");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let manifest: toml::Table =
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let Some(package) = manifest.get("package").and_then(toml::Value::as_table) else {
        bail!("{}: no [package] table", path.display());
    };
    match package.get("version") {
        Some(toml::Value::String(version)) => {
            Version::parse(version).with_context(|| format!("{}: package.version", path.display()))
        }
        Some(_) => bail!(
            "{}: package.version: give the version literally, the baseline check reads it",
            path.display()
        ),
        None => bail!("{}: no [package] version", path.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn crate_version_reads_the_literal_value() {
        let dir = tempfile::tempdir().unwrap();
        let krate = dir.path().join("crates/x");
        std::fs::create_dir_all(&krate).unwrap();
        std::fs::write(
            krate.join("Cargo.toml"),
            "[package]\nname = \"x\"\nversion = \"0.2.0\"  # bumped for the new field\n\n[dependencies]\nfoo = { version = \"9.9.9\" }\n",
        )
        .unwrap();
        assert_eq!(crate_version(dir.path(), "x").unwrap(), v("0.2.0"));
        std::fs::write(
            krate.join("Cargo.toml"),
            "[package]\nname = \"x\"\nversion.workspace = true\n",
        )
        .unwrap();
        let err = crate_version(dir.path(), "x").unwrap_err().to_string();
        assert!(err.contains("give the version literally"), "{err}");
    }

    #[test]
    fn versions() {
        assert!(
            v("0.2.0-rc.1") < v("0.2.0"),
            "a pre-release is not its release"
        );
        assert!(v("0.2.0-rc.1") > v("0.1.9"));
        assert_ne!(v("0.2.0-alpha"), v("0.2.0-rc.2"));
        assert!(v("0.2.0-alpha") < v("0.2.0-rc.2"));
        assert!(
            v("0.2.0-rc.2") < v("0.2.0-rc.10"),
            "numeric identifiers compare as numbers"
        );
        assert_eq!(v("1.2.3+build.7"), v("1.2.3"));
        assert_eq!(v("0.2.0-rc.1").to_string(), "0.2.0-rc.1");
        assert!(v("0.2.0-rc.1").is_prerelease());
        assert!(Version::parse("1.2").is_err());
        assert!(v("0.10.0") > v("0.9.9"));
        assert_eq!(v("1.4.2").next_minor(), v("1.5.0"));
        assert_eq!(v("1.4.2").next_major(), v("2.0.0"));
        assert_eq!(v("0.1.3").next_minor(), v("0.2.0"));
        assert_eq!(v("0.1.3").next_major(), v("0.2.0"));
        assert_eq!(v("0.0.3").next_minor(), v("0.0.4"));
    }
}
