//! The runtime modules of common-eventing (what generated code and the well-known
//! types are written against) import nothing from its eventing modules.
//!
//! Every source file of a runtime module is parsed with `syn` (so doc comments,
//! doctests and strings do not count), and every path that leaves its module is
//! resolved from the crate root: `crate::x`, `$crate::x`, `common_eventing::x` (the
//! crate's name for itself), `super::...` (counted from the file's module and any
//! inline `mod` around it), in `use` trees, in types and expressions, and in the
//! tokens of macro calls and `macro_rules!` bodies. A name at the crate root counts
//! as the module `lib.rs` re-exports it from (`crate::Eventing` is `eventing`).
//! Runtime modules may use each other; every other top-level module of `lib.rs` is an
//! eventing module, including any added later.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use syn::buffer::{Cursor, TokenBuffer};
use syn::visit::Visit;

/// The runtime modules: they stand alone, below the eventing modules.
const RUNTIME: &[&str] = &[
    "__codegen",
    "encode",
    "json",
    "lossless",
    "oneof",
    // The unit tests' seeded random numbers (`#[cfg(test)]`, imports nothing).
    "test_rng",
    "validate",
    "view",
    "wkt",
];

/// A place in an eventing module a runtime module may reach, and why.
struct Allowed {
    module: &'static str,
    /// A path from the crate root: it and everything below it are allowed.
    reaches: &'static [&'static str],
    why: &'static str,
}

const ALLOWED: &[Allowed] = &[
    // `wkt` is the hand-written face of the `google.protobuf` messages, which
    // `cargo xtask codegen` writes into `generated/` with every other package
    // (`wkt/mod.rs`: `pub use crate::generated::google_protobuf::*`). Only that one
    // module is allowed, and its files are checked below as part of `wkt`.
    Allowed {
        module: "wkt",
        reaches: &["generated", "google_protobuf"],
        why: "the generated google.protobuf messages wkt re-exports",
    },
];

/// A path that leaves its module, as written, and its module path from the root.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Reference {
    written: String,
    absolute: Vec<String>,
}

/// Collects the references of one file whose module is `module` (e.g. `wkt::any`).
struct Refs {
    module: Vec<String>,
    found: BTreeSet<Reference>,
}

impl Refs {
    fn new(module: Vec<String>) -> Self {
        Refs {
            module,
            found: BTreeSet::new(),
        }
    }

    /// Records `segments` if it is anchored at the crate root (`crate`, `$crate`,
    /// `common_eventing`) or climbs out with `super`.
    fn add(&mut self, segments: &[String]) {
        let Some(first) = segments.first() else {
            return;
        };
        let absolute = match first.as_str() {
            "crate" | "common_eventing" => segments[1..].to_vec(),
            "super" => {
                let mut base = self.module.clone();
                let mut rest = segments;
                while let Some(("super", tail)) = rest.split_first().map(|(h, t)| (h.as_str(), t)) {
                    if base.pop().is_none() {
                        return; // Not a valid path; rustc says so.
                    }
                    rest = tail;
                }
                base.extend(rest.iter().cloned());
                base
            }
            _ => return, // `self::`, relative and external paths stay where they are.
        };
        self.found.insert(Reference {
            written: segments.join("::"),
            absolute,
        });
    }

    fn use_tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(&p.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let mut path = prefix.clone();
                if n.ident != "self" {
                    path.push(n.ident.to_string());
                }
                self.add(&path);
            }
            syn::UseTree::Rename(r) => {
                let mut path = prefix.clone();
                if r.ident != "self" {
                    path.push(r.ident.to_string());
                }
                self.add(&path);
            }
            syn::UseTree::Glob(_) => {
                let mut path = prefix.clone();
                path.push("*".into());
                self.add(&path);
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(t, prefix);
                }
            }
        }
    }

    /// Paths in unparsed tokens (macro arguments, `macro_rules!` bodies, attribute
    /// arguments): `crate :: a :: b`, `$crate :: ...`, `common_eventing :: ...`,
    /// `super :: ...`.
    fn tokens(&mut self, mut c: Cursor) {
        while !c.eof() {
            if let Some((inside, _, _, next)) = c.any_group() {
                self.tokens(inside);
                c = next;
            } else if let Some((ident, mut next)) = c.ident() {
                let head = ident.to_string();
                if matches!(head.as_str(), "crate" | "common_eventing" | "super") {
                    let mut segments = vec![head];
                    while let Some(after) = path_sep(next) {
                        if let Some((segment, after)) = after.ident() {
                            segments.push(segment.to_string());
                            next = after;
                        } else {
                            // `::*` or `::{...}`: the glob or group starts here.
                            segments.push("*".into());
                            break;
                        }
                    }
                    if segments.len() > 1 {
                        self.add(&segments);
                    }
                }
                c = next;
            } else {
                c = c.token_tree().map_or(c, |(_, next)| next);
            }
        }
    }
}

