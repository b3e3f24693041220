//! The servers under load (`cargo xtask bench --load`). Not a test and not part of CI.
//!
//! - The reference ingest server's gRPC ingest rate alone and while 4 clients scan
//!   the store (a `text_query` that matches nothing, and `GetEventStats`, over every
//!   stored event), with `/healthz` latency in both, in alternating rounds; and what
//!   the store costs per event (resident memory grown while filling it).
//! - The MCP adapter: tenant B's tool calls while tenant A sends 100,000-character
//!   ids (row 2 of the hostile probe): how many of B's calls fail.
//!
//! `cargo bench -p interop-tests --bench server_load -- [--seconds S] [--rounds N]
//! [--stored N] [--scans N]`

use chaukas_ingest_server::store::{EventStore as _, MemoryStore};
use chaukas_spec_client::common::v1::{Event, QueryFilter, QueryRequest};
use chaukas_spec_server::server::v1 as server;
use common_eventing::Lossless;
use common_eventing::wkt::Timestamp;
use interop_tests::ingest_stack::{TestServer, http, loopback};
use prost::Message as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

fn event(id: String, seconds: i64) -> Event {
    Event {
        event_id: id,
        tenant_id: "load".into(),
        session_id: "s".into(),
        timestamp: Some(Timestamp { seconds, nanos: 0 }),
        ..Default::default()
    }
}

/// Events ingested per second by 4 clients over `seconds`, and `/healthz` p50 (ms).
async fn ingest_rate(server: &TestServer, round: usize, seconds: f64) -> (f64, f64) {
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicU64::new(0));
    let mut clients = Vec::new();
    for c in 0..4 {
        let mut cli = server.server_client().await;
        let (stop, count) = (Arc::clone(&stop), Arc::clone(&count));
        clients.push(tokio::spawn(async move {
            let mut i = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let request = server::IngestEventRequest {
                    event: Some(event(format!("r{round}-c{c}-{i}"), 1)),
                };
                cli.ingest_event(request).await.unwrap();
                count.fetch_add(1, Ordering::Relaxed);
                i += 1;
            }
        }));
    }
    let started = Instant::now();
    let mut health = Vec::new();
    while started.elapsed().as_secs_f64() < seconds {
        let t = Instant::now();
        assert_eq!(
            http(server.http, "GET", "/healthz", &[], b"").await.status,
            200
        );
        health.push(t.elapsed().as_secs_f64() * 1e3);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.store(true, Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
    for c in clients {
        c.await.unwrap();
    }
    health.sort_by(f64::total_cmp);
    (
        count.load(Ordering::Relaxed) as f64 / elapsed,
        health[health.len() / 2],
    )
}

/// 4 clients scanning the whole store until `stop`; scans completed.
fn scanners(server: &TestServer, stop: &Arc<AtomicBool>) -> Vec<tokio::task::JoinHandle<u64>> {
    (0..4)
        .map(|n| {
            let (stop, grpc) = (Arc::clone(stop), server.grpc);
            tokio::spawn(async move {
                let mut cli =
                    server::chaukas_server_service_client::ChaukasServerServiceClient::connect(
                        format!("http://{grpc}"),
                    )
                    .await
                    .unwrap();
                let mut scans = 0;
                while !stop.load(Ordering::Relaxed) {
                    if n % 2 == 0 {
                        let query = QueryRequest {
                            filter: Some(QueryFilter {
                                text_query: "matches nothing".into(),
                                ..Default::default()
                            }),
                            page_size: 10,
                            ..Default::default()
                        };
                        let request = server::QueryEventsRequest { query: Some(query) };
                        cli.query_events(request).await.unwrap();
                    } else {
                        let request = server::GetEventStatsRequest::default();
                        cli.get_event_stats(request).await.unwrap();
                    }
                    scans += 1;
                }
                scans
            })
        })
        .collect()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let (mut seconds, mut rounds, mut stored) = (3.0, 3, 200_000usize);
    // The caps are not what is measured: room for every round's events.
    let mut limits = chaukas_ingest_server::store::Limits {
        max_events: usize::MAX,
        max_bytes: usize::MAX,
        max_tenant_events: usize::MAX,
        max_tenant_bytes: usize::MAX,
        ..Default::default()
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--seconds" => seconds = value().parse().expect("--seconds S"),
            "--rounds" => rounds = value().parse().expect("--rounds N"),
            "--stored" => stored = value().parse().expect("--stored N"),
            "--scans" => limits.max_concurrent_scans = value().parse().expect("--scans N"),
            _ => {}
        }
    }
    let store = Arc::new(MemoryStore::with_limits(limits));
    let before = resident_bytes();
    let mut encoded = 0;
    for i in 0..stored {
        let e = event(format!("stored-{i}"), i as i64);
        encoded += e.encoded_len();
        store.insert(Lossless::from(e)).await.unwrap();
    }
    let grown = resident_bytes().saturating_sub(before);
    let config = loopback();
    let server = TestServer::with_store(&config, store.clone()).await;

    let mut rows = Vec::new();
    for round in 0..rounds {
        let (alone, health_alone) = ingest_rate(&server, 2 * round, seconds).await;
        let stop = Arc::new(AtomicBool::new(false));
        let scanning = scanners(&server, &stop);
        let (loaded, health_loaded) = ingest_rate(&server, 2 * round + 1, seconds).await;
        stop.store(true, Ordering::Relaxed);
        let mut scans = 0;
        for s in scanning {
            scans += s.await.unwrap();
        }
        rows.push((alone, loaded, health_alone, health_loaded, scans));
    }
    let (events, bytes) = store.usage();
    let mut ratios: Vec<f64> = rows.iter().map(|r| r.0 / r.1).collect();
    ratios.sort_by(f64::total_cmp);
    println!(
        "ingest under 4 scanning clients ({stored} events stored before, {seconds} s a phase, \
         {rounds} alternating rounds, release build, 2 tokio workers)\n"
    );
    println!(
        "| round | ingest alone (ev/s) | ingest while scanning (ev/s) | slowdown | /healthz p50 alone (ms) | while scanning (ms) | full scans done |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (i, (alone, loaded, ha, hl, scans)) in rows.iter().enumerate() {
        println!(
            "| {i} | {alone:.0} | {loaded:.0} | {:.2}x | {ha:.2} | {hl:.2} | {scans} |",
            alone / loaded
        );
    }
    println!(
        "\nmedian slowdown {:.2}x (spread {:.2}x to {:.2}x); store at the end: {events} events, \
         {bytes} encoded bytes ({:.0} bytes an event)",
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1],
        bytes as f64 / events as f64
    );
    println!(
        "\nstore memory: {stored} events of {:.0} encoded bytes each grew resident memory by \
         {:.0} bytes an event",
        encoded as f64 / stored as f64,
        grown as f64 / stored as f64
    );
    server.stop().await.unwrap();
    mcp_tenants(seconds).await;
}

