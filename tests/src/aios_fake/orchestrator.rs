//! `Orchestrator`: every answer is derived from the request and tagged with its method.

use super::{AiosFake, Reply, ok, status};
use aios_proto::common::{
    AgentId, AgentRegistration, Empty, Goal, GoalId, Status, Task, TaskResult,
};
use aios_proto::orchestrator::orchestrator_server::Orchestrator;
use aios_proto::orchestrator::*;
use serde_json::{Value, json};
use tonic::Request;

#[tonic::async_trait]
impl Orchestrator for AiosFake {
    async fn submit_goal(&self, r: Request<SubmitGoalRequest>) -> Reply<GoalId> {
        let r = r.into_inner();
        let meta: Value = r.decode_metadata_json()?;
        ok(GoalId {
            id: format!(
                "SubmitGoal:{}:{}:{}:{}:{}",
                r.description,
                r.priority,
                r.source,
                r.tags.join(","),
                meta["owner"]
            ),
        })
    }
    async fn get_goal_status(&self, r: Request<GoalId>) -> Reply<GoalStatusResponse> {
        let id = r.into_inner().id;
        ok(GoalStatusResponse {
            goal: Some(Goal {
                id: id.clone(),
                status: "GOAL_IN_PROGRESS".into(),
                created_at: 1_700_000_000,
                ..Default::default()
            }),
            tasks: vec![Task {
                id: format!("{id}/t1"),
                goal_id: id,
                ..Default::default()
            }],
            current_phase: "GetGoalStatus".into(),
            progress_percent: 42.5,
        })
    }
    async fn cancel_goal(&self, r: Request<GoalId>) -> Reply<Status> {
        status(format!("CancelGoal:{}", r.into_inner().id))
    }
    async fn list_goals(&self, r: Request<ListGoalsRequest>) -> Reply<GoalListResponse> {
        let r = r.into_inner();
        ok(GoalListResponse {
            goals: (r.offset..r.offset + r.limit)
                .map(|i| Goal {
                    id: format!("{}-{i}", r.status_filter),
                    ..Default::default()
                })
                .collect(),
            total: 100,
        })
    }
    async fn register_agent(&self, r: Request<AgentRegistration>) -> Reply<Status> {
        let r = r.into_inner();
        status(format!(
            "RegisterAgent:{}:{}:{}:{}",
            r.agent_id,
            r.agent_type,
            r.capabilities.join(","),
            r.tool_namespaces.join(",")
        ))
    }
    async fn unregister_agent(&self, r: Request<AgentId>) -> Reply<Status> {
        status(format!("UnregisterAgent:{}", r.into_inner().id))
    }
    async fn heartbeat(&self, r: Request<HeartbeatRequest>) -> Reply<Status> {
        let r = r.into_inner();
        status(format!(
            "Heartbeat:{}:{}:{}:{}:{}",
            r.agent_id, r.status, r.current_task_id, r.cpu_usage, r.memory_usage_mb
        ))
    }
    async fn list_agents(&self, _: Request<Empty>) -> Reply<AgentListResponse> {
        ok(AgentListResponse {
            agents: vec![AgentRegistration {
                agent_id: "ListAgents".into(),
                registered_at: 5,
                ..Default::default()
            }],
        })
    }
    async fn get_system_status(&self, _: Request<Empty>) -> Reply<SystemStatusResponse> {
        ok(SystemStatusResponse {
            autonomy_level: "GetSystemStatus".into(),
            loaded_models: vec!["m1".into()],
            uptime_seconds: 7,
            ..Default::default()
        })
    }
    async fn get_assigned_task(&self, r: Request<AgentId>) -> Reply<Task> {
        let agent = r.into_inner().id;
        let mut task = Task {
            id: format!("GetAssignedTask:{agent}"),
            assigned_agent: agent.clone(),
            ..Default::default()
        };
        task.set_input_json(&json!({ "for": agent }))?;
        ok(task)
    }
    async fn report_task_result(&self, r: Request<TaskResult>) -> Reply<Status> {
        let r = r.into_inner();
        let out: Value = r.decode_output_json()?;
        status(format!(
            "ReportTaskResult:{}:{}:{}:{}:{}",
            r.task_id, r.success, out, r.duration_ms, r.tokens_used
        ))
    }
    async fn request_capability(&self, r: Request<CapabilityRequest>) -> Reply<CapabilityResponse> {
        let r = r.into_inner();
        let granted = r.duration_hours <= 24;
        ok(CapabilityResponse {
            granted,
            capabilities: if granted { r.capabilities } else { vec![] },
            expires_at: format!("+{}h", r.duration_hours),
            denial_reason: if granted {
                String::new()
            } else {
                format!("RequestCapability:{} too long", r.agent_id)
            },
        })
    }
    async fn revoke_capability(&self, r: Request<CapabilityRevocation>) -> Reply<Status> {
        let r = r.into_inner();
        status(format!(
            "RevokeCapability:{}:{}:{}",
            r.agent_id,
            r.capabilities.join(","),
            r.revoke_all
        ))
    }
    async fn create_schedule(&self, r: Request<CreateScheduleRequest>) -> Reply<ScheduleResponse> {
        let r = r.into_inner();
        ok(ScheduleResponse {
            schedule_id: format!(
                "CreateSchedule:{}:{}:{}",
                r.cron_expr, r.goal_template, r.priority
            ),
            success: true,
        })
    }
    async fn list_schedules(&self, _: Request<Empty>) -> Reply<ScheduleListResponse> {
        ok(ScheduleListResponse {
            schedules: vec![ScheduleEntry {
                id: "ListSchedules".into(),
                enabled: true,
                last_run: 9,
                ..Default::default()
            }],
        })
    }
    async fn delete_schedule(&self, r: Request<DeleteScheduleRequest>) -> Reply<Status> {
        status(format!("DeleteSchedule:{}", r.into_inner().schedule_id))
    }
    async fn register_node(&self, r: Request<NodeRegistration>) -> Reply<Status> {
        let r = r.into_inner();
        status(format!(
            "RegisterNode:{}:{}:{}:{:?}:{:?}:{}",
            r.node_id, r.hostname, r.address, r.agents, r.metadata, r.max_tasks
        ))
    }
    async fn node_heartbeat(&self, r: Request<NodeStatus>) -> Reply<Status> {
        let r = r.into_inner();
        status(format!(
            "NodeHeartbeat:{}:{}:{}:{}",
            r.node_id, r.cpu_usage, r.memory_usage, r.active_tasks
        ))
    }
    async fn list_nodes(&self, r: Request<ListNodesRequest>) -> Reply<NodeListResponse> {
        let mut nodes = vec![NodeInfo {
            node_id: "ListNodes-live".into(),
            healthy: true,
            ..Default::default()
        }];
        if r.into_inner().include_dead {
            nodes.push(NodeInfo {
                node_id: "ListNodes-dead".into(),
                ..Default::default()
            });
        }
        ok(NodeListResponse { nodes })
    }
}
