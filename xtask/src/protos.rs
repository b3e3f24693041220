//! Compiling `proto/` with protox (pure Rust; protoc is never used).

use crate::workspace::{self, WKT_FILES};
use anyhow::{Context, Result};
use prost::Message;
use std::path::{Path, PathBuf};

/// All `.proto` files below `dir`, as paths relative to it, sorted.
pub fn list_proto_files(dir: &Path) -> Result<Vec<PathBuf>> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
        for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, base, out)?;
            } else if path.extension().is_some_and(|e| e == "proto") {
                out.push(path.strip_prefix(base)?.to_path_buf());
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

/// 1-based `line:column` of the element at `path` of a file, from its source info
/// (`(1, 1)` when the file has none): the one span lookup of xtask.
pub fn location(file: &prost_types::FileDescriptorProto, path: &[i32]) -> (usize, usize) {
    span(file, path).unwrap_or((1, 1))
}

/// 1-based `line:column` of the element at `path`, if the source info has it.
pub fn span(file: &prost_types::FileDescriptorProto, path: &[i32]) -> Option<(usize, usize)> {
    file.source_code_info
        .as_ref()
        .and_then(|info| info.location.iter().find(|l| l.path == path))
        .map(|l| (l.span[0] as usize + 1, l.span[1] as usize + 1))
}

/// The compiled workspace: every file of `proto/` plus the well-known types.
pub struct Compiled {
    /// Decoded descriptors with source info (comments feed rustdoc).
    pub with_source_info: prost_types::FileDescriptorSet,
    /// The same set, encoded by protox without source info; custom options are kept.
    pub encoded_without_source_info: Vec<u8>,
    /// The same set, encoded with source info (what pbjson-build registers).
    pub encoded_with_source_info: Vec<u8>,
    /// Reflection over the set, custom options included (the eventing option).
    pub pool: prost_reflect::DescriptorPool,
}

/// Compiles every `.proto` below `proto_dir` together with the well-known types.
pub fn compile(proto_dir: &Path) -> Result<Compiled> {
    compile_with(proto_dir, &[])
}

/// [`compile`], with `imports`: more folders the files of `proto_dir` import from
/// (their files are compiled only as imports).
pub fn compile_with(proto_dir: &Path, imports: &[&Path]) -> Result<Compiled> {
    let files = list_proto_files(proto_dir)?;
    let mut names: Vec<String> = WKT_FILES.iter().map(|s| s.to_string()).collect();
    names.extend(files.iter().map(|p| p.to_string_lossy().replace('\\', "/")));

    let build = |source_info: bool| -> Result<protox::Compiler> {
        let mut compiler = protox::Compiler::new([proto_dir].iter().chain(imports))?;
        compiler
            .include_imports(true)
            .include_source_info(source_info);
        compiler
            .open_files(&names)
            .map_err(|e| anyhow::anyhow!("{:?}", miette_free(e)))?;
        Ok(compiler)
    };
    let with_info = build(true)?;
    let without_info = build(false)?;
    Ok(Compiled {
        with_source_info: with_info.file_descriptor_set(),
        encoded_with_source_info: with_info.encode_file_descriptor_set(),
        encoded_without_source_info: without_info.encode_file_descriptor_set(),
        pool: with_info.descriptor_pool(),
    })
}

/// protox errors render best through their Display impl (file:line:col and message).
fn miette_free(e: protox::Error) -> String {
    e.to_string()
}

/// Name and package of a file descriptor; every other field is skipped while decoding,
/// so the raw bytes (including extension options) can be re-emitted unchanged.
#[derive(Clone, PartialEq, Message)]
struct FileHeader {
    #[prost(string, tag = "1")]
    name: String,
    #[prost(string, tag = "2")]
    package: String,
}

/// Keeps the files of an encoded `FileDescriptorSet` whose package satisfies `keep`,
/// copying each kept `FileDescriptorProto` byte for byte.
pub fn filter_encoded_set(encoded: &[u8], keep: impl Fn(&str, &str) -> bool) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    for file in crate::wire::fields(encoded)? {
        anyhow::ensure!(
            file.number == 1 && file.wire_type == prost::encoding::WireType::LengthDelimited,
            "unexpected field {} in FileDescriptorSet",
            file.number
        );
        let header = FileHeader::decode(file.value)?;
        if keep(&header.name, &header.package) {
            out.extend_from_slice(file.raw);
        }
    }
    Ok(out)
}

/// Whether the file `name` of `package` is generated into the crate. The well-known
/// types are the listed `google/protobuf` files only (never `descriptor.proto`, which
/// custom options import but no message embeds).
pub fn crate_owns(krate: &workspace::CrateSpec, name: &str, package: &str) -> bool {
    krate.packages.iter().any(|p| p.proto == package)
        && (package != "google.protobuf" || WKT_FILES.contains(&name))
}

/// Whether the file belongs in the crate's `FILE_DESCRIPTOR_SET`: the files it
/// generates, plus, for the crate owning `google.protobuf`, `descriptor.proto` (which
/// `eventing.proto` imports), so the workspace's sets together load into a descriptor
/// pool with nothing missing.
pub fn in_descriptor_set(krate: &workspace::CrateSpec, name: &str, package: &str) -> bool {
    crate_owns(krate, name, package)
        || workspace::vendored_host(name).is_some_and(|host| host.name == krate.name)
        || (name == "google/protobuf/descriptor.proto"
            && krate.packages.iter().any(|p| p.proto == "google.protobuf"))
}
