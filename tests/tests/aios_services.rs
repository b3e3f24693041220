//! Every RPC of the six aiOS services, over real HTTP/2 in one process: the shared
//! fake ([`interop_tests::aios_fake::AiosFake`]) serving all six, and the generated
//! tonic clients calling each method.
//!
//! `Orchestrator`, `Agent`, `AIRuntime` and `ApiGateway` answer with values derived
//! from the request and tagged with the method's name, so a client or server that
//! mixes up methods (or drops fields) fails an assertion. `ToolRegistry` and
//! `MemoryService` keep state: what the client registers or stores it reads back
//! through the other methods and compares whole, with requests that set every field
//! (checked against the descriptors), so a dropped field or a swapped method shows.

use aios_proto::agent::CancelTaskRequest;
use aios_proto::agent::agent_client::AgentClient;
use aios_proto::api_gateway::api_gateway_client::ApiGatewayClient;
use aios_proto::api_gateway::{ApiInferRequest, UsageRequest};
use aios_proto::common::{AgentId, AgentRegistration, Empty, GoalId, Status, Task, TaskResult};
use aios_proto::memory::memory_service_client::MemoryServiceClient;
use aios_proto::memory::{self as mem};
use aios_proto::orchestrator::orchestrator_client::OrchestratorClient;
use aios_proto::orchestrator::*;
use aios_proto::runtime::ai_runtime_client::AiRuntimeClient;
use aios_proto::runtime::{InferRequest, LoadModelRequest, UnloadModelRequest};
use aios_proto::tools::tool_registry_client::ToolRegistryClient;
use aios_proto::tools::{self as tools};
use interop_tests::aios_fake::AiosFake;
use prost::Message;
use prost_reflect::ReflectMessage;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use tonic::transport::Channel;
use tonic::{Code, Request};

/// Serves every service of `fake` on a free local port; returns a connected channel.
async fn serve(fake: &AiosFake) -> Channel {
    let addr = fake.spawn().await;
    Channel::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap()
}

