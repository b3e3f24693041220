//! gRPC on one port: `ChaukasServerService` and `ChaukasClientService` (behind the
//! API-key interceptor), the standard `grpc.health.v1.Health`, and server reflection
//! (v1 and v1alpha) fed by the crates' `FILE_DESCRIPTOR_SET`s, so `grpcurl` works
//! without `.proto` files. `IngestEvent` and `QueryEvents` (both services) are served
//! by [`LosslessRoutes`] in front of the generated services, so events keep the fields
//! a newer schema added; the other methods are the generated ones:
//!
//! ```sh
//! grpcurl -plaintext 127.0.0.1:50051 list
//! grpcurl -plaintext -H 'authorization: Bearer KEY' -H 'x-chaukas-tenant: acme' \
//!     -d '{"query": {"pageSize": 10}}' \
//!     127.0.0.1:50051 chaukas.spec.server.v1.ChaukasServerService/QueryEvents
//! ```

use super::auth::{Caller, TENANT_HEADER, TENANT_HEADER_ALIAS};
use super::store::Inserted;
use super::{ApiError, App};
use chaukas_spec_client::client::v1 as client;
use chaukas_spec_client::client::v1::chaukas_client_service_server::{
    ChaukasClientService, ChaukasClientServiceServer,
};
use chaukas_spec_server::server::v1 as server;
use chaukas_spec_server::server::v1::chaukas_server_service_server::{
    ChaukasServerService, ChaukasServerServiceServer,
};
use common_eventing::Lossless;
use tokio::net::TcpListener;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::server::{Router, TcpIncoming};
use tonic::{Request, Response, Status};
use tonic_health::server::HealthReporter;

impl From<ApiError> for Status {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::InvalidArgument(m) => Status::invalid_argument(m),
            ApiError::Unauthenticated(m) => Status::unauthenticated(m),
            ApiError::PermissionDenied(m) => Status::permission_denied(m),
            ApiError::Unavailable(m) => Status::unavailable(m),
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
        let (event_id, inserted) = self
            .app
            .ingest(&caller, request.into_inner().event.map(Lossless::from))
            .await
            .map_err(|e| refuse("IngestEvent", e))?;
        Ok(Response::new(server::IngestEventResponse {
            event_id,
            status: match inserted {
                Inserted::Stored => "accepted".into(),
                Inserted::Duplicate => "duplicate".into(),
            },
            processed_at: now_millis(),
        }))
    }

    async fn ingest_event_batch(
        &self,
        request: Request<server::IngestEventBatchRequest>,
    ) -> Result<Response<server::IngestEventBatchResponse>, Status> {
        let caller = caller(&request);
        let outcome = self
            .app
            .ingest_batch(
                &caller,
                request.into_inner().event_batch.map(Lossless::from),
            )
            .await
            .map_err(|e| refuse("IngestEventBatch", e))?;
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
        self.app
            .ingest(&caller, request.into_inner().event.map(Lossless::from))
            .await
            .map_err(|e| refuse("IngestEvent", e))?;
        Ok(Response::new(client::IngestEventResponse {}))
    }

    async fn ingest_event_batch(
        &self,
        request: Request<client::IngestEventBatchRequest>,
    ) -> Result<Response<client::IngestEventBatchResponse>, Status> {
        let caller = caller(&request);
        let outcome = self
            .app
            .ingest_batch(
                &caller,
                request.into_inner().event_batch.map(Lossless::from),
            )
            .await
            .map_err(|e| refuse("IngestEventBatch", e))?;
        if !outcome.rejections.is_empty() {
            return Err(Status::invalid_argument(format!(
                "accepted {}, rejected {}: {}",
                outcome.response.accepted_count,
                outcome.response.rejected_count,
                outcome.rejections.join("; ")
            )));
        }
        Ok(Response::new(client::IngestEventBatchResponse {}))
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
        max_message_bytes: usize,
    ) -> Result<Self, tonic_reflection::server::Error> {
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
        listener: TcpListener,
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
            .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown)
            .await
    }
}

// ---------------------------------------------------------------------------------
// Lossless routes: the generated services decode into plain prost messages, which
// drop unknown fields. These methods are served here instead, with codecs that keep
// them: `IngestEvent` (both services) decodes a `Lossless` request, `QueryEvents`
// (both services) answers with each stored event's own bytes, unknown fields included.

const LOSSLESS_QUERY: [&str; 2] = [
    "/chaukas.spec.server.v1.ChaukasServerService/QueryEvents",
    "/chaukas.spec.client.v1.ChaukasClientService/QueryEvents",
];
const LOSSLESS_INGEST_SERVER: &str = "/chaukas.spec.server.v1.ChaukasServerService/IngestEvent";
const LOSSLESS_INGEST_CLIENT: &str = "/chaukas.spec.client.v1.ChaukasClientService/IngestEvent";

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

/// `QueryEvents` of either service (both requests carry the query as field 1, both
/// responses the `QueryResponse` as field 1).
struct QueryEvents<R> {
    chaukas: Chaukas,
    query: fn(R) -> Option<chaukas_spec_server::common::v1::QueryRequest>,
}