/// Resident memory of this process (Linux `/proc/self/statm`), in bytes.
fn resident_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: usize = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

/// Whether a `tools/call` answer is a success (not a JSON-RPC error, not `isError`).
fn succeeded(status: http::StatusCode, body: &[u8]) -> bool {
    let json: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    status.is_success()
        && json.get("error").is_none()
        && json["result"]["isError"].as_bool() != Some(true)
}

/// Row 2 of the probe: tenant B's calls while tenant A sends 100,000-character ids.
async fn mcp_tenants(seconds: f64) {
    use interop_tests::mcp_stack::{BareClient, two_tenants};
    let dir = tempfile::tempdir().unwrap();
    let (_backend, url, token_a, token_b) = two_tenants(dir.path()).await;
    let stop = Arc::new(AtomicBool::new(false));
    let spawn = |token: String, arguments: serde_json::Value, tool: &'static str| {
        let (url, stop) = (url.clone(), Arc::clone(&stop));
        tokio::spawn(async move {
            let bare = BareClient::default();
            let (mut calls, mut failed) = (0u64, 0u64);
            while !stop.load(Ordering::Relaxed) {
                let (status, body) = bare.tools_call(&url, &token, tool, arguments.clone()).await;
                calls += 1;
                failed += u64::from(!succeeded(status, &body));
            }
            (calls, failed)
        })
    };
    let huge = serde_json::json!({ "incidentId": "x".repeat(100_000) });
    let attackers: Vec<_> = (0..4)
        .map(|_| spawn(token_a.clone(), huge.clone(), "sre.getIncident"))
        .collect();
    let others: Vec<_> = (0..4)
        .map(|_| {
            spawn(
                token_b.clone(),
                serde_json::json!({}),
                "sre.listOpenIncidents",
            )
        })
        .collect();
    tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let (mut a_calls, mut b_calls, mut b_failed) = (0, 0, 0);
    for a in attackers {
        a_calls += a.await.unwrap().0;
    }
    for b in others {
        let (calls, failed) = b.await.unwrap();
        b_calls += calls;
        b_failed += failed;
    }
    println!(
        "\nMCP adapter, {seconds} s: tenant A sent {a_calls} calls with 100,000-character ids; \
         tenant B made {b_calls} calls, {b_failed} failed"
    );
}
