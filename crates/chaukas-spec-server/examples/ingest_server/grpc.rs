//! gRPC on one port: `ChaukasServerService` and `ChaukasClientService` (behind the
//! API-key interceptor), the standard `grpc.health.v1.Health`, and server reflection
//! (v1 and v1alpha) fed by the crates' `FILE_DESCRIPTOR_SET`s, so `grpcurl` works
//! without `.proto` files:
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
            .ingest(&caller, request.into_inner().event)
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
            .ingest_batch(&caller, request.into_inner().event_batch)
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
            .map_err(|e| refuse("QueryEvents", e))?;
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
            .ingest(&caller, request.into_inner().event)
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
            .ingest_batch(&caller, request.into_inner().event_batch)
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
            .map_err(|e| refuse("QueryEvents", e))?;
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
                ChaukasServerServiceServer::new(chaukas.clone())
                    .max_decoding_message_size(max_message_bytes),
                authenticate.clone(),
            ))
            .add_service(InterceptedService::new(
                ChaukasClientServiceServer::new(chaukas)
                    .max_decoding_message_size(max_message_bytes),
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
