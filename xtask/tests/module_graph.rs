//! xtask's modules keep the layer order CONTRIBUTING documents ([`LAYERS`]), and have
//! no import cycle: the graph of its top-level modules (a folder module, such as
//! `contract/` or `lint/`, counts as one; `codegen/pipeline.rs`, the one layer of
//! `codegen/` above `lint/`, counts as its own), built from every `crate::...` path
//! and `use` in its sources (parsed with `syn`, so doc comments and strings do not
//! count), is acyclic, and no module refers to a module of a higher layer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// xtask's layers, lowest first: a module may refer to modules of its own layer or
/// below, never above. Every module is in one.
const LAYERS: &[&[&str]] = &[
    // Foundations: the workspace spec and paths, semver, the wire walker, tools.
    &[
        "workspace",
        "version",
        "wire",
        "steps",
        "c_toolchain",
        "python",
        "buf",
    ],
    // protox.
    &["protos"],
    // The generators: names, the model, the generators, the registry, the output.
    &["codegen"],
    // The lints (codegen refuses what the MCP rules find).
    &["lint"],
    // `cargo xtask codegen`: the pipeline.
    &[PIPELINE],
    // The tooling on top.
    &[
        "contract",
        "breaking",
        "baseline",
        "conformance",
        "fuzz",
        "bench",
        "bench_mcp",
        "evolution",
        "downstream",
        "ci",
    ],
];

/// The node of `codegen/pipeline.rs`.
const PIPELINE: &str = "codegen::pipeline";

/// The graph node of `crate::<first>::<second>`.
fn node(first: &str, second: Option<&str>) -> String {
    if first == "codegen" && second == Some("pipeline") {
        PIPELINE.to_string()
    } else {
        first.to_string()
    }
}

/// The top-level module of a source file (`lint/mcp.rs` → `lint`), `None` for the
/// crate roots.
fn top_module(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    if rel == Path::new("codegen/pipeline.rs") {
        return Some(PIPELINE.to_string());
    }
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.trim_end_matches(".rs");
    (name != "lib" && name != "main").then(|| name.to_string())
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

/// Every module named right after `crate::` in a file.
#[derive(Default)]
struct CrateRefs(BTreeSet<String>);

impl CrateRefs {
    fn add(&mut self, segments: &[String]) {
        if let [first, second, rest @ ..] = segments
            && first == "crate"
        {
            self.0
                .insert(node(second, rest.first().map(String::as_str)));
        }
    }

    /// Every path a `use` tree names, from `prefix`.
    fn use_tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(&p.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(syn::UseName { ident })
            | syn::UseTree::Rename(syn::UseRename { ident, .. }) => {
                prefix.push(ident.to_string());
                self.add(prefix);
                prefix.pop();
            }
            syn::UseTree::Glob(_) => self.add(prefix),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(t, prefix);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for CrateRefs {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.add(&segments);
        syn::visit::visit_path(self, path);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&item.tree, &mut Vec::new());
    }
}

/// The top-level module graph: module → the other top-level modules it uses.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| top_module(&src, f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(module) = top_module(&src, file) else {
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        let parsed = syn::parse_file(&text)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", file.display()));
        let mut refs = CrateRefs::default();
        refs.visit_file(&parsed);
        let edges = graph.entry(module.clone()).or_default();
        edges.extend(
            refs.0
                .into_iter()
                .filter(|m| *m != module && modules.contains(m)),
        );
    }
    graph
}

/// A cycle through `graph`, if there is one (depth-first search).
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn top_level_modules_form_no_cycle() {
    let graph = graph();
    // The graph is real: the pipeline's own edges are in it.
    assert!(graph[PIPELINE].contains("codegen"), "{graph:?}");
    assert!(graph[PIPELINE].contains("lint"), "{graph:?}");
    assert!(graph["lint"].contains("codegen"), "{graph:?}");
    assert!(graph["ci"].contains(PIPELINE), "{graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("xtask import cycle: {}", cycle.join(" -> "));
    }
}

/// The layer of every module, and every edge going down or across, never up.
fn layer_violations(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let layer = |m: &str| LAYERS.iter().position(|l| l.contains(&m));
    let mut problems = Vec::new();
    for (module, uses) in graph {
        let Some(own) = layer(module) else {
            problems.push(format!("{module} is in no layer of LAYERS"));
            continue;
        };
        for used in uses {
            if layer(used).is_some_and(|l| l > own) {
                problems.push(format!(
                    "{module} (layer {own}) uses {used}, a higher layer"
                ));
            }
        }
    }
    problems
}

#[test]
fn modules_keep_the_layer_order() {
    let problems = layer_violations(&graph());
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_layer_check_finds_an_upward_edge() {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.entry("codegen".into()).or_default().insert("lint".into());
    g.entry("lint".into()).or_default().insert("codegen".into());
    g.entry("nowhere".into()).or_default();
    let problems = layer_violations(&g);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with("codegen (layer 2) uses lint"),
        "{problems:?}"
    );
    assert!(
        problems[1].starts_with("nowhere is in no layer"),
        "{problems:?}"
    );
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let edges = |pairs: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in pairs {
            g.entry(a.to_string()).or_default().insert(b.to_string());
            g.entry(b.to_string()).or_default();
        }
        g
    };
    assert_eq!(
        find_cycle(&edges(&[("a", "b"), ("b", "c"), ("c", "a")])),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    assert_eq!(
        find_cycle(&edges(&[("a", "b"), ("a", "c"), ("b", "c")])),
        None
    );
}
