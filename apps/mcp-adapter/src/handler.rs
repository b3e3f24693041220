//! The MCP server: tools from the generated catalog, calls through the generated
//! dispatch, on rmcp's `ServerHandler`.

use crate::dispatch::{self, CallError, Caller};
use crate::upstream::Upstream;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, ErrorCode,
    Implementation, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig,
    Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use std::sync::Arc;

/// The scope `tools/list` and `tools/call` need.
pub const TOOLS_SCOPE: &str = "mcp:tools";
/// JSON-RPC error code of a token without the needed scope.
pub const INSUFFICIENT_SCOPE: ErrorCode = ErrorCode(-32001);

/// The MCP `Tool`s of the catalog: name, description, annotations (the hints),
/// `inputSchema` and `outputSchema`, exactly as the catalog has them.
pub fn catalog_tools(catalog: &str) -> Result<Vec<Tool>, String> {
    let catalog: serde_json::Value =
        serde_json::from_str(catalog).map_err(|e| format!("catalog: {e}"))?;
    let mut tools = Vec::new();
    for capability in catalog["capabilities"].as_array().into_iter().flatten() {
        for tool in capability["tools"].as_array().into_iter().flatten() {
            let mcp = serde_json::json!({
                "name": tool["name"],
                "description": tool["description"],
                "inputSchema": tool["inputSchema"],
                "outputSchema": tool["outputSchema"],
                "annotations": tool["hints"],
            });
            tools.push(
                serde_json::from_value(mcp)
                    .map_err(|e| format!("catalog tool {}: {e}", tool["name"]))?,
            );
        }
    }
    Ok(tools)
}

/// One handler per MCP session (cheap: everything is shared).
#[derive(Clone)]
pub struct Adapter {
    tools: Arc<Vec<Tool>>,
    channel: tonic::transport::Channel,
    upstream: Upstream,
}

impl Adapter {
    /// An adapter serving `tools` and calling the backend on `channel` (one shared
    /// connection; a failed call fails alone, and the channel reconnects) with the
    /// deadline and key of `upstream`.
    pub fn new(tools: Vec<Tool>, channel: tonic::transport::Channel, upstream: Upstream) -> Self {
        Self {
            tools: Arc::new(tools),
            channel,
            upstream,
        }
    }
}

/// The caller the HTTP layer put on the request, if its token grants `scope`.
fn authorized(context: &RequestContext<RoleServer>, scope: &str) -> Result<Caller, ErrorData> {
    let caller = context
        .extensions
        .get::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Caller>())
        .cloned()
        .ok_or_else(|| ErrorData::internal_error("no authenticated caller", None))?;
    if caller.has_scope(scope) {
        Ok(caller)
    } else {
        Err(ErrorData::new(
            INSUFFICIENT_SCOPE,
            "insufficient_scope",
            Some(serde_json::json!({ "requiredScope": scope })),
        ))
    }
}

impl ServerHandler for Adapter {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new(
                "ameide-mcp-adapter",
                env!("CARGO_PKG_VERSION"),
            ))
            .with_instructions(
                "SRE tools of the Ameide SRE pack: query tools read the projection, command \
                 tools change incidents. Tenant ids come from your token; do not pass them.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        authorized(&context, TOOLS_SCOPE)?;
        Ok(ListToolsResult::with_all_items(self.tools.to_vec()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let caller = authorized(&context, TOOLS_SCOPE)?;
        let arguments = request.arguments.unwrap_or_default();
        let deadline = self.upstream.deadline;
        let call = dispatch::call(&self.channel, &caller, &request.name, arguments);
        // The deadline covers the whole call: waiting for a connection included.
        let called = tokio::time::timeout(deadline, self.upstream.clone().scope(call)).await;
        let Ok(called) = called else {
            return Ok(
                CallToolResult::error(vec![ContentBlock::text(Upstream::deadline_error(deadline))])
                    .into(),
            );
        };
        let Some(result) = called else {
            return Err(ErrorData::invalid_params(
                format!("unknown tool: {}", request.name),
                None,
            ));
        };
        match result {
            Ok(value) => Ok(CallToolResult::structured(value).into()),
            Err(CallError::Tool(text)) => {
                Ok(CallToolResult::error(vec![ContentBlock::text(text)]).into())
            }
            Err(CallError::Invalid(violations)) => {
                let mut result =
                    CallToolResult::structured_error(CallError::violations_json(&violations));
                result.content = vec![ContentBlock::text(CallError::violations_text(&violations))];
                Ok(result.into())
            }
            Err(CallError::Rpc(e)) => Err(e),
        }
    }
}
