//! The ingest server against hostile callers: what a probe from outside the test suite
//! found, one regression test per finding (issue 26).

use chaukas_ingest_server::Config;
use chaukas_ingest_server::store::{EventStore as _, Limits, MemoryStore};
use chaukas_spec_client::client::v1 as client;
use chaukas_spec_client::common::v1::{
    Event, EventBatch, MessageContent, QueryFilter, QueryRequest, QueryResponse, SortOrder, event,
};
use chaukas_spec_server::server::v1 as server;
use common_eventing::Lossless;
use common_eventing::wkt::Timestamp;
use interop_tests::h2_probe;
use interop_tests::ingest_stack::{PROTOBUF, STEP, TestServer, http, loopback, nested, req};
use prost::Message as _;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
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

fn event(id: &str, tenant: &str, seconds: i64, text_bytes: usize) -> Event {
    Event {
        event_id: id.into(),
        tenant_id: tenant.into(),
        timestamp: Some(Timestamp { seconds, nanos: 0 }),
        content: Some(event::Content::Message(MessageContent {
            text: "x".repeat(text_bytes),
            ..Default::default()
        })),
        ..Default::default()
    }
}

fn query(tenant: &str, page_size: i32, page_token: String) -> server::QueryEventsRequest {
    server::QueryEventsRequest {
        query: Some(QueryRequest {
            filter: Some(QueryFilter {
                tenant_id: tenant.into(),
                ..Default::default()
            }),
            page_size,
            page_token,
            order_by_time: SortOrder::Asc as i32,
        }),
    }
}

type Client =
    server::chaukas_server_service_client::ChaukasServerServiceClient<tonic::transport::Channel>;

/// Ingests `e` over gRPC (`ChaukasServerService/IngestEvent`).
async fn ingest(cli: &mut Client, e: Event) -> Result<(), tonic::Status> {
    let request = req(server::IngestEventRequest { event: Some(e) }, None, None);
    cli.ingest_event(request).await.map(drop)
}

/// `status` has `code` and names `flag`.
fn assert_refused(status: &tonic::Status, code: Code, flag: &str) {
    assert_eq!(status.code(), code, "{status:?}");
    assert!(status.message().contains(flag), "{status:?}");
}

/// Row 3: `QueryEvents{page_size: 1000}` over events of ~1 MiB built an answer of
/// every one of them, which a client with the default 4 MiB limit refuses. Now a
/// page ends at the answer budget, with a token, and a default client pages through
/// everything stored, each event once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_default_client_pages_through_large_events() {
    let server = TestServer::open().await;
    let mut cli = server.server_client().await;
    let sent: Vec<Event> = (0..9)
        .map(|i| event(&format!("big-{i}"), "t", 100 + i, 1 << 20))
        .collect();
    for e in &sent {
        ingest(&mut cli, e.clone()).await.unwrap();
    }
    let (mut got, mut token, mut pages) = (Vec::new(), String::new(), 0);
    loop {
        // A default client: tonic's 4 MiB decoding limit.
        let answer = cli
            .query_events(req(query("t", 1000, token), None, None))
            .await
            .unwrap_or_else(|s| panic!("page {pages}: {s:?}"))
            .into_inner();
        let page = answer.response.unwrap();
        assert!(!page.events.is_empty(), "page {pages} is empty");
        got.extend(page.events);
        pages += 1;
        token = page.next_page_token;
        if token.is_empty() {
            break;
        }
    }
    assert_eq!(got, sent);
    assert_eq!(pages, 3, "three 1 MiB events fit in a 4 MiB answer");
    server.stop().await.unwrap();
}

/// Row 3: a small answer budget cuts pages by bytes, and an event that alone would
/// not fit in an answer is refused at ingest (it could never be read back).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_end_at_the_answer_budget_and_oversized_events_are_refused() {
    let config = Config {
        max_answer_bytes: 10_000,
        ..loopback()
    };
    let server = TestServer::with_config(&config).await;
    let mut cli = server.server_client().await;
    for i in 0..20 {
        ingest(&mut cli, event(&format!("e{i}"), "t", i, 3_000))
            .await
            .unwrap();
    }
    let status = ingest(&mut cli, event("too-big", "t", 99, 10_000))
        .await
        .unwrap_err();
    assert_refused(&status, Code::InvalidArgument, "--max-answer-bytes");

    let (mut ids, mut sizes, mut token) = (Vec::new(), Vec::new(), String::new());
    loop {
        let page = cli
            .query_events(req(query("t", 1000, token), None, None))
            .await
            .unwrap()
            .into_inner()
            .response
            .unwrap();
        let encoded = QueryResponse {
            events: page.events.clone(),
            next_page_token: page.next_page_token.clone(),
        }
        .encoded_len();
        assert!(encoded <= 10_000, "an answer of {encoded} bytes");
        sizes.push(page.events.len());
        ids.extend(page.events.into_iter().map(|e| e.event_id));
        token = page.next_page_token;
        if token.is_empty() {
            break;
        }
    }
    // About 3 KB an event: three fit in 10 KB, with the token.
    assert_eq!(sizes, [3, 3, 3, 3, 3, 3, 2]);
    let want: Vec<String> = (0..20).map(|i| format!("e{i}")).collect();
    assert_eq!(ids, want);
    server.stop().await.unwrap();
}

