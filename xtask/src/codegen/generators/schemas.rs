//! Schema sources and registry impls: each crate's `proto_files.rs` (the exact text
//! of its `.proto` files as `common_eventing::registry::ProtoFile` statics, imports
//! linked across crates) and `impl common_eventing::registry::ProtoSchema` for every
//! message (file, Confluent message indexes, declared subject).

use crate::codegen::model::PackageModel;
use crate::codegen::registry::Input;
use crate::workspace::{CrateSpec, owner};
use anyhow::{Context, Result, bail};
use prost_reflect::{DescriptorPool, FileDescriptor, MessageDescriptor};
use std::path::Path;

/// The generated file holding a crate's `.proto` texts.
pub const PROTO_FILES_FILE: &str = "proto_files.rs";

/// Whether a registry knows the file as a built-in (mirrors
/// `common_eventing::registry::is_builtin`).
fn is_builtin(name: &str) -> bool {
    name.starts_with("google/protobuf/")
        || name.starts_with("google/type/")
        || name.starts_with("confluent/")
}

/// The files of `proto/` generated into `krate` (the well-known types are protox's and
/// registry built-ins: no text of theirs is shipped), sorted by name.
fn crate_files(pool: &DescriptorPool, krate: &CrateSpec) -> Vec<FileDescriptor> {
    let mut files: Vec<_> = pool
        .files()
        .filter(|f| {
            !is_builtin(f.name())
                && (krate.packages.iter().any(|p| p.proto == f.package_name())
                    || crate::workspace::vendored_host(f.name())
                        .is_some_and(|host| host.name == krate.name))
        })
        .collect();
    files.sort_by(|a, b| a.name().cmp(b.name()));
    files
}

