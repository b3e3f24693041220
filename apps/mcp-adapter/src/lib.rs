//! The MCP adapter of the SRE pack: the tools of `ameide_sre_proto::MCP_TOOL_CATALOG`
//! over MCP Streamable HTTP at `/mcp` (the official Rust SDK, `rmcp`, on axum), each
//! call dispatched to the SRE gRPC backend by code `cargo xtask codegen` generates
//! from the exposed rpcs (`src/generated/mcp_dispatch.rs`, no reflection).
//!
//! - **Tools**: `tools/list` is the catalog (names, descriptions, hints as
//!   annotations, `inputSchema`, `outputSchema`); `tools/call` parses the arguments
//!   with the crates' proto3 JSON serde (errors name the field), fills `tenant_id` from
//!   the token, calls the rpc with the tenant in the `x-tenant-id` metadata, and
//!   answers `structuredContent` plus the same JSON as text.
//! - **Errors**: `NOT_FOUND`, `INVALID_ARGUMENT`, `FAILED_PRECONDITION` are tool
//!   errors (`isError`, the status message); other statuses are JSON-RPC errors.
//! - **Security**: an OAuth 2.1 resource server. JWTs (RS256, ES256) are checked
//!   against a JWKS (`iss`, `aud`, `exp`/`nbf`, signature); `mcp:tools` is needed for
//!   `tools/list` and `tools/call` (JSON-RPC `-32001 insufficient_scope`); a missing or
//!   bad token is a 401 with `WWW-Authenticate: Bearer resource_metadata=...`;
//!   Protected Resource Metadata (RFC 9728) is at
//!   `/.well-known/oauth-protected-resource`; a disallowed `Origin` is a 403; bodies
//!   over the limit are a 413; the catalog is at `/.well-known/mcp-tools.json`.
//!
//! - **Limits**: every backend call has a deadline (`--upstream-timeout`, a tool
//!   error naming it); the HTTP server bounds the time to send a request head, its
//!   size, HTTP/2 streams per connection and connections; SIGTERM and SIGINT drain
//!   in-flight requests for a grace period.
//!
//! Files: `config.rs` (flags), `auth.rs` (tokens), `http.rs` (routes and
//! middleware), `jsonrpc.rs` (the JSON-RPC body check), `server.rs` (the HTTP
//! server's limits and drain), `handler.rs` (the rmcp `ServerHandler`),
//! `dispatch.rs` (what the generated dispatch calls), `upstream.rs` (the backend
//! calls' deadline and key).

pub mod auth;
pub mod config;
pub mod dispatch;
pub mod handler;
pub mod http;
pub mod jsonrpc;
pub mod server;
pub mod upstream;

use config::{Config, JwksSource};
use dispatch::Caller;
use handler::Adapter;
use http::{Authentication, Settings};
use tokio::net::TcpListener;

/// Builds the application for `config` (reading or fetching the JWKS) and the
/// address clients use.
pub async fn build(config: &Config, local: std::net::SocketAddr) -> Result<axum::Router, String> {
    let auth = if config.dev_no_auth {
        Authentication::DevNoAuth(Caller {
            tenant_id: config.dev_tenant.clone(),
            subject: "dev".into(),
            scopes: http::SCOPES_SUPPORTED
                .iter()
                .map(|s| s.to_string())
                .collect(),
        })
    } else {
        let jwks = match &config.jwks {
            Some(JwksSource::File(path)) => std::fs::read_to_string(path)
                .map_err(|e| format!("--jwks-file {}: {e}", path.display()))?,
            Some(JwksSource::Url(url)) => auth::fetch_jwks(url)
                .await
                .map_err(|e| format!("--jwks-url {e}"))?,
            None => return Err("no JWKS".into()),
        };
        let issuer = config.issuer.clone().ok_or("no --issuer")?;
        Authentication::Bearer {
            verifier: auth::Verifier::new(&jwks, &issuer, &config.audience)?,
            issuer,
        }
    };
    let base_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"));
    let mut allowed_hosts: Vec<String> = ["localhost", "127.0.0.1", "::1"]
        .into_iter()
        .map(String::from)
        .collect();
    allowed_hosts.push(local.ip().to_string());
    allowed_hosts.push(local.to_string());
    if let Some(host) = base_url
        .parse::<::http::Uri>()
        .ok()
        .and_then(|u| u.authority().map(|a| a.to_string()))
    {
        allowed_hosts.push(host);
    }
    allowed_hosts.extend(config.allowed_hosts.iter().cloned());
    // One shared channel: it reconnects by itself, and a failed call fails alone.
    let channel = tonic::transport::Endpoint::from_shared(config.upstream.clone())
        .map_err(|e| format!("--upstream {}: {e}", config.upstream))?
        .connect_timeout(config.upstream_timeout)
        .timeout(config.upstream_timeout)
        .connect_lazy();
    let upstream = upstream::Upstream {
        deadline: config.upstream_timeout,
        key: config.upstream_key.clone(),
    };
    let tools = handler::catalog_tools(ameide_sre_proto::MCP_TOOL_CATALOG)?;
    let settings = Settings {
        base_url,
        auth,
        allowed_origins: config.allowed_origins.clone(),
        allowed_hosts,
        max_body_bytes: config.max_body_bytes,
    };
    Ok(http::app(settings, Adapter::new(tools, channel, upstream)))
}

/// Serves `config` on `listener` with its HTTP limits until `shutdown` completes;
/// then drains in-flight requests for up to the grace period (`server::serve`).
pub async fn serve(
    config: &Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let app = build(config, local).await?;
    server::serve(app, listener, &config.http, shutdown).await;
    Ok(())
}
