//! The ingest server against hostile callers: what a probe from outside the test suite
//! found, one regression test per finding (issue 26).

use chaukas_spec_client::client::v1 as client;
use chaukas_spec_client::common::v1::EventBatch;
use chaukas_spec_server::server::v1 as server;
use interop_tests::ingest_stack::{PROTOBUF, TestServer, http, nested, req};
use prost::Message as _;
use tonic::Code;

/// Row 1: `Any`s of `Event`s inside each other, 600 levels deep, aborted the process
/// on every binary route. Each route now refuses the event, and the server lives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nested_any_events_are_refused_on_every_binary_route() {
    let server = TestServer::open().await;
    let deep = nested(600);
    let shallow = nested(5);

    let body = client::IngestEventRequest {
        event: Some(deep.clone()),
    }
    .encode_to_vec();
    let r = http(server.http, "POST", "/v1/events", &[PROTOBUF], &body).await;
    assert_eq!(r.status, 400, "{r:?}");
    let message = r.json()["message"].as_str().unwrap().to_owned();
    assert!(message.contains("depth limit of 100"), "{message}");
    assert!(message.len() < 1024, "{} bytes: {message}", message.len());

    let batch = |event| client::IngestEventBatchRequest {
        event_batch: Some(EventBatch {
            events: vec![event],
            ..Default::default()
        }),
    };
    let r = http(
        server.http,
        "POST",
        "/v1/events/batch",
        &[PROTOBUF],
        &batch(deep.clone()).encode_to_vec(),
    )
    .await;
    assert_eq!(r.status, 202, "{r:?}");
    assert_eq!(r.json()["rejectedCount"], 1, "{r:?}");

    let status = server
        .server_client()
        .await
        .ingest_event(req(
            server::IngestEventRequest {
                event: Some(deep.clone()),
            },
            None,
            None,
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    let status = server
        .client_client()
        .await
        .ingest_event(req(
            client::IngestEventRequest {
                event: Some(deep.clone()),
            },
            None,
            None,
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");

    // Still serving, and a chain within the limit is stored.
    let r = http(server.http, "GET", "/healthz", &[], b"").await;
    assert_eq!(r.status, 200, "{r:?}");
    let body = client::IngestEventRequest {
        event: Some(shallow),
    }
    .encode_to_vec();
    let r = http(server.http, "POST", "/v1/events", &[PROTOBUF], &body).await;
    assert_eq!(r.status, 202, "{r:?}");
    server.stop().await.unwrap();
}
