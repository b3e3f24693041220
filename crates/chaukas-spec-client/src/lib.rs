//! Rust types for the [Chaukas](https://pypi.org/project/chaukas-spec-client/) agent
//! observability spec: `chaukas.spec.common.v1` (events, queries) and
//! `chaukas.spec.client.v1` (the `ChaukasClientService` an SDK calls).
//!
//! Wire- and JSON-compatible with the `chaukas-spec-client` 1.0.5 Python package:
//! same file paths, packages, names, numbers and gRPC paths, checked against the
//! published package's own descriptors by the workspace's interop tests.
//!
//! # Features
//!
//! | feature | default | what it adds |
//! | --- | --- | --- |
//! | `serde` | yes | proto3 JSON via `serde` (camelCase out, camelCase or snake_case in), from the workspace's generator (checked by Google's conformance suite) |
//! | `grpc` | yes | tonic client and server modules (`client::v1::chaukas_client_service_client` and `..._server`); re-exports `tonic` |
//! | `transport` | yes | tonic's transport (hyper, tokio): the clients' `connect(url)` constructors; without it `grpc` needs only tonic's `codegen` (bring your own channel, e.g. `Client::new(channel)`) |
//! | `validate` | yes | `common_eventing::validate::Validate` for every message, generated from the `buf.validate` rules of its `.proto` (these upstream protos carry no rules: every impl accepts everything) |
//!
//! Always there: `PROTO_FILES` / [`proto_files`] (the text of every `.proto` file of
//! the crate, for a schema registry), `common_eventing::registry::ProtoSchema` for every
//! message (file, Confluent message indexes, registration), `FILE_DESCRIPTOR_SET`, and
//! the re-exported `prost` (plus `tonic` with `grpc`).
//!
//! With `default-features = false` the crate is prost + bytes only (and
//! `common-eventing` without its features).
//!
//! # Example
//!
//! ```
//! use chaukas_spec_client::common::v1::{event, Event, EventType, MessageContent};
//! use common_eventing::wkt::Timestamp;
//! use prost::Message;
//!
//! let event = Event {
//!     event_id: "evt-1".into(),
//!     tenant_id: "acme".into(),
//!     r#type: EventType::InputReceived as i32,
//!     timestamp: Some(Timestamp { seconds: 1_700_000_000, nanos: 0 }),
//!     content: Some(event::Content::Message(MessageContent {
//!         role: "user".into(),
//!         text: "hello".into(),
//!         metadata: None,
//!     })),
//!     ..Default::default()
//! };
//! let bytes = event.encode_to_vec();
//! assert_eq!(Event::decode(bytes.as_slice()).unwrap(), event);
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

mod generated;
pub use generated::*;

// The dependencies generated code is written against, for use without adding them
// to your own Cargo.toml at matching versions.
/// The eventing spine, well-known types, framing and registry this crate builds on.
pub use common_eventing;
/// The `prost` this crate's messages implement `prost::Message` of.
pub use prost;
/// The `tonic` of this crate's clients and servers (feature `grpc`).
#[cfg(feature = "grpc")]
pub use tonic;