/// The Rust name of a file's static: `ameide_core_proto/sre/core/v1/facts.proto` →
/// `AMEIDE_CORE_PROTO_SRE_CORE_V1_FACTS`.
pub fn static_name(file: &str) -> String {
    file.trim_end_matches(".proto")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// Path of a file's static from code generated into `from`.
fn static_path(from: &CrateSpec, file: &FileDescriptor) -> Result<String> {
    if from.packages.iter().any(|p| p.proto == file.package_name()) {
        return Ok(format!("crate::proto_files::{}", static_name(file.name())));
    }
    let vendored = crate::workspace::vendored_host(file.name());
    let krate = vendored
        .or_else(|| owner(file.package_name()))
        .with_context(|| {
            format!(
                "{}: package {} has no crate",
                file.name(),
                file.package_name()
            )
        })?;
    let root = if krate.name == from.name {
        "crate".to_string()
    } else {
        format!("::{}", krate.name.replace('-', "_"))
    };
    Ok(format!("{root}::proto_files::{}", static_name(file.name())))
}

/// A raw string literal holding `text` exactly.
fn raw_literal(text: &str) -> String {
    let mut hashes = 1;
    while text.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let h = "#".repeat(hashes);
    format!("r{h}\"{text}\"{h}")
}

/// `proto_files.rs` of a crate: one `ProtoFile` static per file, and `PROTO_FILES`.
pub fn generate_proto_files(
    pool: &DescriptorPool,
    krate: &CrateSpec,
    proto_dir: &Path,
) -> Result<String> {
    let files = crate_files(pool, krate);
    let mut out = String::new();
    let mut names = Vec::new();
    for file in &files {
        let path = proto_dir.join(file.name());
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let imports = &file.file_descriptor_proto().dependency;
        let mut dependencies = Vec::new();
        for dependency in file.dependencies() {
            if !is_builtin(dependency.name()) {
                dependencies.push(format!("&{}", static_path(krate, &dependency)?));
            }
        }
        let name = static_name(file.name());
        if names.contains(&name) {
            bail!("{}: two files map to the static {name}", file.name());
        }
        out.push_str(&format!(
            "\n/// `{file}` (package `{package}`): its exact text and imports.\n\
             pub static {name}: ::common_eventing::registry::ProtoFile = ::common_eventing::registry::ProtoFile {{\n\
             \x20   name: {file:?},\n\
             \x20   package: {package:?},\n\
             \x20   imports: &[{imports}],\n\
             \x20   dependencies: &[{dependencies}],\n\
             \x20   text: {text},\n\
             }};\n",
            file = file.name(),
            package = file.package_name(),
            imports = imports
                .iter()
                .map(|i| format!("{i:?}"))
                .collect::<Vec<_>>()
                .join(", "),
            dependencies = dependencies.join(", "),
            text = raw_literal(&text),
        ));
        names.push(name);
    }
    let list = names
        .iter()
        .map(|n| format!("    &{n},\n"))
        .collect::<String>();
    Ok(format!(
        "{header}\n\
         /// Every `.proto` file of this crate, sorted by import path.\n\
         pub static PROTO_FILES: &[&::common_eventing::registry::ProtoFile] = &[\n{list}];\n{out}",
        header = crate::codegen::output::header("proto texts"),
    ))
}

/// The Confluent message-index path of a message, counting synthesized map-entry
/// messages among the nested ones (as confluent-kafka's Python and Go serializers do,
/// from descriptors); fails when counting declared messages only (Java's and
/// schema_registry_converter's way, from the schema text) would give another path.
pub fn message_indexes(message: &MessageDescriptor) -> Result<Vec<i32>> {
    let file = message.parent_file();
    let proto = file.file_descriptor_proto();
    let path = message.path();
    // [4, i] for a top-level message, then [3, j] per nesting level.
    let mut indexes = Vec::new();
    let mut declared = Vec::new();
    let mut level = &proto.message_type;
    for (step, pair) in path.chunks(2).enumerate() {
        let expected_tag = if step == 0 { 4 } else { 3 };
        let [tag, index] = pair else {
            bail!("{}: odd descriptor path {path:?}", message.full_name())
        };
        if *tag != expected_tag {
            bail!(
                "{}: unexpected descriptor path {path:?}",
                message.full_name()
            );
        }
        let index = usize::try_from(*index)?;
        let skipped = level[..index]
            .iter()
            .filter(|m| m.options.as_ref().is_some_and(|o| o.map_entry()))
            .count();
        indexes.push(i32::try_from(index)?);
        declared.push(i32::try_from(index - skipped)?);
        level = &level[index].nested_type;
    }
    if indexes != declared {
        bail!(
            "proto/{}: message {}: its Confluent message index is {indexes:?} counting map \
             entries (Python, Go) but {declared:?} counting declared messages only (Java, \
             schema_registry_converter); declare nested messages before map fields",
            file.name(),
            message.full_name()
        );
    }
    Ok(indexes)
}

/// `impl ::common_eventing::registry::ProtoSchema` for every message of `package`
/// (nested ones included, map entries excluded). Nothing for the well-known types.
pub fn generate_impls(input: &Input, model: &PackageModel) -> Result<String> {
    let (krate, specs) = (model.krate, input.events);
    let mut out = String::new();
    let mut errors = Vec::new();
    for message in model.messages.iter().map(|m| m.descriptor.clone()) {
        if is_builtin(message.parent_file().name()) {
            continue;
        }
        let indexes = match message_indexes(&message) {
            Ok(i) => i,
            Err(e) => {
                errors.push(e.to_string());
                continue;
            }
        };
        let subject = specs
            .iter()
            .find(|s| s.message == message.full_name())
            .map_or("::core::option::Option::None".to_string(), |s| {
                format!("::core::option::Option::Some({:?})", s.schema_subject)
            });
        out.push_str(&format!(
            "\n/// Schema registration and Confluent framing of `{name}`.\n\
             impl ::common_eventing::registry::ProtoSchema for {rust} {{\n\
             \x20   const FULL_NAME: &'static str = {name:?};\n\
             \x20   const FILE: &'static ::common_eventing::registry::ProtoFile = &{file};\n\
             \x20   const MESSAGE_INDEXES: &'static [i32] = &{indexes:?};\n\
             \x20   const DECLARED_SUBJECT: ::core::option::Option<&'static str> = {subject};\n\
             }}\n",
            name = message.full_name(),
            rust = crate::codegen::ident::message_path(&message),
            file = static_path(krate, &message.parent_file())?,
        ));
    }
    if !errors.is_empty() {
        bail!("ambiguous message indexes:\n  {}", errors.join("\n  "));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(source: &str) -> DescriptorPool {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.proto"), source).unwrap();
        let mut compiler = protox::Compiler::new([dir.path()]).unwrap();
        compiler.open_file("t.proto").unwrap();
        compiler.descriptor_pool()
    }

    #[test]
    fn indexes_count_nested_messages_in_declaration_order() {
        let pool = pool(
            "syntax = \"proto3\"; package t; message A {} \
             message B { message C {} message D { message E {} } map<string, int32> m = 1; }",
        );
        let path = |n: &str| message_indexes(&pool.get_message_by_name(n).unwrap()).unwrap();
        assert_eq!(path("t.A"), [0]);
        assert_eq!(path("t.B"), [1]);
        assert_eq!(path("t.B.C"), [1, 0]);
        assert_eq!(path("t.B.D.E"), [1, 1, 0]);
        // The map entry comes after every declared message: both counts agree.
        assert_eq!(path("t.B.MEntry"), [1, 2]);
    }

    #[test]
    fn a_map_field_before_a_nested_message_is_refused() {
        let pool = pool(
            "syntax = \"proto3\"; package t; \
             message B { map<string, int32> m = 1; message C {} }",
        );
        let err = message_indexes(&pool.get_message_by_name("t.B.C").unwrap())
            .unwrap_err()
            .to_string();
        assert!(err.contains("t.B.C"), "{err}");
        assert!(err.contains("[0, 1]") && err.contains("[0, 0]"), "{err}");
    }

    #[test]
    fn raw_literals_survive_quotes_and_hashes() {
        let text = "a \"# b \"## c";
        let literal = raw_literal(text);
        assert_eq!(literal, "r###\"a \"# b \"## c\"###");
        assert_eq!(static_name("a/b-c/d.proto"), "A_B_C_D");
    }
}