/// Row 3: the store has caps, per tenant and in all; past one, ingest is refused
/// (`RESOURCE_EXHAUSTED`, HTTP 507) naming the cap, other tenants go on, nothing is
/// evicted, and re-sending a stored event is still a success.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_store_refuses_and_never_evicts() {
    let config = Config {
        limits: Limits {
            max_events: 5,
            max_bytes: 1 << 20,
            max_tenant_events: 3,
            max_tenant_bytes: 1 << 20,
            ..Limits::default()
        },
        ..loopback()
    };
    let server = TestServer::with_config(&config).await;
    let mut cli = server.server_client().await;
    for i in 0..3 {
        ingest(&mut cli, event(&format!("a{i}"), "a", i, 10))
            .await
            .unwrap();
    }
    let status = ingest(&mut cli, event("a3", "a", 3, 10)).await.unwrap_err();
    assert_refused(&status, Code::ResourceExhausted, "--max-tenant-events");
    // Idempotent re-send of a stored event: still accepted.
    ingest(&mut cli, event("a0", "a", 0, 10)).await.unwrap();
    for i in 0..2 {
        ingest(&mut cli, event(&format!("b{i}"), "b", i, 10))
            .await
            .unwrap();
    }
    // Over HTTP too, and the total cap this time.
    let body = client::IngestEventRequest {
        event: Some(event("c0", "c", 0, 10)),
    }
    .encode_to_vec();
    let r = http(server.http, "POST", "/v1/events", &[PROTOBUF], &body).await;
    assert_eq!(r.status, 507, "{r:?}");
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("--max-events"),
        "{r:?}"
    );
    // Nothing was evicted.
    let page = cli
        .query_events(req(query("", 1000, String::new()), None, None))
        .await
        .unwrap()
        .into_inner()
        .response
        .unwrap();
    let ids: Vec<_> = page.events.iter().map(|e| e.event_id.as_str()).collect();
    assert_eq!(ids, ["a0", "b0", "a1", "b1", "a2"]);
    server.stop().await.unwrap();
}

/// Row 5: a scan over the whole store (a `text_query` that matches nothing, and
/// `GetEventStats`) ran on the async workers under the store lock, so ingest and
/// health waited for it. On a one-worker runtime, both now answer while the scans
/// are still running.
#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn scans_leave_ingest_and_health_running() {
    let store = Arc::new(MemoryStore::new());
    for i in 0..200_000 {
        let e = event(&format!("e{i}"), "t", i, 20);
        store.insert(Lossless::from(e)).await.unwrap();
    }
    let config = loopback();
    let server = TestServer::with_store(&config, store).await;
    let mut scanning = Vec::new();
    for n in 0..4 {
        let mut cli = server.server_client().await;
        scanning.push(tokio::spawn(async move {
            if n % 2 == 0 {
                let mut q = query("t", 10, String::new());
                let filter = q.query.as_mut().unwrap().filter.as_mut().unwrap();
                filter.text_query = "matches nothing".into();
                let page = cli.query_events(req(q, None, None)).await.unwrap();
                assert!(page.into_inner().response.unwrap().events.is_empty());
            } else {
                let stats = server::GetEventStatsRequest {
                    tenant_id: "t".into(),
                    ..Default::default()
                };
                let stats = cli.get_event_stats(req(stats, None, None)).await.unwrap();
                // The event ingested during the scans may or may not be counted.
                let total = stats.into_inner().total_events;
                assert!((200_000..=200_001).contains(&total), "{total}");
            }
        }));
    }
    // Let the scans start.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let r = http(server.http, "GET", "/healthz", &[], b"").await;
    assert_eq!(r.status, 200, "{r:?}");
    let mut cli = server.server_client().await;
    ingest(&mut cli, event("during-scan", "t", 1, 20))
        .await
        .unwrap();
    let still_scanning = scanning.iter().filter(|s| !s.is_finished()).count();
    assert!(
        still_scanning > 0,
        "every scan ended before health and ingest answered"
    );
    for scan in scanning {
        scan.await.unwrap();
    }
    server.stop().await.unwrap();
}

