//! `sre-backend`: the reference SRE backend over gRPC (see the crate docs).

use sre_backend::auth::{KEY_ENV, check_listen};
use sre_backend::config::{Args, USAGE, parse};
use sre_backend::facts::FactLog;
use sre_backend::{Backend, store};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1), std::env::var(KEY_ENV).ok()) {
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

use server_kit::shutdown_signal;

async fn run(args: Args) -> Result<(), String> {
    check_listen(
        args.grpc,
        args.server.key.as_ref(),
        args.allow_unauthenticated,
    )?;
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
    let signal = shutdown_signal();
    let listener = tokio::net::TcpListener::bind(args.grpc)
        .await
        .map_err(|e| format!("--grpc {}: {e}", args.grpc))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    if args.server.key.is_none() {
        println!(
            "auth off: {}",
            if args.allow_unauthenticated {
                "any caller may act for any tenant (--allow-unauthenticated)"
            } else {
                "listening on loopback only (pass --shared-key-file or set SRE_BACKEND_SHARED_KEY for other addresses)"
            }
        );
    }
    println!("grpc listening on {addr}");
    let grace = args.server.grace_period;
    let shutdown = async move {
        signal.await;
        println!("shutting down: no new calls; draining in-flight calls for up to {grace:?}");
    };
    Backend::new(tenants, facts)
        .serve_with(listener, &args.server, shutdown)
        .await
        .map_err(|e| e.to_string())?;
    println!("stopped");
    Ok(())
}
