//! `cargo xtask breaking`: every crate's contract against its last release.
//!
//! For each crate of `xtask/src/workspace.rs` with a baseline (`baselines/<crate>/`,
//! see [`crate::contract::image`]):
//!
//! 1. `buf breaking . --against baselines/<crate>/image.binpb --exclude-imports` with the
//!    rules of `buf.yaml` (WIRE_JSON, plus the deletion rules of rpcs, services,
//!    messages, enums, extensions and packages). Every finding is printed like buf's.
//! 2. The change is classified (buf does not compare custom option values, so the
//!    eventing option and the MCP expose option are compared here:
//!    `EVENTING_OPTION_SAME`, `MCP_TOOL_SAME`):
//!    - **breaking**: buf reports anything;
//!    - **additive**: buf reports nothing but the descriptors of the crate's files
//!      differ (a new message, field, enum value, rpc, file or option; comments do not
//!      count: source info is excluded);
//!    - **none**: same descriptors.
//! 3. The crate version (`crates/<crate>/Cargo.toml`) is checked against the baseline's
//!    (see [`policy::verdict`]): never lower; additive needs at least a minor bump (for 0.x,
//!    0.1.z → 0.2.0); breaking is refused whatever the version says. The one way to
//!    make an incompatible change is a new package version: add `foo.v2` next to
//!    `foo.v1` (additive), and once every user has moved, delete the whole `foo.v1`
//!    package — the only breaking change accepted, and only with a major bump
//!    (for 0.x, a minor bump) and `foo.v2` present in the crate.
//!
//! A crate without a baseline has never been released: nothing to compare.

use crate::contract::Contract;
use crate::workspace::{self, CRATES};
use anyhow::{Result, bail};

pub use crate::contract::policy::{self, Change, CrateReport, check_all, check_crate, verdict};
pub use crate::version::{Version, crate_version};

/// `cargo xtask breaking`: checks every crate of the workspace; fails if any fails.
pub fn run() -> Result<()> {
    let contracts: Vec<Contract> = CRATES.iter().map(Contract::of).collect();
    let reports = check_all(&workspace::root(), &contracts)?;
    let mut failed = Vec::new();
    for report in &reports {
        report.print();
        if !report.ok() {
            failed.push(report.name.as_str());
        }
    }
    if !failed.is_empty() {
        bail!("breaking: refused for {}", failed.join(", "));
    }
    println!("breaking: every released contract is compatible and correctly versioned");
    Ok(())
}
