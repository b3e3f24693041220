//! The MCP adapter in front of the reference SRE backend, in-process, for the MCP
//! test (`tests/mcp_adapter.rs`) and benchmark (`benches/mcp_adapter.rs`): keys, JWKS
//! and seed come from `tests/python/mcp_adapter_client.py keys`.

use crate::{run, script};
use mcp_adapter::config::{Config, JwksSource};
use sre_backend::Backend;
use sre_backend::facts::FactLog;
use std::path::Path;
use tokio::net::TcpListener;

/// The issuer the script's tokens name.
pub const ISSUER: &str = "https://idp.example.test/realms/ameide";
/// The browser origin the adapter allows.
pub const ALLOWED_ORIGIN: &str = "http://allowed.example.test";

/// Writes the script's keys, JWKS and seed into `dir`.
pub async fn keys(dir: &Path) {
    let mut keys = script("mcp_adapter_client.py");
    keys.arg("keys").arg(dir);
    tokio::task::spawn_blocking(move || run(keys))
        .await
        .unwrap();
}

/// Starts the backend with `dir/seed.json`, logging facts to `dir/facts.log`; returns
/// it and its gRPC address.
pub async fn backend(dir: &Path) -> (Backend, String) {
    let seed = std::fs::read_to_string(dir.join("seed.json")).unwrap();
    let tenants = sre_backend::store::parse_seed(&seed).unwrap();
    let facts = FactLog::to_file(1, &dir.join("facts.log")).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let backend = Backend::new(tenants, facts);
    tokio::spawn(backend.clone().serve(listener, std::future::pending()));
    (backend, addr.to_string())
}

/// Starts an adapter in front of `upstream` with `dir/jwks.json`; returns its `/mcp`
/// URL.
pub async fn adapter(dir: &Path, upstream: String) -> String {
    let config = Config {
        upstream,
        issuer: Some(ISSUER.into()),
        jwks: Some(JwksSource::File(dir.join("jwks.json"))),
        allowed_origins: vec![ALLOWED_ORIGIN.into()],
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
