//! The MCP adapter (`apps/mcp-adapter`) in front of the reference SRE backend
//! (`apps/sre-backend`), driven by the official Python MCP SDK over Streamable HTTP
//! (`tests/python/mcp_adapter_client.py run`): the tool list against the catalog, every
//! query tool with and without results, the incident flow with its facts, errors, and
//! the security rules (tokens the script signs with its own RSA and EC keys).

use interop_tests::mcp_stack::{BareClient, adapter, backend, keys, token};
use interop_tests::{run, script};
use tokio::net::TcpListener;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_mcp_client_drives_the_adapter() {
    let dir = tempfile::tempdir().unwrap();
    keys(dir.path()).await;
    let (backend, grpc) = backend(dir.path()).await;
    let url = adapter(dir.path(), format!("http://{grpc}")).await;
    // A port nobody listens on: the backend of this adapter is down.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead_upstream = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let dead = adapter(dir.path(), dead_upstream).await;

    let mut checks = script("mcp_adapter_client.py");
    checks.arg("run").arg(dir.path()).args([&url, &grpc, &dead]);
    let out = tokio::task::spawn_blocking(move || run(checks))
        .await
        .unwrap();
    println!("{out}");
    let passed: Vec<&str> = out.lines().filter(|l| l.starts_with("ok ")).collect();
    assert_eq!(passed.len(), 12, "{out}");
    // The log the script decoded is the backend's own, record for record.
    let log = std::fs::read(dir.path().join("facts.log")).unwrap();
    let records = sre_backend::facts::read_log(&log).unwrap();
    assert_eq!(records, backend.facts().framed());
    assert_eq!(
        records.len(),
        7,
        "the flow's seven facts, none from refused calls"
    );
}

/// `--jwks-url`: the JWKS is fetched once at start (here from a local HTTP server), and
/// tokens signed with its keys are accepted; a URL that does not serve a JWKS stops
/// the adapter from starting, naming the URL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_jwks_is_fetched_from_a_url_at_start() {
    use mcp_adapter::config::{Config, JwksSource};
    let dir = tempfile::tempdir().unwrap();
    keys(dir.path()).await;
    let (_backend, grpc) = backend(dir.path()).await;
    let jwks = std::fs::read_to_string(dir.path().join("jwks.json")).unwrap();
    let issuer_listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}", issuer_listener.local_addr().unwrap());
    let app = axum::Router::new().route("/certs", axum::routing::get(move || async move { jwks }));
    tokio::spawn(async move { axum::serve(issuer_listener, app).await.unwrap() });

    let config = |url: String| Config {
        upstream: format!("http://{grpc}"),
        issuer: Some(interop_tests::mcp_stack::ISSUER.into()),
        jwks: Some(JwksSource::Url(url)),
        ..Config::default()
    };
    let local: std::net::SocketAddr = "127.0.0.1:1".parse().unwrap();
    let missing = format!("{issuer}/nothing-here");
    let err = mcp_adapter::build(&config(missing.clone()), local)
        .await
        .unwrap_err();
    assert!(err.contains(&missing) && err.contains("404"), "{err}");

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    let app = mcp_adapter::build(
        &config(format!("{issuer}/certs")),
        listener.local_addr().unwrap(),
    )
    .await
    .unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let token = token(dir.path()).await;
    let bare = BareClient::default();
    let get = |token: String| {
        let (bare, url) = (&bare, url.clone());
        async move {
            let (status, body) = bare
                .tools_call(
                    &url,
                    &token,
                    "sre.getIncident",
                    serde_json::json!({"incidentId": "inc-old"}),
                )
                .await;
            (status, String::from_utf8_lossy(&body).into_owned())
        }
    };
    let (status, body) = get(token.clone()).await;
    assert_eq!(status, 200, "{body}");
    let reply: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        reply["result"]["structuredContent"]["incident"]["incidentId"], "inc-old",
        "{body}"
    );
    let (status, _) = get(format!("{token}x")).await;
    assert_eq!(status, 401);
}
