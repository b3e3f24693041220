//! `ApiGateway`: every answer is derived from the request and tagged with its method;
//! `StreamInfer` sends one reversed chunk per word of the prompt.

use super::{AiosFake, ChunkStream, Reply, fail_after, ok, word_chunks};
use aios_proto::api_gateway::api_gateway_server::ApiGateway;
use aios_proto::api_gateway::{
    ApiInferRequest, BudgetStatus, StreamChunk, UsageRecord, UsageRequest, UsageResponse,
};
use aios_proto::common::{Empty, InferenceResponse};
use tonic::Request;

#[tonic::async_trait]
impl ApiGateway for AiosFake {
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
            fail_after(&r.preferred_provider)?,
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
