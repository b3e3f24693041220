//! The workspace layout: which crate owns which proto packages, and where things live.

use std::path::{Path, PathBuf};

/// One proto package and the Rust module that holds its generated code.
pub struct PackageSpec {
    /// Fully-qualified proto package, e.g. `chaukas.spec.common.v1`.
    pub proto: &'static str,
    /// Absolute Rust path of the module, e.g. `::chaukas_spec_client::common::v1`.
    pub rust: &'static str,
    /// Rustdoc of the package's top module (the first module below the crate root),
    /// e.g. "events, queries and capabilities".
    pub doc: &'static str,
    /// The module is hand-written (`common_eventing::wkt`): the generated `mod.rs`
    /// holds the package in a crate-private module named after the package
    /// (`google_protobuf`), which the hand-written module re-exports.
    pub hosted: bool,
}

/// Generators that run only for the crates that ask for them, because their output
/// needs an optional dependency of the crate (the rule of what they generate is in
/// the generator itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extra {
    /// `decode_<field>` / `set_<field>` for every `bytes` `*_json` field
    /// (`json_fields.rs`, needs `serde_json`; feature `serde`).
    JsonFields,
    /// `<field>_as_secs` / `<field>_as_millis` for every `int64` point in time
    /// (`time_fields.rs`, needs `chrono`; feature `chrono`).
    EpochTimes,
    /// `NewEvent` for every event with an id and a time field (`constructors.rs`,
    /// needs `uuid`; feature `envelope-metadata`).
    NewEvent,
}

/// A published crate whose code is generated from `proto/`.
pub struct CrateSpec {
    /// Cargo package name.
    pub name: &'static str,
    /// Proto packages generated into this crate (each exactly once in the workspace).
    pub packages: &'static [PackageSpec],
    /// Generate tonic client/server modules (gated behind the crate's `grpc` feature).
    /// Every package except `google.protobuf` (hand-written canonical JSON) also gets
    /// proto3 JSON serde impls, gated behind the crate's `serde` feature.
    pub grpc: bool,
    /// Messages of this crate's packages that are written by hand instead of
    /// generated: (fully-qualified proto name, absolute Rust path). prost skips them
    /// (they are `extern_path`s) and everything else refers to the Rust path.
    pub hand_written: &'static [(&'static str, &'static str)],
    /// The optional generators this crate runs.
    pub extras: &'static [Extra],
}

/// `--package <name>` for every published crate (not xtask, the tests or `apps/`).
pub fn published_package_args() -> Vec<String> {
    CRATES
        .iter()
        .flat_map(|c| ["--package".to_string(), c.name.to_string()])
        .collect()
}

/// The crate generating `package`, if any.
pub fn owner(package: &str) -> Option<&'static CrateSpec> {
    CRATES
        .iter()
        .find(|c| c.packages.iter().any(|p| p.proto == package))
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

/// Vendored `.proto` files: compiled with the workspace, imported by its protos, and
/// hosted (in `FILE_DESCRIPTOR_SET` and `PROTO_FILES`, for gRPC reflection and a
/// schema registry) by one crate, but generated into none: (import path, package,
/// hosting crate). `buf lint` and `buf breaking` ignore them (`buf.yaml`).
pub const VENDORED: &[(&str, &str, &str)] = &[(
    // protovalidate v1.2.2's rules, the tag's file unchanged (its licence is next to it).
    "buf/validate/validate.proto",
    "buf.validate",
    "common-eventing",
)];

/// The crate hosting the vendored file `name`, if it is one.
pub fn vendored_host(name: &str) -> Option<&'static CrateSpec> {
    VENDORED
        .iter()
        .find(|(file, _, _)| *file == name)
        .and_then(|(_, _, host)| CRATES.iter().find(|c| c.name == *host))
}

