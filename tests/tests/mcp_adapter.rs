//! The MCP adapter (`apps/mcp-adapter`) in front of the reference SRE backend
//! (`apps/sre-backend`), driven by the official Python MCP SDK over Streamable HTTP
//! (`tests/python/mcp_adapter_client.py`): the tool list against the catalog, every
//! query tool with and without results, the incident flow with its facts, errors, and
//! the security rules (tokens the script signs with its own RSA and EC keys).

use interop_tests::{run, script};
use mcp_adapter::config::{Config, JwksSource};
use sre_backend::Backend;
use sre_backend::facts::FactLog;
use std::path::Path;
use tokio::net::TcpListener;

/// Starts the backend; returns its gRPC address.
async fn backend(dir: &Path) -> String {
    let seed = std::fs::read_to_string(dir.join("seed.json")).unwrap();
    let tenants = sre_backend::store::parse_seed(&seed).unwrap();
    let facts = FactLog::to_file(1, &dir.join("facts.log")).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(Backend::new(tenants, facts).serve(listener, std::future::pending()));
    addr.to_string()
}

/// Starts an adapter in front of `upstream`; returns its `/mcp` URL.
async fn adapter(dir: &Path, upstream: String) -> String {
    let config = Config {
        upstream,
        issuer: Some("https://idp.example.test/realms/ameide".into()),
        jwks: Some(JwksSource::File(dir.join("jwks.json"))),
        allowed_origins: vec!["http://allowed.example.test".into()],
        max_body_bytes: 1 << 20,
        ..Config::default()
    };
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    tokio::spawn(async move {
        mcp_adapter::serve(&config, listener, std::future::pending())
            .await
            .unwrap()
    });
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_mcp_client_drives_the_adapter() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap().to_string();
    let mut keys = script("mcp_adapter_client.py");
    keys.args(["keys", &d]);
    tokio::task::spawn_blocking(move || run(keys))
        .await
        .unwrap();

    let grpc = backend(dir.path()).await;
    let url = adapter(dir.path(), format!("http://{grpc}")).await;
    // A port nobody listens on: the backend of this adapter is down.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead_upstream = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let dead = adapter(dir.path(), dead_upstream).await;

    let mut checks = script("mcp_adapter_client.py");
    checks.args(["run", &d, &url, &grpc, &dead]);
    let out = tokio::task::spawn_blocking(move || run(checks))
        .await
        .unwrap();
    let passed: Vec<&str> = out.lines().filter(|l| l.starts_with("ok ")).collect();
    assert_eq!(passed.len(), 11, "{out}");
    // The fact log the script read is the backend's own, record for record.
    let log = std::fs::read(dir.path().join("facts.log")).unwrap();
    let records = sre_backend::facts::read_log(&log).unwrap();
    assert!(records.len() >= 7, "{} facts", records.len());
}
