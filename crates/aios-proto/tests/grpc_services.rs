//! Every RPC of the six aiOS services, over real HTTP/2 in one process: a tonic
//! server implementing each generated trait, and the generated clients calling each
//! method.
//!
//! Each server method answers with values derived from its request and tagged with
//! its own name, so a client or server that mixes up methods (or drops fields) fails
//! an assertion. Methods that return `Empty` record their request in a log the test
//! reads back.
#![cfg(all(feature = "grpc", feature = "serde"))]

use aios_proto::agent::agent_client::AgentClient;
use aios_proto::agent::agent_server::{Agent, AgentServer};
use aios_proto::agent::{AgentStatusResponse, CancelTaskRequest};
use aios_proto::api_gateway::api_gateway_client::ApiGatewayClient;
use aios_proto::api_gateway::api_gateway_server::{ApiGateway, ApiGatewayServer};
use aios_proto::api_gateway::{
    ApiInferRequest, BudgetStatus, StreamChunk, UsageRecord, UsageRequest, UsageResponse,
};
use aios_proto::common::{
    AgentId, AgentRegistration, Empty, Goal, GoalId, HealthStatus, InferenceResponse, Status, Task,
    TaskResult,
};
use aios_proto::memory::memory_service_client::MemoryServiceClient;
use aios_proto::memory::memory_service_server::{MemoryService, MemoryServiceServer};
use aios_proto::memory::{self as mem};
use aios_proto::orchestrator::orchestrator_client::OrchestratorClient;
use aios_proto::orchestrator::orchestrator_server::{Orchestrator, OrchestratorServer};
use aios_proto::orchestrator::*;
use aios_proto::runtime::ai_runtime_client::AiRuntimeClient;
use aios_proto::runtime::ai_runtime_server::{AiRuntime, AiRuntimeServer};
use aios_proto::runtime::{
    InferChunk, InferRequest, InferResponse, LoadModelRequest, ModelList, ModelStatus,
    UnloadModelRequest,
};
use aios_proto::tools::tool_registry_client::ToolRegistryClient;
use aios_proto::tools::tool_registry_server::{ToolRegistry, ToolRegistryServer};
use aios_proto::tools::{self as tools};
use prost::Message;
use serde_json::{Value, json};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use tokio_stream::Stream;
use tonic::transport::Channel;
use tonic::{Code, Request, Response};

type Reply<T> = Result<Response<T>, tonic::Status>;
type ChunkStream<T> = Pin<Box<dyn Stream<Item = Result<T, tonic::Status>> + Send>>;

fn ok<T>(message: T) -> Reply<T> {
    Ok(Response::new(message))
}

fn status(message: String) -> Reply<Status> {
    ok(Status {
        success: true,
        message,
    })
}

/// Splits `prompt` into one chunk per word; after `fail_after` chunks (if any) the
/// stream ends with an error instead.
fn word_chunks<T: Send + 'static>(
    prompt: &str,
    fail_after: Option<usize>,
    chunk: impl Fn(&str, bool) -> T,
) -> ChunkStream<T> {
    let words: Vec<&str> = prompt.split_whitespace().collect();
    let mut items: Vec<Result<T, tonic::Status>> = words
        .iter()
        .enumerate()
        .map(|(i, w)| Ok(chunk(w, i + 1 == words.len())))
        .collect();
    if let Some(n) = fail_after {
        items.truncate(n);
        items.push(Err(tonic::Status::resource_exhausted(format!(
            "quota exhausted after {n} chunks"
        ))));
    }
    Box::pin(tokio_stream::iter(items))
}

/// `fail-after-<n>` in `model` or `preferred_provider` makes a stream fail.
fn fail_after(tag: &str) -> Option<usize> {
    tag.strip_prefix("fail-after-").map(|n| n.parse().unwrap())
}

/// The test server: one value implements all six services.
#[derive(Clone, Default)]
struct Fake {
    /// `(method, Debug of the request)` of the methods that return `Empty`.
    log: Arc<Mutex<Vec<(&'static str, String)>>>,
}

impl Fake {
    fn record<T: std::fmt::Debug>(
        &self,
        method: &'static str,
        request: Request<T>,
    ) -> Reply<mem::Empty> {
        self.log
            .lock()
            .unwrap()
            .push((method, format!("{:?}", request.into_inner())));
        ok(mem::Empty {})
    }

