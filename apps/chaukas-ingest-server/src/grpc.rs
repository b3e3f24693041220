//! gRPC on one port: `ChaukasServerService` and `ChaukasClientService` (behind the
//! API-key interceptor), the standard `grpc.health.v1.Health`, and server reflection
//! (v1 and v1alpha) fed by the crates' `FILE_DESCRIPTOR_SET`s, so `grpcurl` works
//! without `.proto` files. `IngestEvent`, `IngestEventBatch` and `QueryEvents` (both
//! services) are served by [`LosslessRoutes`] in front of the generated services, so
//! events keep the fields a newer schema added; the other methods are the generated
//! ones:
//!
//! ```sh
//! grpcurl -plaintext 127.0.0.1:50051 list
//! grpcurl -plaintext -H 'authorization: Bearer KEY' -H 'x-chaukas-tenant: acme' \
//!     -d '{"query": {"pageSize": 10}}' \
//!     127.0.0.1:50051 chaukas.spec.server.v1.ChaukasServerService/QueryEvents
//! ```

use super::auth::{Caller, TENANT_HEADER, TENANT_HEADER_ALIAS};
use super::store::Inserted;
use super::{ApiError, App, BatchOutcome};
use chaukas_spec_client::client::v1 as client;
use chaukas_spec_client::client::v1::chaukas_client_service_server::{
    ChaukasClientService, ChaukasClientServiceServer,
};
use chaukas_spec_server::server::v1 as server;
use chaukas_spec_server::server::v1::chaukas_server_service_server::{
    ChaukasServerService, ChaukasServerServiceServer,
};
use common_eventing::Lossless;
use std::convert::Infallible;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::server::Router;
use tonic::{Request, Response, Status};
use tonic_health::server::HealthReporter;

impl From<ApiError> for Status {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::InvalidArgument(m) => Status::invalid_argument(m),
            ApiError::Unauthenticated(m) => Status::unauthenticated(m),
            ApiError::PermissionDenied(m) => Status::permission_denied(m),
            ApiError::Unavailable(m) => Status::unavailable(m),
            ApiError::Full(m) => Status::resource_exhausted(m),
        }
    }
}

/// Logs a refused call and turns it into a `Status`.
fn refuse(method: &str, error: ApiError) -> Status {
    tracing::warn!(method, ?error, "grpc call refused");
    error.into()
}

/// The caller the interceptor attached (no tenant if it did not run).
fn caller<T>(request: &Request<T>) -> Caller {
    request
        .extensions()
        .get::<Caller>()
        .cloned()
        .unwrap_or_default()
}

/// Milliseconds since the Unix epoch.
fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Both Chaukas services over one [`App`].
#[derive(Clone)]
pub struct Chaukas {
    app: App,
}

#[tonic::async_trait]
impl ChaukasServerService for Chaukas {
    async fn healthz(
        &self,
        _: Request<server::HealthzRequest>,
    ) -> Result<Response<server::HealthzResponse>, Status> {
        Ok(Response::new(server::HealthzResponse {}))
    }

    async fn get_capabilities(
        &self,
        _: Request<server::GetCapabilitiesRequest>,
    ) -> Result<Response<server::GetCapabilitiesResponse>, Status> {
        Ok(Response::new(server::GetCapabilitiesResponse {
            capabilities: Some(self.app.capabilities()),
        }))
    }

    async fn ingest_event(
        &self,
        request: Request<server::IngestEventRequest>,
    ) -> Result<Response<server::IngestEventResponse>, Status> {
        let caller = caller(&request);
        let request = Lossless::from(request.into_inner());
        let (id, inserted) =
            ingest_event(self.app.clone(), caller, request, |r| r.event.take()).await?;
        Ok(Response::new(server_ingest_answer(id, inserted)))
    }

    async fn ingest_event_batch(
        &self,
        request: Request<server::IngestEventBatchRequest>,
    ) -> Result<Response<server::IngestEventBatchResponse>, Status> {
        let caller = caller(&request);
        let request = Lossless::from(request.into_inner());
        let outcome =
            ingest_event_batch(self.app.clone(), caller, request, |r| r.event_batch.take()).await?;
        Ok(Response::new(outcome.response))
    }

