//! `mcp-adapter`: the SRE tools over MCP Streamable HTTP (see the crate docs).

use mcp_adapter::config::{Config, USAGE};
use std::process::ExitCode;

use server_kit::shutdown_signal;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "warn,mcp_adapter=info".into()),
        )
        .init();
    let config = match Config::parse(std::env::args().skip(1)) {
        Ok(config) => config,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let signal = shutdown_signal();
    let listener = match tokio::net::TcpListener::bind(config.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: --listen {}: {e}", config.listen);
            return ExitCode::FAILURE;
        }
    };
    let local = listener
        .local_addr()
        .expect("a bound listener has an address");
    if config.dev_no_auth {
        println!(
            "WARNING: --dev-no-auth: tokens are NOT checked; every call is tenant {:?} with every scope (loopback only)",
            config.dev_tenant
        );
    }
    println!(
        "mcp listening on http://{local}/mcp (upstream {})",
        config.upstream
    );
    let grace = config.http.grace_period;
    let shutdown = async move {
        signal.await;
        println!("shutting down: no new requests; draining in-flight requests for up to {grace:?}");
    };
    match mcp_adapter::serve(&config, listener, shutdown).await {
        Ok(()) => {
            println!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