/// Every generated crate, dependencies first.
pub const CRATES: &[CrateSpec] = &[
    CrateSpec {
        name: "common-eventing",
        packages: &[
            PackageSpec {
                proto: "google.protobuf",
                rust: "::common_eventing::wkt",
                doc: "well-known types",
                hosted: true,
            },
            PackageSpec {
                proto: "ameide_core_proto.common.v1",
                rust: "::common_eventing::options::v1",
                doc: "the eventing option every event message declares",
                hosted: false,
            },
            PackageSpec {
                proto: "ameide_core_proto.mcp.annotations.v1",
                rust: "::common_eventing::mcp::annotations::v1",
                doc: "the expose option on rpc methods",
                hosted: true,
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
        extras: &[],
    },
    CrateSpec {
        name: "chaukas-spec-client",
        packages: &[
            PackageSpec {
                proto: "chaukas.spec.common.v1",
                rust: "::chaukas_spec_client::common::v1",
                doc: "events, queries and capabilities",
                hosted: false,
            },
            PackageSpec {
                proto: "chaukas.spec.client.v1",
                rust: "::chaukas_spec_client::client::v1",
                doc: "the `ChaukasClientService` API",
                hosted: false,
            },
        ],
        grpc: true,
        hand_written: &[],
        extras: &[],
    },
    CrateSpec {
        name: "chaukas-spec-server",
        packages: &[PackageSpec {
            proto: "chaukas.spec.server.v1",
            rust: "::chaukas_spec_server::server::v1",
            doc: "the `ChaukasServerService` API",
            hosted: false,
        }],
        grpc: true,
        hand_written: &[],
        extras: &[],
    },
    CrateSpec {
        name: "aios-proto",
        packages: &[
            PackageSpec {
                proto: "aios.common",
                rust: "::aios_proto::common",
                doc: "shared messages (goals, tasks, inference)",
                hosted: false,
            },
            PackageSpec {
                proto: "aios.orchestrator",
                rust: "::aios_proto::orchestrator",
                doc: "the `Orchestrator` service",
                hosted: false,
            },
            PackageSpec {
                proto: "aios.agent",
                rust: "::aios_proto::agent",
                doc: "the `Agent` service",
                hosted: false,
            },
            PackageSpec {
                proto: "aios.runtime",
                rust: "::aios_proto::runtime",
                doc: "the `AIRuntime` service (model loading and inference)",
                hosted: false,
            },
            PackageSpec {
                proto: "aios.tools",
                rust: "::aios_proto::tools",
                doc: "the `ToolRegistry` service",
                hosted: false,
            },
            PackageSpec {
                proto: "aios.memory",
                rust: "::aios_proto::memory",
                doc: "the `MemoryService`",
                hosted: false,
            },
            PackageSpec {
                proto: "aios.api_gateway",
                rust: "::aios_proto::api_gateway",
                doc: "the `ApiGateway` service",
                hosted: false,
            },
        ],
        grpc: true,
        hand_written: &[],
        extras: &[Extra::JsonFields, Extra::EpochTimes],
    },
    CrateSpec {
        name: "aumos-proto",
        packages: &[
            PackageSpec {
                proto: "aumos.events.v1",
                rust: "::aumos_proto::events::v1",
                doc: "platform events (agent envelopes, audit, model lifecycle, governance, security, usage, flags, locks, metering, resilience)",
                hosted: false,
            },
            PackageSpec {
                proto: "aumos.models.v1",
                rust: "::aumos_proto::models::v1",
                doc: "platform models (tenants, models, agents, jobs)",
                hosted: false,
            },
            PackageSpec {
                proto: "aumos.api.v1",
                rust: "::aumos_proto::api::v1",
                doc: "API types (pagination, errors, health)",
                hosted: false,
            },
            PackageSpec {
                proto: "aumos.agf.v1",
                rust: "::aumos_proto::agf::v1",
                doc: "agent-framework events and configuration",
                hosted: false,
            },
        ],
        grpc: false,
        hand_written: &[],
        extras: &[Extra::NewEvent],
    },
    CrateSpec {
        name: "ameide-sre-proto",
        packages: &[
            PackageSpec {
                proto: "ameide_core_proto.sre.core.v1",
                rust: "::ameide_sre_proto::core::v1",
                doc: "aggregates, envelopes, intents, facts and services",
                hosted: false,
            },
            PackageSpec {
                proto: "ameide_core_proto.sre.process.v1",
                rust: "::ameide_sre_proto::process::v1",
                doc: "the incident-triage process facts",
                hosted: false,
            },
        ],
        grpc: true,
        hand_written: &[],
        extras: &[],
    },
];

/// Where workspace-level generated documents (the eventing catalog) are committed.
pub fn generated_docs_dir() -> PathBuf {
    root().join("docs").join("generated")
}

/// Overrides [`root`]: `cargo xtask evolution` runs this binary's codegen on a copy.
pub const ROOT_ENV: &str = "XTASK_WORKSPACE_ROOT";

/// The workspace root: the parent of `xtask/`, or [`ROOT_ENV`] when set.
pub fn root() -> PathBuf {
    if let Some(root) = std::env::var_os(ROOT_ENV) {
        return PathBuf::from(root);
    }
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
