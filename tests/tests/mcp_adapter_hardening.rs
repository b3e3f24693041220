//! Hardening of the MCP adapter (`apps/mcp-adapter`) in front of the reference SRE
//! backend: what a hostile probe found, one regression test each (see the README's
//! "The MCP adapter and the reference SRE backend" for the limits).

use ameide_sre_proto::core::v1::sre_incident_query_service_server::{
    SreIncidentQueryService, SreIncidentQueryServiceServer,
};
use ameide_sre_proto::core::v1::{
    GetIncidentRequest, GetIncidentResponse, ListOpenIncidentsRequest, ListOpenIncidentsResponse,
};
use interop_tests::h2_probe;
use interop_tests::mcp_stack::{
    BareClient, adapter, adapter_with, backend, backend_with, keys, token, token_for, two_tenants,
};
use mcp_adapter::config::Config;
use mcp_adapter::upstream::UpstreamKey;
use serde_json::{Value, json};
use sre_backend::auth::SharedKey;
use sre_backend::server::ServerOptions;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::net::TcpListener;

/// What one `tools/call` came back as.
#[derive(Debug)]
enum Outcome {
    /// A result without `isError`: its `structuredContent`.
    Ok(Value),
    /// A result with `isError`: its text.
    ToolError(String),
    /// A JSON-RPC error: its code and message.
    RpcError(i64, String),
    /// Not a JSON-RPC answer at all: the HTTP status and body.
    #[allow(dead_code)] // read through Debug, in panic messages
    Http(u16, String),
}

fn outcome(status: http::StatusCode, body: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(body).into_owned();
    let Ok(reply) = serde_json::from_str::<Value>(&text) else {
        return Outcome::Http(status.as_u16(), text);
    };
    if let Some(error) = reply.get("error") {
        return Outcome::RpcError(
            error["code"].as_i64().unwrap_or_default(),
            error["message"].as_str().unwrap_or_default().to_string(),
        );
    }
    let result = &reply["result"];
    if result["isError"] == true {
        return Outcome::ToolError(result["content"][0]["text"].as_str().unwrap_or("").into());
    }
    if status != 200 {
        return Outcome::Http(status.as_u16(), text);
    }
    Outcome::Ok(result["structuredContent"].clone())
}

async fn call(bare: &BareClient, url: &str, token: &str, tool: &str, args: Value) -> Outcome {
    let (status, body) = bare.tools_call(url, token, tool, args).await;
    outcome(status, &body)
}

/// Row 2 of the probe: a tool argument of 100,000 characters was echoed in the
/// backend's status message, too large for an HTTP/2 header, and the adapter's one
/// shared upstream connection failed with every call in flight, other tenants' too.
/// Now tenant B's calls never fail while tenant A sends huge ids, and A gets a tool
/// error of its own with a short message.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn huge_ids_of_one_tenant_do_not_break_other_tenants_calls() {
    let dir = tempfile::tempdir().unwrap();
    let (_backend, url, token_a, token_b) = two_tenants(dir.path()).await;
    let huge = "x".repeat(100_000);

    let a_done = std::sync::Arc::new(AtomicBool::new(false));
    let mut a_tasks = Vec::new();
    for _ in 0..4 {
        let (url, token, huge) = (url.clone(), token_a.clone(), huge.clone());
        a_tasks.push(tokio::spawn(async move {
            let bare = BareClient::default();
            let mut outcomes = Vec::new();
            for _ in 0..15 {
                let args = json!({"incidentId": huge});
                outcomes.push(call(&bare, &url, &token, "sre.getIncident", args).await);
            }
            outcomes
        }));
    }
    let mut b_tasks = Vec::new();
    for _ in 0..4 {
        let (url, token, done) = (url.clone(), token_b.clone(), a_done.clone());
        b_tasks.push(tokio::spawn(async move {
            let bare = BareClient::default();
            let (mut calls, mut errors) = (0, Vec::new());
            loop {
                let listed = call(&bare, &url, &token, "sre.listOpenIncidents", json!({})).await;
                calls += 1;
                if !matches!(listed, Outcome::Ok(_)) {
                    errors.push(listed);
                }
                // Run until A is done (at least 5 calls each).
                if calls >= 5 && done.load(Ordering::SeqCst) {
                    break;
                }
            }
            (calls, errors)
        }));
    }
    let mut a_outcomes = Vec::new();
    for task in a_tasks {
        a_outcomes.extend(task.await.unwrap());
    }
    a_done.store(true, Ordering::SeqCst);
    let mut b_calls = 0;
    let mut b_errors = Vec::new();
    for task in b_tasks {
        let (calls, errors) = task.await.unwrap();
        b_calls += calls;
        b_errors.extend(errors);
    }
    assert!(
        b_errors.is_empty(),
        "{} of tenant B's {b_calls} calls failed while A sent huge ids: {:?}",
        b_errors.len(),
        &b_errors[..b_errors.len().min(3)]
    );
    for outcome in &a_outcomes {
        match outcome {
            // The contract's rules refuse the id before any lookup, without echoing it.
            Outcome::ToolError(text) => {
                assert!(text.starts_with("INVALID_ARGUMENT: "), "{text}");
                assert!(text.len() < 300, "{} bytes: {}", text.len(), &text[..300]);
                assert!(
                    text.contains("incident_id: must be at most 256 characters"),
                    "names the field and the bound: {text}"
                );
            }
            other => panic!("tenant A's huge id: {other:?}"),
        }
    }
}

