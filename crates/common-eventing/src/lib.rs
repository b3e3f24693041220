//! The foundation every Ameide schema crate stands on.
//!
//! - [`wkt`]: the protobuf well-known types (`google.protobuf.*`), generated once for
//!   the whole workspace (`Struct`, `Value` and `ListValue` hand-written for speed)
//!   with ordered maps, so encoding is deterministic, plus their
//!   proto3 canonical JSON (feature `serde`) and `chrono` conversions (feature
//!   `chrono`). Every domain crate maps `.google.protobuf` to this module.
//! - [`Eventing`]: the trait `cargo xtask codegen` implements for every message that
//!   carries the `(ameide_core_proto.common.v1.eventing)` option ([`options::v1`]),
//!   giving stable type, stream, subject and keys from the type.
//! - Runtime helpers around it: [`framing`] (Confluent Schema Registry wire format
//!   for Protobuf), [`cloudevents`] (CloudEvents Kafka binary-mode headers),
//!   [`traceparent`] (W3C trace context), [`metadata`] (envelope metadata with
//!   UUIDv7 ids) and [`kafka`] (an event as a Kafka record; with feature `rdkafka`, a
//!   typed producer and consumer).
//! - [`mcp`]: the MCP expose option on rpc methods ([`mcp::annotations::v1`]) and,
//!   generated for every tool input and output and every event message,
//!   [`mcp::JsonSchema`]: the JSON Schema of its proto3 JSON.
//! - [`registry`]: the exact text of every `.proto` file (each crate's `PROTO_FILES`)
//!   and, for every generated message, [`registry::ProtoSchema`]: its Confluent
//!   message indexes and the registration (schema text and transitive references,
//!   named as Confluent's serializers name them) a schema registry needs.
//! - [`Lossless`]: a message together with the fields its schema does not know, at
//!   every depth, written back where they came from ([`lossless`]; the [`Known`]
//!   tables are generated for every message of every crate).
//! - [`FILE_DESCRIPTOR_SET`]: the encoded descriptors of the files generated here,
//!   for gRPC reflection and dynamic messages.
//!
//! ```
//! use common_eventing::wkt::{Struct, Timestamp, Value};
//! use prost::Message;
//!
//! let mut s = Struct::default();
//! s.insert("b", 2.0);
//! s.insert("a", "x");
//! // Map entries are encoded in key order, whatever the insertion order: the bytes are
//! // the same on every run and equal protobuf's deterministic serialization in C++,
//! // Java or Python. The first entry on the wire is "a" => "x":
//! let bytes = s.encode_to_vec();
//! assert_eq!(&bytes[..10], b"\x0a\x08\x0a\x01a\x12\x03\x1a\x01x");
//!
//! let ts = Timestamp { seconds: 1_700_000_000, nanos: 500_000_000 };
//! # #[cfg(feature = "serde")]
//! assert_eq!(serde_json::to_string(&ts).unwrap(), r#""2023-11-14T22:13:20.500Z""#);
//! ```
//!
//! # Features
//!
//! | feature | default | what it adds |
//! | --- | --- | --- |
//! | `serde` | yes | proto3 canonical JSON for the well-known types, [`JsonMessage`] and the visitors ([`visit`]), and [`json`]: the fast writer (`to_string`, `to_vec`) and the parse options of the JSON the workspace's own generator writes (its runtime is the hidden `__codegen::json`; checked by Google's conformance suite) |
//! | `chrono` | yes | conversions between `Timestamp` / `Duration` and chrono |
//! | `envelope-metadata` | yes | [`ids`] (UUIDv7), [`metadata`] ([`EnvelopeMetadata`]), [`traceparent`], [`cloudevents`], `framing::message_indexes_for` (index paths from encoded descriptors), and [`kafka::KafkaRecord`] (an event as one Kafka record, no Kafka client) |
//! | `runtime` | no | deprecated alias of `envelope-metadata` (its name in 0.1), kept for the 0.2 release and removed in 0.3 |
//! | `grpc` | no | [`grpc::Codec`], the codec of the domain crates' generated tonic services (malformed requests are `INVALID_ARGUMENT`); turned on by their `grpc` features |
//! | `rdkafka` | no | [`kafka`]'s `Producer`, `Consumer` (with `Router` and dead letters) and `MockBroker`, on `rdkafka` 0.39; librdkafka is built from source (a C compiler, `make`, `perl`) |
//! | `schema-registry-converter` | no | [`registry::Registration`] converts into `schema_registry_converter`'s `SuppliedSchema` ([`registry::ProtoSchema::supplied_schema`]), for its `post_schema`, and `kafka::SchemaIds` (each event type registered once, its id remembered); re-exports `schema_registry_converter` |
//! | `validate` | yes | [`validate`]: the `Validate` trait the generated impls implement, [`validate::Violations`] (protovalidate's rule ids, messages and field paths), [`framing::encode_valid`] / [`framing::decode_valid`]; with `grpc`, `Violations::to_status` (`INVALID_ARGUMENT` with a `google.rpc.BadRequest`, through `tonic-types`). No dependency |
//! | `simd-utf8` | yes | strings (of zero-copy [`view`]s and of generated messages' owned decode) are checked for UTF-8 with `smoothutf8` (word-at-a-time on short strings, SIMD from 128 bytes, 64 on aarch64); without it with `core::str::from_utf8` (the same answer) |
//! | `validate-pattern` | no | `validate` with `string.pattern` rules (the `regex` crate); turned on by the domain crates whose protos have a pattern |
//!
//! Always there: [`view`] (zero-copy views of every message), [`registry`] (schema texts, [`registry::ProtoSchema`],
//! registrations), [`framing`] (including the typed [`framing::encode_message`] /
//! [`framing::decode_message`]), [`Eventing`], [`OneofCase`], [`Lossless`], the well-known types,
//! and the re-exported `prost`. With `default-features = false` the crate is prost +
//! bytes only.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod generated;
pub use generated::*;

