//! xtask has no import cycle: the graph of its top-level modules (a folder module,
//! such as `contract/` or `lint/`, counts as one), built from every `crate::...` path
//! and `use` in its sources (parsed with `syn`, so doc comments and strings do not
//! count), is acyclic.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// The top-level module of a source file (`lint/mcp.rs` → `lint`), `None` for the
/// crate roots.
fn top_module(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
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
    fn add(&mut self, first: &syn::Ident, second: Option<&syn::Ident>) {
        if first == "crate"
            && let Some(second) = second
        {
            self.0.insert(second.to_string());
        }
    }

    fn use_tree(&mut self, tree: &syn::UseTree, crate_prefix: bool) {
        match tree {
            syn::UseTree::Path(p) if crate_prefix => {
                self.0.insert(p.ident.to_string());
            }
            syn::UseTree::Path(p) => self.use_tree(&p.tree, p.ident == "crate"),
            syn::UseTree::Name(n) if crate_prefix => {
                self.0.insert(n.ident.to_string());
            }
            syn::UseTree::Rename(r) if crate_prefix => {
                self.0.insert(r.ident.to_string());
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(t, crate_prefix);
                }
            }
            _ => {}
        }
    }
}

impl<'ast> Visit<'ast> for CrateRefs {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        let mut segments = path.segments.iter();
        if let Some(first) = segments.next() {
            self.add(&first.ident, segments.next().map(|s| &s.ident));
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&item.tree, false);
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
    assert!(graph["codegen"].contains("generators"), "{graph:?}");
    assert!(graph["generators"].contains("json"), "{graph:?}");
    assert!(graph["contract"].contains("mcp"), "{graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("xtask import cycle: {}", cycle.join(" -> "));
    }
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
