//! The one aiOS gRPC fake of the tests: [`AiosFake`] implements all six aiOS
//! services (`Orchestrator`, `Agent`, `AIRuntime`, `ToolRegistry`, `MemoryService`,
//! `ApiGateway`) on one value, for the Rust-client test (`tests/aios_services.rs`)
//! and the grpcio-client test (`tests/aios_grpc.rs`).
//!
//! Two kinds of service live behind it:
//!
//! - `ToolRegistry` and `MemoryService` keep real in-memory state ([`Registry`],
//!   [`Store`]): what a client registers, pushes or stores, it gets back from the
//!   matching getter, field for field, and the test can read the state directly
//!   ([`AiosFake::registry`], [`AiosFake::memory`]).
//! - `Orchestrator`, `Agent`, `AIRuntime` and `ApiGateway` have nothing to keep: each
//!   method answers with values derived from every field of its request and tagged
//!   with its own method name, so a client or server that mixes up methods, or drops
//!   a field, gets an answer the test does not expect. Their server streams send one
//!   chunk per word of the prompt; a model (or provider) named `fail-after-<n>` ends
//!   the stream with `RESOURCE_EXHAUSTED` after `n` chunks.
//!
//! ```no_run
//! # async fn run() {
//! use interop_tests::aios_fake::AiosFake;
//!
//! let fake = AiosFake::default();
//! let addr = fake.spawn().await; // all six services on a free local port
//! let mut tools = aios_proto::tools::tool_registry_client::ToolRegistryClient::connect(
//!     format!("http://{addr}"),
//! )
//! .await
//! .unwrap();
//! # let _ = &mut tools;
//! assert!(fake.registry().tools.is_empty());
//! # }
//! ```

mod agent;
mod api_gateway;
mod memory_service;
mod orchestrator;
mod runtime;
mod tool_registry;

pub use memory_service::Store;
pub use tool_registry::{Execution, Registry};

use aios_proto::agent::agent_server::AgentServer;
use aios_proto::api_gateway::api_gateway_server::ApiGatewayServer;
use aios_proto::memory::memory_service_server::MemoryServiceServer;
use aios_proto::orchestrator::orchestrator_server::OrchestratorServer;
use aios_proto::runtime::ai_runtime_server::AiRuntimeServer;
use aios_proto::tools::tool_registry_server::ToolRegistryServer;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::net::TcpListener;
use tokio_stream::Stream;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::transport::server::Router;
use tonic::{Response, Status};

/// All six aiOS services on one value. Clones share the state.
#[derive(Clone, Default)]
pub struct AiosFake {
    registry: Arc<Mutex<Registry>>,
    memory: Arc<Mutex<Store>>,
}

impl AiosFake {
    /// The `ToolRegistry` state: registered tools and executions.
    pub fn registry(&self) -> MutexGuard<'_, Registry> {
        self.registry.lock().unwrap()
    }

    /// The `MemoryService` state: everything pushed and stored.
    pub fn memory(&self) -> MutexGuard<'_, Store> {
        self.memory.lock().unwrap()
    }

    /// A tonic router serving all six services of this fake.
    pub fn router(&self) -> Router {
        tonic::transport::Server::builder()
            .add_service(OrchestratorServer::new(self.clone()))
            .add_service(AgentServer::new(self.clone()))
            .add_service(AiRuntimeServer::new(self.clone()))
            .add_service(ToolRegistryServer::new(self.clone()))
            .add_service(MemoryServiceServer::new(self.clone()))
            .add_service(ApiGatewayServer::new(self.clone()))
    }

    /// Serves all six services on `listener` until the transport fails.
    pub async fn serve(&self, listener: TcpListener) -> Result<(), tonic::transport::Error> {
        self.router()
            .serve_with_incoming(TcpListenerStream::new(listener))
            .await
    }

    /// Serves all six services on a free port of 127.0.0.1, in a task of the current
    /// tokio runtime (so until the test's runtime shuts down); returns the address.
    pub async fn spawn(&self) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let fake = self.clone();
        tokio::spawn(async move { fake.serve(listener).await.unwrap() });
        addr
    }
}

type Reply<T> = Result<Response<T>, Status>;

fn ok<T>(message: T) -> Reply<T> {
    Ok(Response::new(message))
}

/// The reply of the reflecting services' `Status`-returning methods.
fn status(message: String) -> Reply<aios_proto::common::Status> {
    ok(aios_proto::common::Status {
        success: true,
        message,
    })
}

/// The server stream of `StreamInfer`.
type ChunkStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

/// Splits `prompt` into one chunk per word; after `fail_after` chunks (if any) the
/// stream ends with an error instead.
fn word_chunks<T: Send + 'static>(
    prompt: &str,
    fail_after: Option<usize>,
    chunk: impl Fn(&str, bool) -> T,
) -> ChunkStream<T> {
    let words: Vec<&str> = prompt.split_whitespace().collect();
    let mut items: Vec<Result<T, Status>> = words
        .iter()
        .enumerate()
        .map(|(i, w)| Ok(chunk(w, i + 1 == words.len())))
        .collect();
    if let Some(n) = fail_after {
        items.truncate(n);
        items.push(Err(Status::resource_exhausted(format!(
            "quota exhausted after {n} chunks"
        ))));
    }
    Box::pin(tokio_stream::iter(items))
}

/// `fail-after-<n>` in `model` or `preferred_provider` makes a stream fail.
fn fail_after(tag: &str) -> Result<Option<usize>, Status> {
    tag.strip_prefix("fail-after-")
        .map(|n| {
            n.parse()
                .map_err(|_| Status::invalid_argument(format!("{tag}: not fail-after-<n>")))
        })
        .transpose()
}