/// The cursor after a `::`, if one is next.
fn path_sep(c: Cursor) -> Option<Cursor> {
    let (first, c) = c.punct()?;
    let (second, c) = c.punct()?;
    (first.as_char() == ':' && second.as_char() == ':').then_some(c)
}

impl<'ast> Visit<'ast> for Refs {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.add(&segments);
        syn::visit::visit_path(self, path);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&item.tree, &mut Vec::new());
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        self.module.push(item.ident.to_string());
        syn::visit::visit_item_mod(self, item);
        self.module.pop();
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.tokens(TokenBuffer::new2(mac.tokens.clone()).begin());
        syn::visit::visit_macro(self, mac);
    }

    fn visit_meta_list(&mut self, list: &'ast syn::MetaList) {
        self.tokens(TokenBuffer::new2(list.tokens.clone()).begin());
        syn::visit::visit_meta_list(self, list);
    }
}

fn references(text: &str, module: &[String], file: &Path) -> BTreeSet<Reference> {
    let parsed =
        syn::parse_file(text).unwrap_or_else(|e| panic!("{} does not parse: {e}", file.display()));
    let mut refs = Refs::new(module.to_vec());
    refs.visit_file(&parsed);
    refs.found
}

/// What `lib.rs` declares: its modules, the module each re-exported name comes from,
/// and the modules it glob-re-exports (`pub use generated::*`).
struct Root {
    modules: BTreeSet<String>,
    names: BTreeMap<String, String>,
    globs: Vec<String>,
}

impl Root {
    fn read(src: &Path) -> Root {
        let text = std::fs::read_to_string(src.join("lib.rs")).unwrap();
        let file = syn::parse_file(&text).unwrap();
        let modules: BTreeSet<String> = file
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Mod(m) => Some(m.ident.to_string()),
                _ => None,
            })
            .collect();
        let mut root = Root {
            modules,
            names: BTreeMap::new(),
            globs: Vec::new(),
        };
        for item in &file.items {
            if let syn::Item::Use(u) = item
                && let syn::UseTree::Path(p) = &u.tree
                && root.modules.contains(&p.ident.to_string())
            {
                root.reexports(&p.tree, &p.ident.to_string());
            }
        }
        root.exported_macros(src, src);
        root
    }

    /// `#[macro_export]` macros sit at the crate root but belong to the top-level
    /// module of the file that defines them (`crate::encode_with_prost` is `encode`'s).
    fn exported_macros(&mut self, src: &Path, dir: &Path) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                self.exported_macros(src, &path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let Some(module) = path
                .strip_prefix(src)
                .unwrap()
                .components()
                .next()
                .and_then(|c| c.as_os_str().to_str())
                .map(|c| c.trim_end_matches(".rs").to_string())
                .filter(|m| self.modules.contains(m))
            else {
                continue;
            };
            let Ok(file) = syn::parse_file(&std::fs::read_to_string(&path).unwrap()) else {
                continue;
            };
            for item in &file.items {
                if let syn::Item::Macro(m) = item
                    && let Some(ident) = &m.ident
                    && m.attrs.iter().any(|a| a.path().is_ident("macro_export"))
                {
                    self.names.insert(ident.to_string(), module.clone());
                }
            }
        }
    }

    fn reexports(&mut self, tree: &syn::UseTree, module: &str) {
        match tree {
            syn::UseTree::Path(p) => self.reexports(&p.tree, module),
            syn::UseTree::Name(n) => {
                self.names.insert(n.ident.to_string(), module.into());
            }
            syn::UseTree::Rename(r) => {
                self.names.insert(r.rename.to_string(), module.into());
            }
            syn::UseTree::Glob(_) => self.globs.push(module.into()),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| self.reexports(t, module)),
        }
    }

    /// The top-level modules `absolute` (a path from the crate root) lands in.
    fn modules_of(&self, absolute: &[String]) -> Vec<String> {
        let Some(first) = absolute.first() else {
            return Vec::new(); // The crate root itself.
        };
        if first == "*" {
            return self.modules.iter().cloned().collect(); // `use crate::*`
        }
        if self.modules.contains(first) {
            return vec![first.clone()];
        }
        if let Some(module) = self.names.get(first) {
            return vec![module.clone()];
        }
        // An item defined in lib.rs, an external crate it re-exports (`prost`), or a
        // name from a glob re-export: only the last leads into a module.
        self.globs.clone()
    }
}

