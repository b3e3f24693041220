//! Rust types for the AumOS platform contract — events, models and API types — and
//! the typed events of the AumOS agent framework.
//!
//! Message names, field names, numbers and types are upstream's; enum values carry
//! their enum's prefix (`TENANT_STATUS_ACTIVE = 2`; Rust users write
//! `TenantStatus::Active`), which keeps the binary wire and fixes upstream's enum
//! value collisions. Every event message implements [`common_eventing::Eventing`]
//! (topic, schema subject, record key and idempotency key from the type).
//!
//! # Features
//!
//! | feature | default | what it adds |
//! | --- | --- | --- |
//! | `serde` | yes | proto3 JSON (the workspace's generator, checked by Google's conformance suite) for every message, `visit_messages` / `visit_events` |
//! | `envelope-metadata` | yes | constructors that fill UUIDv7 ids and the time (`AgentEnvelope::new`, [`NewEvent`]); turns on the same feature of `common-eventing` |
//! | `runtime` | no | deprecated alias of `envelope-metadata` (its name in 0.1), kept for the 0.2 release and removed in 0.3 |
//! | `validate` | yes | `common_eventing::validate::Validate` for every message, generated from the `buf.validate` rules of its `.proto` (these protos have none: every impl is empty, and the Kafka path needs them) |
//!
//! Always there: `PROTO_FILES` / [`proto_files`] (the text of every `.proto` file of
//! the crate, for a schema registry), `common_eventing::registry::ProtoSchema` for every
//! message (file, Confluent message indexes, registration), `FILE_DESCRIPTOR_SET`, and
//! the re-exported `prost`.
//!
//! With `default-features = false` the crate is prost + bytes only (and
//! `common-eventing` without its features).
#![cfg_attr(docsrs, feature(doc_cfg))]

mod generated;
pub use generated::*;

#[cfg(feature = "envelope-metadata")]
mod constructors;
mod privilege;

#[cfg(feature = "envelope-metadata")]
pub use constructors::NewEvent;

// The dependencies generated code is written against, for use without adding them
// to your own Cargo.toml at matching versions.
/// The eventing spine, well-known types, framing and registry this crate builds on.
pub use common_eventing;
/// The `prost` this crate's messages implement `prost::Message` of.
pub use prost;
