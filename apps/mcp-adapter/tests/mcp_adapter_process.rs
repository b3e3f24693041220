//! The `mcp-adapter` binary as a process: the drain on SIGTERM.

use ameide_sre_proto::core::v1::sre_incident_query_service_server::{
    SreIncidentQueryService, SreIncidentQueryServiceServer,
};
use ameide_sre_proto::core::v1::{
    GetIncidentRequest, GetIncidentResponse, Incident, ListOpenIncidentsRequest,
    ListOpenIncidentsResponse,
};
use http_body_util::BodyExt;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpListener;
use tokio::process::Command;
use tokio::sync::Notify;

/// The bound of each wait of this test (not of the adapter).
const PATIENCE: Duration = Duration::from_secs(60);

/// A backend whose `GetIncident` says when it is called, then answers only when
/// released.
struct Held {
    entered: Arc<Notify>,
    release: Arc<Notify>,
}

#[tonic::async_trait]
impl SreIncidentQueryService for Held {
    async fn get_incident(
        &self,
        _: tonic::Request<GetIncidentRequest>,
    ) -> Result<tonic::Response<GetIncidentResponse>, tonic::Status> {
        self.entered.notify_one();
        self.release.notified().await;
        Ok(tonic::Response::new(GetIncidentResponse {
            incident: Some(Incident {
                incident_id: "inc-held".into(),
                ..Default::default()
            }),
        }))
    }

    async fn list_open_incidents(
        &self,
        _: tonic::Request<ListOpenIncidentsRequest>,
    ) -> Result<tonic::Response<ListOpenIncidentsResponse>, tonic::Status> {
        Ok(tonic::Response::new(ListOpenIncidentsResponse::default()))
    }
}

/// Row 4 of the probe: SIGTERM killed the adapter with tool calls in flight. Now it
/// stops accepting, finishes the calls in flight, and exits 0. The call here is in
/// flight for sure: the backend holds it until the adapter no longer accepts
/// connections.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_drains_the_calls_in_flight_and_exits_0() {
    let (entered, release) = (Arc::new(Notify::new()), Arc::new(Notify::new()));
    let upstream = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream_url = format!("http://{}", upstream.local_addr().unwrap());
    let held = Held {
        entered: entered.clone(),
        release: release.clone(),
    };
    tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(SreIncidentQueryServiceServer::new(held))
            .serve_with_incoming(tokio_stream_listener(upstream)),
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_mcp-adapter"))
        .args(["--listen", "127.0.0.1:0", "--upstream", &upstream_url])
        .args(["--dev-no-auth", "--dev-tenant", "acme"])
        .env_remove("MCP_ADAPTER_UPSTREAM_KEY")
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = tokio::time::timeout(PATIENCE, async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(rest) = line.strip_prefix("mcp listening on ") {
                return rest.split(' ').next().unwrap().to_string();
            }
        }
        panic!("the adapter stopped before listening");
    })
    .await
    .expect("the adapter listens");
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches("/mcp")
        .to_string();

    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Full<bytes::Bytes>>();
    let body = serde_json::json!({
        "jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": "sre.getIncident", "arguments": {"incidentId": "inc-held"}},
    });
    let request = http::Request::post(&url)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(http_body_util::Full::new(bytes::Bytes::from(
            body.to_string(),
        )))
        .unwrap();
    let call = tokio::spawn(client.request(request));
    tokio::time::timeout(PATIENCE, entered.notified())
        .await
        .expect("the call reaches the backend");

    let pid = child.id().unwrap().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    tokio::time::timeout(PATIENCE, async {
        while tokio::net::TcpStream::connect(&addr).await.is_ok() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the adapter stops accepting after SIGTERM");
    release.notify_one();

    let response = tokio::time::timeout(PATIENCE, call)
        .await
        .expect("an answer")
        .unwrap()
        .unwrap();
    assert_eq!(response.status(), 200);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let reply: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        reply["result"]["structuredContent"]["incident"]["incidentId"], "inc-held",
        "{reply}"
    );
    let status = tokio::time::timeout(PATIENCE, child.wait())
        .await
        .expect("the adapter exits")
        .unwrap();
    assert_eq!(status.code(), Some(0));
}

fn tokio_stream_listener(
    listener: TcpListener,
) -> impl tokio_stream::Stream<Item = std::io::Result<tokio::net::TcpStream>> {
    tokio_stream::wrappers::TcpListenerStream::new(listener)
}