/// The module path of a file below `src` (`wkt/mod.rs` → `wkt`, `wkt/any.rs` →
/// `wkt::any`).
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut path: Vec<String> = rel
        .iter()
        .map(|c| c.to_str().unwrap().trim_end_matches(".rs").to_string())
        .collect();
    if path.last().is_some_and(|last| last == "mod") {
        path.pop();
    }
    path
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The files of a top-level module: `src/<m>.rs` and everything under `src/<m>/`.
fn module_files(src: &Path, module: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let single = src.join(format!("{module}.rs"));
    if single.is_file() {
        files.push(single);
    }
    let dir = src.join(module);
    if dir.is_dir() {
        sources(&dir, &mut files);
    }
    files.sort();
    files
}

/// The files `include!`d into the inline module at `path` (from the crate root),
/// as the generated module tree writes them.
fn included_files(src: &Path, path: &[&str]) -> Vec<PathBuf> {
    let (top, inner) = path.split_first().unwrap();
    let top_file = [src.join(top).join("mod.rs"), src.join(format!("{top}.rs"))]
        .into_iter()
        .find(|f| f.is_file())
        .unwrap_or_else(|| panic!("no file for module `{top}`"));
    let file = syn::parse_file(&std::fs::read_to_string(&top_file).unwrap()).unwrap();
    let mut items = &file.items;
    for name in inner {
        items = items
            .iter()
            .find_map(|item| match item {
                syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, i)| i),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no inline module `{}`", path.join("::")));
    }
    let dir = top_file.parent().unwrap();
    let files: Vec<PathBuf> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Macro(m) if m.mac.path.is_ident("include") => {
                let lit: syn::LitStr = m.mac.parse_body().unwrap();
                Some(dir.join(lit.value()))
            }
            _ => None,
        })
        .collect();
    assert!(!files.is_empty(), "`{}` includes no file", path.join("::"));
    files
}

/// One runtime module reaching into an eventing module.
#[derive(Debug)]
struct Violation {
    file: PathBuf,
    module: String,
    eventing: String,
    written: String,
}

/// Every reference of every file of the runtime modules (and of what `ALLOWED` lets
/// them reach): (file, its runtime module, the top-level modules it lands in, the
/// reference). References within a file's own top-level module are left out.
fn scan(src: &Path, root: &Root) -> Vec<(PathBuf, String, Vec<String>, Reference)> {
    let mut files: Vec<(PathBuf, String, Vec<String>)> = Vec::new();
    for module in RUNTIME {
        for file in module_files(src, module) {
            let path = module_path(src, &file);
            files.push((file, module.to_string(), path));
        }
    }
    for allowed in ALLOWED {
        let path: Vec<String> = allowed.reaches.iter().map(|s| s.to_string()).collect();
        for file in included_files(src, allowed.reaches) {
            files.push((file, allowed.module.to_string(), path.clone()));
        }
    }
    let mut out = Vec::new();
    for (file, module, path) in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for reference in references(&text, &path, &file) {
            let targets: Vec<String> = root
                .modules_of(&reference.absolute)
                .into_iter()
                .filter(|t| *t != path[0])
                .collect();
            if !targets.is_empty() {
                out.push((file.clone(), module.clone(), targets, reference));
            }
        }
    }
    out
}

