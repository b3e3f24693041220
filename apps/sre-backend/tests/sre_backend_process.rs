//! The `sre-backend` binary as a process: where it may listen without a key, and the
//! drain on SIGTERM.

use ameide_sre_proto::core::v1::{GetIncidentRequest, GetIncidentResponse};
use bytes::Bytes;
use prost::Message;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};

const BIN: &str = env!("CARGO_BIN_EXE_sre-backend");
/// The bound of each wait of these tests (not of the backend).
const PATIENCE: Duration = Duration::from_secs(60);

/// Starts the backend with `args`; the child and its stdout up to and including
/// `grpc listening on ADDR`, and ADDR.
async fn start(args: &[&str], env_key: Option<&str>) -> (Child, Vec<String>, String) {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_remove("SRE_BACKEND_SHARED_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(key) = env_key {
        command.env("SRE_BACKEND_SHARED_KEY", key);
    }
    let mut child = command.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    let addr = tokio::time::timeout(PATIENCE, async {
        while let Some(line) = lines.next_line().await.unwrap() {
            seen.push(line.clone());
            if let Some(addr) = line.strip_prefix("grpc listening on ") {
                return addr.to_string();
            }
        }
        panic!("the backend stopped before listening: {seen:?}");
    })
    .await
    .expect("the backend listens");
    // Keep draining stdout so the backend never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, seen, addr)
}

fn sigterm(child: &Child) {
    let pid = child.id().expect("running").to_string();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(status.success());
}

async fn exit_code(mut child: Child) -> (Option<i32>, String) {
    let status = tokio::time::timeout(PATIENCE, child.wait())
        .await
        .expect("the backend exits")
        .unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .await
        .unwrap();
    (status.code(), stderr)
}

/// Row 10 of the probe: the backend listened anywhere with no authentication. Without
/// a key it refuses a non-loopback address unless `--allow-unauthenticated` is given,
/// and says at start that auth is off.
#[tokio::test]
async fn without_a_key_only_loopback_unless_allowed() {
    let refused = Command::new(BIN)
        .args(["--grpc", "0.0.0.0:0"])
        .env_remove("SRE_BACKEND_SHARED_KEY")
        .kill_on_drop(true)
        .output();
    let refused = tokio::time::timeout(PATIENCE, refused)
        .await
        .expect("the backend refuses to start")
        .unwrap();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("--allow-unauthenticated") && stderr.contains("--shared-key-file"),
        "{stderr}"
    );

    let (child, seen, _) = start(&["--grpc", "127.0.0.1:0"], None).await;
    assert!(
        seen[0].starts_with("auth off: listening on loopback only"),
        "{seen:?}"
    );
    sigterm(&child);
    assert_eq!(exit_code(child).await.0, Some(0));

    let (child, seen, addr) =
        start(&["--grpc", "0.0.0.0:0", "--allow-unauthenticated"], None).await;
    assert!(seen[0].starts_with("auth off: any caller"), "{seen:?}");
    assert!(addr.starts_with("0.0.0.0:"), "{addr}");
    sigterm(&child);
    assert_eq!(exit_code(child).await.0, Some(0));

    let (child, seen, _) = start(&["--grpc", "0.0.0.0:0"], Some("0123456789abcdef")).await;
    assert!(!seen.iter().any(|l| l.starts_with("auth off")), "{seen:?}");
    sigterm(&child);
    assert_eq!(exit_code(child).await.0, Some(0));
}

/// Row 4 of the probe: SIGTERM killed the backend with calls in flight. Now it stops
/// accepting, finishes the calls in flight, and exits 0. The call here is in flight
/// for sure: its headers and part of its message reached the backend (a ping sent
/// after them came back) before the signal, and the rest is sent only once the
/// backend no longer accepts connections.
#[tokio::test]
async fn sigterm_drains_the_calls_in_flight_and_exits_0() {
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/seed.json");
    let (child, _, addr) = start(&["--grpc", "127.0.0.1:0", "--seed", seed], None).await;
    let tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let (client, mut connection) = h2::client::handshake(tcp).await.unwrap();
    let mut ping_pong = connection.ping_pong().unwrap();
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let request = http::Request::post(format!(
        "http://{addr}/ameide_core_proto.sre.core.v1.SreIncidentQueryService/GetIncident"
    ))
    .header("content-type", "application/grpc")
    .header("te", "trailers")
    .header("x-tenant-id", "acme")
    .body(())
    .unwrap();
    let message = GetIncidentRequest {
        tenant_id: "acme".into(),
        incident_id: "inc-1".into(),
    }
    .encode_to_vec();
    let mut frame = vec![0u8];
    frame.extend_from_slice(&u32::try_from(message.len()).unwrap().to_be_bytes());
    frame.extend_from_slice(&message);

    let mut client = client.ready().await.unwrap();
    let (response, mut body) = client.send_request(request, false).unwrap();
    body.send_data(Bytes::copy_from_slice(&frame[..3]), false)
        .unwrap();
    // Two round trips: the second ping leaves after the headers and data did.
    for _ in 0..2 {
        ping_pong.ping(h2::Ping::opaque()).await.unwrap();
    }

    sigterm(&child);
    tokio::time::timeout(PATIENCE, async {
        while tokio::net::TcpStream::connect(&addr).await.is_ok() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the backend stops accepting after SIGTERM");

    body.send_data(Bytes::copy_from_slice(&frame[3..]), true)
        .unwrap();
    let response = tokio::time::timeout(PATIENCE, response)
        .await
        .expect("an answer")
        .unwrap();
    assert_eq!(response.status(), 200);
    let mut answer = response.into_body();
    let mut data = Vec::new();
    while let Some(chunk) = answer.data().await {
        let chunk = chunk.unwrap();
        let _ = answer.flow_control().release_capacity(chunk.len());
        data.extend_from_slice(&chunk);
    }
    let trailers = answer.trailers().await.unwrap().unwrap_or_default();
    assert_eq!(
        trailers.get("grpc-status").map(|v| v.to_str().unwrap()),
        Some("0"),
        "{trailers:?}"
    );
    let reply = GetIncidentResponse::decode(&data[5..]).unwrap();
    assert_eq!(reply.incident.unwrap().incident_id, "inc-1");
    let (code, stderr) = exit_code(child).await;
    assert_eq!(code, Some(0), "{stderr}");
}
