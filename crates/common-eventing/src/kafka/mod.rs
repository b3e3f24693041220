//! Events on Kafka: [`KafkaRecord`] (feature `envelope-metadata`, no Kafka client),
//! and with feature `rdkafka` a typed `Producer` and `Consumer` built on
//! [`rdkafka`](https://docs.rs/rdkafka) with dead-lettering, and `MockBroker`
//! (librdkafka's mock cluster) for tests and local development. With feature
//! `schema-registry-converter`, `SchemaIds` registers each event type's schema once and
//! gives its id.
//!
//! A record is what confluent-kafka's `SerializingProducer` with `ProtobufSerializer`
//! writes (the same key, the same Confluent-framed value, byte for byte), plus the
//! CloudEvents binary-mode headers, so a consumer can tell the event type before
//! decoding:
//!
//! | part | content |
//! | --- | --- |
//! | topic | the event's `STREAM_REF` (its eventing option), unless overridden |
//! | key | the partition key (`Eventing::partition_key`), UTF-8 |
//! | headers | `ce_specversion`, `ce_id`, `ce_type` (`STABLE_TYPE`), `ce_source`, `ce_time`, `content-type`, `traceparent`, `tracestate` |
//! | value | `framing::encode_message`: magic byte, schema id, message indexes, the message |

#[cfg(feature = "rdkafka")]
mod consumer;
#[cfg(feature = "rdkafka")]
pub mod dead_letter;
#[cfg(feature = "rdkafka")]
mod mock;
#[cfg(feature = "rdkafka")]
mod producer;
mod record;
#[cfg(feature = "rdkafka")]
mod router;
#[cfg(feature = "schema-registry-converter")]
mod schema_ids;

#[cfg(feature = "rdkafka")]
pub use consumer::{ConsumeError, Consumer, Outcome};
#[cfg(feature = "rdkafka")]
pub use mock::MockBroker;
#[cfg(feature = "rdkafka")]
pub use producer::{Delivery, ProduceError, ProduceErrorCause, Producer};
/// The `rdkafka` the producer and consumer are built on (feature `rdkafka`).
#[cfg(feature = "rdkafka")]
pub use rdkafka;
pub use record::{KafkaRecord, RecordError, RecordOptions, RecordRef, default_source};
#[cfg(feature = "rdkafka")]
pub use router::{HandlerError, Received, Router};
#[cfg(feature = "schema-registry-converter")]
pub use schema_ids::SchemaIds;