    async fn query_events(
        &self,
        request: Request<server::QueryEventsRequest>,
    ) -> Result<Response<server::QueryEventsResponse>, Status> {
        let caller = caller(&request);
        let query = request.into_inner().query.unwrap_or_default();
        let response = self
            .app
            .query(&caller, query)
            .await
            .map_err(|e| refuse("QueryEvents", e))?
            .into_response();
        Ok(Response::new(server::QueryEventsResponse {
            response: Some(response),
        }))
    }

    async fn get_event_stats(
        &self,
        request: Request<server::GetEventStatsRequest>,
    ) -> Result<Response<server::GetEventStatsResponse>, Status> {
        let caller = caller(&request);
        let response = self
            .app
            .stats(&caller, request.into_inner())
            .await
            .map_err(|e| refuse("GetEventStats", e))?;
        Ok(Response::new(response))
    }
}

/// The SDK-facing service: the same operations, with its empty responses. A batch
/// with rejected events keeps the valid ones and answers `INVALID_ARGUMENT` naming
/// each rejected event and why (this service's response has no room for counts).
#[tonic::async_trait]
impl ChaukasClientService for Chaukas {
    async fn healthz(
        &self,
        _: Request<client::HealthzRequest>,
    ) -> Result<Response<client::HealthzResponse>, Status> {
        Ok(Response::new(client::HealthzResponse {}))
    }

    async fn get_capabilities(
        &self,
        _: Request<client::GetCapabilitiesRequest>,
    ) -> Result<Response<client::GetCapabilitiesResponse>, Status> {
        Ok(Response::new(client::GetCapabilitiesResponse {
            capabilities: Some(self.app.capabilities()),
        }))
    }

    async fn ingest_event(
        &self,
        request: Request<client::IngestEventRequest>,
    ) -> Result<Response<client::IngestEventResponse>, Status> {
        let caller = caller(&request);
        let request = Lossless::from(request.into_inner());
        ingest_event(self.app.clone(), caller, request, |r| r.event.take()).await?;
        Ok(Response::new(client::IngestEventResponse {}))
    }

    async fn ingest_event_batch(
        &self,
        request: Request<client::IngestEventBatchRequest>,
    ) -> Result<Response<client::IngestEventBatchResponse>, Status> {
        let caller = caller(&request);
        let request = Lossless::from(request.into_inner());
        let outcome =
            ingest_event_batch(self.app.clone(), caller, request, |r| r.event_batch.take()).await?;
        Ok(Response::new(client_batch_answer(outcome)?))
    }

    async fn query_events(
        &self,
        request: Request<client::QueryEventsRequest>,
    ) -> Result<Response<client::QueryEventsResponse>, Status> {
        let caller = caller(&request);
        let query = request.into_inner().query.unwrap_or_default();
        let response = self
            .app
            .query(&caller, query)
            .await
            .map_err(|e| refuse("QueryEvents", e))?
            .into_response();
        Ok(Response::new(client::QueryEventsResponse {
            response: Some(response),
        }))
    }
}

/// The gRPC server, built and ready to serve.
pub struct Grpc {
    router: Router,
    health: HealthReporter,
}

