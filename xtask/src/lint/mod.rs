//! `cargo xtask lint`: buf's STANDARD lint, then the workspace's own rules.
//!
//! 1. `buf lint` (the real buf, see [`crate::buf`]) over `proto/` with the committed
//!    `buf.yaml` (STANDARD, plus file- and rule-specific exemptions for the aiOS wire
//!    names only).
//! 2. The rules buf does not have, over the protox descriptors of `proto/`:
//!    - [`sre`]: the SRE invariants of the contract sheet (`SRE_FILE_LAYOUT`,
//!      `SRE_INTENT_NAME`, `SRE_FACT_NAME`, `SRE_ENVELOPE_META`, `SRE_META_FIELDS`,
//!      `SRE_SUBJECT_VERSION`, `SRE_CATALOG`);
//!    - [`events`]: eventing option paths valid (`EVENTING_OPTION_VALID`) and every
//!      event message annotated (`EVENT_ANNOTATED`);
//!    - [`enums`]: every non-aiOS enum value prefixed with its enum's name
//!      (`ENUM_VALUE_ENUM_PREFIX`);
//!    - [`mcp`]: the MCP expose option on rpcs (`MCP_TOOL_NAME`, `MCP_TOOL_UNIQUE`,
//!      `MCP_TOOL_DESCRIPTION`, `MCP_CAPABILITY_SIZE`, `MCP_CAPABILITY_PACKAGE`,
//!      `MCP_QUERY_READ_ONLY`, `MCP_COMMAND_READ_ONLY`, `MCP_NO_FACT_TOOLS`,
//!      `MCP_NO_STREAMING`, `MCP_ADAPTER_FILLED_VALID`), and the warning
//!      `MCP_INPUT_PORTABLE` (printed, never failing).
//!
//! Every finding prints as `proto/<file>:<line>:<column> <RULE> <message>`, like buf.

pub mod enums;
pub mod events;
pub mod mcp;
pub mod sre;

use crate::buf::{self, Finding};
use crate::{protos, workspace};
use anyhow::{Result, bail};
use prost_reflect::{DescriptorPool, FileDescriptor};
use std::path::Path;

/// Runs buf lint and the workspace rules on the workspace; fails listing every finding.
pub fn run() -> Result<()> {
    let root = workspace::root();
    let mut findings = buf_lint(&root)?;
    let buf_count = findings.len();
    findings.extend(workspace_rules(&root.join("proto"))?);
    for warning in workspace_warnings(&root.join("proto"))? {
        println!("warning: {warning}");
    }
    for finding in &findings {
        println!("{finding}");
    }
    if !findings.is_empty() {
        bail!(
            "lint: {} finding(s) ({buf_count} from buf lint, {} from the workspace rules)",
            findings.len(),
            findings.len() - buf_count
        );
    }
    println!(
        "lint: buf {} STANDARD lint and the workspace rules pass",
        buf::BUF_VERSION
    );
    Ok(())
}

/// `buf lint` of the workspace at `root` (a folder holding `buf.yaml` and `proto/`).
pub fn buf_lint(root: &Path) -> Result<Vec<Finding>> {
    buf::check(root, &["lint"])
}

/// The workspace's own rules over every `.proto` below `proto_dir`, sorted by location.
pub fn workspace_rules(proto_dir: &Path) -> Result<Vec<Finding>> {
    let compiled = protos::compile(proto_dir)?;
    Ok(check_pool(&compiled.pool))
}

/// The workspace's warning rules (printed by `cargo xtask lint`, never failing) over
/// every `.proto` below `proto_dir`, sorted by location.
pub fn workspace_warnings(proto_dir: &Path) -> Result<Vec<Finding>> {
    let compiled = protos::compile(proto_dir)?;
    let mut warnings = Vec::new();
    mcp::warnings(&compiled.pool, &mut warnings);
    warnings.sort();
    Ok(warnings)
}

/// The workspace rules over a compiled pool (source info needed for locations). Only
/// files of the proto root are checked, never the well-known types protox adds.
pub fn check_pool(pool: &DescriptorPool) -> Vec<Finding> {
    let mut findings = Vec::new();
    sre::check(pool, &mut findings);
    events::check(pool, &mut findings);
    enums::check(pool, &mut findings);
    mcp::check(pool, &mut findings);
    findings.sort();
    findings.dedup();
    findings
}

/// Files of the proto root: everything but `google/protobuf/*` (built into protox).
pub(crate) fn own_files(pool: &DescriptorPool) -> impl Iterator<Item = FileDescriptor> + '_ {
    pool.files()
        .filter(|f| !f.name().starts_with("google/protobuf/"))
}

/// A finding at the element `path` of `file`: at its name when the source info has
/// the name's span (like buf), else at the element itself.
pub(crate) fn finding(
    file: &FileDescriptor,
    path: &[i32],
    rule: &str,
    message: impl Into<String>,
) -> Finding {
    let proto = file.file_descriptor_proto();
    let span = |p: &[i32]| protos::span(proto, p);
    let mut name_path = path.to_vec();
    name_path.push(1); // `name` is field 1 of every named descriptor
    let (line, column) = if path.is_empty() {
        (1, 1)
    } else {
        span(&name_path).unwrap_or_else(|| protos::location(proto, path))
    };
    Finding {
        path: Some(format!("proto/{}", file.name())),
        line,
        column,
        rule: rule.to_string(),
        message: message.into(),
    }
}
