//! The reference ingest server (`apps/chaukas-ingest-server`) against the published
//! Python SDK, a Python reflection client, and its own contract: query filters,
//! paging under concurrent ingest, duplicates, rejected events, bad input, auth on and
//! off, and shutdown.
//!
//! The server's library is a dependency of this crate and is served in-process on
//! `127.0.0.1:0`, rather than building and spawning its binary: a nested
//! `cargo build` from inside `cargo test --workspace` would contend for the build
//! directory lock, while the library is always current and stops with each test.

use chaukas_ingest_server as ingest_server;

use base64::Engine as _;
use chaukas_spec_client::client::v1 as client;
use chaukas_spec_client::common::v1::{
    Event, EventBatch, EventStatus, EventType, MessageContent, QueryFilter, QueryRequest,
    QueryResponse, Severity, SortOrder, TimeRange, ToolCall, event,
};
use chaukas_spec_server::server::v1 as server;
use chaukas_spec_server::server::v1::chaukas_server_service_client::ChaukasServerServiceClient;
use common_eventing::Lossless;
use common_eventing::wkt::{Any, Struct, Timestamp, Value};
use ingest_server::store::{EventStore, Inserted, MemoryStore, QueryPage, StoreError};
use ingest_server::{Config, DEFAULT_MAX_BODY_BYTES};
use interop_tests::script;
use prost::Message as _;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;
use tonic::Code;
use tonic::transport::Channel;

use interop_tests::ingest_stack::{JSON, PROTOBUF, STEP, TestServer, http, req};

/// Runs a script of tests/python with a deadline; its stdout, or a panic with its output.
async fn python(name: &str, args: &[String], env: &[(&str, String)]) -> String {
    let mut cmd = tokio::process::Command::from(script(name));
    cmd.args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    let out = tokio::time::timeout(Duration::from_secs(180), cmd.output())
        .await
        .unwrap_or_else(|_| panic!("{name} timed out"))
        .unwrap_or_else(|e| panic!("starting {name}: {e}"));
    interop_tests::stdout_of(name, out)
}

fn ts(seconds: i64) -> Option<Timestamp> {
    Some(Timestamp { seconds, nanos: 0 })
}

fn message(text: &str) -> Option<event::Content> {
    Some(event::Content::Message(MessageContent {
        role: "user".into(),
        text: text.into(),
        metadata: None,
    }))
}

fn ev(id: &str, tenant: &str, seconds: i64) -> Event {
    Event {
        event_id: id.into(),
        tenant_id: tenant.into(),
        session_id: "s".into(),
        r#type: EventType::System as i32,
        timestamp: ts(seconds),
        ..Default::default()
    }
}

fn ids(events: &[Event]) -> Vec<&str> {
    events.iter().map(|e| e.event_id.as_str()).collect()
}

async fn query(
    cli: &mut ChaukasServerServiceClient<Channel>,
    query: QueryRequest,
) -> Result<QueryResponse, tonic::Status> {
    cli.query_events(req(
        server::QueryEventsRequest { query: Some(query) },
        None,
        None,
    ))
    .await
    .map(|r| r.into_inner().response.unwrap())
}

/// Every event a query matches, following page tokens (at most 100 pages).
async fn query_all(
    cli: &mut ChaukasServerServiceClient<Channel>,
    key: Option<&str>,
    tenant: Option<&str>,
    mut q: QueryRequest,
) -> Vec<Event> {
    let mut all = Vec::new();
    for _ in 0..100 {
        let page = cli
            .query_events(req(
                server::QueryEventsRequest {
                    query: Some(q.clone()),
                },
                key,
                tenant,
            ))
            .await
            .unwrap()
            .into_inner()
            .response
            .unwrap();
        all.extend(page.events);
        if page.next_page_token.is_empty() {
            return all;
        }
        q.page_token = page.next_page_token;
    }
    panic!("more than 100 pages");
}

fn tenant_filter(tenant: &str) -> QueryRequest {
    QueryRequest {
        filter: Some(QueryFilter {
            tenant_id: tenant.into(),
            ..Default::default()
        }),
        order_by_time: SortOrder::Asc as i32,
        ..Default::default()
    }
}

/// Runs chaukas_sdk_e2e.py (the real SDK) against `server`; returns the events it sent.
async fn sdk_round_trip(server: &TestServer, key: &str, tenant: &str, auth: bool) -> Vec<Event> {
    let mut args = vec![server.grpc.to_string()];
    if auth {
        args.push("--auth".into());
    }
    let env = [
        ("CHAUKAS_ENDPOINT", format!("http://{}/v1", server.http)),
        ("CHAUKAS_API_KEY", key.to_string()),
        ("CHAUKAS_TENANT_ID", tenant.to_string()),
        ("CHAUKAS_PROJECT_ID", "proj-e2e".to_string()),
        ("CHAUKAS_TIMEOUT", "20".to_string()),
    ];
    let out = python("chaukas_sdk_e2e.py", &args, &env).await;
    let sent: Vec<Event> = out
        .lines()
        .filter_map(|l| l.strip_prefix("SENT "))
        .map(|b64| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap();
            Event::decode(bytes.as_slice()).unwrap()
        })
        .collect();
    assert!(out.contains(&format!("ok {} events", sent.len())), "{out}");
    assert_eq!(sent.len(), 12, "{out}");
    sent
}