/// Row 6 of the probe: five appends of 900 KB each grew the incident past the
/// adapter's 4 MiB decode limit; the appends were committed but answered `-32603`,
/// then the incident and the open-incident list were unreadable. Now an append that
/// would outgrow what readers decode is refused (a tool error naming the limit) and
/// not committed, and every read keeps working.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn appends_that_would_make_an_incident_unreadable_are_refused_uncommitted() {
    let dir = tempfile::tempdir().unwrap();
    keys(dir.path()).await;
    let (backend, grpc) = backend(dir.path()).await;
    let url = adapter(dir.path(), format!("http://{grpc}")).await;
    let token = token(dir.path()).await;
    let bare = BareClient::default();
    let created = call(
        &bare,
        &url,
        &token,
        "sre.createIncident",
        json!({"incident": {"title": "big timeline", "severity": "SEVERITY_HIGH"}}),
    )
    .await;
    let Outcome::Ok(created) = created else {
        panic!("{created:?}")
    };
    let id = created["incident"]["incidentId"]
        .as_str()
        .unwrap()
        .to_string();
    let facts_before = backend.facts().framed().len();

    // The contract bounds an entry at 65,536 characters (a longer one is refused by its
    // rules before the backend sees it), so the cap is reached in more appends.
    let text = "t".repeat(65_536);
    let (mut applied, mut refused) = (0, 0);
    for i in 0..40 {
        let args = json!({"incidentId": id, "entry": {"text": text}});
        match call(&bare, &url, &token, "sre.addIncidentTimelineEntry", args).await {
            Outcome::Ok(reply) => {
                assert_eq!(refused, 0, "append {i} applied after a refusal");
                applied += 1;
                let timeline = reply["incident"]["timeline"].as_array().unwrap();
                assert_eq!(timeline.len(), applied, "append {i}");
            }
            Outcome::ToolError(text) => {
                assert!(
                    text.starts_with("FAILED_PRECONDITION: ") && text.contains("bytes"),
                    "append {i}: {text}"
                );
                refused += 1;
            }
            other => panic!("append {i} is neither applied nor refused: {other:?}"),
        }
    }
    assert!(
        applied >= 1 && refused >= 1,
        "{applied} applied, {refused} refused"
    );
    assert_eq!(
        backend.facts().framed().len(),
        facts_before + applied,
        "a fact for each applied append, none for the refused"
    );
    let got = call(
        &bare,
        &url,
        &token,
        "sre.getIncident",
        json!({"incidentId": id}),
    )
    .await;
    let Outcome::Ok(got) = got else {
        panic!("getIncident: {got:?}")
    };
    assert_eq!(
        got["incident"]["timeline"].as_array().unwrap().len(),
        applied,
        "the refused appends are not committed"
    );
    let listed = call(&bare, &url, &token, "sre.listOpenIncidents", json!({})).await;
    let Outcome::Ok(listed) = listed else {
        panic!("listOpenIncidents: {listed:?}")
    };
    let ids: Vec<&str> = listed["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["incidentId"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&id.as_str()), "{ids:?}");
}

