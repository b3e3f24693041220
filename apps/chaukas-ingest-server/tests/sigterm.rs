//! The `ingest_server` binary drains on SIGTERM, what every orchestrator sends: a
//! request in flight when the signal arrives is answered, and the process exits 0.
//! (Before, only SIGINT drained; SIGTERM killed the process at once.)

use chaukas_spec_client::client::v1::IngestEventRequest;
use chaukas_spec_client::common::v1::Event;
use prost::Message as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn sigterm_answers_the_call_in_flight_and_exits_0() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ingest_server"))
        .args(["--grpc", "127.0.0.1:0", "--http", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let http = loop {
        let line = lines
            .next()
            .expect("the server printed its addresses")
            .unwrap();
        if let Some(addr) = line.strip_prefix("http listening on ") {
            break addr.to_owned();
        }
    };

    let body = IngestEventRequest {
        event: Some(Event {
            event_id: "in-flight".into(),
            tenant_id: "t".into(),
            ..Default::default()
        }),
    }
    .encode_to_vec();
    let mut tcp = TcpStream::connect(&http).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    // The headers, with `expect: 100-continue`: the server answers `100 Continue` when
    // the handler starts reading the body, so the request is in flight for sure.
    write!(
        tcp,
        "POST /v1/events HTTP/1.1\r\nhost: {http}\r\ncontent-type: application/x-protobuf\r\n\
         content-length: {}\r\nexpect: 100-continue\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    let continue_line = b"HTTP/1.1 100 Continue\r\n\r\n";
    let mut seen = vec![0; continue_line.len()];
    tcp.read_exact(&mut seen).unwrap();
    assert_eq!(seen, continue_line, "{}", String::from_utf8_lossy(&seen));

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    // The server stops accepting; the request in flight is not cut.
    let started = Instant::now();
    while TcpStream::connect(&http).is_ok() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "still accepting"
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    tcp.write_all(&body).unwrap();
    let mut answer = String::new();
    tcp.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 202"), "{answer}");

    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "still running");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "{status:?}");
}
