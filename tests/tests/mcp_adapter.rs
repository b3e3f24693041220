//! The MCP adapter (`apps/mcp-adapter`) in front of the reference SRE backend
//! (`apps/sre-backend`), driven by the official Python MCP SDK over Streamable HTTP
//! (`tests/python/mcp_adapter_client.py run`): the tool list against the catalog, every
//! query tool with and without results, the incident flow with its facts, errors, and
//! the security rules (tokens the script signs with its own RSA and EC keys).

use interop_tests::mcp_stack::{adapter, backend, keys};
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
    assert_eq!(passed.len(), 11, "{out}");
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