/// Row 9 of the probe: the MCP endpoint answered HTTP 415 to a body that is not JSON,
/// to `null` and to arrays. Now: 400 with JSON-RPC `-32700` (parse error) for invalid
/// JSON, `-32600` (invalid request) for anything that is not a JSON-RPC request object.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_json_rpc_bodies_are_400_with_json_rpc_errors() {
    let dir = tempfile::tempdir().unwrap();
    keys(dir.path()).await;
    let (_backend, grpc) = backend(dir.path()).await;
    let url = adapter(dir.path(), format!("http://{grpc}")).await;
    let token = token(dir.path()).await;
    let bare = BareClient::default();
    let cases: &[(&str, i64, Value)] = &[
        ("{not json", -32700, Value::Null),
        ("", -32700, Value::Null),
        ("null", -32600, Value::Null),
        ("[]", -32600, Value::Null),
        (
            r#"[{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}]"#,
            -32600,
            Value::Null,
        ),
        ("42", -32600, Value::Null),
        (r#""tools/list""#, -32600, Value::Null),
        (r#"{"id": 1, "method": "tools/list"}"#, -32600, json!(1)),
        (
            r#"{"jsonrpc": "1.0", "id": 2, "method": "tools/list"}"#,
            -32600,
            json!(2),
        ),
        (r#"{"jsonrpc": "2.0", "id": 3}"#, -32600, json!(3)),
        (
            r#"{"jsonrpc": "2.0", "id": 4, "method": 5}"#,
            -32600,
            json!(4),
        ),
        (
            r#"{"jsonrpc": "2.0", "id": {}, "method": "tools/list"}"#,
            -32600,
            Value::Null,
        ),
    ];
    for (body, code, id) in cases {
        let (status, reply) = bare.post(&url, &token, body.to_string()).await;
        let text = String::from_utf8_lossy(&reply);
        assert_eq!(status, 400, "{body}: {text}");
        let reply: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{body}: {e}: {text}"));
        assert_eq!(reply["jsonrpc"], "2.0", "{body}: {text}");
        assert_eq!(reply["error"]["code"], *code, "{body}: {text}");
        assert_eq!(reply["id"], *id, "{body}: {text}");
        assert!(
            reply["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    // A valid request still works.
    let listed = bare
        .post(
            &url,
            &token,
            json!({"jsonrpc": "2.0", "id": 9, "method": "tools/list"}).to_string(),
        )
        .await;
    assert_eq!(listed.0, 200, "{}", String::from_utf8_lossy(&listed.1));
}

/// Row 9 of the probe: a token whose `tenantId` claim is not a tenant id (spaces,
/// control or non-ASCII characters, thousands of characters) reached the backend and
/// came back as `-32603`. Now it is the adapter's auth error: a 401 naming the claim.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_tenant_claim_is_an_auth_error() {
    let dir = tempfile::tempdir().unwrap();
    keys(dir.path()).await;
    let (_backend, grpc) = backend(dir.path()).await;
    let url = adapter(dir.path(), format!("http://{grpc}")).await;
    let bare = BareClient::default();
    let long = "a".repeat(8_000);
    for tenant in [
        " acme",
        "acme ",
        "ac me",
        "acme\u{7f}",
        "acmé",
        "ac\"me",
        long.as_str(),
    ] {
        let token = token_for(dir.path(), tenant).await;
        let (status, body) = bare
            .tools_call(&url, &token, "sre.listOpenIncidents", json!({}))
            .await;
        let body = String::from_utf8_lossy(&body);
        assert_eq!(
            status,
            401,
            "tenant {:?}: {body}",
            &tenant[..tenant.len().min(20)]
        );
        assert!(body.contains("tenantId"), "{body}");
    }
}

/// Starts an adapter with `--dev-no-auth` (tenant `acme`) in front of `upstream`,
/// with `tweak` applied to its config; returns its `/mcp` URL.
async fn dev_adapter(upstream: String, tweak: impl FnOnce(&mut Config)) -> String {
    let mut config = Config {
        upstream,
        dev_no_auth: true,
        dev_tenant: "acme".into(),
        ..Config::default()
    };
    tweak(&mut config);
    adapter_with(config).await
}

/// Row 10 of the probe: the backend trusted `x-tenant-id` from anyone. An adapter
/// configured with the backend's shared key works end to end; one without it gets
/// the backend's `UNAUTHENTICATED`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_adapter_with_the_backends_shared_key_works_end_to_end() {
    const KEY: &str = "s3cret-key-0123456789";
    let grpc = format!(
        "http://{}",
        backend_with(ServerOptions {
            key: Some(SharedKey::new(KEY).unwrap()),
            ..ServerOptions::default()
        })
        .await
    );
    let with_key = dev_adapter(grpc.clone(), |c| {
        c.upstream_key = Some(UpstreamKey::new(KEY).unwrap());
    })
    .await;
    let without_key = dev_adapter(grpc, |_| {}).await;
    let bare = BareClient::default();

    let args = json!({"incident": {"title": "keyed", "severity": "SEVERITY_LOW"}});
    let created = call(&bare, &with_key, "-", "sre.createIncident", args).await;
    let Outcome::Ok(created) = created else {
        panic!("{created:?}")
    };
    let id = created["incident"]["incidentId"].clone();
    let got = call(
        &bare,
        &with_key,
        "-",
        "sre.getIncident",
        json!({"incidentId": id}),
    )
    .await;
    let Outcome::Ok(got) = got else {
        panic!("{got:?}")
    };
    assert_eq!(got["incident"]["title"], "keyed");

    match call(&bare, &without_key, "-", "sre.listOpenIncidents", json!({})).await {
        Outcome::RpcError(-32603, message) => {
            assert!(message.contains("UNAUTHENTICATED"), "{message}")
        }
        other => panic!("without the key: {other:?}"),
    }
}

/// An `SreIncidentQueryService` that never answers.
struct Silent;

#[tonic::async_trait]
impl SreIncidentQueryService for Silent {
    async fn get_incident(
        &self,
        _: tonic::Request<GetIncidentRequest>,
    ) -> Result<tonic::Response<GetIncidentResponse>, tonic::Status> {
        std::future::pending().await
    }

    async fn list_open_incidents(
        &self,
        _: tonic::Request<ListOpenIncidentsRequest>,
    ) -> Result<tonic::Response<ListOpenIncidentsResponse>, tonic::Status> {
        std::future::pending().await
    }
}

/// Row 7 of the probe: with the backend stopped (SIGSTOP), a tool call waited as
/// long as the client did. Every backend call now has a deadline: against a backend
/// that accepts connections but never speaks, and one whose handler never answers,
/// the call is a tool error naming the deadline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backend_calls_have_a_deadline() {
    // Accepts TCP connections (the kernel does, for a stopped process) and never
    // answers.
    let mute = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mute_url = format!("http://{}", mute.local_addr().unwrap());
    let _held = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = mute.accept().await {
            held.push(socket);
        }
    });
    let silent = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_url = format!("http://{}", silent.local_addr().unwrap());
    tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(SreIncidentQueryServiceServer::new(Silent))
            .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(silent)),
    );
    let bare = BareClient::default();
    for upstream in [mute_url, silent_url] {
        let url = dev_adapter(upstream.clone(), |c| {
            c.upstream_timeout = Duration::from_millis(700);
        })
        .await;
        let args = json!({"incidentId": "inc-1"});
        // The bound of the test itself, not of the adapter: far above the deadline.
        let called = tokio::time::timeout(
            Duration::from_secs(30),
            call(&bare, &url, "-", "sre.getIncident", args),
        )
        .await
        .unwrap_or_else(|_| panic!("{upstream}: no answer within 30 s"));
        match called {
            Outcome::ToolError(text) => {
                assert!(
                    text.starts_with("DEADLINE_EXCEEDED: "),
                    "{upstream}: {text}"
                );
                assert!(text.contains("700ms"), "names the deadline: {text}");
            }
            other => panic!("{upstream}: {other:?}"),
        }
    }
}