impl Grpc {
    /// Builds every service; `max_message_bytes` limits decoded Chaukas requests.
    pub async fn build(
        app: App,
        config: &crate::Config,
    ) -> Result<Self, tonic_reflection::server::Error> {
        let max_message_bytes = config.max_body_bytes;
        let auth = app.auth.clone();
        // Checks the API key and attaches the `Caller` for the handlers.
        let authenticate = move |mut request: Request<()>| {
            let metadata = request.metadata();
            let get = |key: &str| metadata.get(key).and_then(|v| v.to_str().ok());
            let caller = auth
                .caller(
                    get("authorization"),
                    get(TENANT_HEADER),
                    get(TENANT_HEADER_ALIAS),
                )
                .map_err(|denied| refuse("(authentication)", denied.into()))?;
            request.extensions_mut().insert(caller);
            Ok(request)
        };
        let chaukas = Chaukas { app };

        let (health, health_service) = tonic_health::server::health_reporter();
        health
            .set_serving::<ChaukasServerServiceServer<Chaukas>>()
            .await;
        health
            .set_serving::<ChaukasClientServiceServer<Chaukas>>()
            .await;

        let reflection = || {
            tonic_reflection::server::Builder::configure()
                .register_encoded_file_descriptor_set(common_eventing::FILE_DESCRIPTOR_SET)
                .register_encoded_file_descriptor_set(chaukas_spec_client::FILE_DESCRIPTOR_SET)
                .register_encoded_file_descriptor_set(chaukas_spec_server::FILE_DESCRIPTOR_SET)
                .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        };
        let reflection_v1 = reflection().build_v1()?;
        // grpcio-reflection (Python) still asks v1alpha.
        let reflection_v1alpha = reflection().build_v1alpha()?;

        let router = tonic::transport::Server::builder()
            // Bounds on what one connection can hold (see the crate docs' table).
            .max_concurrent_streams(config.max_concurrent_streams)
            .http2_max_header_list_size(config.max_header_bytes)
            .timeout(config.request_timeout)
            // Pings keep a live client's connection reading (`conn::ReadTimeout`),
            // and find dead ones.
            .http2_keepalive_interval(Some(config.read_timeout / 3))
            .http2_keepalive_timeout(Some(config.read_timeout / 3))
            .add_service(health_service)
            .add_service(reflection_v1)
            .add_service(reflection_v1alpha)
            .add_service(InterceptedService::new(
                LosslessRoutes {
                    inner: ChaukasServerServiceServer::new(chaukas.clone())
                        .max_decoding_message_size(max_message_bytes),
                    chaukas: chaukas.clone(),
                    max_message_bytes,
                },
                authenticate.clone(),
            ))
            .add_service(InterceptedService::new(
                LosslessRoutes {
                    inner: ChaukasClientServiceServer::new(chaukas.clone())
                        .max_decoding_message_size(max_message_bytes),
                    chaukas,
                    max_message_bytes,
                },
                authenticate,
            ));
        Ok(Self { router, health })
    }

    /// Serves until `shutdown`, then reports `NOT_SERVING` and drains.
    pub async fn serve(
        self,
        listener: crate::conn::TimedListener,
        shutdown: impl Future<Output = ()>,
    ) -> Result<(), tonic::transport::Error> {
        let health = self.health;
        let shutdown = async move {
            shutdown.await;
            health
                .set_not_serving::<ChaukasServerServiceServer<Chaukas>>()
                .await;
            health
                .set_not_serving::<ChaukasClientServiceServer<Chaukas>>()
                .await;
        };
        self.router
            .serve_with_incoming_shutdown(listener.incoming(), shutdown)
            .await
    }
}

// ---------------------------------------------------------------------------------
// Lossless routes: the generated services decode into plain prost messages, which
// drop unknown fields. These methods are served here instead, with codecs that keep
// them: `IngestEvent` and `IngestEventBatch` (both services) decode a `Lossless`
// request, `QueryEvents` (both services) answers with each stored event's own bytes,
// unknown fields included.

const QUERY_SERVER: &str = "/chaukas.spec.server.v1.ChaukasServerService/QueryEvents";
const QUERY_CLIENT: &str = "/chaukas.spec.client.v1.ChaukasClientService/QueryEvents";
const INGEST_SERVER: &str = "/chaukas.spec.server.v1.ChaukasServerService/IngestEvent";
const INGEST_CLIENT: &str = "/chaukas.spec.client.v1.ChaukasClientService/IngestEvent";
const BATCH_SERVER: &str = "/chaukas.spec.server.v1.ChaukasServerService/IngestEventBatch";
const BATCH_CLIENT: &str = "/chaukas.spec.client.v1.ChaukasClientService/IngestEventBatch";

/// An encoded message written as is (an answer built from stored events' bytes).
#[derive(Clone, Debug, Default, PartialEq)]
struct RawMessage(Vec<u8>);

impl prost::Message for RawMessage {
    fn encode_raw(&self, buf: &mut impl prost::bytes::BufMut) {
        buf.put_slice(&self.0);
    }
    fn merge_field(
        &mut self,
        tag: u32,
        wire_type: prost::encoding::WireType,
        buf: &mut impl prost::bytes::Buf,
        ctx: prost::encoding::DecodeContext,
    ) -> Result<(), prost::DecodeError> {
        prost::encoding::skip_field(wire_type, tag, buf, ctx)
    }
    fn encoded_len(&self) -> usize {
        self.0.len()
    }
    fn clear(&mut self) {
        self.0.clear();
    }
}

impl common_eventing::encode::Encode for RawMessage {
    const FLAT: bool = true;

