//! Recorded releases: `baselines/<crate>/image.binpb` (the buf image of the crate's
//! own `.proto` files) and `baselines/<crate>/version`, and reading buf images
//! byte for byte (through [`crate::wire`]).

use super::Contract;
use crate::buf;
use crate::version::Version;
use crate::wire;
use anyhow::{Context, Result};
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

/// The files of an encoded buf image (`buf.alpha.image.v1.Image`; a
/// `FileDescriptorSet` reads the same, with every file a non-import).
pub fn read_image(bytes: &[u8]) -> Result<Vec<ImageFile>> {
    let mut files = Vec::new();
    for file in wire::fields(bytes)?.into_iter().filter(|f| f.number == 1) {
        let mut out = ImageFile {
            name: String::new(),
            package: String::new(),
            is_import: false,
            descriptor: Vec::with_capacity(file.value.len()),
        };
        for field in wire::fields(file.value)? {
            match field.number {
                1 => out.name = field.string()?,
                2 => out.package = field.string()?,
                BUF_EXTENSION => {
                    // ImageFileExtension.is_import = 1 (bool).
                    for ext in wire::fields(field.value)? {
                        if ext.number == 1 {
                            out.is_import = ext.varint()? != 0;
                        }
                    }
                    continue;
                }
                SOURCE_CODE_INFO => continue,
                _ => {}
            }
            out.descriptor.extend_from_slice(field.raw);
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
