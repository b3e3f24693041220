//! Rust types for the Chaukas server spec, `chaukas.spec.server.v1`: the
//! `ChaukasServerService` a Chaukas-compatible backend implements.
//!
//! Wire- and JSON-compatible with the `chaukas-spec-server` 1.0.5 Python package. The
//! shared `chaukas.spec.common.v1` package is generated once, in `chaukas-spec-client`,
//! and re-exported here as [`common`], so an `Event` received by a server can be
//! forwarded by a client without conversion.
//!
//! Forwarding keeps fields a newer schema added, too, when the request is decoded as
//! `common_eventing::Lossless` (plain prost drops them): `Lossless<IngestEventRequest>`
//! re-reads as the client's request with `transcode`, `take_message(1, |r|
//! r.event.take())` gives the `Event` with its unknown fields, and `Lossless<M>` is a
//! `prost::Message` that tonic's `ProstCodec` can decode and send (the reference
//! ingest server, `apps/chaukas-ingest-server`, serves `IngestEvent` and `QueryEvents`
//! that way). Forwarding the received
//! bytes unchanged is the other exact path. `tests/forwarding.rs` proves both.
//!
//! # Features
//!
//! | feature | default | what it adds |
//! | --- | --- | --- |
//! | `serde` | yes | proto3 JSON via `serde`, from the workspace's own generator (checked by Google's conformance suite); turns on the client crate's `serde` |
//! | `grpc` | yes | tonic client and server modules for `ChaukasServerService`; re-exports `tonic` |
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
//! # Example: a server
//!
//! ```no_run
//! # #[cfg(feature = "grpc")]
//! # mod example {
//! use chaukas_spec_server::server::v1::chaukas_server_service_server::{
//!     ChaukasServerService, ChaukasServerServiceServer,
//! };
//! use chaukas_spec_server::server::v1::*;
//! use tonic::{Request, Response, Status};
//!
//! #[derive(Default)]
//! struct Backend;
//!
//! #[tonic::async_trait]
//! impl ChaukasServerService for Backend {
//!     async fn ingest_event(
//!         &self,
//!         request: Request<IngestEventRequest>,
//!     ) -> Result<Response<IngestEventResponse>, Status> {
//!         let event = request
//!             .into_inner()
//!             .event
//!             .ok_or_else(|| Status::invalid_argument("event is required"))?;
//!         Ok(Response::new(IngestEventResponse {
//!             event_id: event.event_id,
//!             status: "accepted".into(),
//!             processed_at: 0,
//!         }))
//!     }
//! #   async fn healthz(&self, _: Request<HealthzRequest>) -> Result<Response<HealthzResponse>, Status> { Ok(Response::new(HealthzResponse {})) }
//! #   async fn get_capabilities(&self, _: Request<GetCapabilitiesRequest>) -> Result<Response<GetCapabilitiesResponse>, Status> { Err(Status::unimplemented("")) }
//! #   async fn ingest_event_batch(&self, _: Request<IngestEventBatchRequest>) -> Result<Response<IngestEventBatchResponse>, Status> { Err(Status::unimplemented("")) }
//! #   async fn query_events(&self, _: Request<QueryEventsRequest>) -> Result<Response<QueryEventsResponse>, Status> { Err(Status::unimplemented("")) }
//! #   async fn get_event_stats(&self, _: Request<GetEventStatsRequest>) -> Result<Response<GetEventStatsResponse>, Status> { Err(Status::unimplemented("")) }
//! }
//!
//! # async fn serve() -> Result<(), Box<dyn std::error::Error>> {
//! tonic::transport::Server::builder()
//!     .add_service(ChaukasServerServiceServer::new(Backend))
//!     .serve("127.0.0.1:50051".parse()?)
//!     .await?;
//! # Ok(()) }
//! # }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

mod generated;
pub use generated::*;

/// `chaukas.spec.common.v1`, re-exported from `chaukas-spec-client` (one `Event` type).
pub use chaukas_spec_client::common;

// The dependencies generated code is written against, for use without adding them
// to your own Cargo.toml at matching versions.
/// The eventing spine, well-known types, framing and registry this crate builds on.
pub use common_eventing;
/// The `prost` this crate's messages implement `prost::Message` of.
pub use prost;
/// The `tonic` of this crate's clients and servers (feature `grpc`).
#[cfg(feature = "grpc")]
pub use tonic;

#[cfg(test)]
mod tests {
    use prost::Message;

    #[test]
    fn common_is_the_client_crates_type() {
        // One Event type: what a server receives, a client can forward unchanged.
        fn same<T>(_: T, _: T) {}
        same(
            crate::common::v1::Event::default(),
            chaukas_spec_client::common::v1::Event::default(),
        );
        // Forwarding is lossless: the server's request re-wrapped as the client's
        // encodes to the same bytes.
        let event = crate::common::v1::Event {
            event_id: "evt-1".into(),
            tags: vec!["a".into()],
            ..Default::default()
        };
        let received = crate::server::v1::IngestEventRequest { event: Some(event) };
        let forwarded = chaukas_spec_client::client::v1::IngestEventRequest {
            event: received.event.clone(),
        };
        assert_eq!(received.encode_to_vec(), forwarded.encode_to_vec());
        assert_eq!(&received.encode_to_vec()[..9], b"\x0a\x0b\x0a\x05evt-1");
    }
}