    fn size(&self) -> usize {
        self.0.len()
    }

    fn write_back(&self, out: &mut [u8], pos: usize) -> usize {
        let start = pos - self.0.len();
        out[start..pos].copy_from_slice(&self.0);
        start
    }
}

/// A request kept as the bytes it arrived as (read later as a zero-copy view): its
/// decode takes the whole buffer and never fails.
#[derive(Clone, Debug, Default, PartialEq)]
struct RawRequest(prost::bytes::Bytes);

impl prost::Message for RawRequest {
    fn encode_raw(&self, buf: &mut impl prost::bytes::BufMut) {
        buf.put_slice(&self.0);
    }
    fn merge_field(
        &mut self,
        tag: u32,
        wire_type: prost::encoding::WireType,
        buf: &mut impl prost::bytes::Buf,
        ctx: prost::encoding::DecodeContext,
    ) -> Result<(), prost::DecodeError> {
        prost::encoding::skip_field(wire_type, tag, buf, ctx)
    }
    fn merge(&mut self, mut buf: impl prost::bytes::Buf) -> Result<(), prost::DecodeError> {
        self.0 = buf.copy_to_bytes(buf.remaining());
        Ok(())
    }
    fn encoded_len(&self) -> usize {
        self.0.len()
    }
    fn clear(&mut self) {
        self.0.clear();
    }
}

/// `QueryEvents` of either service (both requests carry the query as field 1, both
/// responses the `QueryResponse` as field 1).
async fn query_events(
    app: App,
    caller: Caller,
    query: Option<chaukas_spec_server::common::v1::QueryRequest>,
) -> Result<RawMessage, Status> {
    let page = app
        .query(&caller, query.unwrap_or_default())
        .await
        .map_err(|e| refuse("QueryEvents", e))?;
    let inner = page.encode_query_response();
    let mut out = Vec::with_capacity(inner.len() + 6);
    prost::encoding::bytes::encode(1, &inner, &mut out);
    Ok(RawMessage(out))
}

/// `IngestEvent` of either service: the event is field 1 of the request.
async fn ingest_event<R>(
    app: App,
    caller: Caller,
    mut request: Lossless<R>,
    event: fn(&mut R) -> Option<chaukas_spec_server::common::v1::Event>,
) -> Result<(String, Inserted), Status> {
    let event = request.take_message(1, event);
    app.ingest(&caller, event)
        .await
        .map_err(|e| refuse("IngestEvent", e))
}

/// `IngestEventBatch` of either service: the batch is field 1 of the request.
async fn ingest_event_batch<R>(
    app: App,
    caller: Caller,
    mut request: Lossless<R>,
    batch: fn(&mut R) -> Option<chaukas_spec_server::common::v1::EventBatch>,
) -> Result<BatchOutcome, Status> {
    let batch = request.take_message(1, batch);
    app.ingest_batch(&caller, batch)
        .await
        .map_err(|e| refuse("IngestEventBatch", e))
}

/// The server service's answer to `IngestEvent`.
fn server_ingest_answer(event_id: String, inserted: Inserted) -> server::IngestEventResponse {
    server::IngestEventResponse {
        event_id,
        status: match inserted {
            Inserted::Stored => "accepted".into(),
            Inserted::Duplicate => "duplicate".into(),
        },
        processed_at: now_millis(),
    }
}

/// The SDK-facing service's answer to a batch: its response has no room for counts,
/// so rejected events make the call `INVALID_ARGUMENT` (the valid ones are kept).
fn client_batch_answer(outcome: BatchOutcome) -> Result<client::IngestEventBatchResponse, Status> {
    if !outcome.rejections.is_empty() {
        return Err(Status::invalid_argument(format!(
            "accepted {}, rejected {}: {}",
            outcome.response.accepted_count,
            outcome.response.rejected_count,
            outcome.rejections.join("; ")
        )));
    }
    Ok(client::IngestEventBatchResponse {})
}

/// One unary method: the request decoded as `Q`, the answer written as `A`.
struct Unary<Q, A> {
    app: App,
    handle: fn(App, Caller, Q) -> tonic::codegen::BoxFuture<A, Status>,
}

