//! `MemoryService`: a real in-memory store. What is pushed or stored comes back from
//! the getters, field for field; the write-only records (tool calls, decisions,
//! procedures, incidents, config changes) come back whole, as proto3 JSON in the
//! `metadata_json` of `SemanticSearch` hits.

use super::{AiosFake, Reply, ok};
use aios_proto::memory::memory_service_server::MemoryService;
use aios_proto::memory::*;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use tonic::{Request, Status};

/// The state of the fake `MemoryService`.
#[derive(Debug, Default)]
pub struct Store {
    /// `PushEvent`, in order.
    pub events: Vec<Event>,
    /// `UpdateMetric`, the latest per key.
    pub metrics: BTreeMap<String, MetricValue>,
    /// `StoreGoal` by id, with `UpdateGoal` applied.
    pub goals: BTreeMap<String, GoalRecord>,
    /// `StoreTask`, in order.
    pub tasks: Vec<TaskRecord>,
    /// `StoreToolCall`, in order.
    pub tool_calls: Vec<ToolCallRecord>,
    /// `StoreDecision`, in order.
    pub decisions: Vec<Decision>,
    /// `StoreProcedure`, in order.
    pub procedures: Vec<Procedure>,
    /// `StoreIncident`, in order.
    pub incidents: Vec<Incident>,
    /// `StoreConfigChange`, in order.
    pub config_changes: Vec<ConfigChange>,
    /// `StorePattern` by id, with `UpdatePatternStats` applied.
    pub patterns: BTreeMap<String, Pattern>,
    /// `StoreAgentState` by agent name.
    pub agent_states: BTreeMap<String, AgentState>,
    /// `AddKnowledge`, in order.
    pub knowledge: Vec<KnowledgeEntry>,
}

impl AiosFake {
    fn keep(&self, f: impl FnOnce(&mut Store)) -> Reply<Empty> {
        f(&mut self.memory());
        ok(Empty {})
    }
}

/// A search hit carrying `record` as proto3 JSON (the `serde` impls) in `metadata_json`.
fn hit<T: serde::Serialize>(
    collection: &str,
    id: &str,
    content: &str,
    record: &T,
) -> Result<SearchResult, Status> {
    let mut hit = SearchResult {
        content: content.into(),
        relevance: 1.0,
        collection: collection.into(),
        id: id.into(),
        ..Default::default()
    };
    hit.set_metadata_json(record)?;
    Ok(hit)
}

fn contains(text: &str, query: &str) -> bool {
    text.to_lowercase().contains(&query.to_lowercase())
}

fn words(text: &str) -> BTreeSet<String> {
    text.split_whitespace().map(str::to_lowercase).collect()
}

#[tonic::async_trait]
impl MemoryService for AiosFake {
    async fn push_event(&self, r: Request<Event>) -> Reply<Empty> {
        self.keep(|s| s.events.push(r.into_inner()))
    }

    async fn get_recent_events(&self, r: Request<RecentEventsRequest>) -> Reply<EventList> {
        let q = r.into_inner();
        let s = self.memory();
        ok(EventList {
            events: s
                .events
                .iter()
                .rev()
                .filter(|e| q.category.is_empty() || e.category == q.category)
                .filter(|e| q.source.is_empty() || e.source == q.source)
                .take(q.count.max(0) as usize)
                .cloned()
                .collect(),
        })
    }

    async fn update_metric(&self, r: Request<MetricUpdate>) -> Reply<Empty> {
        let m = r.into_inner();
        self.keep(|s| {
            s.metrics.insert(
                m.key.clone(),
                MetricValue {
                    key: m.key,
                    value: m.value,
                    timestamp: m.timestamp,
                },
            );
        })
    }

    async fn get_metric(&self, r: Request<MetricRequest>) -> Reply<MetricValue> {
        let key = r.into_inner().key;
        let s = self.memory();
        let m = s
            .metrics
            .get(&key)
            .ok_or_else(|| Status::not_found(format!("no metric {key}")))?;
        ok(m.clone())
    }

    async fn get_system_snapshot(&self, _: Request<Empty>) -> Reply<SystemSnapshot> {
        let s = self.memory();
        ok(SystemSnapshot {
            active_tasks: s.tasks.len() as i32,
            active_agents: s.agent_states.len() as i32,
            loaded_models: vec!["rust-memory".into()],
            ..Default::default()
        })
    }

    async fn store_goal(&self, r: Request<GoalRecord>) -> Reply<Empty> {
        let g = r.into_inner();
        self.keep(|s| {
            s.goals.insert(g.id.clone(), g);
        })
    }

    async fn update_goal(&self, r: Request<GoalUpdate>) -> Reply<Empty> {
        let u = r.into_inner();
        let mut s = self.memory();
        let g = s
            .goals
            .get_mut(&u.id)
            .ok_or_else(|| Status::not_found(format!("no goal {}", u.id)))?;
        g.status = u.status;
        g.result = u.result;
        ok(Empty {})
    }

    async fn get_active_goals(&self, _: Request<Empty>) -> Reply<GoalList> {
        let s = self.memory();
        ok(GoalList {
            goals: s
                .goals
                .values()
                .filter(|g| !["completed", "failed", "cancelled"].contains(&g.status.as_str()))
                .cloned()
                .collect(),
        })
    }

    async fn store_task(&self, r: Request<TaskRecord>) -> Reply<Empty> {
        self.keep(|s| s.tasks.push(r.into_inner()))
    }

    async fn get_tasks_for_goal(&self, r: Request<GoalIdRequest>) -> Reply<TaskList> {
        let goal_id = r.into_inner().goal_id;
        let s = self.memory();
        ok(TaskList {
            tasks: s
                .tasks
                .iter()
                .filter(|t| t.goal_id == goal_id)
                .cloned()
                .collect(),
        })
    }