    fn take_log(&self) -> Vec<(&'static str, String)> {
        std::mem::take(&mut self.log.lock().unwrap())
    }
}

#[tonic::async_trait]
impl Orchestrator for Fake {
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

#[tonic::async_trait]
impl Agent for Fake {
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

#[tonic::async_trait]
impl AiRuntime for Fake {
    async fn load_model(&self, r: Request<LoadModelRequest>) -> Reply<ModelStatus> {
        let r = r.into_inner();
        ok(ModelStatus {
            model_name: r.model_name,
            status: format!(
                "LoadModel:{}:{}:{}:{}",
                r.model_path, r.context_length, r.gpu_layers, r.threads
            ),
            port: r.port,
            loaded_at: 1_700_000_000_000,
            ..Default::default()
        })
    }
    async fn unload_model(&self, r: Request<UnloadModelRequest>) -> Reply<Status> {
        status(format!("UnloadModel:{}", r.into_inner().model_name))
    }
    async fn list_models(&self, _: Request<Empty>) -> Reply<ModelList> {
        ok(ModelList {
            models: vec![ModelStatus {
                model_name: "ListModels".into(),
                request_count: 12,
                ..Default::default()
            }],
        })
    }
    async fn infer(&self, r: Request<InferRequest>) -> Reply<InferResponse> {
        let r = r.into_inner();
        ok(InferResponse {
            text: format!(
                "Infer:{}|{}|{}",
                r.system_prompt, r.prompt, r.intelligence_level
            ),
            tokens_used: r.max_tokens,
            latency_ms: (r.temperature * 1000.0) as i64,
            model_used: format!("{}:{}:{}", r.model, r.requesting_agent, r.task_id),
        })
    }
    type StreamInferStream = ChunkStream<InferChunk>;
    async fn stream_infer(&self, r: Request<InferRequest>) -> Reply<Self::StreamInferStream> {
        let r = r.into_inner();
        ok(word_chunks(&r.prompt, fail_after(&r.model), |w, done| {
            InferChunk {
                text: w.to_uppercase(),
                done,
            }
        }))
    }
    async fn health_check(&self, _: Request<Empty>) -> Reply<HealthStatus> {
        ok(HealthStatus {
            healthy: true,
            service: "HealthCheck".into(),
            uptime_seconds: 13,
            details: [("gpu".to_string(), "ok".to_string())].into(),
            ..Default::default()
        })
    }
}

#[tonic::async_trait]
impl ToolRegistry for Fake {
    async fn list_tools(
        &self,
        r: Request<tools::ListToolsRequest>,
    ) -> Reply<tools::ListToolsResponse> {
        let ns = r.into_inner().namespace;
        ok(tools::ListToolsResponse {
            tools: ["read", "write"]
                .iter()
                .map(|n| tools::ToolDefinition {
                    name: format!("{ns}.{n}"),
                    namespace: ns.clone(),
                    ..Default::default()
                })
                .collect(),
        })
    }
    async fn get_tool(&self, r: Request<tools::GetToolRequest>) -> Reply<tools::ToolDefinition> {
        let name = r.into_inner().name;
        ok(tools::ToolDefinition {
            namespace: name.split('.').next().unwrap().into(),
            description: "GetTool".into(),
            input_schema: br#"{"type":"object"}"#.to_vec().into(),
            required_capabilities: vec!["fs.read".into()],
            timeout_ms: 1500,
            idempotent: true,
            name,
            ..Default::default()
        })
    }
    async fn execute(&self, r: Request<tools::ExecuteRequest>) -> Reply<tools::ExecuteResponse> {
        let r = r.into_inner();
        let input: Value = r.decode_input_json()?;
        let mut resp = tools::ExecuteResponse {
            success: true,
            execution_id: format!("exec:{}:{}:{}", r.tool_name, r.agent_id, r.task_id),
            duration_ms: 3,
            backup_id: r.reason,
            ..Default::default()
        };
        resp.set_output_json(&json!({ "tool": r.tool_name, "input": input }))?;
        ok(resp)
    }
    async fn rollback(&self, r: Request<tools::RollbackRequest>) -> Reply<tools::RollbackResponse> {
        let r = r.into_inner();
        ok(tools::RollbackResponse {
            success: r.execution_id.starts_with("exec:"),
            error: format!("Rollback:{}:{}", r.execution_id, r.reason),
        })
    }
    async fn register(
        &self,
        r: Request<tools::RegisterToolRequest>,
    ) -> Reply<tools::RegisterToolResponse> {
        let r = r.into_inner();
        let tool = r.tool.unwrap_or_default();
        ok(tools::RegisterToolResponse {
            accepted: !r.handler_address.is_empty(),
            error: format!(
                "Register:{}@{}:{}",
                tool.name, r.handler_address, tool.risk_level
            ),
        })
    }
    async fn deregister(&self, r: Request<tools::DeregisterToolRequest>) -> Reply<tools::Status> {
        ok(tools::Status {
            success: true,
            message: format!("Deregister:{}", r.into_inner().tool_name),
        })
    }
}

#[tonic::async_trait]
impl MemoryService for Fake {
    async fn push_event(&self, r: Request<mem::Event>) -> Reply<mem::Empty> {
        self.record("PushEvent", r)
    }
    async fn get_recent_events(
        &self,
        r: Request<mem::RecentEventsRequest>,
    ) -> Reply<mem::EventList> {
        let r = r.into_inner();
        ok(mem::EventList {
            events: (0..r.count)
                .map(|i| mem::Event {
                    id: format!("GetRecentEvents-{i}"),
                    category: r.category.clone(),
                    source: r.source.clone(),
                    timestamp: i64::from(i) + 1,
                    ..Default::default()
                })
                .collect(),
        })
    }
    async fn update_metric(&self, r: Request<mem::MetricUpdate>) -> Reply<mem::Empty> {
        self.record("UpdateMetric", r)
    }
    async fn get_metric(&self, r: Request<mem::MetricRequest>) -> Reply<mem::MetricValue> {
        let key = r.into_inner().key;
        ok(mem::MetricValue {
            value: key.len() as f64,
            timestamp: 77,
            key: format!("GetMetric:{key}"),
        })
    }
    async fn get_system_snapshot(&self, _: Request<mem::Empty>) -> Reply<mem::SystemSnapshot> {
        ok(mem::SystemSnapshot {
            cpu_percent: 12.5,
            active_agents: 4,
            loaded_models: vec!["GetSystemSnapshot".into()],
            ..Default::default()
        })
    }
    async fn store_goal(&self, r: Request<mem::GoalRecord>) -> Reply<mem::Empty> {
        self.record("StoreGoal", r)
    }
    async fn update_goal(&self, r: Request<mem::GoalUpdate>) -> Reply<mem::Empty> {
        self.record("UpdateGoal", r)
    }
    async fn get_active_goals(&self, _: Request<mem::Empty>) -> Reply<mem::GoalList> {
        ok(mem::GoalList {
            goals: vec![mem::GoalRecord {
                id: "GetActiveGoals".into(),
                priority: 2,
                ..Default::default()
            }],
        })
    }
    async fn store_task(&self, r: Request<mem::TaskRecord>) -> Reply<mem::Empty> {
        self.record("StoreTask", r)
    }
    async fn get_tasks_for_goal(&self, r: Request<mem::GoalIdRequest>) -> Reply<mem::TaskList> {
        let goal_id = r.into_inner().goal_id;
        ok(mem::TaskList {
            tasks: vec![mem::TaskRecord {
                id: "GetTasksForGoal".into(),
                goal_id,
                ..Default::default()
            }],
        })
    }
    async fn store_tool_call(&self, r: Request<mem::ToolCallRecord>) -> Reply<mem::Empty> {
        self.record("StoreToolCall", r)
    }
    async fn store_decision(&self, r: Request<mem::Decision>) -> Reply<mem::Empty> {
        self.record("StoreDecision", r)
    }
    async fn store_pattern(&self, r: Request<mem::Pattern>) -> Reply<mem::Empty> {
        self.record("StorePattern", r)
    }
    async fn find_pattern(&self, r: Request<mem::PatternQuery>) -> Reply<mem::PatternResult> {
        let r = r.into_inner();
        ok(mem::PatternResult {
            pattern: Some(mem::Pattern {
                id: "FindPattern".into(),
                success_rate: r.min_success_rate,
                trigger: r.trigger,
                ..Default::default()
            }),
            found: true,
        })
    }
    async fn update_pattern_stats(&self, r: Request<mem::PatternStatsUpdate>) -> Reply<mem::Empty> {
        self.record("UpdatePatternStats", r)
    }
    async fn store_agent_state(&self, r: Request<mem::AgentState>) -> Reply<mem::Empty> {
        self.record("StoreAgentState", r)
    }
    async fn get_agent_state(&self, r: Request<mem::AgentStateRequest>) -> Reply<mem::AgentState> {
        let agent_name = r.into_inner().agent_name;
        let mut state = mem::AgentState {
            updated_at: 99,
            ..Default::default()
        };
        state.set_state_json(&json!({ "GetAgentState": agent_name }))?;
        state.agent_name = agent_name;
        ok(state)
    }
    async fn semantic_search(
        &self,
        r: Request<mem::SemanticSearchRequest>,
    ) -> Reply<mem::SearchResults> {
        search("SemanticSearch", r.into_inner())
    }
    async fn store_procedure(&self, r: Request<mem::Procedure>) -> Reply<mem::Empty> {
        self.record("StoreProcedure", r)
    }
    async fn store_incident(&self, r: Request<mem::Incident>) -> Reply<mem::Empty> {
        self.record("StoreIncident", r)
    }
    async fn store_config_change(&self, r: Request<mem::ConfigChange>) -> Reply<mem::Empty> {
        self.record("StoreConfigChange", r)
    }
    async fn search_knowledge(
        &self,
        r: Request<mem::SemanticSearchRequest>,
    ) -> Reply<mem::SearchResults> {
        search("SearchKnowledge", r.into_inner())
    }
    async fn add_knowledge(&self, r: Request<mem::KnowledgeEntry>) -> Reply<mem::Empty> {
        self.record("AddKnowledge", r)
    }
    async fn assemble_context(
        &self,
        r: Request<mem::ContextRequest>,
    ) -> Reply<mem::ContextResponse> {
        let r = r.into_inner();
        ok(mem::ContextResponse {
            chunks: r
                .memory_tiers
                .iter()
                .map(|tier| mem::ContextChunk {
                    source: tier.clone(),
                    content: format!("AssembleContext:{}", r.task_description),
                    relevance: 1.0,
                    tokens: r.max_tokens / 2,
                })
                .collect(),
            total_tokens: r.max_tokens,
        })
    }
}

/// One hit per collection, up to `n_results`, tagged with the method.
fn search(method: &str, r: mem::SemanticSearchRequest) -> Reply<mem::SearchResults> {
    let mut results = Vec::new();
    for collection in r.collections.iter().take(r.n_results as usize) {
        let mut hit = mem::SearchResult {
            id: method.into(),
            content: r.query.clone(),
            relevance: r.min_relevance,
            collection: collection.clone(),
            ..Default::default()
        };
        hit.set_metadata_json(&json!({ "method": method }))?;
        results.push(hit);
    }
    ok(mem::SearchResults { results })
}

#[tonic::async_trait]
impl ApiGateway for Fake {
    async fn infer(&self, r: Request<ApiInferRequest>) -> Reply<InferenceResponse> {
        let r = r.into_inner();
        ok(InferenceResponse {
            text: format!("ApiGateway.Infer:{}|{}", r.system_prompt, r.prompt),
            tokens_used: r.max_tokens,
            latency_ms: 5,
            model_used: format!("{}:{}", r.preferred_provider, r.allow_fallback),
            intelligence_level: format!("{}:{}", r.requesting_agent, r.task_id),
        })
    }
    type StreamInferStream = ChunkStream<StreamChunk>;
    async fn stream_infer(&self, r: Request<ApiInferRequest>) -> Reply<Self::StreamInferStream> {
        let r = r.into_inner();
        let provider = r.preferred_provider.clone();
        ok(word_chunks(
            &r.prompt,
            fail_after(&r.preferred_provider),
            move |w, done| StreamChunk {
                text: w.chars().rev().collect(),
                done,
                provider: provider.clone(),
            },
        ))
    }
    async fn get_budget(&self, _: Request<Empty>) -> Reply<BudgetStatus> {
        ok(BudgetStatus {
            claude_monthly_budget_usd: 100.0,
            claude_used_usd: 12.5,
            days_remaining: 9,
            budget_exceeded: false,
            ..Default::default()
        })
    }
    async fn get_usage(&self, r: Request<UsageRequest>) -> Reply<UsageResponse> {
        let r = r.into_inner();
        let records: Vec<UsageRecord> = (0..r.days)
            .map(|day| UsageRecord {
                provider: r.provider.clone(),
                model: "GetUsage".into(),
                input_tokens: day,
                cost_usd: 0.25,
                timestamp: i64::from(day),
                ..Default::default()
            })
            .collect();
        ok(UsageResponse {
            total_cost_usd: 0.25 * records.len() as f64,
            total_requests: records.len() as i32,
            total_tokens: records.iter().map(|u| u.input_tokens).sum(),
            records,
        })
    }
}

/// Serves every service of `fake` on a free local port; returns a connected channel.
async fn serve(fake: Fake) -> Channel {
    let incoming =
        tonic::transport::server::TcpIncoming::bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = incoming.local_addr().unwrap();
    let router = tonic::transport::Server::builder()
        .add_service(OrchestratorServer::new(fake.clone()))
        .add_service(AgentServer::new(fake.clone()))
        .add_service(AiRuntimeServer::new(fake.clone()))
        .add_service(ToolRegistryServer::new(fake.clone()))
        .add_service(MemoryServiceServer::new(fake.clone()))
        .add_service(ApiGatewayServer::new(fake));
    tokio::spawn(router.serve_with_incoming(incoming));
    Channel::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap()
}

/// Counts the RPCs each test calls, to compare with the descriptors.
#[derive(Default)]
struct Calls(std::collections::BTreeSet<&'static str>);

impl Calls {
    fn add(&mut self, method: &'static str) {
        assert!(self.0.insert(method), "{method} counted twice");
    }
}

fn methods_in_descriptors(service: &str) -> std::collections::BTreeSet<String> {
    let set = prost_types::FileDescriptorSet::decode(aios_proto::FILE_DESCRIPTOR_SET).unwrap();
    set.file
        .iter()
        .flat_map(|f| f.service.iter().map(move |s| (f.package(), s)))
        .filter(|(package, s)| format!("{package}.{}", s.name()) == service)
        .flat_map(|(_, s)| s.method.iter().map(|m| m.name().to_owned()))
        .collect()
}

fn assert_called_all(service: &str, calls: Calls) {
    let called: std::collections::BTreeSet<String> =
        calls.0.iter().map(|s| s.to_string()).collect();
    assert_eq!(called, methods_in_descriptors(service), "{service}");
}

fn message(s: Status) -> String {
    assert!(s.success);
    s.message
}

#[tokio::test]
async fn orchestrator_every_rpc() {
    let mut c = OrchestratorClient::new(serve(Fake::default()).await);
    let mut calls = Calls::default();

    let mut submit = SubmitGoalRequest {
        description: "tidy /tmp".into(),
        priority: 3,
        source: "cli".into(),
        tags: vec!["ops".into(), "disk".into()],
        ..Default::default()
    };
    submit
        .set_metadata_json(&json!({ "owner": "ana" }))
        .unwrap();
    let id = c.submit_goal(submit).await.unwrap().into_inner().id;
    assert_eq!(id, r#"SubmitGoal:tidy /tmp:3:cli:ops,disk:"ana""#);
    calls.add("SubmitGoal");

    let bad = SubmitGoalRequest {
        metadata_json: "{".into(),
        ..Default::default()
    };
    let err = c.submit_goal(bad).await.unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert_eq!(
        err.message(),
        "aios.orchestrator.SubmitGoalRequest.metadata_json: EOF while parsing an object at line 1 column 1"
    );

    let st = c
        .get_goal_status(GoalId { id: "g-1".into() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(st.current_phase, "GetGoalStatus");
    assert_eq!(st.progress_percent, 42.5);
    let goal = st.goal.unwrap();
    assert_eq!(
        (goal.id.as_str(), goal.status.as_str()),
        ("g-1", "GOAL_IN_PROGRESS")
    );
    assert_eq!(
        goal.created_at_as_secs().unwrap().to_rfc3339(),
        "2023-11-14T22:13:20+00:00"
    );
    assert_eq!(
        (st.tasks[0].id.as_str(), st.tasks[0].goal_id.as_str()),
        ("g-1/t1", "g-1")
    );
    calls.add("GetGoalStatus");

    let s = c.cancel_goal(GoalId { id: "g-2".into() }).await.unwrap();
    assert_eq!(message(s.into_inner()), "CancelGoal:g-2");
    calls.add("CancelGoal");

    let page = c
        .list_goals(ListGoalsRequest {
            status_filter: "done".into(),
            limit: 2,
            offset: 5,
        })
        .await
        .unwrap()
        .into_inner();
    let ids: Vec<_> = page.goals.iter().map(|g| g.id.as_str()).collect();
    assert_eq!((ids, page.total), (vec!["done-5", "done-6"], 100));
    calls.add("ListGoals");

    let s = c
        .register_agent(AgentRegistration {
            agent_id: "a-1".into(),
            agent_type: "sysadmin".into(),
            capabilities: vec!["fs.read".into(), "net".into()],
            tool_namespaces: vec!["fs".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        message(s.into_inner()),
        "RegisterAgent:a-1:sysadmin:fs.read,net:fs"
    );
    calls.add("RegisterAgent");

    let s = c
        .unregister_agent(AgentId { id: "a-9".into() })
        .await
        .unwrap();
    assert_eq!(message(s.into_inner()), "UnregisterAgent:a-9");
    calls.add("UnregisterAgent");

    let s = c
        .heartbeat(HeartbeatRequest {
            agent_id: "a-1".into(),
            status: "busy".into(),
            current_task_id: "t-4".into(),
            cpu_usage: 0.5,
            memory_usage_mb: 256.25,
        })
        .await
        .unwrap();
    assert_eq!(message(s.into_inner()), "Heartbeat:a-1:busy:t-4:0.5:256.25");
    calls.add("Heartbeat");

    let agents = c.list_agents(Empty {}).await.unwrap().into_inner().agents;
    assert_eq!(agents[0].agent_id, "ListAgents");
    assert_eq!(agents[0].registered_at, 5);
    calls.add("ListAgents");

    let sys = c.get_system_status(Empty {}).await.unwrap().into_inner();
    assert_eq!(
        (
            sys.autonomy_level.as_str(),
            sys.loaded_models.as_slice(),
            sys.uptime_seconds
        ),
        ("GetSystemStatus", &["m1".to_string()][..], 7)
    );
    calls.add("GetSystemStatus");

    let task = c
        .get_assigned_task(AgentId { id: "a-3".into() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(task.id, "GetAssignedTask:a-3");
    assert_eq!(
        task.decode_input_json::<Value>().unwrap(),
        json!({ "for": "a-3" })
    );
    calls.add("GetAssignedTask");

    let mut result = TaskResult {
        task_id: "t-4".into(),
        success: true,
        duration_ms: 1200,
        tokens_used: 33,
        ..Default::default()
    };
    result.set_output_json(&json!([1, "two"])).unwrap();
    let s = c.report_task_result(result).await.unwrap();
    assert_eq!(
        message(s.into_inner()),
        r#"ReportTaskResult:t-4:true:[1,"two"]:1200:33"#
    );
    calls.add("ReportTaskResult");

    let granted = c
        .request_capability(CapabilityRequest {
            agent_id: "a-1".into(),
            capabilities: vec!["net".into()],
            reason: "fetch".into(),
            duration_hours: 2,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(granted.granted);
    assert_eq!(
        (granted.capabilities, granted.expires_at),
        (vec!["net".to_string()], "+2h".to_string())
    );
    let denied = c
        .request_capability(CapabilityRequest {
            agent_id: "a-2".into(),
            duration_hours: 48,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(!denied.granted);
    assert_eq!(denied.denial_reason, "RequestCapability:a-2 too long");
    calls.add("RequestCapability");

    let s = c
        .revoke_capability(CapabilityRevocation {
            agent_id: "a-1".into(),
            capabilities: vec!["net".into()],
            revoke_all: true,
        })
        .await
        .unwrap();
    assert_eq!(message(s.into_inner()), "RevokeCapability:a-1:net:true");
    calls.add("RevokeCapability");

    let sched = c
        .create_schedule(CreateScheduleRequest {
            cron_expr: "0 * * * *".into(),
            goal_template: "rotate logs".into(),
            priority: 4,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(sched.schedule_id, "CreateSchedule:0 * * * *:rotate logs:4");
    assert!(sched.success);
    calls.add("CreateSchedule");

    let list = c
        .list_schedules(Empty {})
        .await
        .unwrap()
        .into_inner()
        .schedules;
    assert_eq!(
        (list[0].id.as_str(), list[0].enabled, list[0].last_run),
        ("ListSchedules", true, 9)
    );
    calls.add("ListSchedules");

    let s = c
        .delete_schedule(DeleteScheduleRequest {
            schedule_id: "s-1".into(),
        })
        .await
        .unwrap();
    assert_eq!(message(s.into_inner()), "DeleteSchedule:s-1");
    calls.add("DeleteSchedule");

    let s = c
        .register_node(NodeRegistration {
            node_id: "n-1".into(),
            hostname: "box".into(),
            address: "10.0.0.2:50051".into(),
            agents: vec!["a-1".into()],
            metadata: [("zone".to_string(), "eu".to_string())].into(),
            max_tasks: 8,
        })
        .await
        .unwrap();
    assert_eq!(
        message(s.into_inner()),
        r#"RegisterNode:n-1:box:10.0.0.2:50051:["a-1"]:{"zone": "eu"}:8"#
    );
    calls.add("RegisterNode");

    let s = c
        .node_heartbeat(NodeStatus {
            node_id: "n-1".into(),
            cpu_usage: 0.25,
            memory_usage: 0.75,
            active_tasks: 3,
        })
        .await
        .unwrap();
    assert_eq!(message(s.into_inner()), "NodeHeartbeat:n-1:0.25:0.75:3");
    calls.add("NodeHeartbeat");

    let live = c
        .list_nodes(ListNodesRequest {
            include_dead: false,
        })
        .await
        .unwrap()
        .into_inner()
        .nodes;
    let all = c
        .list_nodes(ListNodesRequest { include_dead: true })
        .await
        .unwrap()
        .into_inner()
        .nodes;
    assert_eq!(live.len(), 1);
    assert!(live[0].healthy);
    let ids: Vec<_> = all.iter().map(|n| n.node_id.as_str()).collect();
    assert_eq!(ids, ["ListNodes-live", "ListNodes-dead"]);
    calls.add("ListNodes");

    assert_called_all("aios.orchestrator.Orchestrator", calls);
}

#[tokio::test]
async fn agent_every_rpc() {
    let mut c = AgentClient::new(serve(Fake::default()).await);
    let mut calls = Calls::default();

    let mut task = Task {
        id: "t-1".into(),
        required_tools: vec!["fs.read".into(), "fs.write".into()],
        ..Default::default()
    };
    task.set_input_json(&json!({ "path": "/var/log" })).unwrap();
    let result = c.execute_task(task).await.unwrap().into_inner();
    assert_eq!(
        (result.task_id.as_str(), result.model_used.as_str()),
        ("t-1", "ExecuteTask")
    );
    assert_eq!(result.tokens_used, 2);
    assert_eq!(
        result.decode_output_json::<Value>().unwrap(),
        json!({ "echo": { "path": "/var/log" } })
    );
    calls.add("ExecuteTask");

    let s = c
        .cancel_task(CancelTaskRequest {
            task_id: "t-1".into(),
            reason: "user".into(),
        })
        .await
        .unwrap();
    assert_eq!(message(s.into_inner()), "CancelTask:t-1:user");
    calls.add("CancelTask");

    let st = c.get_status(Empty {}).await.unwrap().into_inner();
    assert_eq!(
        (st.agent_id.as_str(), st.tasks_completed, st.uptime_seconds),
        ("GetStatus", 3, 11)
    );
    calls.add("GetStatus");

    let s = c.shutdown(Empty {}).await.unwrap();
    assert_eq!(message(s.into_inner()), "Shutdown");
    calls.add("Shutdown");

    assert_called_all("aios.agent.Agent", calls);
}

/// Reads a server stream to its end; returns the messages and the final error.
async fn drain<T>(mut stream: tonic::Streaming<T>) -> (Vec<T>, Option<tonic::Status>) {
    let mut got = Vec::new();
    loop {
        match stream.message().await {
            Ok(Some(m)) => got.push(m),
            Ok(None) => return (got, None),
            Err(status) => {
                // Nothing follows an error.
                assert!(matches!(stream.message().await, Ok(None) | Err(_)));
                return (got, Some(status));
            }
        }
    }
}

#[tokio::test]
async fn ai_runtime_every_rpc_including_stream_infer() {
    let mut c = AiRuntimeClient::new(serve(Fake::default()).await);
    let mut calls = Calls::default();

    let m = c
        .load_model(LoadModelRequest {
            model_name: "qwen".into(),
            model_path: "/models/qwen.gguf".into(),
            context_length: 8192,
            gpu_layers: 20,
            threads: 6,
            port: 8081,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (m.model_name.as_str(), m.status.as_str(), m.port),
        ("qwen", "LoadModel:/models/qwen.gguf:8192:20:6", 8081)
    );
    assert_eq!(
        m.loaded_at_as_millis().unwrap().to_rfc3339(),
        "2023-11-14T22:13:20+00:00"
    );
    calls.add("LoadModel");

    let s = c
        .unload_model(UnloadModelRequest {
            model_name: "qwen".into(),
        })
        .await
        .unwrap();
    assert_eq!(message(s.into_inner()), "UnloadModel:qwen");
    calls.add("UnloadModel");

    let models = c.list_models(Empty {}).await.unwrap().into_inner().models;
    assert_eq!(
        (models[0].model_name.as_str(), models[0].request_count),
        ("ListModels", 12)
    );
    calls.add("ListModels");

    let request = InferRequest {
        model: "qwen".into(),
        prompt: "say hi".into(),
        system_prompt: "be brief".into(),
        max_tokens: 64,
        temperature: 0.25,
        intelligence_level: "operational".into(),
        requesting_agent: "a-1".into(),
        task_id: "t-1".into(),
    };
    let r = c.infer(request.clone()).await.unwrap().into_inner();
    assert_eq!(r.text, "Infer:be brief|say hi|operational");
    assert_eq!((r.tokens_used, r.latency_ms), (64, 250));
    assert_eq!(r.model_used, "qwen:a-1:t-1");
    calls.add("Infer");

    // A whole stream: one chunk per word, the last one `done`.
    let stream = c
        .stream_infer(InferRequest {
            prompt: "one two three four".into(),
            ..request.clone()
        })
        .await
        .unwrap()
        .into_inner();
    let (chunks, err) = drain(stream).await;
    assert!(err.is_none(), "{err:?}");
    let texts: Vec<_> = chunks.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["ONE", "TWO", "THREE", "FOUR"]);
    let done: Vec<_> = chunks.iter().map(|c| c.done).collect();
    assert_eq!(done, [false, false, false, true]);

    // A stream that fails after two chunks: the client sees both, then the status.
    let stream = c
        .stream_infer(InferRequest {
            model: "fail-after-2".into(),
            prompt: "one two three four".into(),
            ..request
        })
        .await
        .unwrap()
        .into_inner();
    let (chunks, err) = drain(stream).await;
    let texts: Vec<_> = chunks.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["ONE", "TWO"]);
    let err = err.expect("the stream should end with an error");
    assert_eq!(err.code(), Code::ResourceExhausted);
    assert_eq!(err.message(), "quota exhausted after 2 chunks");
    calls.add("StreamInfer");

    let h = c.health_check(Empty {}).await.unwrap().into_inner();
    assert!(h.healthy);
    assert_eq!((h.service.as_str(), h.uptime_seconds), ("HealthCheck", 13));
    assert_eq!(h.details.get("gpu").map(String::as_str), Some("ok"));
    calls.add("HealthCheck");

    assert_called_all("aios.runtime.AIRuntime", calls);
}

#[tokio::test]
async fn tool_registry_every_rpc() {
    let mut c = ToolRegistryClient::new(serve(Fake::default()).await);
    let mut calls = Calls::default();

    let list = c
        .list_tools(tools::ListToolsRequest {
            namespace: "fs".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .tools;
    let names: Vec<_> = list.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["fs.read", "fs.write"]);
    calls.add("ListTools");

    let t = c
        .get_tool(tools::GetToolRequest {
            name: "fs.read".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (
            t.name.as_str(),
            t.namespace.as_str(),
            t.description.as_str()
        ),
        ("fs.read", "fs", "GetTool")
    );
    assert_eq!((t.timeout_ms, t.idempotent), (1500, true));
    let schema: Value =
        aios_proto::json_fields::decode(&t.input_schema, "aios.tools.ToolDefinition.input_schema")
            .unwrap();
    assert_eq!(schema, json!({ "type": "object" }));
    calls.add("GetTool");

    let mut req = tools::ExecuteRequest {
        tool_name: "fs.read".into(),
        agent_id: "a-1".into(),
        task_id: "t-1".into(),
        reason: "check hostname".into(),
        ..Default::default()
    };
    req.set_input_json(&json!({ "path": "/etc/hostname" }))
        .unwrap();
    let r = c.execute(req.clone()).await.unwrap().into_inner();
    assert!(r.success);
    assert_eq!(r.execution_id, "exec:fs.read:a-1:t-1");
    assert_eq!((r.duration_ms, r.backup_id.as_str()), (3, "check hostname"));
    assert_eq!(
        r.decode_output_json::<Value>().unwrap(),
        json!({ "tool": "fs.read", "input": { "path": "/etc/hostname" } })
    );
    // Bad JSON input: the server's `?` turns the field error into INVALID_ARGUMENT.
    let err = c
        .execute(tools::ExecuteRequest {
            input_json: "<html>".into(),
            ..req
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert_eq!(
        err.message(),
        "aios.tools.ExecuteRequest.input_json: expected value at line 1 column 1"
    );
    calls.add("Execute");

    let r = c
        .rollback(tools::RollbackRequest {
            execution_id: "exec:fs.read:a-1:t-1".into(),
            reason: "undo".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(r.success);
    assert_eq!(r.error, "Rollback:exec:fs.read:a-1:t-1:undo");
    calls.add("Rollback");

    let r = c
        .register(tools::RegisterToolRequest {
            tool: Some(tools::ToolDefinition {
                name: "net.ping".into(),
                risk_level: "low".into(),
                ..Default::default()
            }),
            handler_address: "127.0.0.1:9000".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(r.accepted);
    assert_eq!(r.error, "Register:net.ping@127.0.0.1:9000:low");
    calls.add("Register");

    let s = c
        .deregister(tools::DeregisterToolRequest {
            tool_name: "net.ping".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(s.success);
    assert_eq!(s.message, "Deregister:net.ping");
    calls.add("Deregister");

    assert_called_all("aios.tools.ToolRegistry", calls);
}

#[tokio::test]
async fn memory_service_every_rpc() {
    let fake = Fake::default();
    let mut c = MemoryServiceClient::new(serve(fake.clone()).await);
    let mut calls = Calls::default();

    // The `Empty` methods: the server saw exactly what was sent, under its own name.
    macro_rules! stored {
        ($method:ident, $name:literal, $msg:expr) => {{
            let msg = $msg;
            c.$method(msg.clone()).await.unwrap();
            assert_eq!(fake.take_log(), [($name, format!("{msg:?}"))]);
            calls.add($name);
        }};
    }

    let mut event = mem::Event {
        id: "e-1".into(),
        timestamp: 1_700_000_000_000,
        category: "disk".into(),
        source: "monitor".into(),
        critical: true,
        ..Default::default()
    };
    event.set_data_json(&json!({ "free_gb": 1.5 })).unwrap();
    stored!(push_event, "PushEvent", event);
    stored!(
        update_metric,
        "UpdateMetric",
        mem::MetricUpdate {
            key: "cpu".into(),
            value: 0.5,
            timestamp: 3,
        }
    );
    let mut goal = mem::GoalRecord {
        id: "g-1".into(),
        description: "tidy".into(),
        status: "pending".into(),
        priority: 2,
        created_at: 10,
        ..Default::default()
    };
    goal.set_metadata_json(&json!({ "k": "v" })).unwrap();
    stored!(store_goal, "StoreGoal", goal);
    stored!(
        update_goal,
        "UpdateGoal",
        mem::GoalUpdate {
            id: "g-1".into(),
            status: "done".into(),
            result: "ok".into(),
        }
    );
    let mut task = mem::TaskRecord {
        id: "t-1".into(),
        goal_id: "g-1".into(),
        agent: "a-1".into(),
        duration_ms: 12,
        ..Default::default()
    };
    task.set_input_json(&json!({ "in": 1 })).unwrap();
    task.set_output_json(&json!({ "out": 2 })).unwrap();
    stored!(store_task, "StoreTask", task);
    let mut call = mem::ToolCallRecord {
        id: "c-1".into(),
        tool_name: "fs.read".into(),
        success: true,
        ..Default::default()
    };
    call.set_input_json(&json!("in")).unwrap();
    call.set_output_json(&json!("out")).unwrap();
    stored!(store_tool_call, "StoreToolCall", call);
    let mut decision = mem::Decision {
        id: "d-1".into(),
        chosen: "b".into(),
        ..Default::default()
    };
    decision.set_options_json(&json!(["a", "b"])).unwrap();
    stored!(store_decision, "StoreDecision", decision);
    stored!(
        store_pattern,
        "StorePattern",
        mem::Pattern {
            id: "p-1".into(),
            trigger: "disk full".into(),
            action: "clean".into(),
            success_rate: 0.9,
            uses: 4,
            last_used: 8,
            created_from: "incident".into(),
        }
    );
    stored!(
        update_pattern_stats,
        "UpdatePatternStats",
        mem::PatternStatsUpdate {
            id: "p-1".into(),
            success: true,
        }
    );
    let mut state = mem::AgentState {
        agent_name: "sysadmin".into(),
        updated_at: 4,
        ..Default::default()
    };
    state.set_state_json(&json!({ "mode": "idle" })).unwrap();
    stored!(store_agent_state, "StoreAgentState", state);
    let mut procedure = mem::Procedure {
        id: "pr-1".into(),
        name: "clean disk".into(),
        tags: vec!["disk".into()],
        ..Default::default()
    };
    procedure.set_steps_json(&json!([{ "run": "du" }])).unwrap();
    stored!(store_procedure, "StoreProcedure", procedure);
    let mut incident = mem::Incident {
        id: "i-1".into(),
        root_cause: "logs".into(),
        ..Default::default()
    };
    incident.set_symptoms_json(&json!(["slow"])).unwrap();
    stored!(store_incident, "StoreIncident", incident);
    stored!(
        store_config_change,
        "StoreConfigChange",
        mem::ConfigChange {
            id: "cc-1".into(),
            file_path: "/etc/aios.toml".into(),
            content: "x = 1".into(),
            changed_by: "a-1".into(),
            reason: "tune".into(),
            timestamp: 6,
        }
    );
    stored!(
        add_knowledge,
        "AddKnowledge",
        mem::KnowledgeEntry {
            title: "disks".into(),
            content: "df -h".into(),
            source: "manual".into(),
            tags: vec!["ops".into()],
        }
    );

    // The methods with a response.
    let events = c
        .get_recent_events(mem::RecentEventsRequest {
            count: 2,
            category: "disk".into(),
            source: "monitor".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .events;
    let got: Vec<_> = events
        .iter()
        .map(|e| {
            (
                e.id.as_str(),
                e.category.as_str(),
                e.source.as_str(),
                e.timestamp,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("GetRecentEvents-0", "disk", "monitor", 1),
            ("GetRecentEvents-1", "disk", "monitor", 2)
        ]
    );
    calls.add("GetRecentEvents");

    let m = c
        .get_metric(mem::MetricRequest { key: "load".into() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (m.key.as_str(), m.value, m.timestamp),
        ("GetMetric:load", 4.0, 77)
    );
    calls.add("GetMetric");

    let snap = c
        .get_system_snapshot(mem::Empty {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(snap.loaded_models, ["GetSystemSnapshot"]);
    assert_eq!((snap.cpu_percent, snap.active_agents), (12.5, 4));
    calls.add("GetSystemSnapshot");

    let goals = c
        .get_active_goals(mem::Empty {})
        .await
        .unwrap()
        .into_inner()
        .goals;
    assert_eq!(
        (goals[0].id.as_str(), goals[0].priority),
        ("GetActiveGoals", 2)
    );
    calls.add("GetActiveGoals");

    let tasks = c
        .get_tasks_for_goal(mem::GoalIdRequest {
            goal_id: "g-7".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .tasks;
    assert_eq!(
        (tasks[0].id.as_str(), tasks[0].goal_id.as_str()),
        ("GetTasksForGoal", "g-7")
    );
    calls.add("GetTasksForGoal");

    let found = c
        .find_pattern(mem::PatternQuery {
            trigger: "disk full".into(),
            min_success_rate: 0.75,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(found.found);
    let p = found.pattern.unwrap();
    assert_eq!(
        (p.id.as_str(), p.trigger.as_str(), p.success_rate),
        ("FindPattern", "disk full", 0.75)
    );
    calls.add("FindPattern");

    let state = c
        .get_agent_state(mem::AgentStateRequest {
            agent_name: "sysadmin".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (state.agent_name.as_str(), state.updated_at),
        ("sysadmin", 99)
    );
    assert_eq!(
        state.decode_state_json::<Value>().unwrap(),
        json!({ "GetAgentState": "sysadmin" })
    );
    calls.add("GetAgentState");

    let search = mem::SemanticSearchRequest {
        query: "disk".into(),
        collections: vec!["a".into(), "b".into(), "c".into()],
        n_results: 2,
        min_relevance: 0.5,
    };
    for (method, reply) in [
        ("SemanticSearch", c.semantic_search(search.clone()).await),
        ("SearchKnowledge", c.search_knowledge(search.clone()).await),
    ] {
        let hits = reply.unwrap().into_inner().results;
        let got: Vec<_> = hits
            .iter()
            .map(|h| {
                (
                    h.id.as_str(),
                    h.collection.as_str(),
                    h.content.as_str(),
                    h.relevance,
                )
            })
            .collect();
        assert_eq!(
            got,
            [(method, "a", "disk", 0.5), (method, "b", "disk", 0.5)]
        );
        assert_eq!(
            hits[0].decode_metadata_json::<Value>().unwrap(),
            json!({ "method": method })
        );
    }
    calls.add("SemanticSearch");
    calls.add("SearchKnowledge");

    let ctx = c
        .assemble_context(mem::ContextRequest {
            task_description: "clean disk".into(),
            max_tokens: 100,
            memory_tiers: vec!["episodic".into(), "semantic".into()],
        })
        .await
        .unwrap()
        .into_inner();
    let got: Vec<_> = ctx
        .chunks
        .iter()
        .map(|c| (c.source.as_str(), c.content.as_str(), c.tokens))
        .collect();
    assert_eq!(
        got,
        [
            ("episodic", "AssembleContext:clean disk", 50),
            ("semantic", "AssembleContext:clean disk", 50)
        ]
    );
    assert_eq!(ctx.total_tokens, 100);
    calls.add("AssembleContext");

    assert!(fake.take_log().is_empty(), "a getter was logged as a store");
    assert_called_all("aios.memory.MemoryService", calls);
}

#[tokio::test]
async fn api_gateway_every_rpc_including_stream_infer() {
    let mut c = ApiGatewayClient::new(serve(Fake::default()).await);
    let mut calls = Calls::default();

    let request = ApiInferRequest {
        prompt: "hello there".into(),
        system_prompt: "sys".into(),
        max_tokens: 16,
        temperature: 0.5,
        preferred_provider: "claude".into(),
        requesting_agent: "a-1".into(),
        task_id: "t-1".into(),
        allow_fallback: true,
    };
    let r = c.infer(request.clone()).await.unwrap().into_inner();
    assert_eq!(r.text, "ApiGateway.Infer:sys|hello there");
    assert_eq!((r.tokens_used, r.latency_ms), (16, 5));
    assert_eq!(r.model_used, "claude:true");
    assert_eq!(r.intelligence_level, "a-1:t-1");
    calls.add("Infer");

    let stream = c.stream_infer(request.clone()).await.unwrap().into_inner();
    let (chunks, err) = drain(stream).await;
    assert!(err.is_none(), "{err:?}");
    let got: Vec<_> = chunks
        .iter()
        .map(|c| (c.text.as_str(), c.done, c.provider.as_str()))
        .collect();
    assert_eq!(got, [("olleh", false, "claude"), ("ereht", true, "claude")]);

    let stream = c
        .stream_infer(ApiInferRequest {
            prompt: "a b c d e".into(),
            preferred_provider: "fail-after-3".into(),
            ..request
        })
        .await
        .unwrap()
        .into_inner();
    let (chunks, err) = drain(stream).await;
    let texts: Vec<_> = chunks.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["a", "b", "c"]);
    assert!(chunks.iter().all(|c| !c.done));
    let err = err.expect("the stream should end with an error");
    assert_eq!(err.code(), Code::ResourceExhausted);
    assert_eq!(err.message(), "quota exhausted after 3 chunks");
    calls.add("StreamInfer");

    let b = c.get_budget(Empty {}).await.unwrap().into_inner();
    assert_eq!(
        (
            b.claude_monthly_budget_usd,
            b.claude_used_usd,
            b.days_remaining,
            b.budget_exceeded
        ),
        (100.0, 12.5, 9, false)
    );
    calls.add("GetBudget");

    let u = c
        .get_usage(UsageRequest {
            provider: "openai".into(),
            days: 3,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(u.records.len(), 3);
    assert!(
        u.records
            .iter()
            .all(|r| r.provider == "openai" && r.model == "GetUsage")
    );
    assert_eq!(
        (u.total_requests, u.total_tokens, u.total_cost_usd),
        (3, 3, 0.75)
    );
    calls.add("GetUsage");

    assert_called_all("aios.api_gateway.ApiGateway", calls);
}

/// Every method in the descriptors answers at its gRPC path
/// (`/<package>.<Service>/<Method>`) on a server with all six services: the paths
/// are built from the descriptors, not from the generated code.
#[tokio::test]
async fn every_descriptor_method_is_served_at_its_path() {
    let channel = serve(Fake::default()).await;
    let set = prost_types::FileDescriptorSet::decode(aios_proto::FILE_DESCRIPTOR_SET).unwrap();
    let mut seen = 0;
    for file in &set.file {
        for service in &file.service {
            for method in &service.method {
                let path = format!("/{}.{}/{}", file.package(), service.name(), method.name());
                let mut grpc = tonic::client::Grpc::new(channel.clone());
                grpc.ready().await.unwrap();
                let path = tonic::codegen::http::uri::PathAndQuery::try_from(path).unwrap();
                // An empty message is a valid encoding of every request type, and
                // decoding any response as `Empty` skips its fields.
                let codec = tonic_prost::ProstCodec::<Empty, Empty>::default();
                if method.server_streaming() {
                    let stream = grpc
                        .server_streaming(Request::new(Empty {}), path.clone(), codec)
                        .await
                        .unwrap_or_else(|e| panic!("{path}: {e}"))
                        .into_inner();
                    let (_, err) = drain(stream).await;
                    assert!(err.is_none(), "{path}: {err:?}");
                } else {
                    grpc.unary(Request::new(Empty {}), path.clone(), codec)
                        .await
                        .unwrap_or_else(|e| panic!("{path}: {e}"));
                }
                seen += 1;
            }
        }
    }
    assert_eq!(seen, 19 + 4 + 6 + 6 + 24 + 4);

    // And a path that does not exist is refused, so the loop above proves something.
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready().await.unwrap();
    let err = grpc
        .unary(
            Request::new(Empty {}),
            tonic::codegen::http::uri::PathAndQuery::from_static("/aios.tools.ToolRegistry/Nope"),
            tonic_prost::ProstCodec::<Empty, Empty>::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Unimplemented);
}
