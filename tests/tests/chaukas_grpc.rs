//! gRPC both directions against real grpcio: a Python client calls our tonic server
//! (both services), and our tonic client calls a Python server.

use chaukas_spec_client::client::v1 as client;
use chaukas_spec_client::client::v1::chaukas_client_service_client::ChaukasClientServiceClient;
use chaukas_spec_client::common::v1::{
    Event, EventBatch, EventType, QueryFilter, QueryRequest, Severity, ToolCall, event,
};
use chaukas_spec_server::server::v1 as server;
use chaukas_spec_server::server::v1::chaukas_server_service_client::ChaukasServerServiceClient;
use common_eventing::wkt::{Any, Struct, Timestamp, Value};
use interop_tests::{run, script};
use tokio::io::{AsyncBufReadExt, BufReader};

/// The published grpcio stubs call the reference server (`apps/chaukas-ingest-server`,
/// the one in-memory Chaukas backend of the workspace) on both services.
#[tokio::test(flavor = "multi_thread")]
async fn python_client_calls_rust_server() {
    let config = chaukas_ingest_server::Config {
        grpc: "127.0.0.1:0".parse().unwrap(),
        http: "127.0.0.1:0".parse().unwrap(),
        ..chaukas_ingest_server::Config::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = chaukas_ingest_server::start(
        &config,
        std::sync::Arc::new(chaukas_ingest_server::store::MemoryStore::new()),
        async move {
            let _ = stopped.await;
        },
    )
    .await
    .expect("the reference server starts");
    let port = running.grpc_addr.port();

    let out = tokio::task::spawn_blocking(move || {
        let mut cmd = script("chaukas_grpc_client.py");
        cmd.arg(port.to_string());
        run(cmd)
    })
    .await
    .unwrap();
    assert!(out.contains("ok 14 calls"), "{out}");
    let _ = stop.send(());
    running.wait().await.expect("the server stops cleanly");
}

fn rich_event(id: &str, tenant: &str) -> Event {
    let args: Struct = [
        ("query", Value::from("weather in Oslo")),
        ("limit", Value::from(3.0)),
    ]
    .into_iter()
    .collect();
    Event {
        event_id: id.into(),
        tenant_id: tenant.into(),
        session_id: "s-1".into(),
        r#type: EventType::ToolCallStart as i32,
        severity: Severity::Info as i32,
        timestamp: Some(Timestamp {
            seconds: -1,
            nanos: 5,
        }),
        tags: vec!["a".into(), "ü".into()],
        content: Some(event::Content::ToolCall(ToolCall {
            id: "call-1".into(),
            name: "search".into(),
            arguments: Some(args),
            auth_required: true,
            function_name: "search_v2".into(),
        })),
        extensions: vec![Any::pack(&Timestamp {
            seconds: 7,
            nanos: 0,
        })],
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn rust_client_calls_python_server() {
    let mut child = tokio::process::Command::from(script("chaukas_grpc_server.py"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines
        .next_line()
        .await
        .unwrap()
        .expect("the Python server printed nothing");
    let port: u16 = first.strip_prefix("PORT ").expect(&first).parse().unwrap();
    let endpoint = format!("http://127.0.0.1:{port}");

    let mut srv = ChaukasServerServiceClient::connect(endpoint.clone())
        .await
        .unwrap();
    srv.healthz(server::HealthzRequest {}).await.unwrap();
    let caps = srv
        .get_capabilities(server::GetCapabilitiesRequest {})
        .await
        .unwrap()
        .into_inner()
        .capabilities
        .unwrap();
    assert!(caps.worm_retention && caps.audit_proofs && caps.sso && !caps.rbac);

    let sent = rich_event("evt-rs-1", "tenant-rs");
    let r = srv
        .ingest_event(server::IngestEventRequest {
            event: Some(sent.clone()),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (r.event_id.as_str(), r.status.as_str(), r.processed_at),
        ("evt-rs-1", "stored-by-python", 1_700_000_000_001)
    );

    let batch = EventBatch {
        batch_id: "b-7".into(),
        events: vec![
            rich_event("evt-rs-2", "tenant-rs"),
            rich_event("evt-rs-3", ""),
        ],
        ..Default::default()
    };
    let r = srv
        .ingest_event_batch(server::IngestEventBatchRequest {
            event_batch: Some(batch),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (r.batch_id.as_str(), r.accepted_count, r.rejected_count),
        ("b-7", 1, 1)
    );
    assert_eq!(r.rejected_event_ids, ["evt-rs-3"]);

    let query = QueryRequest {
        filter: Some(QueryFilter {
            tenant_id: "tenant-rs".into(),
            ..Default::default()
        }),
        page_size: 1,
        ..Default::default()
    };
    let page = srv
        .query_events(server::QueryEventsRequest {
            query: Some(query.clone()),
        })
        .await
        .unwrap()
        .into_inner()
        .response
        .unwrap();
    assert_eq!(
        page.events,
        vec![sent.clone()],
        "the event came back different"
    );
    assert_eq!(page.next_page_token, "more");

    let stats = srv
        .get_event_stats(server::GetEventStatsRequest {
            tenant_id: "tenant-rs".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stats.total_events, 2);
    assert_eq!(
        stats.events_by_type.get("EVENT_TYPE_TOOL_CALL_START"),
        Some(&2)
    );

    let err = srv
        .ingest_event(server::IngestEventRequest {
            event: Some(rich_event("evt-x", "blocked")),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), tonic::Code::PermissionDenied);
    assert_eq!(err.message(), "tenant blocked may not ingest (ünïcode)");

    // The client service on the same Python server.
    let mut cli = ChaukasClientServiceClient::connect(endpoint).await.unwrap();
    cli.healthz(client::HealthzRequest {}).await.unwrap();
    cli.ingest_event(client::IngestEventRequest {
        event: Some(rich_event("evt-rs-4", "tenant-rs")),
    })
    .await
    .unwrap();
    let all = cli
        .query_events(client::QueryEventsRequest {
            query: Some(QueryRequest {
                page_size: 0,
                ..query
            }),
        })
        .await
        .unwrap()
        .into_inner()
        .response
        .unwrap();
    let ids: Vec<_> = all.events.iter().map(|e| e.event_id.as_str()).collect();
    assert_eq!(ids, ["evt-rs-1", "evt-rs-2", "evt-rs-4"]);
    let unimplemented = cli
        .get_capabilities(client::GetCapabilitiesRequest {})
        .await
        .unwrap_err();
    assert_eq!(unimplemented.code(), tonic::Code::Unimplemented);

    drop(child.stdin.take());
    child.wait().await.unwrap();
}
