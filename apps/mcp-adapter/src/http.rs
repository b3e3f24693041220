//! The HTTP side (axum): the MCP endpoint at `/mcp` (rmcp's Streamable HTTP service)
//! behind the Origin allowlist, the bearer-token check and the JSON-RPC body check
//! (`jsonrpc.rs`), the Protected Resource Metadata (RFC 9728) and the tool catalog.

use crate::auth::Verifier;
use crate::dispatch::Caller;
use crate::handler::{Adapter, TOOLS_SCOPE};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};
use std::sync::Arc;

/// Path of the Protected Resource Metadata.
pub const PRM_PATH: &str = "/.well-known/oauth-protected-resource";
/// Path of the tool catalog.
pub const CATALOG_PATH: &str = "/.well-known/mcp-tools.json";
/// Path of the MCP endpoint.
pub const MCP_PATH: &str = "/mcp";
/// Every scope the metadata lists (upstream's set; the tools need `mcp:tools`).
pub const SCOPES_SUPPORTED: &[&str] = &["mcp:tools", "mcp:resources", "openid", "profile"];

/// How callers are authenticated.
pub enum Authentication {
    /// Bearer JWTs checked by the verifier; the issuer is listed in the metadata.
    Bearer {
        /// The token checks.
        verifier: Verifier,
        /// The authorization server (`iss`).
        issuer: String,
    },
    /// `--dev-no-auth`: every request is this caller (loopback only).
    DevNoAuth(Caller),
}

/// Everything the HTTP layer needs.
pub struct Settings {
    /// The public base URL (`http://127.0.0.1:8090`), no trailing slash.
    pub base_url: String,
    /// Authentication.
    pub auth: Authentication,
    /// Browser origins allowed (exact `scheme://host[:port]`); a request without
    /// `Origin` is always allowed.
    pub allowed_origins: Vec<String>,
    /// `Host` values accepted on `/mcp` (DNS-rebinding protection).
    pub allowed_hosts: Vec<String>,
    /// Largest request body, in bytes (413 above).
    pub max_body_bytes: usize,
}

struct Shared {
    settings: Settings,
    www_authenticate: String,
}

/// The Protected Resource Metadata document.
pub fn protected_resource_metadata(settings: &Settings) -> serde_json::Value {
    let servers: Vec<&str> = match &settings.auth {
        Authentication::Bearer { issuer, .. } => vec![issuer.as_str()],
        Authentication::DevNoAuth(_) => vec![],
    };
    serde_json::json!({
        "resource": format!("{}{MCP_PATH}", settings.base_url),
        "authorization_servers": servers,
        "scopes_supported": SCOPES_SUPPORTED,
        "bearer_methods_supported": ["header"],
    })
}

/// The application: `/mcp`, the metadata and the catalog.
pub fn app(settings: Settings, adapter: Adapter) -> Router {
    let config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_sse_keep_alive(None)
        .with_allowed_hosts(settings.allowed_hosts.clone())
        .with_max_request_body_bytes(settings.max_body_bytes);
    let mcp = StreamableHttpService::new(
        move || Ok(adapter.clone()),
        Arc::new(LocalSessionManager::default()),
        config,
    );
    let prm = protected_resource_metadata(&settings);
    let shared = Arc::new(Shared {
        www_authenticate: format!(
            "Bearer resource_metadata=\"{}{PRM_PATH}\", scope=\"{TOOLS_SCOPE}\"",
            settings.base_url
        ),
        settings,
    });
    let mcp = Router::new()
        .nest_service(MCP_PATH, mcp)
        .layer(middleware::from_fn_with_state(
            shared.settings.max_body_bytes,
            crate::jsonrpc::check_body,
        ))
        .layer(middleware::from_fn_with_state(shared.clone(), authenticate))
        .layer(middleware::from_fn_with_state(shared, check_origin));
    let prm_doc = prm.clone();
    Router::new()
        .route(PRM_PATH, get(move || async move { axum::Json(prm) }))
        .route(
            &format!("{PRM_PATH}{MCP_PATH}"),
            get(move || async move { axum::Json(prm_doc) }),
        )
        .route(
            CATALOG_PATH,
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    ameide_sre_proto::MCP_TOOL_CATALOG,
                )
            }),
        )
        .merge(mcp)
}

fn plain(status: StatusCode, text: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text.to_string(),
    )
        .into_response()
}

/// 403 for a browser `Origin` not on the allowlist; no `Origin` passes.
async fn check_origin(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    if let Some(origin) = request.headers().get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or_default().trim_end_matches('/');
        if !shared.settings.allowed_origins.iter().any(|o| o == origin) {
            return plain(StatusCode::FORBIDDEN, "origin not allowed");
        }
    }
    next.run(request).await
}

/// 401 with `WWW-Authenticate` pointing at the metadata for a missing or refused
/// token; otherwise the caller goes on the request for the handler.
async fn authenticate(
    State(shared): State<Arc<Shared>>,
    mut request: Request,
    next: Next,
) -> Response {
    let caller = match &shared.settings.auth {
        Authentication::DevNoAuth(caller) => Ok(caller.clone()),
        Authentication::Bearer { verifier, .. } => {
            let token = request
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| {
                    v.strip_prefix("Bearer ")
                        .or_else(|| v.strip_prefix("bearer "))
                });
            match token {
                None => Err(None),
                Some(token) => verifier.verify(token.trim()).map_err(Some),
            }
        }
    };
    match caller {
        Ok(caller) => {
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Err(reason) => {
            let mut value = shared.www_authenticate.clone();
            if let Some(reason) = &reason {
                tracing::info!(%reason, "token refused");
                let reason = reason.replace(['"', '\\'], "'");
                value.push_str(&format!(
                    ", error=\"invalid_token\", error_description=\"{reason}\""
                ));
            }
            let mut response = plain(
                StatusCode::UNAUTHORIZED,
                reason.as_deref().unwrap_or("a bearer token is required"),
            );
            if let Ok(value) = HeaderValue::from_str(&value) {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, value);
            }
            response
        }
    }
}
