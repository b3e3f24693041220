//! Rust types for the Ameide SRE proto pack: the SRE aggregates (incidents, alerts,
//! runbooks, SLOs, health, services, postmortems), the intent, fact and process-fact
//! envelopes with their catalogs, the query services and the `IncidentService`
//! command surface.
//!
//! Every envelope implements [`common_eventing::Eventing`]: stable type, stream,
//! schema subject, partition key (`meta.tenant_id` + `subject.aggregate_id`) and
//! idempotency key (`meta.message_id`) come from the type.
//!
//! # Features
//!
//! | feature | default | what it adds |
//! | --- | --- | --- |
//! | `serde` | yes | proto3 JSON (the workspace's generator, checked by Google's conformance suite) for every message, `visit_messages` / `visit_events` |
//! | `grpc` | yes | tonic client and server modules for the query services and the `IncidentService`; re-exports `tonic` |
//! | `transport` | yes | tonic's transport (hyper, tokio): the clients' `connect(url)` constructors; without it `grpc` needs only tonic's `codegen` (bring your own channel, e.g. `Client::new(channel)`) |
//! | `envelope-metadata` | yes | `SreMessageMeta::from_metadata` (from `common_eventing::EnvelopeMetadata`: UUIDv7 ids, `occurred_at` now, trace context); turns on the same feature of `common-eventing` |
//! | `runtime` | no | deprecated alias of `envelope-metadata` (its name in 0.1), kept for the 0.2 release and removed in 0.3 |
//! | `validate` | yes | `common_eventing::validate::Validate` for every message, generated from the `buf.validate` rules of its `.proto` (the SRE rules; `string.pattern` uses the `regex` crate) |
//!
//! # MCP tools
//!
//! The query services and `IncidentService` expose MCP tools with
//! `(ameide_core_proto.mcp.annotations.v1.expose)`: every read of the seven
//! `Sre*QueryService`s (read-only, idempotent) and the commands `CreateIncident`,
//! `AcknowledgeIncident`, `AssignIncident`, `AddIncidentTimelineEntry` and
//! `ResolveIncident` (which requires approval). [`core::v1::MCP_TOOLS`] lists them,
//! [`MCP_TOOL_CATALOG`] is the whole catalog, and every tool input and output and every
//! envelope implements `common_eventing::mcp::JsonSchema` (tool inputs also
//! `common_eventing::mcp::ToolInput`).
//!
//! Always there: `PROTO_FILES` / [`proto_files`] (the text of every `.proto` file of
//! the crate, for a schema registry), `common_eventing::registry::ProtoSchema` for every
//! message (file, Confluent message indexes, registration), the MCP tables and
//! schemas, `FILE_DESCRIPTOR_SET`, and
//! the re-exported `prost` (plus `tonic` with `grpc`).
//!
//! With `default-features = false` the crate is prost + bytes only (and
//! `common-eventing` without its features).
#![cfg_attr(docsrs, feature(doc_cfg))]

mod generated;
pub use generated::*;

mod envelopes;
pub mod lifecycle;

pub use envelopes::SCHEMA_VERSION;
pub use lifecycle::TransitionError;

/// The MCP tool catalog of this crate (`docs/generated/mcp-tool-catalog.json`), as
/// `cargo xtask codegen` writes it: `{"$schema", "version", "capabilities": [{"name",
/// "proto_package", "tools": [{"name", "description", "rpc", "cqrs_side", "hints",
/// "requires_approval", "inputSchema", "outputSchema"}], "resources"}]}`, keys sorted,
/// `version` the crate version. Serve it at `/.well-known/mcp-tools.json`.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// let catalog: serde_json::Value = serde_json::from_str(ameide_sre_proto::MCP_TOOL_CATALOG).unwrap();
/// assert_eq!(catalog["version"], env!("CARGO_PKG_VERSION"));
/// assert_eq!(catalog["capabilities"][0]["name"], "sre");
/// # }
/// ```
pub const MCP_TOOL_CATALOG: &str = include_str!("generated/mcp-tool-catalog.json");

// The dependencies generated code is written against, for use without adding them
// to your own Cargo.toml at matching versions.
/// The eventing spine, well-known types, framing and registry this crate builds on.
pub use common_eventing;
/// The `prost` this crate's messages implement `prost::Message` of.
pub use prost;
/// The `tonic` of this crate's clients and servers (feature `grpc`).
#[cfg(feature = "grpc")]
pub use tonic;