impl<R: Send + 'static> tonic::server::UnaryService<R> for QueryEvents<R> {
    type Response = RawMessage;
    type Future = tonic::codegen::BoxFuture<Response<RawMessage>, Status>;
    fn call(&mut self, request: Request<R>) -> Self::Future {
        let (app, query) = (self.chaukas.app.clone(), self.query);
        Box::pin(async move {
            let caller = caller(&request);
            let query = query(request.into_inner()).unwrap_or_default();
            let page = app
                .query(&caller, query)
                .await
                .map_err(|e| refuse("QueryEvents", e))?;
            let inner = page.encode_query_response();
            let mut out = Vec::with_capacity(inner.len() + 6);
            prost::encoding::bytes::encode(1, &inner, &mut out);
            Ok(Response::new(RawMessage(out)))
        })
    }
}

/// `IngestEvent` of either service, from a `Lossless` request (`event` is field 1).
struct IngestEvent<R, A> {
    chaukas: Chaukas,
    event: fn(&mut R) -> Option<chaukas_spec_server::common::v1::Event>,
    answer: fn(String, Inserted) -> A,
}

impl<R, A> tonic::server::UnaryService<Lossless<R>> for IngestEvent<R, A>
where
    R: Send + 'static,
    A: Send + 'static,
{
    type Response = A;
    type Future = tonic::codegen::BoxFuture<Response<A>, Status>;
    fn call(&mut self, request: Request<Lossless<R>>) -> Self::Future {
        let (app, event, answer) = (self.chaukas.app.clone(), self.event, self.answer);
        Box::pin(async move {
            let caller = caller(&request);
            let mut request = request.into_inner();
            let event = request.take_message(1, event);
            let (event_id, inserted) = app
                .ingest(&caller, event)
                .await
                .map_err(|e| refuse("IngestEvent", e))?;
            Ok(Response::new(answer(event_id, inserted)))
        })
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

impl<S, B> tonic::codegen::Service<tonic::codegen::http::Request<B>> for LosslessRoutes<S>
where
    S: tonic::codegen::Service<
            tonic::codegen::http::Request<B>,
            Response = tonic::codegen::http::Response<tonic::body::Body>,
            Error = std::convert::Infallible,
        > + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    B: tonic::codegen::Body + Send + 'static,
    B::Error: Into<tonic::codegen::StdError> + Send + 'static,
{
    type Response = tonic::codegen::http::Response<tonic::body::Body>;
    type Error = std::convert::Infallible;
    type Future = tonic::codegen::BoxFuture<Self::Response, Self::Error>;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: tonic::codegen::http::Request<B>) -> Self::Future {
        let chaukas = self.chaukas.clone();
        let max = Some(self.max_message_bytes);
        let path = request.uri().path().to_owned();
        if path == LOSSLESS_QUERY[0] {
            Box::pin(async move {
                let codec =
                    tonic_prost::ProstCodec::<RawMessage, server::QueryEventsRequest>::default();
                let method = QueryEvents {
                    chaukas,
                    query: |r: server::QueryEventsRequest| r.query,
                };
                let mut grpc =
                    tonic::server::Grpc::new(codec).apply_max_message_size_config(max, None);
                Ok(grpc.unary(method, request).await)
            })
        } else if path == LOSSLESS_QUERY[1] {
            Box::pin(async move {
                let codec =
                    tonic_prost::ProstCodec::<RawMessage, client::QueryEventsRequest>::default();
                let method = QueryEvents {
                    chaukas,
                    query: |r: client::QueryEventsRequest| r.query,
                };
                let mut grpc =
                    tonic::server::Grpc::new(codec).apply_max_message_size_config(max, None);
                Ok(grpc.unary(method, request).await)
            })
        } else if path == LOSSLESS_INGEST_SERVER {
            Box::pin(async move {
                let codec = tonic_prost::ProstCodec::<
                    server::IngestEventResponse,
                    Lossless<server::IngestEventRequest>,
                >::default();
                let method = IngestEvent {
                    chaukas,
                    event: |r: &mut server::IngestEventRequest| r.event.take(),
                    answer: |event_id, inserted| server::IngestEventResponse {
                        event_id,
                        status: match inserted {
                            Inserted::Stored => "accepted".into(),
                            Inserted::Duplicate => "duplicate".into(),
                        },
                        processed_at: now_millis(),
                    },
                };
                let mut grpc =
                    tonic::server::Grpc::new(codec).apply_max_message_size_config(max, None);
                Ok(grpc.unary(method, request).await)
            })
        } else if path == LOSSLESS_INGEST_CLIENT {
            Box::pin(async move {
                let codec = tonic_prost::ProstCodec::<
                    client::IngestEventResponse,
                    Lossless<client::IngestEventRequest>,
                >::default();
                let method = IngestEvent {
                    chaukas,
                    event: |r: &mut client::IngestEventRequest| r.event.take(),
                    answer: |_, _| client::IngestEventResponse {},
                };
                let mut grpc =
                    tonic::server::Grpc::new(codec).apply_max_message_size_config(max, None);
                Ok(grpc.unary(method, request).await)
            })
        } else {
            let mut inner = self.inner.clone();
            Box::pin(async move { inner.call(request).await })
        }
    }
}
