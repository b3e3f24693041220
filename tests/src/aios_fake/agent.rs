//! `Agent`: every answer is derived from the request and tagged with its method.

use super::{AiosFake, Reply, ok, status};
use aios_proto::agent::agent_server::Agent;
use aios_proto::agent::{AgentStatusResponse, CancelTaskRequest};
use aios_proto::common::{Empty, Status, Task, TaskResult};
use serde_json::{Value, json};
use tonic::Request;

#[tonic::async_trait]
impl Agent for AiosFake {
    async fn execute_task(&self, r: Request<Task>) -> Reply<TaskResult> {
        let task = r.into_inner();
        let input: Value = task.decode_input_json()?;
        let mut result = TaskResult {
            task_id: task.id,
            success: true,
            model_used: "ExecuteTask".into(),
            tokens_used: task.required_tools.len() as i32,
            ..Default::default()
        };
        result.set_output_json(&json!({ "echo": input }))?;
        ok(result)
    }
    async fn cancel_task(&self, r: Request<CancelTaskRequest>) -> Reply<Status> {
        let r = r.into_inner();
        status(format!("CancelTask:{}:{}", r.task_id, r.reason))
    }
    async fn get_status(&self, _: Request<Empty>) -> Reply<AgentStatusResponse> {
        ok(AgentStatusResponse {
            agent_id: "GetStatus".into(),
            tasks_completed: 3,
            uptime_seconds: 11,
            ..Default::default()
        })
    }
    async fn shutdown(&self, _: Request<Empty>) -> Reply<Status> {
        status("Shutdown".into())
    }
}
