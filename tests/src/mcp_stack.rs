//! The MCP adapter in front of the reference SRE backend, in-process, for the MCP
//! test (`tests/mcp_adapter.rs`) and benchmark (`benches/mcp_adapter.rs`): keys, JWKS
//! and seed come from `tests/python/mcp_adapter_client.py keys`.

use crate::{run, script};
use mcp_adapter::config::{Config, JwksSource};
use sre_backend::Backend;
use sre_backend::facts::FactLog;
use sre_backend::server::ServerOptions;
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
    adapter_with(Config {
        upstream,
        issuer: Some(ISSUER.into()),
        jwks: Some(JwksSource::File(dir.join("jwks.json"))),
        allowed_origins: vec![ALLOWED_ORIGIN.into()],
        ..Config::default()
    })
    .await
}

/// Starts an adapter with `config` on a free loopback port; returns its `/mcp` URL.
pub async fn adapter_with(config: Config) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    tokio::spawn(async move {
        mcp_adapter::serve(&config, listener, std::future::pending())
            .await
            .unwrap()
    });
    url
}

/// Starts an empty backend with `options` on a free loopback port; returns its
/// address (`127.0.0.1:PORT`).
pub async fn backend_with(options: ServerOptions) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let backend = Backend::new(Default::default(), FactLog::in_memory(1));
    tokio::spawn(async move {
        backend
            .serve_with(listener, &options, std::future::pending())
            .await
    });
    addr
}

/// A bare HTTP/1.1 client posting JSON-RPC `tools/call` requests to an adapter (no MCP
/// SDK: what the adapter itself answers).
pub struct BareClient {
    client: hyper_util::client::legacy::Client<
        hyper_util::client::legacy::connect::HttpConnector,
        http_body_util::Full<bytes::Bytes>,
    >,
}

impl Default for BareClient {
    fn default() -> Self {
        Self {
            client: hyper_util::client::legacy::Client::builder(
                hyper_util::rt::TokioExecutor::new(),
            )
            .build_http(),
        }
    }
}

impl BareClient {
    /// Calls `tool` with `arguments` on the adapter at `url` with `token`; the HTTP
    /// status and the body.
    pub async fn tools_call(
        &self,
        url: &str,
        token: &str,
        tool: &str,
        arguments: serde_json::Value,
    ) -> (http::StatusCode, bytes::Bytes) {
        let body = serde_json::json!({
            "jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": tool, "arguments": arguments},
        });
        self.post(url, token, body.to_string()).await
    }

    /// Posts `body` as `application/json` to the adapter at `url` with `token` (as an
    /// MCP client would, whatever the body is); the HTTP status and the body.
    pub async fn post(
        &self,
        url: &str,
        token: &str,
        body: String,
    ) -> (http::StatusCode, bytes::Bytes) {
        let request = http::Request::post(url)
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .header("authorization", format!("Bearer {token}"))
            .body(http_body_util::Full::new(bytes::Bytes::from(body)))
            .unwrap();
        let response = self.client.request(request).await.unwrap();
        let status = response.status();
        let body = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes();
        (status, body)
    }
}

/// The backend (seeded) and an adapter in front of it, with a token for each of the
/// seed's two tenants: `(backend, adapter URL, acme's token, globex's token)`. Keep
/// `dir` alive while they run.
pub async fn two_tenants(dir: &Path) -> (Backend, String, String, String) {
    keys(dir).await;
    let (backend, grpc) = backend(dir).await;
    let url = adapter(dir, format!("http://{grpc}")).await;
    let (acme, globex) = (token(dir).await, token_for(dir, "globex").await);
    (backend, url, acme, globex)
}

/// A valid token of the script's keys (tenant `acme`, scope `mcp:tools`).
pub async fn token(dir: &Path) -> String {
    token_for(dir, "acme").await
}

/// A token of the script's keys whose `tenantId` claim is `tenant`, exactly as given
/// (scope `mcp:tools`).
pub async fn token_for(dir: &Path, tenant: &str) -> String {
    let mut token = script("mcp_adapter_client.py");
    token.arg("token").arg(dir).arg(tenant);
    let out = tokio::task::spawn_blocking(move || run(token))
        .await
        .unwrap();
    out.trim().to_string()
}