// Generated code names this crate by its absolute path, as it does in every crate.
extern crate self as common_eventing;

#[doc(hidden)]
pub mod __codegen;
#[cfg(feature = "envelope-metadata")]
pub mod cloudevents;
pub mod encode;
pub mod eventing;
pub mod framing;
#[cfg(feature = "grpc")]
pub mod grpc;
#[cfg(feature = "envelope-metadata")]
pub mod ids;
#[cfg(feature = "serde")]
pub mod json;
#[cfg(feature = "envelope-metadata")]
pub mod kafka;
pub mod lossless;
pub mod mcp;
#[cfg(feature = "envelope-metadata")]
pub mod metadata;
pub mod oneof;
pub mod registry;
#[cfg(test)]
mod test_rng;
#[cfg(feature = "envelope-metadata")]
pub mod traceparent;
#[cfg(feature = "validate")]
pub mod validate;
pub mod view;
#[cfg(feature = "serde")]
pub mod visit;
pub mod wkt;

#[cfg(feature = "envelope-metadata")]
pub use cloudevents::{CloudEventAttributes, CloudEventError};
pub use eventing::{Eventing, KEY_SEPARATOR};
pub use framing::{Framed, FramedBytes, FramingError};
pub use lossless::{Known, Lossless};
#[cfg(feature = "envelope-metadata")]
pub use metadata::{EnvelopeMetadata, MetadataError};
pub use oneof::OneofCase;
#[cfg(feature = "envelope-metadata")]
pub use traceparent::{TraceParent, TraceParentError};
#[cfg(all(feature = "serde", feature = "validate"))]
pub use visit::EventVisitor;
#[cfg(feature = "serde")]
pub use visit::{JsonMessage, MessageVisitor, RegisterAny};

/// The crate README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

// The dependencies generated code is written against, for use without adding them
// to your own Cargo.toml at matching versions.
/// The `prost` this crate's messages implement `prost::Message` of.
pub use prost;
/// The registry client [`registry::Registration`] converts to (feature
/// `schema-registry-converter`).
#[cfg(feature = "schema-registry-converter")]
pub use schema_registry_converter;