/// What the Rust client reads back equals, field by field, what the SDK sent.
async fn assert_stored_exactly(
    server: &TestServer,
    key: Option<&str>,
    tenant: &str,
    sent: &[Event],
) {
    let mut cli = server.server_client().await;
    let got = query_all(&mut cli, key, Some(tenant), tenant_filter(tenant)).await;
    let got: BTreeMap<&str, &Event> = got.iter().map(|e| (e.event_id.as_str(), e)).collect();
    let sent: BTreeMap<&str, &Event> = sent.iter().map(|e| (e.event_id.as_str(), e)).collect();
    assert_eq!(got, sent);
    let types: BTreeSet<i32> = sent.values().map(|e| e.r#type).collect();
    assert!(types.len() >= 10, "the SDK run covers many event types");
    assert!(
        sent.values()
            .all(|e| e.tenant_id == tenant && e.project_id == "proj-e2e")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn chaukas_sdk_posts_over_http_and_events_read_back_over_grpc() {
    let server = TestServer::open().await;
    let sent = sdk_round_trip(&server, "any-key", "tenant-sdk", false).await;
    assert_stored_exactly(&server, None, "tenant-sdk", &sent).await;

    let mut cli = server.server_client().await;
    let stats = cli
        .get_event_stats(req(
            server::GetEventStatsRequest {
                tenant_id: "tenant-sdk".into(),
                ..Default::default()
            },
            None,
            None,
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stats.total_events, 12, "the re-sent event is stored once");
    assert_eq!(
        stats.events_by_type.get("EVENT_TYPE_SESSION_START"),
        Some(&1)
    );
    assert!(stats.total_sessions >= 1);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn chaukas_sdk_with_api_key() {
    let server = TestServer::start(Some("s3cret"), DEFAULT_MAX_BODY_BYTES).await;
    // The script also checks that a wrong key gets 401 and stores nothing.
    let sent = sdk_round_trip(&server, "s3cret", "tenant-auth", true).await;
    assert_stored_exactly(&server, Some("s3cret"), "tenant-auth", &sent).await;
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn reflection_lists_services_and_resolves_event() {
    // Auth on: reflection and health stay open, like probes and grpcurl expect.
    let server = TestServer::start(Some("k"), DEFAULT_MAX_BODY_BYTES).await;
    let out = python(
        "chaukas_reflection_client.py",
        &[server.grpc.to_string()],
        &[],
    )
    .await;
    assert!(out.contains("ok reflection"), "{out}");
    for service in [
        "service chaukas.spec.client.v1.ChaukasClientService",
        "service chaukas.spec.server.v1.ChaukasServerService",
        "service grpc.health.v1.Health",
    ] {
        assert!(out.contains(service), "{out}");
    }

    // grpc.reflection.v1, what grpcurl asks first (grpcio-reflection only speaks v1alpha).
    {
        use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
        use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
        use tonic_reflection::pb::v1::{
            ServerReflectionRequest, server_reflection_client::ServerReflectionClient,
        };
        let ask = |r| ServerReflectionRequest {
            host: String::new(),
            message_request: Some(r),
        };
        let requests = tokio_stream::iter([
            ask(MessageRequest::ListServices(String::new())),
            ask(MessageRequest::FileContainingSymbol(
                "chaukas.spec.server.v1.ChaukasServerService".into(),
            )),
        ]);
        let mut reflection = ServerReflectionClient::new(server.channel().await);
        let mut stream = reflection
            .server_reflection_info(requests)
            .await
            .unwrap()
            .into_inner();
        let mut answers = Vec::new();
        for _ in 0..2 {
            let answer = tokio::time::timeout(STEP, stream.message()).await.unwrap();
            answers.push(answer.unwrap().unwrap().message_response.unwrap());
        }
        let [
            MessageResponse::ListServicesResponse(list),
            MessageResponse::FileDescriptorResponse(files),
        ] = &answers[..]
        else {
            panic!("unexpected reflection answers: {answers:?}");
        };
        let names: BTreeSet<&str> = list.service.iter().map(|s| s.name.as_str()).collect();
        assert!(
            names.contains("chaukas.spec.server.v1.ChaukasServerService"),
            "{names:?}"
        );
        assert!(
            names.contains("grpc.reflection.v1.ServerReflection"),
            "{names:?}"
        );
        let file =
            prost_types::FileDescriptorProto::decode(&files.file_descriptor_proto[0][..]).unwrap();
        assert_eq!(file.name(), "chaukas/spec/server/v1/server.proto");
        assert_eq!(file.service[0].method.len(), 6);
    }

    let mut health = tonic_health::pb::health_client::HealthClient::new(server.channel().await);
    for service in [
        "",
        "chaukas.spec.server.v1.ChaukasServerService",
        "chaukas.spec.client.v1.ChaukasClientService",
    ] {
        let status = health
            .check(tonic_health::pb::HealthCheckRequest {
                service: service.into(),
            })
            .await
            .unwrap()
            .into_inner()
            .status;
        assert_eq!(
            status,
            tonic_health::pb::health_check_response::ServingStatus::Serving as i32,
            "{service:?}"
        );
    }
    server.stop().await.unwrap();
}

/// Five tenant-t events (one without timestamp) and one of another tenant.
fn filter_fixture() -> Vec<Event> {
    let mut a = ev("a", "t", 1000);
    a.project_id = "p1".into();
    a.session_id = "s1".into();
    a.agent_id = "ag1".into();
    a.span_id = "sp1".into();
    a.trace_id = "tr1".into();
    a.r#type = EventType::InputReceived as i32;
    a.status = EventStatus::Completed as i32;
    a.severity = Severity::Info as i32;
    a.tags = vec!["x".into(), "y".into()];
    a.content = message("What is the weather in Oslo?");

    let mut b = ev("b", "t", 2000);
    b.project_id = "p2".into();
    b.session_id = "s1".into();
    b.agent_id = "ag2".into();
    b.span_id = "sp2".into();
    b.trace_id = "tr1".into();
    b.r#type = EventType::ToolCallStart as i32;
    b.status = EventStatus::Started as i32;
    b.severity = Severity::Debug as i32;
    b.tags = vec!["x".into()];
    b.content = Some(event::Content::ToolCall(ToolCall {
        name: "oslo-weather".into(), // not message text: text_query must not match it
        arguments: Some(
            [("city", Value::from("Oslo"))]
                .into_iter()
                .collect::<Struct>(),
        ),
        ..Default::default()
    }));

    let mut c = ev("c", "t", 3000);
    c.project_id = "p1".into();
    c.session_id = "s2".into();
    c.agent_id = "ag1".into();
    c.span_id = "sp3".into();
    c.trace_id = "tr2".into();
    c.r#type = EventType::Error as i32;
    c.status = EventStatus::Failed as i32;
    c.severity = Severity::Error as i32;
    c.tags = vec!["y".into()];
    c.content = message("OSLO lookup timed out");

    let mut d = ev("d", "other", 1500);
    d.content = message("Oslo");

    // No timestamp: sorted (and time-filtered) by its ingest time, i.e. now.
    let mut e = ev("e", "t", 0);
    e.timestamp = None;
    e.session_id = String::new();
    vec![a, b, c, d, e]
}

#[tokio::test(flavor = "multi_thread")]
async fn query_filter_honours_every_field() {
    let server = TestServer::open().await;
    let mut cli = server.server_client().await;
    for e in filter_fixture() {
        cli.ingest_event(req(
            server::IngestEventRequest { event: Some(e) },
            None,
            None,
        ))
        .await
        .unwrap();
    }
    // A tenant-t query, oldest first, with one edit of the filter.
    let t = |edit: &dyn Fn(&mut QueryFilter)| {
        let mut filter = QueryFilter {
            tenant_id: "t".into(),
            ..Default::default()
        };
        edit(&mut filter);
        QueryRequest {
            filter: Some(filter),
            order_by_time: SortOrder::Asc as i32,
            ..Default::default()
        }
    };
    let range = |start, end| Some(TimeRange { start, end });
    let (debug, error) = (Severity::Debug as i32, Severity::Error as i32);
    let (tool_start, error_type) = (EventType::ToolCallStart as i32, EventType::Error as i32);
    let completed = EventStatus::Completed as i32;
    let cases: Vec<(&str, QueryRequest, &[&str])> = vec![
        ("tenant", t(&|_| {}), &["a", "b", "c", "e"]),
        ("project", t(&|f| f.project_id = "p1".into()), &["a", "c"]),
        ("session", t(&|f| f.session_id = "s1".into()), &["a", "b"]),
        ("agent", t(&|f| f.agent_id = "ag1".into()), &["a", "c"]),
        ("span", t(&|f| f.span_id = "sp2".into()), &["b"]),
        ("trace", t(&|f| f.trace_id = "tr2".into()), &["c"]),
        (
            "types",
            t(&|f| f.types = vec![tool_start, error_type]),
            &["b", "c"],
        ),
        ("statuses", t(&|f| f.statuses = vec![completed]), &["a"]),
        (
            "severities",
            t(&|f| f.severities = vec![debug, error]),
            &["b", "c"],
        ),
        ("one tag", t(&|f| f.tags = vec!["x".into()]), &["a", "b"]),
        (
            "all tags",
            t(&|f| f.tags = vec!["x".into(), "y".into()]),
            &["a"],
        ),
        // Case-insensitive, message text only (b's tool call says "oslo" too).
        ("text", t(&|f| f.text_query = "oslo".into()), &["a", "c"]),
        (
            "time [start, end)",
            t(&|f| f.time = range(ts(2000), ts(3000))),
            &["b"],
        ),
        (
            "time from",
            t(&|f| f.time = range(ts(2000), None)),
            &["b", "c", "e"],
        ),
        ("time until", t(&|f| f.time = range(None, ts(2000))), &["a"]),
        (
            "combined",
            t(&|f| {
                f.project_id = "p1".into();
                f.severities = vec![error];
                f.text_query = "Oslo".into();
            }),
            &["c"],
        ),
        (
            "newest first by default",
            QueryRequest {
                order_by_time: SortOrder::Unspecified as i32,
                ..t(&|_| {})
            },
            &["e", "c", "b", "a"],
        ),
        (
            "no tenant without auth: every tenant",
            QueryRequest {
                order_by_time: SortOrder::Asc as i32,
                ..Default::default()
            },
            &["a", "d", "b", "c", "e"],
        ),
    ];
    for (name, q, want) in cases {
        let got = query_all(&mut cli, None, None, q).await;
        assert_eq!(ids(&got), want, "{name}");
    }

    // The same over HTTP, proto3 JSON in snake_case and camelCase, enums by name.
    for body in [
        r#"{"filter": {"tenant_id": "t", "types": ["EVENT_TYPE_ERROR", "EVENT_TYPE_INPUT_RECEIVED"],
            "time": {"start": "1970-01-01T00:00:01Z"}}, "order_by_time": "SORT_ORDER_DESC"}"#,
        r#"{"filter": {"tenantId": "t", "types": [40, "EVENT_TYPE_INPUT_RECEIVED"],
            "time": {"start": "1970-01-01T00:00:01Z"}}, "orderByTime": "SORT_ORDER_DESC"}"#,
    ] {
        let r = http(server.http, "POST", "/v1/query", &[JSON], body.as_bytes()).await;
        assert_eq!(r.status, 200, "{r:?}");
        let got: QueryResponse = serde_json::from_value(r.json()).unwrap();
        assert_eq!(ids(&got.events), ["c", "a"], "{body}");
    }

    let stats = cli
        .get_event_stats(req(
            server::GetEventStatsRequest {
                tenant_id: "t".into(),
                ..Default::default()
            },
            None,
            None,
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stats.total_events, 4);
    assert_eq!(stats.total_sessions, 2, "s1 and s2; e has no session");
    assert_eq!(stats.events_by_type.get("EVENT_TYPE_SYSTEM"), Some(&1));
    assert_eq!(stats.events_by_type.get("EVENT_TYPE_ERROR"), Some(&1));
    // s1 spans 1000 s, s2 is a single event.
    assert_eq!(stats.avg_session_duration_ms, 500_000.0);
    let stats = cli
        .get_event_stats(req(
            server::GetEventStatsRequest {
                tenant_id: "t".into(),
                project_id: "p1".into(),
                time_range: Some(TimeRange {
                    start: ts(1000),
                    end: ts(3000),
                }),
            },
            None,
            None,
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stats.total_events, 1, "only a: p1 and before 3000");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_stay_correct_while_events_keep_arriving() {
    let server = TestServer::open().await;
    let mut cli = server.server_client().await;
    // 60 events at shuffled times 10_000 + 10*k; several share a second.
    let initial: Vec<Event> = (0..60)
        .map(|i| {
            ev(
                &format!("init-{i:02}"),
                "t",
                10_000 + (i * 37 % 60) / 2 * 10,
            )
        })
        .collect();
    let r = cli
        .ingest_event_batch(req(
            server::IngestEventBatchRequest {
                event_batch: Some(EventBatch {
                    events: initial.clone(),
                    ..Default::default()
                }),
            },
            None,
            None,
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!((r.accepted_count, r.rejected_count), (60, 0));

    // A writer that keeps ingesting, truly concurrently, for the whole test.
    let writer_cli = server.server_client().await;
    let writer = tokio::spawn(async move {
        let mut cli = writer_cli;
        for j in 0..400i64 {
            let e = ev(&format!("bg-{j}"), "t", 9_000 + j * 7 % 2_000);
            cli.ingest_event(req(
                server::IngestEventRequest { event: Some(e) },
                None,
                None,
            ))
            .await
            .unwrap();
        }
    });

    for order in [SortOrder::Asc, SortOrder::Desc] {
        let mut q = QueryRequest {
            filter: Some(QueryFilter {
                tenant_id: "t".into(),
                ..Default::default()
            }),
            page_size: 10,
            order_by_time: order as i32,
            ..Default::default()
        };
        let mut seen: Vec<Event> = Vec::new();
        let mut pages = 0;
        loop {
            pages += 1;
            assert!(pages < 200, "paging does not end");
            let page = query(&mut cli, q.clone()).await.unwrap();
            assert!(page.events.len() <= 10);
            // Between pages, events land before, at and after the position reached.
            let last = page
                .events
                .last()
                .map_or(10_000, |e| e.timestamp.unwrap().seconds);
            for (k, at) in [last - 1, last, last + 1, 5_000, 20_000]
                .into_iter()
                .enumerate()
            {
                let e = ev(&format!("mid-{order:?}-{pages}-{k}"), "t", at);
                cli.ingest_event(req(
                    server::IngestEventRequest { event: Some(e) },
                    None,
                    None,
                ))
                .await
                .unwrap();
            }
            seen.extend(page.events);
            if page.next_page_token.is_empty() {
                break;
            }
            q.page_token = page.next_page_token;
        }
        let mut unique = BTreeSet::new();
        for e in &seen {
            assert!(
                unique.insert(e.event_id.clone()),
                "{} came twice ({order:?})",
                e.event_id
            );
        }
        for e in &initial {
            assert!(
                unique.contains(&e.event_id),
                "{} was skipped ({order:?})",
                e.event_id
            );
        }
        let times: Vec<i64> = seen.iter().map(|e| e.timestamp.unwrap().seconds).collect();
        let mut sorted = times.clone();
        sorted.sort_unstable();
        if order == SortOrder::Desc {
            sorted.reverse();
        }
        assert_eq!(times, sorted, "pages out of {order:?} order");
    }
    tokio::time::timeout(STEP, writer).await.unwrap().unwrap();

    // Tokens are checked: garbage, or one issued for the other order.
    let asc = query(
        &mut cli,
        QueryRequest {
            page_size: 1,
            ..tenant_filter("t")
        },
    )
    .await
    .unwrap();
    for (token, order) in [
        ("garbage!".to_string(), SortOrder::Asc),
        (asc.next_page_token, SortOrder::Desc),
    ] {
        let err = query(
            &mut cli,
            QueryRequest {
                page_token: token,
                order_by_time: order as i32,
                ..tenant_filter("t")
            },
        )
        .await
        .unwrap_err();
        assert_eq!(err.code(), Code::InvalidArgument, "{err:?}");
        assert!(err.message().contains("page_token"), "{err:?}");
    }
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn duplicate_event_ids_are_stored_once_per_tenant() {
    let server = TestServer::open().await;
    let mut cli = server.server_client().await;
    let mut first = ev("dup-1", "t", 100);
    first.content = message("first");
    let ingest = |e: Event| server::IngestEventRequest { event: Some(e) };

    let r = cli
        .ingest_event(req(ingest(first.clone()), None, None))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (r.event_id.as_str(), r.status.as_str()),
        ("dup-1", "accepted")
    );
    let mut changed = first.clone();
    changed.content = message("second");
    let r = cli
        .ingest_event(req(ingest(changed.clone()), None, None))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.status, "duplicate");

    // Over HTTP: protobuf (what the SDK sends) and JSON.
    let body = server::IngestEventRequest {
        event: Some(changed.clone()),
    }
    .encode_to_vec();
    let r = http(server.http, "POST", "/v1/events", &[PROTOBUF], &body).await;
    assert_eq!(
        (r.status, r.json()["status"].as_str()),
        (202, Some("duplicate"))
    );
    let json = serde_json::to_vec(&changed).unwrap();
    let r = http(server.http, "POST", "/v1/events", &[JSON], &json).await;
    assert_eq!(
        (r.status, r.json()["status"].as_str()),
        (202, Some("duplicate"))
    );

    // The same id in another tenant is another event.
    let r = cli
        .ingest_event(req(ingest(ev("dup-1", "u", 100)), None, None))
        .await
        .unwrap();
    assert_eq!(r.into_inner().status, "accepted");

    // Within a batch and across batches: counted as accepted, stored once.
    let batch = EventBatch {
        batch_id: "b".into(),
        events: vec![ev("dup-2", "t", 200), ev("dup-2", "t", 200), first.clone()],
        ..Default::default()
    };
    for _ in 0..2 {
        let r = cli
            .ingest_event_batch(req(
                server::IngestEventBatchRequest {
                    event_batch: Some(batch.clone()),
                },
                None,
                None,
            ))
            .await
            .unwrap()
            .into_inner();
        assert_eq!((r.accepted_count, r.rejected_count), (3, 0));
    }

    let got = query_all(&mut cli, None, None, tenant_filter("t")).await;
    assert_eq!(ids(&got), ["dup-1", "dup-2"]);
    assert_eq!(got[0], first, "the first copy is kept");
    assert_eq!(
        ids(&query_all(&mut cli, None, None, tenant_filter("u")).await),
        ["dup-1"]
    );
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn batches_count_and_name_rejected_events() {
    let server = TestServer::open().await;
    let mut srv = server.server_client().await;
    let mut no_id = ev("", "t", 1);
    no_id.content = message("no id");
    let batch = EventBatch {
        batch_id: "batch-7".into(),
        events: vec![
            ev("ok-1", "t", 1),
            no_id,
            ev("no-tenant", "", 2),
            ev("ok-2", "t", 3),
        ],
        ..Default::default()
    };
    let r = srv
        .ingest_event_batch(req(
            server::IngestEventBatchRequest {
                event_batch: Some(batch),
            },
            None,
            None,
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.batch_id, "batch-7");
    assert_eq!((r.accepted_count, r.rejected_count), (2, 2));
    assert_eq!(
        r.rejected_event_ids,
        ["no-tenant"],
        "ids of rejected events that have one"
    );

    // ChaukasClientService has no counts: the valid events are kept, the call fails.
    let mut cli = server.client_client().await;
    let err = cli
        .ingest_event_batch(req(
            client::IngestEventBatchRequest {
                event_batch: Some(EventBatch {
                    events: vec![ev("ok-3", "t", 4), ev("bad-3", "", 4)],
                    ..Default::default()
                }),
            },
            None,
            None,
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert!(err.message().contains("bad-3"), "{err:?}");

    // Over HTTP, as the SDK posts it and as JSON.
    let body = server::IngestEventBatchRequest {
        event_batch: Some(EventBatch {
            batch_id: "batch-8".into(),
            events: vec![ev("ok-4", "t", 5), ev("bad-4", "", 5)],
            ..Default::default()
        }),
    }
    .encode_to_vec();
    let r = http(server.http, "POST", "/v1/events/batch", &[PROTOBUF], &body).await;
    assert_eq!(r.status, 202, "{r:?}");
    let json = r.json();
    assert_eq!(json["batchId"], "batch-8");
    assert_eq!(
        (
            json["acceptedCount"].as_i64(),
            json["rejectedCount"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(json["rejectedEventIds"], serde_json::json!(["bad-4"]));
    let body = br#"{"batch_id": "batch-9", "events": [
        {"event_id": "ok-5", "tenant_id": "t", "timestamp": "1970-01-01T00:00:06Z"},
        {"eventId": "bad-5"}]}"#;
    let r = http(server.http, "POST", "/v1/events/batch", &[JSON], body).await;
    assert_eq!(r.status, 202, "{r:?}");
    assert_eq!(r.json()["rejectedEventIds"], serde_json::json!(["bad-5"]));

    // Single events are refused whole.
    let err = srv
        .ingest_event(req(
            server::IngestEventRequest {
                event: Some(ev("x", "", 1)),
            },
            None,
            None,
        ))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (Code::InvalidArgument, "event.tenant_id is required")
    );

    let got = query_all(&mut srv, None, None, QueryRequest::default()).await;
    let mut got = ids(&got);
    got.sort_unstable();
    assert_eq!(got, ["ok-1", "ok-2", "ok-3", "ok-4", "ok-5"]);
    server.stop().await.unwrap();
}

/// Valid protobuf without a proto3 JSON form, each with what the refusal must say:
/// an `Any` of an unregistered type, a `Timestamp` with negative nanos, a NaN in a
/// `Struct`.
fn without_json_form(prefix: &str) -> Vec<(Event, &'static [&'static str])> {
    let mut unregistered = ev(&format!("{prefix}-any"), "t", 10);
    unregistered.extensions = vec![Any {
        type_url: "type.googleapis.com/acme.Custom".into(),
        value: vec![0x08, 0x01].into(),
    }];
    let mut bad_time = ev(&format!("{prefix}-nanos"), "t", 10);
    bad_time.timestamp = Some(Timestamp {
        seconds: 1,
        nanos: -5,
    });
    let mut nan = ev(&format!("{prefix}-nan"), "t", 10);
    nan.metadata = Some(
        [("ratio", Value::from(f64::NAN))]
            .into_iter()
            .collect::<Struct>(),
    );
    vec![
        (unregistered, &["acme.Custom", "not registered"]),
        (bad_time, &["Timestamp", "nanos -5"]),
        (nan, &["NaN"]),
    ]
}

/// Every event the server holds, read over HTTP as proto3 JSON (the path that used
/// to answer a plain-text 500), checked against the same read over gRPC.
async fn all_ids_over_json_and_grpc(server: &TestServer) -> Vec<String> {
    let body = br#"{"orderByTime": "SORT_ORDER_ASC", "pageSize": 1000}"#;
    let r = http(server.http, "POST", "/v1/query", &[JSON], body).await;
    assert_eq!(r.status, 200, "{r:?}");
    let page: QueryResponse = serde_json::from_value(r.json()).unwrap();
    assert!(page.next_page_token.is_empty());
    let mut cli = server.server_client().await;
    let asc = QueryRequest {
        order_by_time: SortOrder::Asc as i32,
        ..Default::default()
    };
    let over_grpc = query_all(&mut cli, None, None, asc).await;
    assert_eq!(
        page.events, over_grpc,
        "JSON and gRPC return the same events"
    );
    page.events.into_iter().map(|e| e.event_id).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn events_without_a_json_form_are_refused_and_queries_keep_working() {
    let server = TestServer::open().await;
    let mut srv = server.server_client().await;
    let mut cli = server.client_client().await;
    // A Chaukas message packed in an Any has a JSON form: the server registers them.
    let mut packed = ev("packed", "t", 5);
    packed.extensions = vec![Any::pack(&ToolCall {
        name: "lookup".into(),
        ..Default::default()
    })];
    srv.ingest_event(req(
        server::IngestEventRequest {
            event: Some(packed),
        },
        None,
        None,
    ))
    .await
    .unwrap();

    for (event, says) in without_json_form("single") {
        let id = event.event_id.clone();
        // HTTP, protobuf body (JSON bodies of these cannot even be written).
        let body = server::IngestEventRequest {
            event: Some(event.clone()),
        }
        .encode_to_vec();
        let r = http(server.http, "POST", "/v1/events", &[PROTOBUF], &body).await;
        assert_eq!(r.status, 400, "{id}: {r:?}");
        let json = r.json();
        assert_eq!(json["error"], "invalid_argument", "{id}: {json}");
        let msg = json["message"].as_str().unwrap();
        assert!(msg.contains("no proto3 JSON form"), "{id}: {msg}");
        for s in says {
            assert!(msg.contains(s), "{id}: {msg:?} should say {s:?}");
        }

        // gRPC, both services.
        let err = srv
            .ingest_event(req(
                server::IngestEventRequest {
                    event: Some(event.clone()),
                },
                None,
                None,
            ))
            .await
            .unwrap_err();
        let err2 = cli
            .ingest_event(req(
                client::IngestEventRequest { event: Some(event) },
                None,
                None,
            ))
            .await
            .unwrap_err();
        for err in [err, err2] {
            assert_eq!(err.code(), Code::InvalidArgument, "{id}: {err:?}");
            assert!(err.message().contains("no proto3 JSON form"), "{err:?}");
            for s in says {
                assert!(err.message().contains(s), "{id}: {err:?} should say {s:?}");
            }
        }
        assert_eq!(all_ids_over_json_and_grpc(&server).await, ["packed"]);
    }

    // Batches keep the good events and name the bad ones.
    let batch = |prefix: &str| {
        let mut events = vec![ev(&format!("{prefix}-good-1"), "t", 20)];
        for (i, (e, _)) in without_json_form(prefix).into_iter().enumerate() {
            events.push(e);
            events.push(ev(&format!("{prefix}-good-{}", i + 2), "t", 21 + i as i64));
        }
        EventBatch {
            batch_id: prefix.into(),
            events,
            ..Default::default()
        }
    };
    let bad_ids = |prefix: &str| {
        without_json_form(prefix)
            .into_iter()
            .map(|(e, _)| e.event_id)
            .collect::<Vec<_>>()
    };

    let body = server::IngestEventBatchRequest {
        event_batch: Some(batch("http")),
    }
    .encode_to_vec();
    let r = http(server.http, "POST", "/v1/events/batch", &[PROTOBUF], &body).await;
    assert_eq!(r.status, 202, "{r:?}");
    let json = r.json();
    assert_eq!(
        (
            json["acceptedCount"].as_i64(),
            json["rejectedCount"].as_i64()
        ),
        (Some(4), Some(3)),
        "{json}"
    );
    assert_eq!(json["rejectedEventIds"], serde_json::json!(bad_ids("http")));

    let r = srv
        .ingest_event_batch(req(
            server::IngestEventBatchRequest {
                event_batch: Some(batch("srv")),
            },
            None,
            None,
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!((r.accepted_count, r.rejected_count), (4, 3));
    assert_eq!(r.rejected_event_ids, bad_ids("srv"));

    // ChaukasClientService: the good events are kept, the error names each bad one.
    let err = cli
        .ingest_event_batch(req(
            client::IngestEventBatchRequest {
                event_batch: Some(batch("cli")),
            },
            None,
            None,
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument, "{err:?}");
    assert!(err.message().contains("accepted 4, rejected 3"), "{err:?}");
    for (event, says) in without_json_form("cli") {
        let id = &event.event_id;
        assert!(err.message().contains(id.as_str()), "{err:?} names {id}");
        for s in says {
            assert!(err.message().contains(s), "{err:?} should say {s:?}");
        }
    }

    let mut got = all_ids_over_json_and_grpc(&server).await;
    got.sort_unstable();
    let mut want = vec!["packed".to_string()];
    for prefix in ["cli", "http", "srv"] {
        want.extend((1..=4).map(|i| format!("{prefix}-good-{i}")));
    }
    want.sort_unstable();
    assert_eq!(got, want);

    // The registered Any reads back as JSON with its type and fields.
    let r = http(
        server.http,
        "POST",
        "/v1/query",
        &[JSON],
        br#"{"orderByTime": "SORT_ORDER_ASC", "pageSize": 1}"#,
    )
    .await;
    let json = r.json();
    assert_eq!(json["events"][0]["eventId"], "packed", "{json}");
    assert_eq!(
        json["events"][0]["extensions"][0],
        serde_json::json!({
            "@type": "type.googleapis.com/chaukas.spec.common.v1.ToolCall",
            "name": "lookup"
        })
    );
    server.stop().await.unwrap();
}

/// A store that hands back an event ingest would have refused, as a replacement
/// store with foreign data might: the HTTP query answers a JSON 500, not plain text.
struct ForeignDataStore;

#[tonic::async_trait]
impl EventStore for ForeignDataStore {
    async fn insert(&self, _: Lossless<Event>) -> Result<Inserted, StoreError> {
        Ok(Inserted::Stored)
    }

    async fn query(&self, _: QueryRequest, _: usize) -> Result<QueryPage, StoreError> {
        let (event, _) = without_json_form("foreign").remove(2);
        Ok(QueryPage {
            events: vec![event.into()],
            next_page_token: String::new(),
        })
    }

    async fn stats(
        &self,
        _: server::GetEventStatsRequest,
    ) -> Result<server::GetEventStatsResponse, StoreError> {
        Ok(Default::default())
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_without_json_form_is_a_json_500() {
    let config = Config {
        grpc: "127.0.0.1:0".parse().unwrap(),
        http: "127.0.0.1:0".parse().unwrap(),
        api_key: None,
        max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        ..Config::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = ingest_server::start(&config, Arc::new(ForeignDataStore), async move {
        let _ = stopped.await;
    })
    .await
    .unwrap();
    let r = http(running.http_addr, "POST", "/v1/query", &[JSON], b"{}").await;
    assert_eq!(r.status, 500, "{r:?}");
    let json = r.json();
    assert_eq!(json["error"], "internal", "{json}");
    let msg = json["message"].as_str().unwrap();
    assert!(
        msg.contains("no proto3 JSON form") && msg.contains("NaN"),
        "{msg}"
    );
    drop(stop);
    tokio::time::timeout(STEP, running.wait())
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn grpc_batch_without_event_batch_is_invalid_argument() {
    let server = TestServer::open().await;
    let mut srv = server.server_client().await;
    let mut cli = server.client_client().await;
    let err = srv
        .ingest_event_batch(req(
            server::IngestEventBatchRequest { event_batch: None },
            None,
            None,
        ))
        .await
        .unwrap_err();
    let err2 = cli
        .ingest_event_batch(req(
            client::IngestEventBatchRequest { event_batch: None },
            None,
            None,
        ))
        .await
        .unwrap_err();
    for err in [err, err2] {
        assert_eq!(
            (err.code(), err.message()),
            (Code::InvalidArgument, "event_batch is required")
        );
    }
    // As over HTTP.
    let r = http(server.http, "POST", "/v1/events/batch", &[PROTOBUF], b"").await;
    assert_eq!(
        (r.status, r.json()["message"].as_str()),
        (400, Some("event_batch is required"))
    );
    // An empty batch is a batch: nothing to store, no error.
    let r = srv
        .ingest_event_batch(req(
            server::IngestEventBatchRequest {
                event_batch: Some(EventBatch::default()),
            },
            None,
            None,
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!((r.accepted_count, r.rejected_count), (0, 0));
    cli.ingest_event_batch(req(
        client::IngestEventBatchRequest {
            event_batch: Some(EventBatch::default()),
        },
        None,
        None,
    ))
    .await
    .unwrap();
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_gets_a_json_4xx_and_stores_nothing() {
    const LIMIT: usize = 64 * 1024;
    let server = TestServer::start(None, LIMIT).await;
    let big = server::IngestEventRequest {
        event: Some(Event {
            content: message(&"x".repeat(LIMIT + 1)),
            ..ev("big", "t", 1)
        }),
    }
    .encode_to_vec();
    let no_tenant = br#"{"event_id": "e", "message": {"text": "hi"}}"#;
    let pb = &[PROTOBUF][..];
    let json = &[JSON][..];
    // (path, headers, body, status, error kind, what the message says)
    type Case<'a> = (
        &'a str,
        &'a [(&'a str, &'a str)],
        &'a [u8],
        u16,
        &'a str,
        &'a str,
    );
    #[rustfmt::skip]
    let cases: Vec<Case> = vec![
        ("/v1/events", pb, b"\xff\xff\xff", 400, "invalid_argument", "not a protobuf IngestEventRequest"),
        ("/v1/events", json, b"{not json", 400, "invalid_argument", "not a proto3 JSON Event"),
        ("/v1/events", json, br#"{"eventId": 5}"#, 400, "invalid_argument", "not a proto3 JSON Event"),
        ("/v1/events", json, br#"{"event": {"eventId": "e"}}"#, 400, "invalid_argument", "unknown field `event`"),
        ("/v1/events", json, no_tenant, 400, "invalid_argument", "event.tenant_id is required"),
        ("/v1/events", pb, b"", 400, "invalid_argument", "event is required"),
        ("/v1/events", &[("content-type", "text/plain")], b"{}", 415, "unsupported_media_type", "text/plain"),
        ("/v1/events", &[], b"{}", 415, "unsupported_media_type", "missing content-type"),
        ("/v1/events", pb, &big, 413, "payload_too_large", "length limit exceeded"),
        ("/v1/events/batch", pb, b"", 400, "invalid_argument", "event_batch is required"),
        ("/v1/events/batch", json, br#"{"events": [{"type": "NOPE"}]}"#, 400, "invalid_argument", "EventBatch"),
        ("/v1/query", pb, b"", 415, "unsupported_media_type", "send application/json"),
        ("/v1/query", json, br#"{"pageSize": -1}"#, 400, "invalid_argument", "page_size -1 is negative"),
        ("/v1/query", json, br#"{"pageToken": "nope"}"#, 400, "invalid_argument", "page_token"),
        ("/v1/nowhere", json, b"{}", 404, "not_found", "/v1/nowhere"),
    ];
    for (path, headers, body, status, kind, says) in cases {
        let r = http(server.http, "POST", path, headers, body).await;
        assert_eq!(r.status, status, "{path} {headers:?}: {r:?}");
        let json = r.json();
        assert_eq!(json["error"], kind, "{path}: {json}");
        let msg = json["message"].as_str().unwrap();
        assert!(msg.contains(says), "{path}: {msg:?} should say {says:?}");
    }

    let r = http(server.http, "GET", "/v1/events", &[], b"").await;
    assert_eq!(
        (r.status, r.json()["error"].as_str()),
        (405, Some("method_not_allowed"))
    );

    // gRPC has the same limit.
    let mut cli = server.server_client().await;
    let decoded = server::IngestEventRequest::decode(big.as_slice()).unwrap();
    let err = cli
        .ingest_event(req(decoded, None, None))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::OutOfRange, "{err:?}");
    assert!(err.message().contains(&LIMIT.to_string()), "{err:?}");
    let err = cli
        .ingest_event(req(server::IngestEventRequest { event: None }, None, None))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (Code::InvalidArgument, "event is required")
    );

    // Nothing was stored.
    let all = query_all(&mut cli, None, None, QueryRequest::default()).await;
    assert!(all.is_empty(), "{:?}", ids(&all));
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn auth_on_refuses_missing_keys_and_other_tenants() {
    let server = TestServer::start(Some("k"), DEFAULT_MAX_BODY_BYTES).await;
    let h = server.http;
    let event = |id: &str, tenant: &str| serde_json::to_vec(&ev(id, tenant, 1)).unwrap();

    // HTTP: 401 without the key, whatever the route under /v1.
    for (auth, says) in [
        (None, "missing"),
        (Some("Bearer nope"), "invalid api key"),
        (Some("Basic k"), "missing"),
    ] {
        let mut headers = vec![JSON];
        headers.extend(auth.map(|a| ("authorization", a)));
        let r = http(h, "POST", "/v1/events", &headers, &event("e0", "t1")).await;
        assert_eq!(r.status, 401, "{r:?}");
        assert!(r.headers.contains("www-authenticate: bearer"), "{r:?}");
        assert_eq!(r.json()["error"], "unauthenticated");
        assert!(
            r.json()["message"].as_str().unwrap().contains(says),
            "{r:?}"
        );
        let r = http(h, "GET", "/v1/capabilities", &headers, b"").await;
        assert_eq!(r.status, 401, "{r:?}");
    }
    assert_eq!(
        http(h, "GET", "/healthz", &[], b"").await.status,
        200,
        "probes need no key"
    );
    let key = ("authorization", "Bearer k");
    let r = http(h, "GET", "/v1/capabilities", &[key], b"").await;
    assert_eq!(
        (r.status, r.json()["policyDecisions"].as_bool()),
        (200, Some(true))
    );

    // Ingest with the key: like the SDK, no tenant header needed.
    for (id, tenant) in [("e1", "t1"), ("e2", "t2")] {
        let r = http(h, "POST", "/v1/events", &[JSON, key], &event(id, tenant)).await;
        assert_eq!(r.status, 202, "{r:?}");
    }
    // A caller that names its tenant may not write another's.
    let as_t2 = ("x-chaukas-tenant", "t2");
    let r = http(
        h,
        "POST",
        "/v1/events",
        &[JSON, key, as_t2],
        &event("e3", "t1"),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["error"].as_str()),
        (403, Some("permission_denied"))
    );

    // Reads need the caller's tenant and stay inside it.
    let q = |tenant: &str| format!(r#"{{"filter": {{"tenant_id": "{tenant}"}}}}"#).into_bytes();
    let r = http(h, "POST", "/v1/query", &[JSON, key], &q("t1")).await;
    assert_eq!(r.status, 403, "no tenant with auth on: {r:?}");
    let r = http(h, "POST", "/v1/query", &[JSON, key, as_t2], &q("t1")).await;
    assert_eq!(r.status, 403, "another tenant: {r:?}");
    for (header, tenant) in [
        (("x-chaukas-tenant", "t1"), "t1"),
        (("x-tenant-id", "t1"), ""),
    ] {
        let r = http(h, "POST", "/v1/query", &[JSON, key, header], &q(tenant)).await;
        assert_eq!(r.status, 200, "{r:?}");
        let got: QueryResponse = serde_json::from_value(r.json()).unwrap();
        assert_eq!(
            ids(&got.events),
            ["e1"],
            "an empty tenant_id means the caller's"
        );
    }

    // gRPC: the same rules, as metadata.
    let mut cli = server.server_client().await;
    let all = || server::QueryEventsRequest {
        query: Some(QueryRequest::default()),
    };
    for (key, tenant, code) in [
        (None, Some("t1"), Code::Unauthenticated),
        (Some("nope"), Some("t1"), Code::Unauthenticated),
        (Some("k"), None, Code::PermissionDenied),
    ] {
        let err = cli.query_events(req(all(), key, tenant)).await.unwrap_err();
        assert_eq!(err.code(), code, "{err:?}");
    }
    let err = cli
        .healthz(req(server::HealthzRequest {}, None, None))
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Code::Unauthenticated,
        "every Chaukas rpc needs the key"
    );
    let got = cli
        .query_events(req(all(), Some("k"), Some("t2")))
        .await
        .unwrap();
    let got = got.into_inner().response.unwrap();
    assert_eq!(ids(&got.events), ["e2"]);
    let err = cli
        .get_event_stats(req(
            server::GetEventStatsRequest {
                tenant_id: "t1".into(),
                ..Default::default()
            },
            Some("k"),
            Some("t2"),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::PermissionDenied);
    let mut client_service = server.client_client().await;
    let err = client_service
        .ingest_event(req(
            client::IngestEventRequest {
                event: Some(ev("e4", "t1", 2)),
            },
            Some("k"),
            Some("t2"),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::PermissionDenied);
    client_service
        .ingest_event(req(
            client::IngestEventRequest {
                event: Some(ev("e4", "t1", 2)),
            },
            Some("k"),
            None,
        ))
        .await
        .unwrap();
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn auth_off_needs_no_key_and_tenant_header_still_scopes() {
    let server = TestServer::open().await;
    let mut cli = server.server_client().await;
    for (id, tenant) in [("a", "t1"), ("b", "t2")] {
        cli.ingest_event(req(
            server::IngestEventRequest {
                event: Some(ev(id, tenant, 1)),
            },
            None,
            None,
        ))
        .await
        .unwrap();
    }
    let all = QueryRequest {
        order_by_time: SortOrder::Asc as i32,
        ..Default::default()
    };
    assert_eq!(
        ids(&query_all(&mut cli, None, None, all.clone()).await),
        ["a", "b"]
    );
    assert_eq!(
        ids(&query_all(&mut cli, None, Some("t2"), all).await),
        ["b"]
    );
    let err = cli
        .query_events(req(
            server::QueryEventsRequest {
                query: Some(tenant_filter("t1")),
            },
            None,
            Some("t2"),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::PermissionDenied);
    let r = http(server.http, "GET", "/v1/capabilities", &[], b"").await;
    assert_eq!(r.status, 200);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn shutdown_drains_and_closes_both_ports() {
    let server = TestServer::open().await;
    let (grpc, http_addr) = (server.grpc, server.http);
    {
        let mut cli = server.server_client().await;
        cli.healthz(req(server::HealthzRequest {}, None, None))
            .await
            .unwrap();
    }
    assert_eq!(
        http(http_addr, "GET", "/healthz", &[], b"").await.status,
        200
    );
    server.stop().await.expect("a clean shutdown");
    for addr in [grpc, http_addr] {
        assert!(
            tokio::net::TcpStream::connect(addr).await.is_err(),
            "{addr} still accepts connections"
        );
    }
}

#[test]
fn flags_parse() {
    let parse = |args: &[&str]| Config::parse(args.iter().map(|s| s.to_string()));
    let default = parse(&[]).unwrap();
    assert_eq!(default.grpc, "127.0.0.1:50051".parse().unwrap());
    assert_eq!(default.http, "127.0.0.1:8080".parse().unwrap());
    assert_eq!(
        (default.api_key, default.max_body_bytes),
        (None, 4 * 1024 * 1024)
    );
    let c = parse(&[
        "--grpc=0.0.0.0:1",
        "--http",
        "[::1]:2",
        "--api-key",
        "k",
        "--max-body-bytes=10",
    ])
    .unwrap();
    assert_eq!(c.grpc, "0.0.0.0:1".parse().unwrap());
    assert_eq!(c.http, "[::1]:2".parse().unwrap());
    assert_eq!((c.api_key.as_deref(), c.max_body_bytes), (Some("k"), 10));
    let limits = parse(&[
        "--max-answer-bytes=5000",
        "--max-events=9",
        "--max-stored-bytes=8",
        "--max-tenant-events=7",
        "--max-tenant-bytes=6",
        "--max-concurrent-scans=2",
        "--read-timeout-secs=4",
        "--request-timeout-secs=3",
        "--max-concurrent-streams=11",
        "--max-header-bytes=12",
    ])
    .unwrap();
    assert_eq!(limits.max_answer_bytes, 5000);
    let l = limits.limits;
    assert_eq!(
        (
            l.max_events,
            l.max_bytes,
            l.max_tenant_events,
            l.max_tenant_bytes
        ),
        (9, 8, 7, 6)
    );
    assert_eq!(l.max_concurrent_scans, 2);
    assert_eq!(limits.read_timeout, Duration::from_secs(4));
    assert_eq!(limits.request_timeout, Duration::from_secs(3));
    assert_eq!(
        (limits.max_concurrent_streams, limits.max_header_bytes),
        (11, 12)
    );
    for (args, says) in [
        (&["--nope"][..], "unknown argument"),
        (&["--grpc", "localhost"][..], "not an address"),
        (&["--http"][..], "needs a value"),
        (&["--max-body-bytes", "0"][..], "positive"),
        (&["--max-tenant-events", "-3"][..], "positive"),
        (
            &["--max-concurrent-streams", "99999999999"][..],
            "too large",
        ),
        (&["--api-key="][..], "must not be empty"),
    ] {
        let err = parse(args).unwrap_err();
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

/// Issue 13: a newer producer (Python, a schema with fields this build does not know,
/// on `Event`, inside `ToolCall` and at random depths) sends binary events over HTTP
/// (single and batch) and gRPC, and reads them back over gRPC `QueryEvents` of both
/// services with every added field. JSON input with an unknown key is a 400 naming the
/// key and its path.
#[tokio::test(flavor = "multi_thread")]
async fn a_newer_producers_fields_survive_ingest_and_query() {
    let server = TestServer::open().await;
    let dir = tempfile::tempdir().unwrap();
    let desc = dir.path().join("descriptors.bin");
    std::fs::write(
        &desc,
        interop_tests::descriptor_sets(&[
            common_eventing::FILE_DESCRIPTOR_SET,
            chaukas_spec_client::FILE_DESCRIPTOR_SET,
            chaukas_spec_server::FILE_DESCRIPTOR_SET,
        ]),
    )
    .unwrap();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    let out = python(
        "lossless_ingest.py",
        &[
            server.http.to_string(),
            server.grpc.to_string(),
            desc.display().to_string(),
            seed.clone(),
        ],
        &[],
    )
    .await;
    assert!(out.contains("ok 7 events"), "seed {seed}: {out}");

    // What Rust reads with the schema it knows: the known fields, nothing invented.
    let mut cli = server.server_client().await;
    let got = query_all(
        &mut cli,
        None,
        Some("tenant-lossless"),
        tenant_filter("tenant-lossless"),
    )
    .await;
    assert_eq!(got.len(), 7);
    assert!(
        got.iter()
            .all(|e| matches!(&e.content, Some(event::Content::ToolCall(t)) if t.name == "lookup"))
    );

    // JSON follows proto3 JSON parsing: an unknown key is refused, by key and path.
    let body =
        br#"{"eventId": "j-1", "tenantId": "t", "toolCall": {"name": "x", "riskScore": 0.5}}"#;
    let r = http(server.http, "POST", "/v1/events", &[JSON], body).await;
    assert_eq!(r.status, 400, "{r:?}");
    let msg = r.json()["message"].as_str().unwrap().to_string();
    assert!(
        msg.contains("\"riskScore\" at $.toolCall.riskScore"),
        "{msg}"
    );
    let body = br#"{"eventId": "j-2", "tenantId": "t", "newerNote": "x"}"#;
    let r = http(server.http, "POST", "/v1/events", &[JSON], body).await;
    assert_eq!(r.status, 400, "{r:?}");
    let msg = r.json()["message"].as_str().unwrap().to_string();
    assert!(msg.contains("\"newerNote\" at $.newerNote"), "{msg}");
    server.stop().await.unwrap();
}

/// `metadata` as `{"a":{"a":...1}}`, `objects` JSON objects deep (row 2 of issue 12).
fn nested_metadata_json(id: &str, tenant: &str, objects: usize) -> String {
    format!(
        r#"{{"eventId":"{id}","tenantId":"{tenant}","metadata":{}1{}}}"#,
        r#"{"a":"#.repeat(objects),
        "}".repeat(objects)
    )
}

/// Every event of `tenant`, paged over gRPC and over HTTP JSON (one per page), which
/// must agree and must not fail.
async fn page_tenant(server: &TestServer, tenant: &str) -> Vec<String> {
    let mut cli = server.server_client().await;
    let mut q = tenant_filter(tenant);
    q.page_size = 1;
    let over_grpc = query_all(&mut cli, None, None, q.clone()).await;
    let mut over_http = Vec::new();
    let mut token = String::new();
    for _ in 0..100 {
        let body = format!(
            r#"{{"filter":{{"tenantId":"{tenant}"}},"orderByTime":"SORT_ORDER_ASC","pageSize":1,"pageToken":"{token}"}}"#
        );
        let r = http(server.http, "POST", "/v1/query", &[JSON], body.as_bytes()).await;
        assert_eq!(r.status, 200, "{r:?}");
        let page: QueryResponse = serde_json::from_value(r.json()).unwrap();
        over_http.extend(page.events);
        if page.next_page_token.is_empty() {
            break;
        }
        token = page.next_page_token;
    }
    assert_eq!(over_grpc, over_http, "gRPC and HTTP pages agree");
    over_grpc.into_iter().map(|e| e.event_id).collect()
}

/// Issue 12 row 2: an event nested beyond the decode limit is refused on both ingest
/// routes (JSON used to answer 202 and then break `QueryEvents` for the tenant); the
/// deepest event accepted can be paged back over gRPC and HTTP.
#[tokio::test(flavor = "multi_thread")]
async fn an_event_too_deep_to_return_is_refused_on_both_routes() {
    let server = TestServer::open().await;
    let tenant = "p";
    let good = http(
        server.http,
        "POST",
        "/v1/events",
        &[JSON],
        nested_metadata_json("shallow", tenant, 2).as_bytes(),
    )
    .await;
    assert_eq!(good.status, 202, "{good:?}");

    // The reproduction: 40 objects, as JSON.
    let poison = nested_metadata_json("bad", tenant, 40);
    let r = http(
        server.http,
        "POST",
        "/v1/events",
        &[JSON],
        poison.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 400, "{r:?}");
    let msg = r.json()["message"].as_str().unwrap().to_string();
    assert!(msg.contains("depth limit of 100"), "{msg}");
    // The same event in binary, on HTTP and on gRPC.
    let event: Event = {
        let mut e = ev("bad", tenant, 1);
        let mut v = Value::from(1.0);
        for _ in 0..40 {
            v = Value::from([("a", v)].into_iter().collect::<Struct>());
        }
        let Some(common_eventing::wkt::value::Kind::StructValue(s)) = v.kind else {
            unreachable!()
        };
        e.metadata = Some(s);
        e
    };
    let request = server::IngestEventRequest {
        event: Some(event.clone()),
    };
    let r = http(
        server.http,
        "POST",
        "/v1/events",
        &[PROTOBUF],
        &request.encode_to_vec(),
    )
    .await;
    assert_eq!(r.status, 400, "{r:?}");
    let mut srv = server.server_client().await;
    let status = srv
        .ingest_event(req(request, None, None))
        .await
        .unwrap_err();
    // The workspace codec (common_eventing::grpc::Codec) answers an undecodable
    // request INVALID_ARGUMENT (tonic-prost's said INTERNAL), naming the limit, and
    // nothing is stored.
    assert_eq!(status.code(), tonic::Code::InvalidArgument, "{status:?}");
    assert!(
        status.message().contains("recursion limit reached"),
        "{status:?}"
    );

    // At every depth up to the poison one, JSON ingest either refuses (400 naming the
    // limit) or stores an event that pages back: never 202 and then a broken query.
    let mut accepted = vec!["shallow".to_string()];
    for objects in 30..=40 {
        let id = format!("d{objects}");
        let body = nested_metadata_json(&id, tenant, objects);
        let r = http(server.http, "POST", "/v1/events", &[JSON], body.as_bytes()).await;
        match r.status {
            202 => accepted.push(id),
            400 => {
                let msg = r.json()["message"].as_str().unwrap().to_string();
                assert!(msg.contains("depth limit of 100"), "{objects}: {msg}");
            }
            other => panic!("{objects} objects: status {other}: {r:?}"),
        }
    }
    assert!(
        accepted.len() > 2,
        "events below the limit are stored: {accepted:?}"
    );
    assert!(
        accepted.len() < 12,
        "events beyond the limit are refused: {accepted:?}"
    );
    let mut got = page_tenant(&server, tenant).await;
    got.sort();
    accepted.sort();
    assert_eq!(got, accepted);
}

/// Issue 12 row 3: proto3 enums are open. A binary event with an enum number the
/// schema does not know (what Python's `Event(type=3)` sends) is stored, returned
/// unchanged over gRPC, and shown as the number in JSON.
#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_enum_number_is_stored_and_returned_unchanged() {
    let server = TestServer::open().await;
    let mut event = ev("future-type", "t-enum", 3);
    event.r#type = 3_000;
    event.severity = 77;
    let body = server::IngestEventRequest {
        event: Some(event.clone()),
    }
    .encode_to_vec();
    let r = http(server.http, "POST", "/v1/events", &[PROTOBUF], &body).await;
    assert_eq!(r.status, 202, "{r:?}");
    let mut cli = server.server_client().await;
    let got = query_all(&mut cli, None, None, tenant_filter("t-enum")).await;
    assert_eq!(got, vec![event.clone()]);
    assert_eq!(got[0].encode_to_vec(), event.encode_to_vec());
    let body = br#"{"filter":{"tenantId":"t-enum"}}"#;
    let r = http(server.http, "POST", "/v1/query", &[JSON], body).await;
    assert_eq!(r.status, 200, "{r:?}");
    let json = r.json();
    assert_eq!(json["events"][0]["type"], 3_000, "{json}");
    assert_eq!(json["events"][0]["severity"], 77, "{json}");
    // And JSON ingest of the number is accepted too.
    let body = br#"{"eventId":"j","tenantId":"t-enum","type":3}"#;
    let r = http(server.http, "POST", "/v1/events", &[JSON], body).await;
    assert_eq!(r.status, 202, "{r:?}");

    // The reproduction: Python protobuf's `Event(type=3)`, posted as protobuf (it got a
    // 400 "event has no proto3 JSON form"), comes back byte for byte, and our JSON of it
    // is Python's.
    let out = python("open_enum_event.py", &[], &[]).await;
    let mut lines = out.lines();
    let hex = lines.next().unwrap();
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    let python_json: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    let r = http(server.http, "POST", "/v1/events", &[PROTOBUF], &bytes).await;
    assert_eq!(r.status, 202, "{r:?}");
    let got = query_all(&mut cli, None, None, tenant_filter("t-py-enum")).await;
    let sent = server::IngestEventRequest::decode(bytes.as_slice()).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(
        server::IngestEventRequest {
            event: Some(got[0].clone())
        }
        .encode_to_vec(),
        bytes
    );
    assert_eq!(Some(&got[0]), sent.event.as_ref());
    assert_eq!(serde_json::to_value(&got[0]).unwrap(), python_json);
}

/// Issue 12 item 6: per-tenant keys (`--api-keys FILE`). Each key reads and writes its
/// own tenant only, over HTTP and gRPC, whatever tenant header it sends.
#[tokio::test(flavor = "multi_thread")]
async fn per_tenant_keys_read_and_write_only_their_tenant() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keys");
    std::fs::write(
        &file,
        "# key tenant\nkey-a tenant-a\nkey-b tenant-b  # second\n",
    )
    .unwrap();
    let config = Config::parse(
        [
            "--grpc=127.0.0.1:0",
            "--http=127.0.0.1:0",
            "--api-keys",
            file.to_str().unwrap(),
        ]
        .map(String::from),
    )
    .unwrap();
    assert_eq!(config.api_keys.len(), 2);
    let server = TestServer::with_config(&config).await;
    let bearer = |key: &str| format!("Bearer {key}");
    let (auth_a, auth_b) = (bearer("key-a"), bearer("key-b"));

    // Writes: own tenant accepted, another refused, over both protocols.
    for (auth, own, other) in [
        (&auth_a, "tenant-a", "tenant-b"),
        (&auth_b, "tenant-b", "tenant-a"),
    ] {
        let ok = format!(r#"{{"eventId":"{own}-1","tenantId":"{own}"}}"#);
        let r = http(
            server.http,
            "POST",
            "/v1/events",
            &[JSON, ("authorization", auth)],
            ok.as_bytes(),
        )
        .await;
        assert_eq!(r.status, 202, "{r:?}");
        let bad = format!(r#"{{"eventId":"x","tenantId":"{other}"}}"#);
        let r = http(
            server.http,
            "POST",
            "/v1/events",
            &[JSON, ("authorization", auth)],
            bad.as_bytes(),
        )
        .await;
        assert_eq!(r.status, 403, "{r:?}");
        let key = auth.trim_start_matches("Bearer ");
        let mut srv = server.server_client().await;
        srv.ingest_event(req(
            server::IngestEventRequest {
                event: Some(ev(&format!("{own}-2"), own, 2)),
            },
            Some(key),
            None,
        ))
        .await
        .unwrap();
        let denied = srv
            .ingest_event(req(
                server::IngestEventRequest {
                    event: Some(ev("y", other, 2)),
                },
                Some(key),
                None,
            ))
            .await
            .unwrap_err();
        assert_eq!(denied.code(), Code::PermissionDenied, "{denied:?}");
        // A tenant header naming the other tenant does not widen the key.
        let denied = srv
            .query_events(req(
                server::QueryEventsRequest {
                    query: Some(tenant_filter(other)),
                },
                Some(key),
                Some(other),
            ))
            .await
            .unwrap_err();
        assert_eq!(denied.code(), Code::PermissionDenied, "{denied:?}");
        let r = http(
            server.http,
            "POST",
            "/v1/query",
            &[JSON, ("authorization", auth), ("x-chaukas-tenant", other)],
            b"{}",
        )
        .await;
        assert_eq!(r.status, 403, "{r:?}");
    }
    // Reads: each key sees exactly its own events, with no tenant header at all.
    for (auth, own) in [(&auth_a, "tenant-a"), (&auth_b, "tenant-b")] {
        let key = auth.trim_start_matches("Bearer ");
        let mut srv = server.server_client().await;
        let mut got = ids(&query_all(&mut srv, Some(key), None, QueryRequest::default()).await)
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>();
        got.sort();
        assert_eq!(got, [format!("{own}-1"), format!("{own}-2")]);
        let r = http(
            server.http,
            "POST",
            "/v1/query",
            &[JSON, ("authorization", auth)],
            b"{}",
        )
        .await;
        assert_eq!(r.status, 200, "{r:?}");
        let page: QueryResponse = serde_json::from_value(r.json()).unwrap();
        assert!(page.events.iter().all(|e| e.tenant_id == own), "{page:?}");
        assert_eq!(page.events.len(), 2);
    }
    let r = http(
        server.http,
        "POST",
        "/v1/query",
        &[JSON, ("authorization", "Bearer nope")],
        b"{}",
    )
    .await;
    assert_eq!(r.status, 401, "{r:?}");
}

/// Issue 12 item 6: without a key the server listens on loopback only, unless told.
#[tokio::test(flavor = "multi_thread")]
async fn without_auth_the_server_refuses_non_loopback_addresses() {
    let open = Config {
        grpc: "0.0.0.0:0".parse().unwrap(),
        http: "127.0.0.1:0".parse().unwrap(),
        ..Config::default()
    };
    let err = ingest_server::start(&open, Arc::new(MemoryStore::new()), async {})
        .await
        .err()
        .expect("refused");
    assert!(
        err.to_string().contains("refusing to listen on 0.0.0.0"),
        "{err}"
    );
    let allowed = Config {
        allow_unauthenticated: true,
        ..open.clone()
    };
    TestServer::with_config(&allowed)
        .await
        .stop()
        .await
        .unwrap();
    let keyed = Config {
        api_key: Some("k".into()),
        ..open
    };
    TestServer::with_config(&keyed).await.stop().await.unwrap();
    let err =
        Config::parse(["--api-keys".to_string(), "/nonexistent/keys".to_string()]).unwrap_err();
    assert!(err.contains("cannot read"), "{err}");
}

/// Records what the batch route hands the store; building an owned `Event` (the
/// `insert` path) fails the test.
#[derive(Default)]
struct RecordingStore(std::sync::Mutex<Vec<ingest_server::store::EncodedEvent>>);

#[tonic::async_trait]
impl EventStore for RecordingStore {
    async fn insert(&self, _: Lossless<Event>) -> Result<Inserted, StoreError> {
        panic!("the batch route built an owned Event");
    }

    async fn insert_encoded(
        &self,
        event: ingest_server::store::EncodedEvent,
    ) -> Result<Inserted, StoreError> {
        self.0.lock().unwrap().push(event);
        Ok(Inserted::Stored)
    }

    async fn query(&self, _: QueryRequest, _: usize) -> Result<QueryPage, StoreError> {
        Ok(QueryPage::default())
    }

    async fn stats(
        &self,
        _: server::GetEventStatsRequest,
    ) -> Result<server::GetEventStatsResponse, StoreError> {
        Ok(Default::default())
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_batch_route_stores_each_event_as_it_arrived_without_building_it() {
    // Each event written field by field in reverse order, with a field of a newer
    // schema (number 999): bytes prost would never write.
    let events: Vec<Vec<u8>> = (0..3)
        .map(|i| {
            let mut out = Vec::new();
            prost::encoding::string::encode(999, &format!("newer-{i}"), &mut out);
            prost::encoding::message::encode(11, &ts(1_700_000_000 + i).unwrap(), &mut out);
            prost::encoding::string::encode(2, &"acme".to_string(), &mut out);
            prost::encoding::string::encode(1, &format!("evt-{i}"), &mut out);
            out
        })
        .collect();
    let mut batch = Vec::new();
    prost::encoding::string::encode(1, &"batch-1".to_string(), &mut batch);
    for e in &events {
        prost::encoding::bytes::encode(3, e, &mut batch);
    }
    let mut request = Vec::new();
    prost::encoding::bytes::encode(1, &batch, &mut request);
    let config = Config {
        grpc: "127.0.0.1:0".parse().unwrap(),
        http: "127.0.0.1:0".parse().unwrap(),
        api_key: None,
        max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        ..Config::default()
    };
    let store = Arc::new(RecordingStore::default());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = ingest_server::start(&config, store.clone(), async move {
        let _ = stopped.await;
    })
    .await
    .unwrap();
    // Over gRPC (both services) and HTTP (protobuf body).
    let channel = Channel::from_shared(format!("http://{}", running.grpc_addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    for path in [
        "/chaukas.spec.server.v1.ChaukasServerService/IngestEventBatch",
        "/chaukas.spec.client.v1.ChaukasClientService/IngestEventBatch",
    ] {
        interop_tests::raw_grpc::unary(channel.clone(), path, &[], &request)
            .await
            .unwrap_or_else(|e| panic!("{path}: {e:?}"));
    }
    let r = http(
        running.http_addr,
        "POST",
        "/v1/events/batch",
        &[PROTOBUF],
        &request,
    )
    .await;
    assert_eq!(r.status, 202, "{r:?}");
    let stored = store.0.lock().unwrap().clone();
    assert_eq!(stored.len(), 9, "three events, three routes");
    for (i, s) in stored.iter().enumerate() {
        let n = i % 3;
        assert_eq!(
            &s.bytes[..],
            &events[n][..],
            "event {n} stored as it arrived"
        );
        assert_eq!(s.event_id, format!("evt-{n}"));
        assert_eq!(s.tenant_id, "acme");
        assert_eq!(s.time, ts(1_700_000_000 + n as i64));
    }
    drop(stop);
    tokio::time::timeout(STEP, running.wait())
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_json_batch_rejects_each_too_deep_event_alone_and_stores_the_rest() {
    let server = TestServer::open().await;
    // A shallow event and one nested `objects` deep, in one JSON batch: at every
    // depth, the batch is either refused by JSON's own limit or taken, with the deep
    // event stored or rejected alone (never the whole batch for one event's answer).
    let mut outcomes = Vec::new();
    for objects in 28..=36 {
        let tenant = format!("deep-batch-{objects}");
        let shallow = nested_metadata_json(&format!("s{objects}"), &tenant, 1);
        let deep = nested_metadata_json(&format!("d{objects}"), &tenant, objects);
        let body = format!(r#"{{"batchId":"deep","events":[{shallow},{deep}]}}"#);
        let r = http(
            server.http,
            "POST",
            "/v1/events/batch",
            &[JSON],
            body.as_bytes(),
        )
        .await;
        let json = r.json();
        match r.status {
            400 => {
                let msg = json["message"].as_str().unwrap_or("").to_string();
                assert!(msg.contains("depth limit of 100"), "{objects}: {msg}");
                outcomes.push("refused");
            }
            202 => {
                let stored = page_tenant(&server, &tenant).await;
                let rejected = json["rejectedCount"].as_i64().unwrap_or(0);
                assert_eq!(stored.len() as i64 + rejected, 2, "{objects}: {json}");
                assert!(
                    stored.contains(&format!("s{objects}")),
                    "{objects}: {stored:?}"
                );
                if rejected == 1 {
                    let why = json["rejectedEventIds"][0].as_str().unwrap_or("");
                    assert_eq!(why, format!("d{objects}"), "{json}");
                    outcomes.push("deep one rejected");
                } else {
                    outcomes.push("both stored");
                }
            }
            other => panic!("{objects} objects: status {other}: {r:?}"),
        }
    }
    // The window this guards: deep enough that a query answer (two levels more)
    // cannot carry it, shallow enough for JSON: that event alone is rejected.
    assert!(outcomes.contains(&"deep one rejected"), "{outcomes:?}");
    assert!(outcomes.contains(&"both stored"), "{outcomes:?}");
}
