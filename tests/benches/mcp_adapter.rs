//! Tool-call round-trip latency through the MCP adapter (`cargo xtask bench --mcp`):
//! `sre.getIncident` over Streamable HTTP (token check, argument parse, gRPC call to
//! the backend, JSON result) from the official Python MCP client and from a bare Rust
//! HTTP/1.1 client posting the JSON-RPC `tools/call`, next to the same rpc called
//! directly over gRPC from Rust, on the same in-process backend.
//!
//! `cargo bench -p interop-tests --bench mcp_adapter -- [--calls N]`

use ameide_sre_proto::core::v1::GetIncidentRequest;
use ameide_sre_proto::core::v1::sre_incident_query_service_client::SreIncidentQueryServiceClient;
use interop_tests::mcp_stack::{BareClient, adapter, backend, keys, token};
use interop_tests::{run, script};
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: usize) -> f64 {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)].as_secs_f64() * 1e3
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut calls = 500usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--calls" {
            calls = args.next().and_then(|n| n.parse().ok()).expect("--calls N");
        }
    }
    let dir = tempfile::tempdir().unwrap();
    keys(dir.path()).await;
    let (_backend, grpc) = backend(dir.path()).await;
    let url = adapter(dir.path(), format!("http://{grpc}")).await;

    let mut client = SreIncidentQueryServiceClient::connect(format!("http://{grpc}"))
        .await
        .unwrap();
    let mut direct = Vec::with_capacity(calls);
    for i in 0..calls + 20 {
        let mut request = tonic::Request::new(GetIncidentRequest {
            incident_id: "inc-old".into(),
            ..Default::default()
        });
        request
            .metadata_mut()
            .insert("x-tenant-id", "acme".parse().unwrap());
        let start = Instant::now();
        client.get_incident(request).await.unwrap();
        if i >= 20 {
            direct.push(start.elapsed());
        }
    }
    direct.sort();

    // The bare JSON-RPC round trip: what the adapter itself costs over the gRPC call.
    let token = token(dir.path()).await;
    let client = BareClient::default();
    let mut bare = Vec::with_capacity(calls);
    for i in 0..calls + 20 {
        let start = Instant::now();
        let (status, body) = client
            .tools_call(
                &url,
                &token,
                "sre.getIncident",
                serde_json::json!({"incidentId": "inc-old"}),
            )
            .await;
        if i >= 20 {
            bare.push(start.elapsed());
        }
        let reply: serde_json::Value = serde_json::from_slice(&body).expect("a JSON-RPC reply");
        assert_eq!(
            reply["result"]["structuredContent"]["incident"]["incidentId"], "inc-old",
            "{status} {reply}"
        );
    }
    bare.sort();

    let mut bench = script("mcp_adapter_client.py");
    bench
        .arg("bench")
        .arg(dir.path())
        .args([&url, &calls.to_string()]);
    let out = tokio::task::spawn_blocking(move || run(bench))
        .await
        .unwrap();
    let mcp: serde_json::Value = serde_json::from_str(out.trim()).expect("the script's JSON");

    let table = format!(
        "| path ({calls} calls of sre.getIncident / GetIncident) | p50 ms | p90 ms | p99 ms |\n\
         | --- | ---: | ---: | ---: |\n\
         | MCP tool call: Python `mcp` client → adapter → gRPC backend | {:.2} | {:.2} | {:.2} |\n\
         | MCP tool call: bare Rust HTTP/1.1 JSON-RPC POST → adapter → gRPC backend | {:.3} | {:.3} | {:.3} |\n\
         | gRPC call: Rust tonic client → backend | {:.3} | {:.3} | {:.3} |\n",
        mcp["p50_ms"].as_f64().unwrap(),
        mcp["p90_ms"].as_f64().unwrap(),
        mcp["p99_ms"].as_f64().unwrap(),
        percentile(&bare, 50),
        percentile(&bare, 90),
        percentile(&bare, 99),
        percentile(&direct, 50),
        percentile(&direct, 90),
        percentile(&direct, 99),
    );
    print!("{table}");
    let out_dir = interop_tests::workspace_root().join("target/bench");
    std::fs::create_dir_all(&out_dir).unwrap();
    std::fs::write(out_dir.join("mcp.md"), table).unwrap();
}
