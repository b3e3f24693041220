//! The workspace layout: which crate owns which proto packages, and where things live.

use std::path::{Path, PathBuf};

/// One proto package and the Rust module that holds its generated code.
pub struct PackageSpec {
    /// Fully-qualified proto package, e.g. `chaukas.spec.common.v1`.
    pub proto: &'static str,
    /// Absolute Rust path of the module, e.g. `::chaukas_spec_client::common::v1`.
    pub rust: &'static str,
}

/// A published crate whose code is generated from `proto/`.
pub struct CrateSpec {
    /// Cargo package name.
    pub name: &'static str,
    /// Proto packages generated into this crate (each exactly once in the workspace).
    pub packages: &'static [PackageSpec],
    /// Generate tonic client/server modules (gated behind the crate's `grpc` feature).
    pub grpc: bool,
    /// Generate pbjson serde impls (gated behind the crate's `serde` feature). The
    /// well-known types have hand-written canonical JSON instead.
    pub pbjson: bool,
}

/// The well-known type files generated into `common-eventing`.
pub const WKT_FILES: &[&str] = &[
    "google/protobuf/any.proto",
    "google/protobuf/duration.proto",
    "google/protobuf/empty.proto",
    "google/protobuf/field_mask.proto",
    "google/protobuf/struct.proto",
    "google/protobuf/timestamp.proto",
    "google/protobuf/wrappers.proto",
];

/// Every generated crate, dependencies first.
pub const CRATES: &[CrateSpec] = &[
    CrateSpec {
        name: "common-eventing",
        packages: &[PackageSpec {
            proto: "google.protobuf",
            rust: "::common_eventing::wkt",
        }],
        grpc: false,
        pbjson: false,
    },
    CrateSpec {
        name: "chaukas-spec-client",
        packages: &[
            PackageSpec {
                proto: "chaukas.spec.common.v1",
                rust: "::chaukas_spec_client::common::v1",
            },
            PackageSpec {
                proto: "chaukas.spec.client.v1",
                rust: "::chaukas_spec_client::client::v1",
            },
        ],
        grpc: true,
        pbjson: true,
    },
    CrateSpec {
        name: "chaukas-spec-server",
        packages: &[PackageSpec {
            proto: "chaukas.spec.server.v1",
            rust: "::chaukas_spec_server::server::v1",
        }],
        grpc: true,
        pbjson: true,
    },
];

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// The single proto root of the workspace.
pub fn proto_dir() -> PathBuf {
    root().join("proto")
}

/// Where a crate's generated files are committed.
pub fn generated_dir(krate: &CrateSpec) -> PathBuf {
    root()
        .join("crates")
        .join(krate.name)
        .join("src")
        .join("generated")
}