/// A server whose connection limits are small enough to reach in a test.
async fn tight_server() -> TestServer {
    let config = Config {
        read_timeout: Duration::from_millis(300),
        request_timeout: Duration::from_millis(300),
        max_concurrent_streams: 7,
        max_header_bytes: 8 * 1024,
        ..loopback()
    };
    TestServer::with_config(&config).await
}

fn grpc_request(addr: std::net::SocketAddr, header: usize) -> http::Request<()> {
    http::Request::builder()
        .method("POST")
        .uri(format!(
            "http://{addr}/chaukas.spec.server.v1.ChaukasServerService/IngestEvent"
        ))
        .header("content-type", "application/grpc")
        .header("te", "trailers")
        .header("x-padding", "p".repeat(header))
        .body(())
        .unwrap()
}

/// Row 8: 1,000 header-only streams on each of 50 connections held memory without
/// bound. The server now advertises a stream limit per connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grpc_connections_have_a_stream_limit() {
    let server = tight_server().await;
    let (_send, conn) = h2_probe::settled(server.grpc).await;
    assert_eq!(conn.max_concurrent_send_streams(), 7);
    server.stop().await.unwrap();
}

/// Row 8: a gRPC request's header list is bounded (`--max-header-bytes`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grpc_header_lists_are_bounded() {
    let server = tight_server().await;
    let (send, conn) = h2_probe::settled(server.grpc).await;
    tokio::spawn(conn);
    let mut send = send.ready().await.unwrap();
    // Within the limit: the call reaches the service (and fails there: no body).
    let (answer, _) = send
        .send_request(grpc_request(server.grpc, 2 * 1024), true)
        .unwrap();
    let answer = tokio::time::timeout(STEP, answer).await.unwrap().unwrap();
    assert_eq!(answer.status(), 200);
    // Past it: refused before any service sees it.
    let mut send = send.ready().await.unwrap();
    let refused = match send.send_request(grpc_request(server.grpc, 12 * 1024), true) {
        Err(e) => e.to_string(),
        Ok((answer, _)) => match tokio::time::timeout(STEP, answer).await.unwrap() {
            Err(e) => e.to_string(),
            Ok(r) => format!("status {}", r.status()),
        },
    };
    assert!(
        refused.contains("431") || refused.contains("header") || refused.contains("REFUSED"),
        "a 12 KiB header list was not refused: {refused}"
    );
    server.stop().await.unwrap();
}

/// Row 8: a gRPC call whose body never comes is cancelled after the request
/// timeout, instead of holding its stream forever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grpc_call_without_a_body_is_cancelled() {
    let server = tight_server().await;
    let (send, conn) = h2_probe::settled(server.grpc).await;
    tokio::spawn(conn);
    let mut send = send.ready().await.unwrap();
    // Headers only: the stream stays open, the body never comes.
    let (answer, _body) = send
        .send_request(grpc_request(server.grpc, 0), false)
        .unwrap();
    let answer = tokio::time::timeout(STEP, answer)
        .await
        .expect("no answer: the call is held open")
        .unwrap();
    let status = answer
        .headers()
        .get("grpc-status")
        .map(|v| v.to_str().unwrap().to_owned());
    assert!(
        status.as_deref().is_some_and(|s| s != "0"),
        "{:?}",
        answer.headers()
    );
    server.stop().await.unwrap();
}

/// Row 8: slow clients (a connection that sends nothing, or a request line without
/// its headers) are disconnected after the read timeout, on both ports.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_and_slow_connections_are_closed() {
    let server = tight_server().await;
    for (addr, sent) in [
        (server.grpc, &b""[..]),
        (server.http, &b"GET /healthz HTTP/1.1\r\nhost: x\r\n"[..]),
        (server.http, &b""[..]),
    ] {
        let mut tcp = TcpStream::connect(addr).await.unwrap();
        tcp.write_all(sent).await.unwrap();
        // The server may write first (HTTP/2 SETTINGS, an HTTP/1 408), then closes.
        let mut seen = Vec::new();
        let _ = tokio::time::timeout(STEP, tcp.read_to_end(&mut seen))
            .await
            .unwrap_or_else(|_| panic!("{addr} kept a silent connection open"));
    }
    // A normal request still works.
    let r = http(server.http, "GET", "/healthz", &[], b"").await;
    assert_eq!(r.status, 200, "{r:?}");
    server.stop().await.unwrap();
}
