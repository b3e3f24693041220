//! A crate's generated `src/generated/mod.rs`: the module tree of its packages (from
//! the `rust` paths of [`crate::workspace::CRATES`]), each generator's files included
//! under their feature, `FILE_DESCRIPTOR_SET`, the `proto_files` module, and a test
//! decoding the descriptor set. The crate's `lib.rs` declares `mod generated;` and
//! re-exports it (`pub use generated::*;`).

use crate::codegen::ident;
use crate::codegen::output::header;
use crate::workspace::{CrateSpec, PackageSpec};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The file holding a crate's encoded descriptors (`FILE_DESCRIPTOR_SET`).
pub const DESCRIPTOR_FILE: &str = "file_descriptor_set.bin";

/// The name of the generated module file.
pub const MOD_FILE: &str = "mod.rs";

/// One file to include in a package's module, and the feature it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// File name in `src/generated/`.
    pub file: String,
    /// Crate feature gating it.
    pub feature: Option<&'static str>,
}

#[derive(Default)]
struct Node<'a> {
    package: Option<(&'a PackageSpec, &'a [Include])>,
    children: BTreeMap<&'a str, Node<'a>>,
}

/// The crate-private module holding a hosted package (`google.protobuf` →
/// `google_protobuf`).
pub fn hosted_module(package: &str) -> String {
    package.replace('.', "_")
}

fn includes(out: &mut String, indent: &str, files: &[Include]) {
    for include in files {
        if let Some(feature) = include.feature {
            let _ = writeln!(out, "{indent}#[cfg(feature = \"{feature}\")]");
        }
        let _ = writeln!(out, "{indent}include!(\"{}\");", include.file);
    }
}

fn version_doc(segment: &str, package: &str) -> String {
    match segment
        .strip_prefix('v')
        .filter(|n| n.chars().all(|c| c.is_ascii_digit()))
    {
        Some(n) if !n.is_empty() => format!("Version {n} (`{package}`)."),
        _ => format!("`{package}`."),
    }
}

fn write_node(out: &mut String, depth: usize, name: &str, node: &Node, top_doc: Option<String>) {
    let indent = "    ".repeat(depth);
    let package = node.package.map(|(p, _)| p);
    let doc = match (top_doc, package) {
        (Some(doc), _) => doc,
        (None, Some(p)) => version_doc(name, p.proto),
        (None, None) => format!("`{name}`."),
    };
    let _ = writeln!(out, "{indent}/// {doc}");
    if let Some((_, files)) = node.package {
        let _ = writeln!(out, "{indent}#[rustfmt::skip]");
        let _ = writeln!(out, "{indent}#[allow(clippy::all)]");
        let _ = writeln!(out, "{indent}pub mod {name} {{");
        includes(out, &format!("{indent}    "), files);
    } else {
        let _ = writeln!(out, "{indent}pub mod {name} {{");
    }
    for (child, node) in &node.children {
        write_node(out, depth + 1, child, node, None);
    }
    let _ = writeln!(out, "{indent}}}");
}

/// The top module's doc: `` `aios.tools`: the `ToolRegistry` service.``, with the
/// proto prefix that corresponds to the module.
fn top_doc(package: &PackageSpec) -> String {
    let depth = ident::package_module(package.rust).len();
    let segments: Vec<&str> = package.proto.split('.').collect();
    let prefix = segments[..segments.len().saturating_sub(depth - 1)].join(".");
    format!("`{prefix}`: {}.", package.doc)
}

/// The text of `generated/mod.rs` for `krate`; `packages` pairs each package with the
/// files generated for it, in include order; `descriptor_files` are the `.proto`
/// files of `FILE_DESCRIPTOR_SET`, sorted.
pub fn generate(
    krate: &CrateSpec,
    packages: &[(&PackageSpec, Vec<Include>)],
    descriptor_files: &[String],
) -> String {
    let mut out = header("module tree");
    out.push_str(
        "//! The generated code of this crate: one module per proto package, holding the\n\
         //! files of every generator (`<package>.<generator>.rs`) under their features.\n\n",
    );
    let mut root = Node::default();
    for (package, files) in packages.iter().filter(|(p, _)| !p.hosted) {
        let path = ident::package_module(package.rust);
        let mut node = &mut root;
        for segment in &path {
            node = node.children.entry(segment).or_default();
        }
        node.package = Some((package, files));
    }
    let mut first = true;
    for (name, node) in &root.children {
        if !first {
            out.push('\n');
        }
        first = false;
        let package = first_package(node).expect("a module holds a package");
        write_node(&mut out, 0, name, node, Some(top_doc(package)));
    }
    for (package, files) in packages.iter().filter(|(p, _)| p.hosted) {
        let _ = write!(
            out,
            "\n/// `{}`: {}; re-exported by the hand-written `{}`.\n\
             #[rustfmt::skip]\n\
             #[allow(missing_docs, clippy::all)]\n\
             pub(crate) mod {} {{\n",
            package.proto,
            package.doc,
            package.rust.trim_start_matches("::").replacen(
                &krate.name.replace('-', "_"),
                "crate",
                1
            ),
            hosted_module(package.proto),
        );
        includes(&mut out, "    ", files);
        out.push_str("}\n");
    }
    let list: String = descriptor_files
        .iter()
        .map(|f| format!("/// - `{f}`\n"))
        .collect();
    let _ = write!(
        out,
        "\n/// Encoded `google.protobuf.FileDescriptorSet` of this crate's `.proto` files, source\n\
         /// info stripped, custom options kept. For reflection, register it together with\n\
         /// the sets of the crates these files import from.\n\
         ///\n\
         {list}\
         pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(\"{descriptor}\");\n\
         \n\
         /// The `.proto` files of this crate as text: one\n\
         /// [`ProtoFile`](::common_eventing::registry::ProtoFile) static per file (import path,\n\
         /// package, the exact text with its comments, and the files it imports, linked\n\
         /// across crates). They are what a schema registry is given; see\n\
         /// [`common_eventing::registry`](::common_eventing::registry).\n\
         #[rustfmt::skip]\n\
         pub mod proto_files {{\n\
         \x20   include!(\"{proto_files}\");\n\
         }}\n\
         \n\
         pub use proto_files::PROTO_FILES;\n\
         \n\
         #[cfg(test)]\n\
         #[rustfmt::skip]\n\
         mod tests {{\n\
         \x20   use prost::Message;\n\
         \n\
         \x20   #[test]\n\
         \x20   fn file_descriptor_set_decodes_to_this_crates_files() {{\n\
         \x20       let set = prost_types::FileDescriptorSet::decode(super::FILE_DESCRIPTOR_SET).unwrap();\n\
         \x20       let mut names: Vec<&str> = set.file.iter().map(|f| f.name()).collect();\n\
         \x20       names.sort_unstable();\n\
         \x20       assert_eq!(names, [{names}]);\n\
         \x20       assert!(set.file.iter().all(|f| f.source_code_info.is_none()));\n\
         \x20   }}\n\
         }}\n",
        descriptor = DESCRIPTOR_FILE,
        proto_files = crate::codegen::generators::schemas::PROTO_FILES_FILE,
        names = descriptor_files
            .iter()
            .map(|f| format!("{f:?}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    out
}

fn first_package<'a>(node: &Node<'a>) -> Option<&'a PackageSpec> {
    node.package
        .map(|(p, _)| p)
        .or_else(|| node.children.values().find_map(first_package))
}
