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

use crate::breaking::{self, Contract, Version};
use crate::buf;
use crate::workspace::{self, CRATES};
use anyhow::{Context, Result, bail};
use prost::encoding::{WireType, decode_key, decode_varint};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Folder of the baselines, relative to the workspace root.
pub const DIR: &str = "baselines";
/// The image file of a baseline.
pub const IMAGE: &str = "image.binpb";
/// The version file of a baseline.
pub const VERSION: &str = "version";

/// `buf.alpha.image.v1.ImageFile.buf_extension`.
const BUF_EXTENSION: u32 = 8042;
/// `google.protobuf.FileDescriptorProto.source_code_info`.
const SOURCE_CODE_INFO: u32 = 9;

/// A recorded release of one crate.
#[derive(Debug, Clone)]
pub struct Baseline {
    /// The image file.
    pub image: PathBuf,
    /// The crate version it was taken at.
    pub version: Version,
}

/// The baseline folder of `krate` under `root`.
pub fn dir(root: &Path, krate: &str) -> PathBuf {
    root.join(DIR).join(krate)
}

/// Reads the baseline of `krate`, `None` if the crate was never released.
pub fn load(root: &Path, krate: &str) -> Result<Option<Baseline>> {
    let dir = dir(root, krate);
    if !dir.exists() {
        return Ok(None);
    }
    let image = dir.join(IMAGE);
    anyhow::ensure!(image.is_file(), "{} is missing", image.display());
    let text = std::fs::read_to_string(dir.join(VERSION))
        .with_context(|| format!("reading {}", dir.join(VERSION).display()))?;
    let version = Version::parse(text.trim())
        .with_context(|| format!("{}: bad version", dir.join(VERSION).display()))?;
    Ok(Some(Baseline { image, version }))
}

/// One file of a buf image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFile {
    /// Path relative to the proto root (`aios/tools/tools.proto`).
    pub name: String,
    /// Proto package.
    pub package: String,
    /// Whether the image holds it only as an import of its own files.
    pub is_import: bool,
    /// The encoded `FileDescriptorProto` without source info and without buf's
    /// extension: equal bytes mean equal descriptors (options included).
    pub descriptor: Vec<u8>,
}

/// Reads the bytes of one field value of wire type `wire_type` off `buf`.
fn skip_value(wire_type: WireType, buf: &mut &[u8]) -> Result<()> {
    let len = match wire_type {
        WireType::Varint => {
            decode_varint(buf)?;
            return Ok(());
        }
        WireType::SixtyFourBit => 8,
        WireType::ThirtyTwoBit => 4,
        WireType::LengthDelimited => usize::try_from(decode_varint(buf)?)?,
        WireType::StartGroup | WireType::EndGroup => bail!("groups are not used in descriptors"),
    };
    anyhow::ensure!(len <= buf.len(), "truncated image");
    *buf = &buf[len..];
    Ok(())
}

/// The files of an encoded buf image (`buf.alpha.image.v1.Image`; a
/// `FileDescriptorSet` reads the same, with every file a non-import).
pub fn read_image(bytes: &[u8]) -> Result<Vec<ImageFile>> {
    let mut files = Vec::new();
    let mut buf = bytes;
    while !buf.is_empty() {
        let (tag, wire_type) = decode_key(&mut buf)?;
        if tag != 1 || wire_type != WireType::LengthDelimited {
            skip_value(wire_type, &mut buf)?;
            continue;
        }
        let len = usize::try_from(decode_varint(&mut buf)?)?;
        anyhow::ensure!(len <= buf.len(), "truncated image");
        let (mut file, rest) = buf.split_at(len);
        buf = rest;
        let mut out = ImageFile {
            name: String::new(),
            package: String::new(),
            is_import: false,
            descriptor: Vec::with_capacity(len),
        };
        while !file.is_empty() {
            let start = file;
            let (tag, wire_type) = decode_key(&mut file)?;
            let value_start = file;
            skip_value(wire_type, &mut file)?;
            let field = &start[..start.len() - file.len()];
            let value = &value_start[..value_start.len() - file.len()];
            let payload = || -> Result<&[u8]> {
                let mut v = value;
                let len = usize::try_from(decode_varint(&mut v)?)?;
                Ok(&v[..len])
            };
            match tag {
                1 => out.name = String::from_utf8(payload()?.to_vec())?,
                2 => out.package = String::from_utf8(payload()?.to_vec())?,
                BUF_EXTENSION => {
                    // ImageFileExtension.is_import = 1 (bool).
                    let mut ext = payload()?;
                    while !ext.is_empty() {
                        let (tag, wire_type) = decode_key(&mut ext)?;
                        if tag == 1 && wire_type == WireType::Varint {
                            out.is_import = decode_varint(&mut ext)? != 0;
                        } else {
                            skip_value(wire_type, &mut ext)?;
                        }
                    }
                    continue;
                }
                SOURCE_CODE_INFO => continue,
                _ => {}
            }
            out.descriptor.extend_from_slice(field);
        }
        files.push(out);
    }
    Ok(files)
}

/// Own (non-import) files of an image: name → descriptor bytes.
pub fn own_files(image: &[ImageFile]) -> BTreeMap<String, Vec<u8>> {
    image
        .iter()
        .filter(|f| !f.is_import)
        .map(|f| (f.name.clone(), f.descriptor.clone()))
        .collect()
}

/// The files of `contract` in an image of the whole proto root: name → descriptor.
pub fn contract_files(image: &[ImageFile], contract: &Contract) -> BTreeMap<String, Vec<u8>> {
    image
        .iter()
        .filter(|f| contract.owns(&f.package))
        .map(|f| (f.name.clone(), f.descriptor.clone()))
        .collect()
}

/// Builds the image of the whole proto root of `root` (source info excluded).
pub fn build_workspace_image(root: &Path, out: &Path) -> Result<Vec<ImageFile>> {
    let out_arg = out.to_string_lossy().into_owned();
    buf::run(
        root,
        &["build", "--exclude-source-info", "-o", out_arg.as_str()],
    )?;
    read_image(&std::fs::read(out)?)
}

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
        let version = breaking::crate_version(root, &contract.name)?;
        if let Some(previous) = load(root, &contract.name)? {
            let report = breaking::check_crate(root, contract, &current, &previous, &version)?;
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
