//! An in-process Chaukas ingest server (`apps/chaukas-ingest-server`) on
//! `127.0.0.1:0`, with gRPC and raw HTTP/1.1 helpers, for the tests that drive it.

use chaukas_ingest_server as ingest_server;
use chaukas_spec_client::client::v1::chaukas_client_service_client::ChaukasClientServiceClient;
use chaukas_spec_server::common::v1::Event;
use chaukas_spec_server::server::v1::chaukas_server_service_client::ChaukasServerServiceClient;
use common_eventing::wkt::Any;
use ingest_server::store::{EventStore, MemoryStore};
use ingest_server::{Config, DEFAULT_MAX_BODY_BYTES, Running};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tonic::transport::Channel;

/// Upper bound of any single step (a call, a script, a shutdown).
pub const STEP: Duration = Duration::from_secs(60);

/// An in-process ingest server; stops when dropped or by [`TestServer::stop`].
pub struct TestServer {
    /// The gRPC address.
    pub grpc: SocketAddr,
    /// The HTTP address.
    pub http: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    running: Option<Running>,
}

/// The default configuration on free loopback ports (`127.0.0.1:0` for both).
pub fn loopback() -> Config {
    Config {
        grpc: "127.0.0.1:0".parse().unwrap(),
        http: "127.0.0.1:0".parse().unwrap(),
        ..Config::default()
    }
}

impl TestServer {
    /// Starts a server with an optional API key and a body limit.
    pub async fn start(api_key: Option<&str>, max_body_bytes: usize) -> Self {
        let config = Config {
            api_key: api_key.map(str::to_owned),
            max_body_bytes,
            ..loopback()
        };
        Self::with_config(&config).await
    }

    /// Starts a server with `config` (its addresses should be port 0) and a memory store.
    pub async fn with_config(config: &Config) -> Self {
        Self::with_store(config, Arc::new(MemoryStore::with_limits(config.limits))).await
    }

    /// Starts a server with `config` over `store`.
    pub async fn with_store(config: &Config, store: Arc<dyn EventStore>) -> Self {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let shutdown = async move {
            let _ = stopped.await;
        };
        let running = ingest_server::start(config, store, shutdown)
            .await
            .expect("the ingest server starts");
        Self {
            grpc: running.grpc_addr,
            http: running.http_addr,
            stop: Some(stop),
            running: Some(running),
        }
    }

    /// Starts a server with no auth and the default body limit.
    pub async fn open() -> Self {
        Self::start(None, DEFAULT_MAX_BODY_BYTES).await
    }

    /// A gRPC channel to the server.
    pub async fn channel(&self) -> Channel {
        tokio::time::timeout(
            STEP,
            Channel::from_shared(format!("http://{}", self.grpc))
                .unwrap()
                .connect(),
        )
        .await
        .expect("connect timed out")
        .expect("connect")
    }

    /// A `ChaukasServerService` client.
    pub async fn server_client(&self) -> ChaukasServerServiceClient<Channel> {
        ChaukasServerServiceClient::new(self.channel().await)
    }

    /// A `ChaukasClientService` client.
    pub async fn client_client(&self) -> ChaukasClientServiceClient<Channel> {
        ChaukasClientServiceClient::new(self.channel().await)
    }

    /// Signals shutdown and waits for both servers to drain.
    pub async fn stop(mut self) -> Result<(), String> {
        drop(self.stop.take());
        let running = self.running.take().unwrap();
        tokio::time::timeout(STEP, running.wait())
            .await
            .map_err(|_| "shutdown timed out".to_string())?
    }
}

/// A gRPC request with optional `authorization: Bearer` and tenant metadata.
pub fn req<T>(message: T, key: Option<&str>, tenant: Option<&str>) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request.set_timeout(STEP);
    if let Some(key) = key {
        let value = format!("Bearer {key}").parse().unwrap();
        request.metadata_mut().insert("authorization", value);
    }
    if let Some(tenant) = tenant {
        request
            .metadata_mut()
            .insert("x-chaukas-tenant", tenant.parse().unwrap());
    }
    request
}

/// An HTTP/1.1 response: status, content-type and body.
#[derive(Debug)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The content type, lower case.
    pub content_type: String,
    /// The header block, lower case.
    pub headers: String,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The body as JSON (asserting the content type).
    pub fn json(&self) -> serde_json::Value {
        assert_eq!(self.content_type, "application/json", "{self:?}");
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {self:?}"))
    }
}

/// One request on a fresh connection (`Connection: close`), in one bounded step.
pub async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> HttpResponse {
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\ncontent-length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await.unwrap();
        // A server refusing an oversized body may close before reading all of it.
        let _ = stream.write_all(body).await;
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw).await;
        raw
    };
    let raw = tokio::time::timeout(STEP, exchange)
        .await
        .expect("HTTP exchange timed out");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP response: {:?}", String::from_utf8_lossy(&raw)));
    let headers = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = headers[9..12].parse().unwrap();
    let content_type = headers
        .lines()
        .find_map(|l| l.strip_prefix("content-type: "))
        .unwrap_or("")
        .to_string();
    assert!(!headers.contains("transfer-encoding"), "{headers}");
    HttpResponse {
        status,
        content_type,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// A JSON content type header.
pub const JSON: (&str, &str) = ("content-type", "application/json");
/// A protobuf content type header.
pub const PROTOBUF: (&str, &str) = ("content-type", "application/x-protobuf");

/// `k` `Event`s nested through `extensions`: the outer `Event` is level 0, its `Any`
/// level 1, the packed `Event` level 2, ..., the innermost `Event` level `2k - 2`,
/// and `k - 1` `Any`s at the odd levels.
pub fn nested(k: u32) -> Event {
    let mut event = Event {
        event_id: "e-innermost".into(),
        tenant_id: "t".into(),
        ..Event::default()
    };
    for i in 1..k {
        event = Event {
            event_id: format!("e-{i}"),
            tenant_id: "t".into(),
            extensions: vec![Any::pack(&event)],
            ..Event::default()
        };
    }
    event
}
