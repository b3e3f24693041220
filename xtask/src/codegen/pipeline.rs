//! `cargo xtask codegen [--check]`: regenerate every crate's committed code.
//!
//! One pipeline over one compiled descriptor pool: the upstream generators (prost and
//! tonic; [`crate::codegen::upstream`]) once per crate, then every generator of
//! [`GENERATORS`] per package, one file each, and the crate's `generated/mod.rs`
//! ([`crate::codegen::modtree`]). The workspace documents (eventing and MCP catalogs) are
//! generated alongside.

use crate::codegen::generators::catalog;
use crate::codegen::generators::eventing;
use crate::codegen::generators::mcp::{self, ToolSpec};
use crate::codegen::generators::schemas;
use crate::codegen::model::PackageModel;
use crate::codegen::modtree::{self, Include};
use crate::codegen::output::{Files, MAX_FILE_BYTES};
use crate::codegen::registry::{GENERATORS, Input};
use crate::codegen::upstream;
use crate::lint;
use crate::protos::{self, Compiled};
use crate::workspace::{self, CRATES, CrateSpec};
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

pub use crate::codegen::modtree::DESCRIPTOR_FILE;

/// Generates every crate's files, and the workspace's generated documents, from the
/// compiled protos: (folder, files) pairs. Each folder holds generated files only.
pub fn generate_all(compiled: &Compiled) -> Result<Vec<(PathBuf, Files)>> {
    let events = eventing::collect(&compiled.pool)?;
    let tools = tools(compiled)?;
    let mcp_catalog = mcp::workspace_catalog(&compiled.pool, &tools)?;
    let mut out = CRATES
        .iter()
        .map(|krate| {
            let mut files =
                generate_crate(krate, compiled, &workspace::proto_dir(), &events, &tools)?;
            if let Some((owner, text)) = &mcp_catalog
                && owner.name == krate.name
            {
                files.insert(mcp::CATALOG_FILE.to_string(), text.clone().into_bytes());
            }
            Ok((workspace::generated_dir(krate), files))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut docs = catalog::documents(&events)?;
    docs.insert(
        crate::codegen::generators::validate::doc::FILE.to_string(),
        crate::codegen::generators::validate::doc::generate(&compiled.pool)?.into_bytes(),
    );
    if let Some((_, text)) = &mcp_catalog {
        docs.insert(mcp::CATALOG_FILE.to_string(), text.clone().into_bytes());
    }
    out.push((workspace::generated_docs_dir(), docs));
    out.push(crate::codegen::generators::mcp_dispatch::generate_all(
        &compiled.pool,
        &tools,
    )?);
    out.push(crate::codegen::testee::generate()?);
    let hygiene = workspace::root().join("tests/hygiene");
    // The fixture imports the workspace's options (eventing, MCP, `buf.validate`).
    let fixture = protos::compile_with(&hygiene.join("proto"), &[&workspace::proto_dir()])?;
    let (events, tools) = (
        eventing::collect(&fixture.pool)?,
        mcp::collect(&fixture.pool),
    );
    let files = generate_crate(&HYGIENE, &fixture, &hygiene.join("proto"), &events, &tools)?;
    out.push((hygiene.join("src/generated"), files));
    Ok(out)
}

/// The hygiene fixture (`tests/hygiene`): messages named `Some`, `Option`, `Result`,
/// `String`, `Vec` and `Box` in a package with a segment named `serde`, through every
/// generator. Not published, not in `CRATES`; CI compiles it with every feature, with
/// none and with each alone.
pub static HYGIENE: CrateSpec = CrateSpec {
    name: "hygiene-fixture",
    packages: &[workspace::PackageSpec {
        proto: "hygiene.serde.v1",
        rust: "::hygiene_fixture::serde::v1",
        doc: "the hygiene fixture (`hygiene/serde/v1/hygiene.proto`)",
        hosted: false,
    }],
    grpc: true,
    hand_written: &[],
    extras: &[],
};

/// The exposed rpcs, refused while any MCP lint rule fails (the same check as
/// `cargo xtask lint`, with `proto/file:line:col` locations).
pub fn tools(compiled: &Compiled) -> Result<Vec<ToolSpec>> {
    let mut findings = Vec::new();
    lint::mcp::check(&compiled.pool, &mut findings);
    if !findings.is_empty() {
        findings.sort();
        bail!(
            "invalid MCP expose options:\n  {}",
            findings
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n  ")
        );
    }
    Ok(mcp::collect(&compiled.pool))
}

fn generate_crate(
    krate: &'static CrateSpec,
    compiled: &Compiled,
    proto_dir: &Path,
    events: &[eventing::EventSpec],
    tools: &[ToolSpec],
) -> Result<Files> {
    let upstream = upstream::generate(krate, compiled)?;
    let input = Input {
        pool: &compiled.pool,
        events,
        tools,
        krate,
        upstream: &upstream,
    };
    let mut files = Files::new();
    let mut tree = Vec::new();
    for package in krate.packages {
        let mut includes = Vec::new();
        let model = PackageModel::build(&compiled.pool, krate, package.proto)?;
        for generator in GENERATORS.iter().filter(|g| g.runs_for(krate)) {
            for (name, contents) in generator.render(&input, &model)? {
                files.insert(name.clone(), contents.into_bytes());
                includes.push(Include {
                    file: name,
                    feature: generator.feature,
                });
            }
        }
        tree.push((package, includes));
    }
    let descriptors =
        protos::filter_encoded_set(&compiled.encoded_without_source_info, |name, package| {
            protos::in_descriptor_set(krate, name, package)
        })?;
    let mut descriptor_files: Vec<String> = compiled
        .with_source_info
        .file
        .iter()
        .filter(|f| protos::in_descriptor_set(krate, f.name(), f.package()))
        .map(|f| f.name().to_string())
        .collect();
    descriptor_files.sort();
    files.insert(DESCRIPTOR_FILE.to_string(), descriptors);
    files.insert(
        schemas::PROTO_FILES_FILE.to_string(),
        schemas::generate_proto_files(&compiled.pool, krate, proto_dir)?.into_bytes(),
    );
    files.insert(
        modtree::MOD_FILE.to_string(),
        modtree::generate(krate, &tree, &descriptor_files).into_bytes(),
    );
    for (name, contents) in &files {
        if contents.len() > MAX_FILE_BYTES + 8 * 1024 {
            bail!(
                "{}/src/generated/{name} is {} bytes, over the limit of {MAX_FILE_BYTES}: a single item is too long",
                krate.name,
                contents.len()
            );
        }
    }
    Ok(files)
}

/// What differs between the committed files and freshly generated ones.
#[derive(Debug, Default)]
pub struct Drift {
    /// Committed but different from the generator's output.
    pub stale: Vec<String>,
    /// Generated but not committed.
    pub missing: Vec<String>,
    /// Committed in a generated folder but no longer generated.
    pub extra: Vec<String>,
}

impl Drift {
    fn is_empty(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

fn committed_files(dir: &Path) -> Result<Vec<String>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}

/// Compares freshly generated files with what is in the work tree.
pub fn drift(generated: &[(PathBuf, Files)]) -> Result<Drift> {
    let root = workspace::root();
    let mut drift = Drift::default();
    for (dir, files) in generated {
        let rel = |name: &str| {
            dir.join(name)
                .strip_prefix(&root)
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| name.to_string())
        };
        for (name, contents) in files {
            match std::fs::read(dir.join(name)) {
                Ok(committed) if &committed == contents => {}
                Ok(_) => drift.stale.push(rel(name)),
                Err(_) => drift.missing.push(rel(name)),
            }
        }
        for name in committed_files(dir)? {
            if !files.contains_key(&name) {
                drift.extra.push(rel(&name));
            }
        }
    }
    Ok(drift)
}

/// Entry point: `check` compares without writing and fails on any drift.
pub fn run(check: bool) -> Result<()> {
    let compiled = protos::compile(&workspace::proto_dir())?;
    let generated = generate_all(&compiled)?;
    let mut drift = drift(&generated)?;
    // The README's catalog table is generated too (between markers).
    let readme_path = workspace::root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path)?;
    let spliced = catalog::splice_readme(&readme, &eventing::collect(&compiled.pool)?)?;
    let spliced = mcp::splice_readme(&spliced, &compiled.pool, &tools(&compiled)?)?;
    if spliced != readme {
        drift
            .stale
            .push("README.md (eventing catalog table or MCP example tool)".into());
    }
    if check {
        if drift.is_empty() {
            println!("codegen --check: generated code is up to date");
            return Ok(());
        }
        for f in &drift.stale {
            eprintln!("stale:   {f}");
        }
        for f in &drift.missing {
            eprintln!("missing: {f}");
        }
        for f in &drift.extra {
            eprintln!("extra:   {f}");
        }
        bail!(
            "generated code is out of date with proto/: run `cargo xtask codegen` and commit the result"
        );
    }
    if spliced != readme {
        std::fs::write(&readme_path, spliced)?;
    }
    for (dir, files) in &generated {
        std::fs::create_dir_all(dir)?;
        for (name, contents) in files {
            let path = dir.join(name);
            if std::fs::read(&path).ok().as_deref() != Some(contents.as_slice()) {
                std::fs::write(&path, contents)?;
            }
        }
        for name in committed_files(dir)? {
            if !files.contains_key(&name) {
                std::fs::remove_file(dir.join(name))?;
            }
        }
    }
    let changed = drift.stale.len() + drift.missing.len() + drift.extra.len();
    if changed == 0 {
        println!("codegen: nothing to do, generated code is up to date");
    } else {
        println!("codegen: {changed} file(s) written or removed");
    }
    Ok(())
}
