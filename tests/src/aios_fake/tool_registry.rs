//! `ToolRegistry`: a real in-memory registry. Registered tools come back whole from
//! `GetTool` and `ListTools`; `Execute` runs nothing but records the request and
//! echoes it; `Rollback` undoes an execution of a reversible tool once.

use super::{AiosFake, Reply, ok};
use aios_proto::tools::tool_registry_server::ToolRegistry;
use aios_proto::tools::{
    self, DeregisterToolRequest, ExecuteRequest, ExecuteResponse, GetToolRequest, ListToolsRequest,
    ListToolsResponse, RegisterToolRequest, RegisterToolResponse, RollbackRequest,
    RollbackResponse, ToolDefinition,
};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use tonic::{Request, Status};

/// The state of the fake `ToolRegistry`.
#[derive(Debug, Default)]
pub struct Registry {
    /// The accepted `Register` requests by tool name (a new registration of a name
    /// replaces the old one); `tool` is always set.
    pub tools: BTreeMap<String, RegisterToolRequest>,
    /// Every successful `Execute`, in order: the `n`-th has execution id `exec-<n>`.
    pub executions: Vec<Execution>,
}

/// One successful `Execute` of the fake `ToolRegistry`.
#[derive(Debug)]
pub struct Execution {
    /// The request as the server decoded it.
    pub request: ExecuteRequest,
    /// Whether the tool was registered as reversible when it ran.
    pub reversible: bool,
    /// The `Rollback` request that undid it, if one did.
    pub rollback: Option<RollbackRequest>,
}

fn not_registered(name: &str) -> Status {
    Status::not_found(format!("tool {name} is not registered"))
}

/// `exec-<n>` → the index of the `n`-th execution.
fn execution_index(id: &str) -> Option<usize> {
    let n: usize = id.strip_prefix("exec-")?.parse().ok()?;
    n.checked_sub(1)
}

#[tonic::async_trait]
impl ToolRegistry for AiosFake {
    /// The registered tools of `namespace` (all of them for an empty one), by name.
    async fn list_tools(&self, r: Request<ListToolsRequest>) -> Reply<ListToolsResponse> {
        let ns = r.into_inner().namespace;
        ok(ListToolsResponse {
            tools: self
                .registry()
                .tools
                .values()
                .filter_map(|r| r.tool.clone())
                .filter(|t| ns.is_empty() || t.namespace == ns)
                .collect(),
        })
    }

    async fn get_tool(&self, r: Request<GetToolRequest>) -> Reply<ToolDefinition> {
        let name = r.into_inner().name;
        let reg = self.registry();
        let registered = reg.tools.get(&name).ok_or_else(|| not_registered(&name))?;
        ok(registered.tool.clone().unwrap_or_default())
    }

    /// Answers with every field of the request: the output echoes the tool, agent,
    /// task, reason and the decoded input; `duration_ms` is the input's length.
    async fn execute(&self, r: Request<ExecuteRequest>) -> Reply<ExecuteResponse> {
        let req = r.into_inner();
        let mut reg = self.registry();
        let reversible = reg
            .tools
            .get(&req.tool_name)
            .and_then(|r| r.tool.as_ref())
            .ok_or_else(|| not_registered(&req.tool_name))?
            .reversible;
        // Bad JSON becomes INVALID_ARGUMENT naming the field.
        let input: Value = req.decode_input_json()?;
        let n = reg.executions.len() + 1;
        let mut resp = ExecuteResponse {
            success: true,
            execution_id: format!("exec-{n}"),
            duration_ms: req.input_json.len() as i64,
            backup_id: if reversible {
                format!("backup-{n}")
            } else {
                String::new()
            },
            ..Default::default()
        };
        resp.set_output_json(&json!({
            "tool": req.tool_name,
            "agent": req.agent_id,
            "task": req.task_id,
            "reason": req.reason,
            "input": input,
        }))?;
        reg.executions.push(Execution {
            request: req,
            reversible,
            rollback: None,
        });
        ok(resp)
    }

    async fn rollback(&self, r: Request<RollbackRequest>) -> Reply<RollbackResponse> {
        let req = r.into_inner();
        let mut reg = self.registry();
        let Some(execution) =
            execution_index(&req.execution_id).and_then(|i| reg.executions.get_mut(i))
        else {
            return ok(RollbackResponse {
                success: false,
                error: format!("unknown execution {}", req.execution_id),
            });
        };
        let error = if execution.rollback.is_some() {
            format!("{} was already rolled back", req.execution_id)
        } else if !execution.reversible {
            format!("{} is not reversible", execution.request.tool_name)
        } else {
            execution.rollback = Some(req);
            String::new()
        };
        ok(RollbackResponse {
            success: error.is_empty(),
            error,
        })
    }

    /// Accepts a tool with a name and a handler address.
    async fn register(&self, r: Request<RegisterToolRequest>) -> Reply<RegisterToolResponse> {
        let mut req = r.into_inner();
        let tool = req.tool.get_or_insert_default();
        let error = if tool.name.is_empty() {
            "tool.name is required"
        } else if req.handler_address.is_empty() {
            "handler_address is required"
        } else {
            ""
        };
        if error.is_empty() {
            let name = tool.name.clone();
            self.registry().tools.insert(name, req);
        }
        ok(RegisterToolResponse {
            accepted: error.is_empty(),
            error: error.into(),
        })
    }

    async fn deregister(&self, r: Request<DeregisterToolRequest>) -> Reply<tools::Status> {
        let name = r.into_inner().tool_name;
        let removed = self.registry().tools.remove(&name).is_some();
        ok(tools::Status {
            success: removed,
            message: if removed {
                format!("deregistered {name}")
            } else {
                format!("unknown tool {name}")
            },
        })
    }
}
