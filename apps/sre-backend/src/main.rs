//! `sre-backend`: the reference SRE backend over gRPC (see the crate docs).

use sre_backend::facts::FactLog;
use sre_backend::{Backend, store};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: sre-backend [--grpc ADDR] [--fact-log FILE] [--seed FILE] [--schema-id N]
  --grpc ADDR       gRPC listen address (default 127.0.0.1:50061; port 0 picks one)
  --fact-log FILE   append every SreDomainFact, Confluent-framed, to FILE (4-byte big-endian
                    length, then the frame)
  --seed FILE       initial aggregates: {\"<tenant>\": {\"alerts\": [...], \"runbooks\": [...],
                    \"slos\": [...], \"fleetStates\": [...], \"services\": [...],
                    \"postmortems\": [...], \"incidents\": [...]}} in proto3 JSON
  --schema-id N     schema registry id written into each fact's frame (default 1)";

struct Args {
    grpc: SocketAddr,
    fact_log: Option<PathBuf>,
    seed: Option<PathBuf>,
    schema_id: u32,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut out = Args {
        grpc: "127.0.0.1:50061".parse().expect("a valid address"),
        fact_log: None,
        seed: None,
        schema_id: 1,
    };
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Err(String::new());
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag}: needs a value"))?;
        let bad = |e: &dyn std::fmt::Display| format!("{flag} {value:?}: {e}");
        match flag.as_str() {
            "--grpc" => out.grpc = value.parse().map_err(|e| bad(&e))?,
            "--fact-log" => out.fact_log = Some(value.into()),
            "--seed" => out.seed = Some(value.into()),
            "--schema-id" => out.schema_id = value.parse().map_err(|e| bad(&e))?,
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(out)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let tenants = match &args.seed {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("--seed {}: {e}", path.display()))?;
            store::parse_seed(&text).map_err(|e| format!("--seed {}: {e}", path.display()))?
        }
        None => Default::default(),
    };
    let facts = match &args.fact_log {
        Some(path) => FactLog::to_file(args.schema_id, path)
            .map_err(|e| format!("--fact-log {}: {e}", path.display()))?,
        None => FactLog::in_memory(args.schema_id),
    };
    let listener = tokio::net::TcpListener::bind(args.grpc)
        .await
        .map_err(|e| format!("--grpc {}: {e}", args.grpc))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("grpc listening on {addr}");
    Backend::new(tenants, facts)
        .serve(listener, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}
