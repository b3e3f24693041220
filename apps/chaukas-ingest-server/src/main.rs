//! `ingest_server`: the reference Chaukas backend (see the library docs).
//!
//! ```sh
//! cargo run -p chaukas-ingest-server -- --grpc 127.0.0.1:50051 --http 127.0.0.1:8080
//! ```

use chaukas_ingest_server::store::MemoryStore;
use chaukas_ingest_server::{Config, USAGE, start};
use std::sync::Arc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    use std::io::Write as _;
    use std::process::ExitCode;

    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|f| f.parse::<tracing_subscriber::filter::Targets>().ok())
        .unwrap_or_else(|| "info".parse().expect("a valid filter"));
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(filter)
        .init();

    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let config = match Config::parse(args) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let running = match start(
        &config,
        Arc::new(MemoryStore::with_limits(config.limits)),
        server_kit::shutdown_signal(),
    )
    .await
    {
        Ok(running) => running,
        Err(e) => {
            tracing::error!("cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Scripts (and people) read the bound ports here, e.g. after `--grpc 127.0.0.1:0`.
    if config.api_key.is_none() && config.api_keys.is_empty() {
        println!(
            "auth off: {}",
            if config.allow_unauthenticated {
                "any caller may read every tenant (--allow-unauthenticated)"
            } else {
                "listening on loopback only (pass --api-key or --api-keys for other addresses)"
            }
        );
    }
    println!("grpc listening on {}", running.grpc_addr);
    println!("http listening on {}", running.http_addr);
    let _ = std::io::stdout().flush();
    match running.wait().await {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            tracing::error!("{e}");
            ExitCode::FAILURE
        }
    }
}
