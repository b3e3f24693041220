//! Released contracts: `baselines/<crate>/image.binpb` and `baselines/<crate>/version`.
//!
//! When a crate is released, `cargo xtask baseline <crate>` records what was published:
//! - `image.binpb`: the buf image of the crate's own `.proto` files (`buf build --path
//!   proto/<file>... --exclude-source-info`; imports are included so the image stands
//!   alone, and marked as imports), the `--against` input of `cargo xtask breaking`;
//! - `version`: the crate version (from `crates/<crate>/Cargo.toml`) it was taken at.
//!
//! A crate's files are the files of its proto packages (`xtask/src/workspace.rs`),
//! minus `google.protobuf` (the well-known types are Google's, built into protox and
//! buf). The command refuses to overwrite a baseline that the current contract would
//! fail against: a baseline can record a release, never excuse a breaking change.

use crate::buf;
use crate::contract::Contract;
use crate::contract::image::{
    IMAGE, VERSION, build_workspace_image, contract_files, dir, load, own_files, read_image,
};
use crate::contract::policy::check_crate;
use crate::version::{Version, crate_version};
use crate::workspace::{self, CRATES};
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

pub use crate::contract::image::{Baseline, DIR, ImageFile};

/// Writes the baseline of `contract` under `root`: the image of its files (found in
/// `current`, an image of the whole proto root) and `version`.
pub fn write(
    root: &Path,
    contract: &Contract,
    current: &[ImageFile],
    version: &Version,
) -> Result<PathBuf> {
    let files = contract_files(current, contract);
    if files.is_empty() {
        bail!(
            "{}: no .proto file declares any of its packages ({})",
            contract.name,
            contract.packages.join(", ")
        );
    }
    let dir = dir(root, &contract.name);
    std::fs::create_dir_all(&dir)?;
    let image = dir.join(IMAGE);
    let mut args = vec![
        "build".to_string(),
        "--exclude-source-info".to_string(),
        "-o".to_string(),
        image.to_string_lossy().into_owned(),
    ];
    for name in files.keys() {
        args.push("--path".into());
        args.push(format!("proto/{name}"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    buf::run(root, &args)?;
    // The recorded image must hold exactly the contract's files, byte for byte.
    let written = own_files(&read_image(&std::fs::read(&image)?)?);
    anyhow::ensure!(
        written == files,
        "{}: the baseline image differs from the contract's files",
        image.display()
    );
    std::fs::write(dir.join(VERSION), format!("{version}\n"))?;
    Ok(dir)
}

/// `cargo xtask baseline [<crate>...]`: records the current contract of the named
/// crates (all when none is named) as released, after checking it against the
/// previous baseline exactly like `cargo xtask breaking` does.
pub fn run(names: &[&str]) -> Result<()> {
    for name in names {
        if !CRATES.iter().any(|c| c.name == *name) {
            bail!("unknown crate {name} (see xtask/src/workspace.rs)");
        }
    }
    let contracts: Vec<Contract> = CRATES
        .iter()
        .filter(|c| names.is_empty() || names.contains(&c.name))
        .map(Contract::of)
        .collect();
    record(&workspace::root(), &contracts)
}

/// Records the baselines of `contracts` under `root` (a folder with `buf.yaml`,
/// `proto/`, `crates/<crate>/Cargo.toml`), each at its crate's current version.
/// Refuses (and leaves the old baseline) for a contract that fails against its
/// previous baseline.
pub fn record(root: &Path, contracts: &[Contract]) -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let current = build_workspace_image(root, &tmp.path().join("current.binpb"))?;
    let mut refused = Vec::new();
    for contract in contracts {
        let version = crate_version(root, &contract.name)?;
        if let Some(previous) = load(root, &contract.name)? {
            let report = check_crate(root, contract, &current, &previous, &version)?;
            report.print();
            if !report.ok() {
                refused.push(contract.name.clone());
                continue;
            }
        }
        let dir = write(root, contract, &current, &version)?;
        println!(
            "baseline: {} {version} -> {}",
            contract.name,
            dir.strip_prefix(root).unwrap_or(&dir).display()
        );
    }
    if !refused.is_empty() {
        bail!(
            "baseline refused for {}: the current contract fails against the released one",
            refused.join(", ")
        );
    }
    Ok(())
}