    async fn store_tool_call(&self, r: Request<ToolCallRecord>) -> Reply<Empty> {
        self.keep(|s| s.tool_calls.push(r.into_inner()))
    }

    async fn store_decision(&self, r: Request<Decision>) -> Reply<Empty> {
        self.keep(|s| s.decisions.push(r.into_inner()))
    }

    async fn store_pattern(&self, r: Request<Pattern>) -> Reply<Empty> {
        let p = r.into_inner();
        self.keep(|s| {
            s.patterns.insert(p.id.clone(), p);
        })
    }

    async fn find_pattern(&self, r: Request<PatternQuery>) -> Reply<PatternResult> {
        let q = r.into_inner();
        let s = self.memory();
        let pattern = s
            .patterns
            .values()
            .find(|p| p.trigger == q.trigger && p.success_rate >= q.min_success_rate)
            .cloned();
        ok(PatternResult {
            found: pattern.is_some(),
            pattern,
        })
    }

    async fn update_pattern_stats(&self, r: Request<PatternStatsUpdate>) -> Reply<Empty> {
        let u = r.into_inner();
        let mut s = self.memory();
        let p = s
            .patterns
            .get_mut(&u.id)
            .ok_or_else(|| Status::not_found(format!("no pattern {}", u.id)))?;
        let successes = p.success_rate * f64::from(p.uses) + if u.success { 1.0 } else { 0.0 };
        p.uses += 1;
        p.success_rate = successes / f64::from(p.uses);
        ok(Empty {})
    }

    async fn store_agent_state(&self, r: Request<AgentState>) -> Reply<Empty> {
        let a = r.into_inner();
        self.keep(|s| {
            s.agent_states.insert(a.agent_name.clone(), a);
        })
    }

    async fn get_agent_state(&self, r: Request<AgentStateRequest>) -> Reply<AgentState> {
        let name = r.into_inner().agent_name;
        let s = self.memory();
        let a = s
            .agent_states
            .get(&name)
            .ok_or_else(|| Status::not_found(format!("no state for agent {name}")))?;
        ok(a.clone())
    }

    /// Searches the write-only records, per requested collection in order; each hit
    /// carries its whole record as proto3 JSON in `metadata_json`.
    async fn semantic_search(&self, r: Request<SemanticSearchRequest>) -> Reply<SearchResults> {
        let q = r.into_inner();
        let s = self.memory();
        let mut results = Vec::new();
        for collection in &q.collections {
            let c = collection.as_str();
            match c {
                "tool_calls" => {
                    for t in &s.tool_calls {
                        results.push(hit(c, &t.id, &t.reason, t)?);
                    }
                }
                "decisions" => {
                    for d in &s.decisions {
                        results.push(hit(c, &d.id, &d.context, d)?);
                    }
                }
                "procedures" => {
                    for p in &s.procedures {
                        results.push(hit(c, &p.id, &p.description, p)?);
                    }
                }
                "incidents" => {
                    for i in &s.incidents {
                        results.push(hit(c, &i.id, &i.description, i)?);
                    }
                }
                "config_changes" => {
                    for cc in &s.config_changes {
                        results.push(hit(c, &cc.id, &cc.reason, cc)?);
                    }
                }
                other => return Err(Status::invalid_argument(format!("no collection {other}"))),
            }
        }
        results.retain(|h| contains(&h.content, &q.query) && h.relevance >= q.min_relevance);
        results.truncate(q.n_results.max(0) as usize);
        ok(SearchResults { results })
    }

    async fn store_procedure(&self, r: Request<Procedure>) -> Reply<Empty> {
        self.keep(|s| s.procedures.push(r.into_inner()))
    }

    async fn store_incident(&self, r: Request<Incident>) -> Reply<Empty> {
        self.keep(|s| s.incidents.push(r.into_inner()))
    }

    async fn store_config_change(&self, r: Request<ConfigChange>) -> Reply<Empty> {
        self.keep(|s| s.config_changes.push(r.into_inner()))
    }

    async fn search_knowledge(&self, r: Request<SemanticSearchRequest>) -> Reply<SearchResults> {
        let q = r.into_inner();
        let s = self.memory();
        let mut results = Vec::new();
        for e in &s.knowledge {
            if contains(&e.title, &q.query) || contains(&e.content, &q.query) {
                results.push(hit(
                    "knowledge",
                    &e.title,
                    &e.content,
                    &json!({ "source": e.source, "tags": e.tags }),
                )?);
            }
        }
        results.truncate(q.n_results.max(0) as usize);
        ok(SearchResults { results })
    }

    async fn add_knowledge(&self, r: Request<KnowledgeEntry>) -> Reply<Empty> {
        self.keep(|s| s.knowledge.push(r.into_inner()))
    }

    /// Knowledge entries sharing a word with the task, while they fit the budget
    /// (one token per word).
    async fn assemble_context(&self, r: Request<ContextRequest>) -> Reply<ContextResponse> {
        let q = r.into_inner();
        let s = self.memory();
        let mut chunks = Vec::new();
        let mut total = 0;
        if q.memory_tiers.is_empty() || q.memory_tiers.iter().any(|t| t == "knowledge") {
            let task = words(&q.task_description);
            for e in &s.knowledge {
                let tokens = e.content.split_whitespace().count() as i32;
                if words(&e.content).is_disjoint(&task) || total + tokens > q.max_tokens {
                    continue;
                }
                total += tokens;
                chunks.push(ContextChunk {
                    source: "knowledge".into(),
                    content: e.content.clone(),
                    relevance: 1.0,
                    tokens,
                });
            }
        }
        ok(ContextResponse {
            chunks,
            total_tokens: total,
        })
    }
}
