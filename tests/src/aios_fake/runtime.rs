//! `AIRuntime`: every answer is derived from the request and tagged with its method;
//! `StreamInfer` sends one upper-cased chunk per word of the prompt.

use super::{AiosFake, ChunkStream, Reply, fail_after, ok, status, word_chunks};
use aios_proto::common::{Empty, HealthStatus, Status};
use aios_proto::runtime::ai_runtime_server::AiRuntime;
use aios_proto::runtime::{
    InferChunk, InferRequest, InferResponse, LoadModelRequest, ModelList, ModelStatus,
    UnloadModelRequest,
};
use tonic::Request;

#[tonic::async_trait]
impl AiRuntime for AiosFake {
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
        ok(word_chunks(&r.prompt, fail_after(&r.model)?, |w, done| {
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