/// The address (`host:port`) of an adapter's `/mcp` URL.
fn authority(url: &str) -> String {
    url.trim_start_matches("http://")
        .trim_end_matches("/mcp")
        .to_string()
}

/// Row 8 of the probe: an HTTP/2 connection to the adapter could open streams up to
/// hyper's default. The adapter advertises its own limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_streams_per_connection_are_bounded() {
    let url = dev_adapter("http://127.0.0.1:1".into(), |_| {}).await;
    let (_client, connection) = h2_probe::settled(authority(&url)).await;
    assert_eq!(
        connection.max_concurrent_send_streams(),
        mcp_adapter::server::DEFAULT_MAX_CONCURRENT_STREAMS as usize
    );
}

/// Reads `tcp` until the server closes it; what it sent. The test's own bound (30 s)
/// is far above the adapter's header read timeout.
async fn until_closed(tcp: &mut tokio::net::TcpStream) -> String {
    use tokio::io::AsyncReadExt;
    let mut got = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), tcp.read_to_end(&mut got))
        .await
        .expect("the adapter closes a slow client's connection")
        .ok();
    String::from_utf8_lossy(&got).into_owned()
}

/// Row 8 of the probe: 1,100 connections sending their headers slowly (or nothing)
/// were all kept open. A client that has not sent its request head within the header
/// read timeout is disconnected.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_disconnected_after_the_header_read_timeout() {
    use tokio::io::AsyncWriteExt;
    let url = dev_adapter("http://127.0.0.1:1".into(), |c| {
        c.http.header_read_timeout = Duration::from_millis(500);
    })
    .await;
    let mut silent = tokio::net::TcpStream::connect(authority(&url))
        .await
        .unwrap();
    let mut partial = tokio::net::TcpStream::connect(authority(&url))
        .await
        .unwrap();
    partial
        .write_all(b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .await
        .unwrap();
    let mut preface = tokio::net::TcpStream::connect(authority(&url))
        .await
        .unwrap();
    preface.write_all(b"PRI * HTTP/2.0\r\n").await.unwrap();
    for (what, tcp) in [
        ("nothing", &mut silent),
        ("half a head", &mut partial),
        ("half the HTTP/2 preface", &mut preface),
    ] {
        let answer = until_closed(tcp).await;
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
            "{what}: {answer}"
        );
    }
}

/// Row 8 of the probe: request heads were read up to hyper's 400 KB buffer. A head
/// over the adapter's limit is answered 431.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_heads_over_the_limit_are_431() {
    use tokio::io::AsyncWriteExt;
    let url = dev_adapter("http://127.0.0.1:1".into(), |_| {}).await;
    let mut tcp = tokio::net::TcpStream::connect(authority(&url))
        .await
        .unwrap();
    let pad = "p".repeat(mcp_adapter::server::DEFAULT_MAX_HEADER_BYTES + 1024);
    let head = format!(
        "GET /.well-known/mcp-tools.json HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: {pad}\r\n\r\n"
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    let answer = until_closed(&mut tcp).await;
    assert!(
        answer.starts_with("HTTP/1.1 431"),
        "{}",
        &answer[..answer.len().min(200)]
    );
    // A head under the limit is served.
    let mut tcp = tokio::net::TcpStream::connect(authority(&url))
        .await
        .unwrap();
    tcp.write_all(
        b"GET /.well-known/mcp-tools.json HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )
    .await
    .unwrap();
    let answer = until_closed(&mut tcp).await;
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "{}",
        &answer[..answer.len().min(200)]
    );
}
