//! Rust types for the aiOS agent-core gRPC contract: messages, proto3 JSON and tonic
//! clients and servers for `Orchestrator`, `Agent`, `AIRuntime`, `ToolRegistry`,
//! `MemoryService` and `ApiGateway`.
//!
//! Wire-compatible with the running aiOS services: package names (`aios.tools`, ...),
//! service and method names (so gRPC paths such as `/aios.tools.ToolRegistry/Execute`),
//! field numbers, types and enum values are exactly upstream's, checked fact by fact.
//! Upstream names that break buf's STANDARD style (no version suffix,
//! `GOAL_PENDING = 0`) are kept on purpose: renaming them would break the wire.
//!
//! `bytes` fields are [`bytes::Bytes`]: decoding a large payload from a `Bytes` buffer
//! does not copy it, the field shares the buffer.
//!
//! Beyond the generated code:
//!
//! - [`json_fields`] (feature `serde`): typed access to the JSON-encoded `*_json`
//!   fields, e.g. [`tools::ExecuteRequest::set_input_json`] and
//!   [`tools::ExecuteResponse::decode_output_json`], with errors that name the field.
//! - [`time_fields`] (feature `chrono`): `chrono` getters for the `int64` points in
//!   time. Upstream does not say whether they count seconds or milliseconds, so each
//!   has an `_as_secs` and an `_as_millis` getter (e.g.
//!   [`common::Task::created_at_as_millis`]).
//!
//! # Features
//!
//! | feature | default | what it adds |
//! | --- | --- | --- |
//! | `serde` | yes | proto3 JSON (the workspace's generator, checked by Google's conformance suite) for every message; [`json_fields`]: typed `decode_<field>` / `set_<field>` for every `*_json` field |
//! | `grpc` | yes | tonic client and server modules for every service (`tools::tool_registry_client`, ...); re-exports `tonic` |
//! | `transport` | yes | tonic's transport (hyper, tokio): the clients' `connect(url)` constructors; without it `grpc` needs only tonic's `codegen` (bring your own channel, e.g. `Client::new(channel)`) |
//! | `chrono` | yes | [`time_fields`]: `<field>_as_secs()` / `<field>_as_millis()` getters for the `int64` points in time |
//! | `validate` | yes | `common_eventing::validate::Validate` for every message, generated from the `buf.validate` rules of its `.proto` (these upstream protos carry no rules: every impl accepts everything) |
//!
//! Always there: `PROTO_FILES` / [`proto_files`] (the text of every `.proto` file of
//! the crate, for a schema registry), `common_eventing::registry::ProtoSchema` for every
//! message (file, Confluent message indexes, registration), `FILE_DESCRIPTOR_SET`, and
//! the re-exported `prost` (plus `tonic` with `grpc`).
//!
//! # `tools::Status` and `tonic::Status`
//!
//! `aios.tools` has a message named `Status`, so `use aios_proto::tools::*;` brings a
//! `Status` that shadows `tonic::Status`, and a `ToolRegistry` impl whose methods
//! return `Result<_, Status>` fails with E0053 pointing at the `#[tonic::async_trait]`
//! line. Import the tools module, or name the few types you need, and keep
//! `tonic::Status`:
//!
//! ```
//! # #[cfg(feature = "grpc")] {
//! use aios_proto::tools::{self, ExecuteRequest, ExecuteResponse}; // not `tools::*`
//! use tonic::{Request, Response, Status}; // the gRPC status
//!
//! fn execute(request: Request<ExecuteRequest>) -> Result<Response<ExecuteResponse>, Status> {
//!     let status = tools::Status::default(); // the aiOS message, by its module path
//! #   let _ = (request, status);
//!     Err(Status::unimplemented("Execute"))
//! }
//! # let _ = execute;
//! # }
//! ```
//!
//! With `default-features = false` the crate is prost + bytes only (and
//! `common-eventing` without its features).
#![cfg_attr(docsrs, feature(doc_cfg))]

mod generated;
pub use generated::*;

#[cfg(feature = "serde")]
pub mod json_fields;
#[cfg(feature = "chrono")]
pub mod time_fields;

#[cfg(feature = "serde")]
pub use json_fields::{JsonFieldError, JsonFields};

// The dependencies generated code is written against, for use without adding them
// to your own Cargo.toml at matching versions.
/// The eventing spine, well-known types, framing and registry this crate builds on.
pub use common_eventing;
/// The `prost` this crate's messages implement `prost::Message` of.
pub use prost;
/// The `tonic` of this crate's clients and servers (feature `grpc`).
#[cfg(feature = "grpc")]
pub use tonic;
