//! Contract tooling: what a crate releases (its proto packages), the recorded
//! releases ([`image`]), versions ([`crate::version`], with the `semver` crate), the
//! compatibility policy ([`policy`], with buf) and the comparison of custom options
//! buf does not see ([`eventing_diff`]). `cargo xtask breaking` and
//! `cargo xtask baseline` drive it.

pub mod eventing_diff;
pub mod image;
pub mod policy;

use crate::workspace::CrateSpec;

/// A crate's proto packages, the unit that is released and compared.
#[derive(Debug, Clone)]
pub struct Contract {
    /// Cargo package name.
    pub name: String,
    /// Proto packages (never `google.protobuf`: the well-known types are Google's).
    pub packages: Vec<String>,
}

impl Contract {
    /// The contract of a crate of the workspace.
    pub fn of(spec: &CrateSpec) -> Self {
        Self {
            name: spec.name.to_string(),
            packages: spec
                .packages
                .iter()
                .map(|p| p.proto.to_string())
                .filter(|p| p != "google.protobuf")
                .collect(),
        }
    }

    /// Whether `package` belongs to the contract.
    pub fn owns(&self, package: &str) -> bool {
        self.packages.iter().any(|p| p == package)
    }
}