/// Counts the RPCs each test calls, to compare with the descriptors.
#[derive(Default)]
struct Calls(BTreeSet<&'static str>);

impl Calls {
    fn add(&mut self, method: &'static str) {
        assert!(self.0.insert(method), "{method} counted twice");
    }
}

fn methods_in_descriptors(service: &str) -> BTreeSet<String> {
    let set = prost_types::FileDescriptorSet::decode(aios_proto::FILE_DESCRIPTOR_SET).unwrap();
    set.file
        .iter()
        .flat_map(|f| f.service.iter().map(move |s| (f.package(), s)))
        .filter(|(package, s)| format!("{package}.{}", s.name()) == service)
        .flat_map(|(_, s)| s.method.iter().map(|m| m.name().to_owned()))
        .collect()
}

fn assert_called_all(service: &str, calls: Calls) {
    let called: BTreeSet<String> = calls.0.iter().map(|s| s.to_string()).collect();
    assert_eq!(called, methods_in_descriptors(service), "{service}");
}

fn message(s: Status) -> String {
    assert!(s.success);
    s.message
}

/// Asserts that `msg` sets every field its descriptor declares (non-default scalars,
/// non-empty lists and maps, and so on into set message fields): a request built
/// with every field, so that comparing what comes back catches any dropped one. A
/// field added to the proto fails here until the test sets it.
fn assert_every_field_set<M: Message + prost::Name>(msg: &M) {
    let pool = prost_reflect::DescriptorPool::decode(aios_proto::FILE_DESCRIPTOR_SET).unwrap();
    let desc = pool
        .get_message_by_name(&M::full_name())
        .unwrap_or_else(|| panic!("{} is not in the descriptors", M::full_name()));
    let dynamic =
        prost_reflect::DynamicMessage::decode(desc, msg.encode_to_vec().as_slice()).unwrap();
    let mut unset = Vec::new();
    unset_fields(&dynamic, &mut unset);
    assert!(unset.is_empty(), "{}: unset {unset:?}", M::full_name());
}

fn unset_fields(msg: &prost_reflect::DynamicMessage, unset: &mut Vec<String>) {
    for field in msg.descriptor().fields() {
        if !msg.has_field(&field) {
            unset.push(field.full_name().to_owned());
        } else if let prost_reflect::Value::Message(inner) = &*msg.get_field(&field) {
            unset_fields(inner, unset);
        }
    }
}

#[tokio::test]
async fn orchestrator_every_rpc() {
    let mut c = OrchestratorClient::new(serve(&AiosFake::default()).await);
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
    let mut c = AgentClient::new(serve(&AiosFake::default()).await);
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
    let mut c = AiRuntimeClient::new(serve(&AiosFake::default()).await);
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

fn json_bytes(value: Value) -> bytes::Bytes {
    serde_json::to_vec(&value).unwrap().into()
}

/// A `ToolDefinition` with every field set, `name` in `namespace`.
fn rich_tool(namespace: &str, name: &str, reversible: bool) -> tools::ToolDefinition {
    tools::ToolDefinition {
        name: format!("{namespace}.{name}"),
        namespace: namespace.into(),
        version: "1.2.0".into(),
        description: format!("{name}s a file"),
        input_schema: json_bytes(json!({ "type": "object", "required": ["path"] })),
        output_schema: b"\x00\xff not json"[..].into(),
        required_capabilities: vec![format!("{namespace}.{name}"), "audit".into()],
        risk_level: "high".into(),
        requires_confirmation: true,
        idempotent: true,
        reversible,
        timeout_ms: 1500,
        rollback_tool: format!("{namespace}.restore"),
    }
}

#[tokio::test]
async fn tool_registry_every_rpc_against_its_state() {
    let fake = AiosFake::default();
    let mut c = ToolRegistryClient::new(serve(&fake).await);
    let mut calls = Calls::default();
    let list = |namespace: &str| tools::ListToolsRequest {
        namespace: namespace.into(),
    };

    assert!(
        c.list_tools(list(""))
            .await
            .unwrap()
            .into_inner()
            .tools
            .is_empty()
    );

    // Register: every field of the definition, and the handler address, is kept.
    let write = rich_tool("fs", "write", true);
    assert_every_field_set(&write);
    let read = rich_tool("fs", "read", false);
    let ping = tools::ToolDefinition {
        name: "net.ping".into(),
        namespace: "net".into(),
        ..Default::default()
    };
    let register = |tool: &tools::ToolDefinition, handler: &str| tools::RegisterToolRequest {
        tool: Some(tool.clone()),
        handler_address: handler.into(),
    };
    let write_request = register(&write, "127.0.0.1:7002");
    assert_every_field_set(&write_request);
    for request in [
        register(&read, "127.0.0.1:7001"),
        write_request.clone(),
        register(&ping, "127.0.0.1:7003"),
    ] {
        let r = c.register(request).await.unwrap().into_inner();
        assert!(r.accepted && r.error.is_empty(), "{r:?}");
    }
    let r = c.register(register(&ping, "")).await.unwrap().into_inner();
    assert_eq!(
        (r.accepted, r.error.as_str()),
        (false, "handler_address is required")
    );
    let r = c
        .register(register(
            &tools::ToolDefinition::default(),
            "127.0.0.1:7004",
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (r.accepted, r.error.as_str()),
        (false, "tool.name is required")
    );
    assert_eq!(fake.registry().tools["fs.write"], write_request);
    assert_eq!(
        fake.registry().tools["net.ping"].handler_address,
        "127.0.0.1:7003"
    );
    calls.add("Register");

    let fs = c.list_tools(list("fs")).await.unwrap().into_inner().tools;
    assert_eq!(fs, [read.clone(), write.clone()]);
    let net = c.list_tools(list("net")).await.unwrap().into_inner().tools;
    assert_eq!(net, std::slice::from_ref(&ping));
    let all = c.list_tools(list("")).await.unwrap().into_inner().tools;
    assert_eq!(all, [read.clone(), write.clone(), ping.clone()]);
    assert!(
        c.list_tools(list("fs.read"))
            .await
            .unwrap()
            .into_inner()
            .tools
            .is_empty()
    );
    calls.add("ListTools");

    let get = |name: &str| tools::GetToolRequest { name: name.into() };
    assert_eq!(
        c.get_tool(get("fs.write")).await.unwrap().into_inner(),
        write
    );
    assert_eq!(c.get_tool(get("fs.read")).await.unwrap().into_inner(), read);
    let err = c.get_tool(get("fs")).await.unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (Code::NotFound, "tool fs is not registered")
    );
    calls.add("GetTool");

    // Execute: the response echoes every field of the request, and the registry
    // keeps the request as decoded.
    let mut req = tools::ExecuteRequest {
        tool_name: "fs.write".into(),
        agent_id: "a-1".into(),
        task_id: "t-1".into(),
        reason: "save notes".into(),
        ..Default::default()
    };
    req.set_input_json(&json!({ "path": "/tmp/ü.txt", "data": [1, 2.5, null] }))
        .unwrap();
    assert_every_field_set(&req);
    let r = c.execute(req.clone()).await.unwrap().into_inner();
    assert_eq!(
        (r.success, r.error.as_str(), r.execution_id.as_str()),
        (true, "", "exec-1")
    );
    assert_eq!(
        (r.duration_ms, r.backup_id.as_str()),
        (req.input_json.len() as i64, "backup-1")
    );
    assert_eq!(
        r.decode_output_json::<Value>().unwrap(),
        json!({
            "tool": "fs.write",
            "agent": "a-1",
            "task": "t-1",
            "reason": "save notes",
            "input": { "path": "/tmp/ü.txt", "data": [1, 2.5, null] },
        })
    );
    let read_req = tools::ExecuteRequest {
        tool_name: "fs.read".into(),
        input_json: br#"{"path":"/etc/hostname"}"#[..].into(),
        ..Default::default()
    };
    let r = c.execute(read_req.clone()).await.unwrap().into_inner();
    assert_eq!(
        (r.execution_id.as_str(), r.backup_id.as_str()),
        ("exec-2", "")
    );
    // Bad JSON input: the server's `?` turns the field error into INVALID_ARGUMENT.
    let err = c
        .execute(tools::ExecuteRequest {
            input_json: "<html>".into(),
            ..req.clone()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert_eq!(
        err.message(),
        "aios.tools.ExecuteRequest.input_json: expected value at line 1 column 1"
    );
    let err = c
        .execute(tools::ExecuteRequest {
            tool_name: "rm.rf".into(),
            ..req.clone()
        })
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (Code::NotFound, "tool rm.rf is not registered")
    );
    let executed: Vec<_> = fake
        .registry()
        .executions
        .iter()
        .map(|e| (e.request.clone(), e.reversible))
        .collect();
    assert_eq!(executed, [(req, true), (read_req, false)]);
    calls.add("Execute");

    // Rollback: once, of a reversible tool's execution; the registry keeps the request.
    let rollback = |id: &str, reason: &str| tools::RollbackRequest {
        execution_id: id.into(),
        reason: reason.into(),
    };
    let undo = rollback("exec-1", "wrong file");
    assert_every_field_set(&undo);
    let r = c.rollback(undo.clone()).await.unwrap().into_inner();
    assert_eq!((r.success, r.error.as_str()), (true, ""));
    assert_eq!(fake.registry().executions[0].rollback, Some(undo));
    for (id, error) in [
        ("exec-1", "exec-1 was already rolled back"),
        ("exec-2", "fs.read is not reversible"),
        ("exec-3", "unknown execution exec-3"),
        ("exec-0", "unknown execution exec-0"),
    ] {
        let r = c
            .rollback(rollback(id, "again"))
            .await
            .unwrap()
            .into_inner();
        assert_eq!((r.success, r.error.as_str()), (false, error));
    }
    assert_eq!(fake.registry().executions[1].rollback, None);
    calls.add("Rollback");

    let deregister = |name: &str| tools::DeregisterToolRequest {
        tool_name: name.into(),
    };
    let s = c
        .deregister(deregister("net.ping"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (s.success, s.message.as_str()),
        (true, "deregistered net.ping")
    );
    let s = c
        .deregister(deregister("net.ping"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (s.success, s.message.as_str()),
        (false, "unknown tool net.ping")
    );
    let all = c.list_tools(list("")).await.unwrap().into_inner().tools;
    assert_eq!(all, [read, write]);
    calls.add("Deregister");

    assert_called_all("aios.tools.ToolRegistry", calls);
}

/// The record a `SemanticSearch` hit carries as proto3 JSON in `metadata_json`.
fn record<T: serde::de::DeserializeOwned>(hit: &mem::SearchResult) -> T {
    serde_json::from_slice(&hit.metadata_json)
        .unwrap_or_else(|e| panic!("{}/{}: {e}", hit.collection, hit.id))
}

#[tokio::test]
async fn memory_service_every_rpc_against_its_state() {
    let fake = AiosFake::default();
    let mut c = MemoryServiceClient::new(serve(&fake).await);
    let mut calls = Calls::default();
    let empty = mem::Empty {};

    // Events: pushed, then read back newest first through every filter.
    let mut e1 = mem::Event {
        id: "ev-1".into(),
        timestamp: 1_700_000_000_001,
        category: "disk".into(),
        source: "monitor".into(),
        critical: true,
        ..Default::default()
    };
    e1.set_data_json(&json!({ "free_gb": 1.5 })).unwrap();
    assert_every_field_set(&e1);
    let mut e2 = mem::Event {
        id: "ev-2".into(),
        timestamp: 1_700_000_000_002,
        category: "net".into(),
        source: "monitor".into(),
        ..Default::default()
    };
    e2.set_data_json(&json!({})).unwrap();
    let mut e3 = mem::Event {
        id: "ev-3".into(),
        timestamp: 1_700_000_000_003,
        category: "disk".into(),
        source: "cron".into(),
        ..Default::default()
    };
    e3.set_data_json(&json!({ "free_gb": 0.5, "note": "ünïcode" }))
        .unwrap();
    for e in [&e1, &e2, &e3] {
        assert_eq!(c.push_event(e.clone()).await.unwrap().into_inner(), empty);
    }
    assert_eq!(fake.memory().events, [e1.clone(), e2.clone(), e3.clone()]);
    calls.add("PushEvent");
    let recent = |count: i32, category: &str, source: &str| mem::RecentEventsRequest {
        count,
        category: category.into(),
        source: source.into(),
    };
    assert_every_field_set(&recent(5, "disk", "monitor"));
    for (request, want) in [
        (recent(5, "disk", ""), vec![&e3, &e1]),
        (recent(1, "", ""), vec![&e3]),
        (recent(5, "", "monitor"), vec![&e2, &e1]),
        (recent(5, "net", "monitor"), vec![&e2]),
        (recent(5, "disk", "monitor"), vec![&e1]),
        (recent(0, "", ""), vec![]),
    ] {
        let got = c.get_recent_events(request.clone()).await.unwrap();
        let want: Vec<mem::Event> = want.into_iter().cloned().collect();
        assert_eq!(got.into_inner().events, want, "{request:?}");
    }
    calls.add("GetRecentEvents");

    // Metrics: the latest update per key, every field.
    let latest = mem::MetricUpdate {
        key: "cpu".into(),
        value: 0.75,
        timestamp: 12,
    };
    assert_every_field_set(&latest);
    for update in [
        mem::MetricUpdate {
            key: "cpu".into(),
            value: 0.25,
            timestamp: 11,
        },
        latest.clone(),
        mem::MetricUpdate {
            key: "load".into(),
            value: 1.5,
            timestamp: 13,
        },
    ] {
        c.update_metric(update).await.unwrap();
    }
    calls.add("UpdateMetric");
    let metric = |key: &str| mem::MetricRequest { key: key.into() };
    let m = c.get_metric(metric("cpu")).await.unwrap().into_inner();
    assert_eq!(
        m,
        mem::MetricValue {
            key: latest.key,
            value: latest.value,
            timestamp: latest.timestamp
        }
    );
    let m = c.get_metric(metric("load")).await.unwrap().into_inner();
    assert_eq!((m.key.as_str(), m.value, m.timestamp), ("load", 1.5, 13));
    let err = c.get_metric(metric("gpu")).await.unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (Code::NotFound, "no metric gpu")
    );
    calls.add("GetMetric");

    // Goals: stored whole, updated in place, gone from the active ones when done.
    let mut g1 = mem::GoalRecord {
        id: "g-1".into(),
        description: "tidy disk".into(),
        status: "in_progress".into(),
        priority: 2,
        created_at: 1_700_000_000,
        completed_at: 1_700_000_500,
        result: "half done".into(),
        ..Default::default()
    };
    g1.set_metadata_json(&json!({ "owner": "ana" })).unwrap();
    assert_every_field_set(&g1);
    let g2 = mem::GoalRecord {
        id: "g-2".into(),
        description: "rotate logs".into(),
        status: "pending".into(),
        priority: 1,
        created_at: 2,
        ..Default::default()
    };
    for g in [&g1, &g2] {
        c.store_goal(g.clone()).await.unwrap();
    }
    calls.add("StoreGoal");
    let active = c.get_active_goals(empty).await.unwrap().into_inner().goals;
    assert_eq!(active, [g1.clone(), g2.clone()]);
    let update = mem::GoalUpdate {
        id: "g-1".into(),
        status: "blocked".into(),
        result: "waiting for disk".into(),
    };
    assert_every_field_set(&update);
    c.update_goal(update).await.unwrap();
    let g1 = mem::GoalRecord {
        status: "blocked".into(),
        result: "waiting for disk".into(),
        ..g1
    };
    let active = c.get_active_goals(empty).await.unwrap().into_inner().goals;
    assert_eq!(active, [g1.clone(), g2.clone()]);
    c.update_goal(mem::GoalUpdate {
        id: "g-2".into(),
        status: "completed".into(),
        result: "rotated 3 files".into(),
    })
    .await
    .unwrap();
    let err = c
        .update_goal(mem::GoalUpdate {
            id: "g-404".into(),
            status: "completed".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (Code::NotFound, "no goal g-404")
    );
    assert_eq!(
        fake.memory().goals["g-2"],
        mem::GoalRecord {
            status: "completed".into(),
            result: "rotated 3 files".into(),
            ..g2
        }
    );
    calls.add("UpdateGoal");
    let active = c.get_active_goals(empty).await.unwrap().into_inner().goals;
    assert_eq!(active, [g1]);
    calls.add("GetActiveGoals");

    // Tasks: stored whole, listed per goal.
    let mut t1 = mem::TaskRecord {
        id: "t-1".into(),
        goal_id: "g-1".into(),
        description: "du".into(),
        agent: "sysadmin".into(),
        status: "completed".into(),
        started_at: 100,
        completed_at: 160,
        duration_ms: 60_000,
        error: "partial: /proc skipped".into(),
        ..Default::default()
    };
    t1.set_input_json(&json!({ "cmd": "du -sh /" })).unwrap();
    t1.set_output_json(&json!({ "bytes": 12345 })).unwrap();
    assert_every_field_set(&t1);
    let t2 = mem::TaskRecord {
        id: "t-2".into(),
        goal_id: "g-1".into(),
        status: "failed".into(),
        error: "permission denied".into(),
        ..Default::default()
    };
    let t3 = mem::TaskRecord {
        id: "t-3".into(),
        goal_id: "g-2".into(),
        description: "logrotate".into(),
        ..Default::default()
    };
    for t in [&t1, &t2, &t3] {
        c.store_task(t.clone()).await.unwrap();
    }
    calls.add("StoreTask");
    let for_goal = |goal_id: &str| mem::GoalIdRequest {
        goal_id: goal_id.into(),
    };
    let tasks = c.get_tasks_for_goal(for_goal("g-1")).await.unwrap();
    assert_eq!(tasks.into_inner().tasks, [t1, t2]);
    let tasks = c.get_tasks_for_goal(for_goal("g-2")).await.unwrap();
    assert_eq!(tasks.into_inner().tasks, [t3]);
    let tasks = c.get_tasks_for_goal(for_goal("g-9")).await.unwrap();
    assert!(tasks.into_inner().tasks.is_empty());
    calls.add("GetTasksForGoal");

    // Agent states: the latest per agent, whole.
    let mut sysadmin = mem::AgentState {
        agent_name: "sysadmin".into(),
        updated_at: 77,
        ..Default::default()
    };
    sysadmin
        .set_state_json(&json!({ "mode": "idle", "queue": [] }))
        .unwrap();
    assert_every_field_set(&sysadmin);
    let planner = mem::AgentState {
        agent_name: "planner".into(),
        updated_at: 78,
        ..Default::default()
    };
    for s in [&planner, &sysadmin] {
        c.store_agent_state(s.clone()).await.unwrap();
    }
    calls.add("StoreAgentState");
    let state = |agent: &str| mem::AgentStateRequest {
        agent_name: agent.into(),
    };
    let got = c.get_agent_state(state("sysadmin")).await.unwrap();
    assert_eq!(got.into_inner(), sysadmin);
    let got = c.get_agent_state(state("planner")).await.unwrap();
    assert_eq!(got.into_inner(), planner);
    let err = c.get_agent_state(state("ghost")).await.unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (Code::NotFound, "no state for agent ghost")
    );
    calls.add("GetAgentState");

    let snap = c.get_system_snapshot(empty).await.unwrap().into_inner();
    assert_eq!(
        (snap.active_tasks, snap.active_agents, snap.loaded_models),
        (3, 2, vec!["rust-memory".to_string()])
    );
    calls.add("GetSystemSnapshot");

    // The write-only records come back whole through SemanticSearch, each in its own
    // collection, as proto3 JSON in `metadata_json`.
    let mut call = mem::ToolCallRecord {
        id: "tc-1".into(),
        task_id: "t-1".into(),
        tool_name: "fs.read".into(),
        agent: "sysadmin".into(),
        output_json: b"\x00\x01 not json"[..].into(),
        success: true,
        duration_ms: 7,
        reason: "look at the disk".into(),
        timestamp: 1_700_000_000_123,
        ..Default::default()
    };
    call.set_input_json(&json!({ "path": "/" })).unwrap();
    assert_every_field_set(&call);
    let mut decision = mem::Decision {
        id: "d-1".into(),
        context: "disk full".into(),
        chosen: "clean".into(),
        reasoning: "cheaper".into(),
        intelligence_level: "reactive".into(),
        model_used: "qwen".into(),
        outcome: "ok".into(),
        timestamp: 5,
        ..Default::default()
    };
    decision
        .set_options_json(&json!(["clean", "expand"]))
        .unwrap();
    assert_every_field_set(&decision);
    let mut procedure = mem::Procedure {
        id: "pr-1".into(),
        name: "clean disk".into(),
        description: "frees space".into(),
        success_count: 3,
        fail_count: 1,
        avg_duration_ms: 900,
        tags: vec!["disk".into(), "ops".into()],
        created_at: 1,
        last_used: 2,
        ..Default::default()
    };
    procedure
        .set_steps_json(&json!([{ "run": "du" }, { "run": "rm" }]))
        .unwrap();
    assert_every_field_set(&procedure);
    let mut incident = mem::Incident {
        id: "in-1".into(),
        description: "disk full on /var".into(),
        root_cause: "logs".into(),
        resolution: "rotate".into(),
        resolved_by: "sysadmin".into(),
        prevention: "logrotate".into(),
        timestamp: 9,
        ..Default::default()
    };
    incident
        .set_symptoms_json(&json!(["slow", "errors"]))
        .unwrap();
    assert_every_field_set(&incident);
    let change = mem::ConfigChange {
        id: "cc-1".into(),
        file_path: "/etc/aios/config.toml".into(),
        content: "autonomy = 2\n".into(),
        changed_by: "sysadmin".into(),
        reason: "tune".into(),
        timestamp: 10,
    };
    assert_every_field_set(&change);
    c.store_tool_call(call.clone()).await.unwrap();
    calls.add("StoreToolCall");
    c.store_decision(decision.clone()).await.unwrap();
    calls.add("StoreDecision");
    c.store_procedure(procedure.clone()).await.unwrap();
    calls.add("StoreProcedure");
    c.store_incident(incident.clone()).await.unwrap();
    calls.add("StoreIncident");
    c.store_config_change(change.clone()).await.unwrap();
    calls.add("StoreConfigChange");

    let search =
        |query: &str, collections: &[&str], n_results, min_relevance| mem::SemanticSearchRequest {
            query: query.into(),
            collections: collections.iter().map(|c| c.to_string()).collect(),
            n_results,
            min_relevance,
        };
    let everything = [
        "tool_calls",
        "decisions",
        "procedures",
        "incidents",
        "config_changes",
    ];
    let hits = c.semantic_search(search("", &everything, 10, 0.0)).await;
    let hits = hits.unwrap().into_inner().results;
    let got: Vec<_> = hits
        .iter()
        .map(|h| (h.collection.as_str(), h.id.as_str(), h.content.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("tool_calls", "tc-1", "look at the disk"),
            ("decisions", "d-1", "disk full"),
            ("procedures", "pr-1", "frees space"),
            ("incidents", "in-1", "disk full on /var"),
            ("config_changes", "cc-1", "tune"),
        ]
    );
    assert_eq!(record::<mem::ToolCallRecord>(&hits[0]), call);
    assert_eq!(record::<mem::Decision>(&hits[1]), decision);
    assert_eq!(record::<mem::Procedure>(&hits[2]), procedure);
    assert_eq!(record::<mem::Incident>(&hits[3]), incident);
    assert_eq!(record::<mem::ConfigChange>(&hits[4]), change);
    // Every field of the query counts: the text (case-insensitive), the collections
    // in their order, the number of results and the minimum relevance.
    let query = search("DISK", &["incidents", "decisions"], 1, 0.5);
    assert_every_field_set(&query);
    for (request, want) in [
        (query.clone(), vec!["in-1"]),
        (
            search("DISK", &["incidents", "decisions"], 5, 0.5),
            vec!["in-1", "d-1"],
        ),
        (
            search("disk", &everything, 10, 0.0),
            vec!["tc-1", "d-1", "in-1"],
        ),
        (search("DISK", &["incidents", "decisions"], 5, 1.5), vec![]),
        (search("DISK", &["procedures"], 5, 0.0), vec![]),
    ] {
        let hits = c.semantic_search(request.clone()).await.unwrap();
        let ids: Vec<_> = hits
            .into_inner()
            .results
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(ids, want, "{request:?}");
    }
    let err = c
        .semantic_search(search("", &["nope"], 1, 0.0))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (Code::InvalidArgument, "no collection nope")
    );
    calls.add("SemanticSearch");

    // Patterns: stored whole, found by trigger and success rate, statistics updated.
    let pattern = mem::Pattern {
        id: "p-1".into(),
        trigger: "disk full".into(),
        action: "run clean disk".into(),
        success_rate: 0.5,
        uses: 1,
        last_used: 3,
        created_from: "in-1".into(),
    };
    assert_every_field_set(&pattern);
    c.store_pattern(pattern.clone()).await.unwrap();
    calls.add("StorePattern");
    let find = |trigger: &str, min_success_rate| mem::PatternQuery {
        trigger: trigger.into(),
        min_success_rate,
    };
    assert_every_field_set(&find("disk full", 0.5));
    let found = c.find_pattern(find("disk full", 0.5)).await.unwrap();
    let found = found.into_inner();
    assert!(found.found);
    assert_eq!(found.pattern, Some(pattern.clone()));
    let success = mem::PatternStatsUpdate {
        id: "p-1".into(),
        success: true,
    };
    assert_every_field_set(&success);
    c.update_pattern_stats(success).await.unwrap();
    let found = c.find_pattern(find("disk full", 0.7)).await.unwrap();
    let after_success = mem::Pattern {
        uses: 2,
        success_rate: 0.75,
        ..pattern.clone()
    };
    assert_eq!(found.into_inner().pattern, Some(after_success));
    c.update_pattern_stats(mem::PatternStatsUpdate {
        id: "p-1".into(),
        success: false,
    })
    .await
    .unwrap();
    let err = c
        .update_pattern_stats(mem::PatternStatsUpdate {
            id: "p-9".into(),
            success: true,
        })
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (Code::NotFound, "no pattern p-9")
    );
    calls.add("UpdatePatternStats");
    for query in [find("disk full", 0.7), find("disk", 0.0)] {
        let r = c.find_pattern(query.clone()).await.unwrap().into_inner();
        assert_eq!((r.found, r.pattern), (false, None), "{query:?}");
    }
    let found = c.find_pattern(find("disk full", 0.5)).await.unwrap();
    let after_failure = mem::Pattern {
        uses: 3,
        success_rate: 0.5,
        ..pattern
    };
    assert_eq!(found.into_inner().pattern, Some(after_failure));
    calls.add("FindPattern");

    // Knowledge: found by title or content, every field in the hit.
    let df = mem::KnowledgeEntry {
        title: "df".into(),
        content: "df -h shows free disk space".into(),
        source: "man".into(),
        tags: vec!["disk".into(), "ops".into()],
    };
    assert_every_field_set(&df);
    let ip = mem::KnowledgeEntry {
        title: "ip".into(),
        content: "ip addr lists addresses".into(),
        source: "wiki".into(),
        tags: vec!["net".into()],
    };
    for e in [&df, &ip] {
        c.add_knowledge(e.clone()).await.unwrap();
    }
    assert_eq!(fake.memory().knowledge, [df.clone(), ip.clone()]);
    calls.add("AddKnowledge");
    let hits = c.search_knowledge(search("DISK", &[], 5, 0.0)).await;
    let hits = hits.unwrap().into_inner().results;
    let got: Vec<_> = hits
        .iter()
        .map(|h| (h.id.as_str(), h.content.as_str(), h.collection.as_str()))
        .collect();
    assert_eq!(got, [("df", df.content.as_str(), "knowledge")]);
    assert_eq!(
        hits[0].decode_metadata_json::<Value>().unwrap(),
        json!({ "source": "man", "tags": ["disk", "ops"] })
    );
    for (request, want) in [
        (search("IP", &[], 5, 0.0), vec!["ip"]),
        (search("s", &[], 5, 0.0), vec!["df", "ip"]),
        (search("s", &[], 1, 0.0), vec!["df"]),
        (search("route", &[], 5, 0.0), vec![]),
    ] {
        let hits = c.search_knowledge(request.clone()).await.unwrap();
        let ids: Vec<_> = hits
            .into_inner()
            .results
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(ids, want, "{request:?}");
    }
    calls.add("SearchKnowledge");

    // Context: the knowledge sharing a word with the task, within the token budget.
    let context = |task: &str, max_tokens, tiers: &[&str]| mem::ContextRequest {
        task_description: task.into(),
        max_tokens,
        memory_tiers: tiers.iter().map(|t| t.to_string()).collect(),
    };
    let request = context("free disk space", 100, &["episodic", "knowledge"]);
    assert_every_field_set(&request);
    let ctx = c.assemble_context(request).await.unwrap().into_inner();
    assert_eq!(
        ctx.chunks,
        [mem::ContextChunk {
            source: "knowledge".into(),
            content: df.content.clone(),
            relevance: 1.0,
            tokens: 6,
        }]
    );
    assert_eq!(ctx.total_tokens, 6);
    for (request, want) in [
        (
            context("ip addresses of the disk", 100, &[]),
            vec![(6, "df"), (4, "ip")],
        ),
        (context("ip addresses of the disk", 9, &[]), vec![(6, "df")]),
        (context("ip addresses of the disk", 4, &[]), vec![(4, "ip")]),
        (context("free disk space", 5, &["knowledge"]), vec![]),
        (context("free disk space", 100, &["episodic"]), vec![]),
    ] {
        let ctx = c
            .assemble_context(request.clone())
            .await
            .unwrap()
            .into_inner();
        let got: Vec<_> = ctx
            .chunks
            .iter()
            .map(|c| (c.tokens, c.content.split(' ').next().unwrap()))
            .collect();
        assert_eq!(got, want, "{request:?}");
        assert_eq!(
            ctx.total_tokens,
            want.iter().map(|(t, _)| t).sum::<i32>(),
            "{request:?}"
        );
    }
    calls.add("AssembleContext");

    assert_called_all("aios.memory.MemoryService", calls);
}

#[tokio::test]
async fn api_gateway_every_rpc_including_stream_infer() {
    let mut c = ApiGatewayClient::new(serve(&AiosFake::default()).await);
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
/// are built from the descriptors, not from the generated code. Empty requests
/// succeed, except ToolRegistry's lookups of an unregistered tool, which answer
/// NOT_FOUND (from the handler: an unrouted path is UNIMPLEMENTED).
#[tokio::test]
async fn every_descriptor_method_is_served_at_its_path() {
    let channel = serve(&AiosFake::default()).await;
    let set = prost_types::FileDescriptorSet::decode(aios_proto::FILE_DESCRIPTOR_SET).unwrap();
    let mut seen = 0;
    let mut not_found = BTreeSet::new();
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
                    match grpc
                        .unary(Request::new(Empty {}), path.clone(), codec)
                        .await
                    {
                        Ok(_) => {}
                        // The stateful services' own answer to a lookup of nothing.
                        Err(e) if e.code() == Code::NotFound => {
                            not_found.insert(path.to_string());
                        }
                        Err(e) => panic!("{path}: {e}"),
                    }
                }
                seen += 1;
            }
        }
    }
    assert_eq!(seen, 19 + 4 + 6 + 6 + 24 + 4);
    // Exactly ToolRegistry's lookups of the tool named "" (Register refuses it). The
    // lookups of MemoryService (GetMetric, UpdateGoal, UpdatePatternStats,
    // GetAgentState) find the records under "" that the empty UpdateMetric,
    // StoreGoal, StorePattern and StoreAgentState before them stored.
    assert_eq!(
        not_found,
        BTreeSet::from(
            [
                "/aios.tools.ToolRegistry/GetTool",
                "/aios.tools.ToolRegistry/Execute",
            ]
            .map(String::from)
        )
    );

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
