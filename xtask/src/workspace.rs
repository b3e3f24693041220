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
    /// Every package except `google.protobuf` (hand-written canonical JSON) also gets
    /// pbjson serde impls, gated behind the crate's `serde` feature.
    pub grpc: bool,
    /// Messages of this crate's packages that are written by hand instead of
    /// generated: (fully-qualified proto name, absolute Rust path). prost skips them
    /// (they are `extern_path`s) and everything else refers to the Rust path.
    pub hand_written: &'static [(&'static str, &'static str)],
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
        packages: &[
            PackageSpec {
                proto: "google.protobuf",
                rust: "::common_eventing::wkt",
            },
            PackageSpec {
                proto: "ameide_core_proto.common.v1",
                rust: "::common_eventing::options::v1",
            },
            PackageSpec {
                proto: "ameide_core_proto.mcp.annotations.v1",
                rust: "::common_eventing::mcp::annotations::v1",
            },
        ],
        grpc: false,
        // Struct, Value and ListValue: a sorted-vector map with inline short strings
        // and a linear-time encoder (common-eventing/src/wkt/structs.rs). The wire
        // format is the generated one; the interop tests prove the bytes equal.
        hand_written: &[
            (".google.protobuf.Struct", "::common_eventing::wkt::Struct"),
            (".google.protobuf.Value", "::common_eventing::wkt::Value"),
            (
                ".google.protobuf.ListValue",
                "::common_eventing::wkt::ListValue",
            ),
        ],
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
        hand_written: &[],
    },
    CrateSpec {
        name: "chaukas-spec-server",
        packages: &[PackageSpec {
            proto: "chaukas.spec.server.v1",
            rust: "::chaukas_spec_server::server::v1",
        }],
        grpc: true,
        hand_written: &[],
    },
    CrateSpec {
        name: "aios-proto",
        packages: &[
            PackageSpec {
                proto: "aios.common",
                rust: "::aios_proto::common",
            },
            PackageSpec {
                proto: "aios.orchestrator",
                rust: "::aios_proto::orchestrator",
            },
            PackageSpec {
                proto: "aios.agent",
                rust: "::aios_proto::agent",
            },
            PackageSpec {
                proto: "aios.runtime",
                rust: "::aios_proto::runtime",
            },
            PackageSpec {
                proto: "aios.tools",
                rust: "::aios_proto::tools",
            },
            PackageSpec {
                proto: "aios.memory",
                rust: "::aios_proto::memory",
            },
            PackageSpec {
                proto: "aios.api_gateway",
                rust: "::aios_proto::api_gateway",
            },
        ],
        grpc: true,
        hand_written: &[],
    },
    CrateSpec {
        name: "aumos-proto",
        packages: &[
            PackageSpec {
                proto: "aumos.events.v1",
                rust: "::aumos_proto::events::v1",
            },
            PackageSpec {
                proto: "aumos.models.v1",
                rust: "::aumos_proto::models::v1",
            },
            PackageSpec {
                proto: "aumos.api.v1",
                rust: "::aumos_proto::api::v1",
            },
            PackageSpec {
                proto: "aumos.agf.v1",
                rust: "::aumos_proto::agf::v1",
            },
        ],
        grpc: false,
        hand_written: &[],
    },
    CrateSpec {
        name: "ameide-sre-proto",
        packages: &[
            PackageSpec {
                proto: "ameide_core_proto.sre.core.v1",
                rust: "::ameide_sre_proto::core::v1",
            },
            PackageSpec {
                proto: "ameide_core_proto.sre.process.v1",
                rust: "::ameide_sre_proto::process::v1",
            },
        ],
        grpc: true,
        hand_written: &[],
    },
];

/// Where workspace-level generated documents (the eventing catalog) are committed.
pub fn generated_docs_dir() -> PathBuf {
    root().join("docs").join("generated")
}

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