fn violations(src: &Path) -> (Vec<Violation>, BTreeSet<(String, String)>) {
    let root = Root::read(src);
    for module in RUNTIME {
        assert!(
            root.modules.contains(*module),
            "runtime module `{module}` is not a module of lib.rs: update RUNTIME"
        );
    }
    let mut violations = Vec::new();
    let mut edges = BTreeSet::new();
    for (file, module, targets, reference) in scan(src, &root) {
        for target in targets {
            edges.insert((module.clone(), target.clone()));
            if RUNTIME.contains(&target.as_str()) {
                continue;
            }
            let allowed = ALLOWED.iter().any(|a| {
                a.module == module
                    && reference.absolute.len() >= a.reaches.len()
                    && a.reaches
                        .iter()
                        .zip(&reference.absolute)
                        .all(|(x, y)| x == y)
            });
            if !allowed {
                violations.push(Violation {
                    file: file.strip_prefix(src).unwrap().to_path_buf(),
                    module: module.clone(),
                    eventing: target,
                    written: reference.written.clone(),
                });
            }
        }
    }
    (violations, edges)
}

#[test]
fn runtime_modules_import_no_eventing_module() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let (violations, edges) = violations(&src);
    // The scan is real: the runtime's own edges are in it.
    for (from, to) in [
        ("wkt", "encode"),
        ("wkt", "json"),
        ("lossless", "wkt"),
        ("validate", "wkt"),
        ("wkt", "generated"),
    ] {
        assert!(
            edges.contains(&(from.into(), to.into())),
            "{from} -> {to} not found in {edges:?}"
        );
    }
    let report: Vec<String> = violations
        .iter()
        .map(|v| {
            format!(
                "src/{} (runtime module `{}`) refers to eventing module `{}`: `{}`",
                v.file.display(),
                v.module,
                v.eventing,
                v.written
            )
        })
        .collect();
    assert!(
        report.is_empty(),
        "runtime modules must not import eventing modules (move the item down into the \
         runtime, or add a commented entry to ALLOWED):\n{}",
        report.join("\n")
    );
    for allowed in ALLOWED {
        assert!(!allowed.why.is_empty());
    }
}

/// The collector finds every form of reference, and resolves `super` from the file's
/// module and inline modules.
#[test]
fn the_collector_finds_every_form() {
    let text = r#"
        use crate::kafka::KafkaRecord;
        use crate::{encode::rt, framing::{self, Framed as F}};
        use super::super::metadata::*;
        use common_eventing::Eventing;
        fn f() -> crate::registry::ProtoFile { todo!() }
        fn g() { let _ = <u8 as crate::traceparent::X>::y(); }
        macro_rules! m { () => { $crate::cloudevents::Z } }
        fn h() { println!("{}", crate::ids::new()); }
        #[derive(crate::mcp::Derive)]
        struct S;
        mod inner {
            use super::super::super::grpc::Codec;
            use super::super::sibling;
        }
        /// `crate::visit` in a doc comment is not a reference.
        fn s() -> &'static str { "crate::generated" }
        use self::local::crate_like;
        use crate::*;
    "#;
    let module = vec!["wkt".to_string(), "any".to_string()];
    let found: BTreeSet<String> = references(text, &module, Path::new("test.rs"))
        .into_iter()
        .map(|r| r.absolute.join("::"))
        .collect();
    let expected: BTreeSet<String> = [
        "kafka::KafkaRecord",
        "encode::rt",
        "framing",
        "framing::Framed",
        "metadata::*",
        "Eventing",
        "registry::ProtoFile",
        "traceparent::X::y",
        "cloudevents::Z",
        "ids::new",
        "mcp::Derive",
        "grpc::Codec",
        "wkt::sibling",
        "*",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(found, expected);

    // Names at the crate root land in the module lib.rs re-exports them from.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let root = Root::read(&src);
    let of = |p: &str| root.modules_of(&p.split("::").map(String::from).collect::<Vec<_>>());
    assert_eq!(of("Eventing"), ["eventing"]);
    assert_eq!(of("Lossless"), ["lossless"]);
    assert_eq!(of("options::v1"), ["generated"]);
    assert_eq!(of("kafka::Consumer"), ["kafka"]);
}