impl<Q: Send + 'static, A: Send + 'static> tonic::server::UnaryService<Q> for Unary<Q, A> {
    type Response = A;
    type Future = tonic::codegen::BoxFuture<Response<A>, Status>;
    fn call(&mut self, request: Request<Q>) -> Self::Future {
        let caller = caller(&request);
        let answer = (self.handle)(self.app.clone(), caller, request.into_inner());
        Box::pin(async move { answer.await.map(Response::new) })
    }
}

/// Serves the lossless methods and hands every other call to the generated service.
#[derive(Clone)]
pub struct LosslessRoutes<S> {
    inner: S,
    chaukas: Chaukas,
    max_message_bytes: usize,
}

impl<S: tonic::server::NamedService> tonic::server::NamedService for LosslessRoutes<S> {
    const NAME: &'static str = S::NAME;
}

impl<S> LosslessRoutes<S> {
    /// Serves `request` as one unary call with the workspace codec (`Q` decoded by prost, `A` encoded by `Encode`).
    fn unary<Q, A, B>(
        &self,
        request: tonic::codegen::http::Request<B>,
        handle: fn(App, Caller, Q) -> tonic::codegen::BoxFuture<A, Status>,
    ) -> tonic::codegen::BoxFuture<tonic::codegen::http::Response<tonic::body::Body>, Infallible>
    where
        Q: prost::Message + Default + Send + 'static,
        A: common_eventing::encode::Encode + Send + 'static,
        B: tonic::codegen::Body + Send + 'static,
        B::Error: Into<tonic::codegen::StdError> + Send + 'static,
    {
        let method = Unary {
            app: self.chaukas.app.clone(),
            handle,
        };
        let max = Some(self.max_message_bytes);
        Box::pin(async move {
            let codec = common_eventing::grpc::Codec::<A, Q>::default();
            let mut grpc = tonic::server::Grpc::new(codec).apply_max_message_size_config(max, None);
            Ok(grpc.unary(method, request).await)
        })
    }
}

impl<S, B> tonic::codegen::Service<tonic::codegen::http::Request<B>> for LosslessRoutes<S>
where
    S: tonic::codegen::Service<
            tonic::codegen::http::Request<B>,
            Response = tonic::codegen::http::Response<tonic::body::Body>,
            Error = Infallible,
        > + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    B: tonic::codegen::Body + Send + 'static,
    B::Error: Into<tonic::codegen::StdError> + Send + 'static,
{
    type Response = tonic::codegen::http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = tonic::codegen::BoxFuture<Self::Response, Self::Error>;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: tonic::codegen::http::Request<B>) -> Self::Future {
        match request.uri().path() {
            QUERY_SERVER => self.unary(request, |app, caller, r: server::QueryEventsRequest| {
                Box::pin(query_events(app, caller, r.query))
            }),
            QUERY_CLIENT => self.unary(request, |app, caller, r: client::QueryEventsRequest| {
                Box::pin(query_events(app, caller, r.query))
            }),
            INGEST_SERVER => self.unary(
                request,
                |app, caller, r: Lossless<server::IngestEventRequest>| {
                    Box::pin(async move {
                        let (id, inserted) =
                            ingest_event(app, caller, r, |r| r.event.take()).await?;
                        Ok(server_ingest_answer(id, inserted))
                    })
                },
            ),
            INGEST_CLIENT => self.unary(
                request,
                |app, caller, r: Lossless<client::IngestEventRequest>| {
                    Box::pin(async move {
                        ingest_event(app, caller, r, |r| r.event.take()).await?;
                        Ok(client::IngestEventResponse {})
                    })
                },
            ),
            // Batches are read as zero-copy views of the request's bytes.
            BATCH_SERVER => self.unary(request, |app, caller, r: RawRequest| {
                Box::pin(async move {
                    let outcome = app.ingest_batch_encoded(&caller, &r.0).await;
                    Ok(outcome.map_err(|e| refuse("IngestEventBatch", e))?.response)
                })
            }),
            BATCH_CLIENT => self.unary(request, |app, caller, r: RawRequest| {
                Box::pin(async move {
                    let outcome = app.ingest_batch_encoded(&caller, &r.0).await;
                    client_batch_answer(outcome.map_err(|e| refuse("IngestEventBatch", e))?)
                })
            }),
            _ => {
                let mut inner = self.inner.clone();
                Box::pin(async move { inner.call(request).await })
            }
        }
    }
}
