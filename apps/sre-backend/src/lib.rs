//! A reference SRE backend: `IncidentService` and the seven `Sre*QueryService`s of
//! `ameide-sre-proto` over gRPC, on one in-memory store.
//!
//! - **State machine**: every command is checked against
//!   `IncidentStatus::transition_to` (open → acknowledged → investigating → mitigating
//!   → resolved → closed, one step at a time); a refused move is `FAILED_PRECONDITION`
//!   naming both states.
//! - **Facts**: every change emits one `SreDomainFact` (Confluent-framed, as it would go
//!   to `sre.domain.facts.v1`) to the [`facts::FactLog`], before the rpc answers.
//! - **Tenants**: every call carries its tenant in the `x-tenant-id` metadata
//!   ([`tenant`]); a tenant sees only its own aggregates, and a request naming another
//!   tenant is `PERMISSION_DENIED`.
//! - **Seed**: the aggregates without command rpcs (alerts, runbooks, SLOs, fleet
//!   states, services, postmortems) come from a seed file ([`store::parse_seed`]).
//! - **Callers**: with a shared key ([`auth`]) every call must carry it, else
//!   `UNAUTHENTICATED`; without one the backend listens on loopback only unless
//!   `--allow-unauthenticated` is given.
//! - **Limits** ([`limits`], [`server::ServerOptions`]): error messages repeat at most
//!   64 characters of a caller's value; an aggregate stays under 2 MiB and a list page
//!   under 3 MiB, so every answer decodes within gRPC's 4 MiB; HTTP/2 streams per
//!   connection, header list size, handshake and request time, and connections are
//!   bounded; SIGTERM and SIGINT drain in-flight calls for a grace period.
//!
//! ```sh
//! cargo run -p sre-backend -- --grpc 127.0.0.1:50061 [--fact-log FILE] [--seed FILE]
//! ```
//!
//! Files: `tenant.rs` (caller from metadata), `auth.rs` (the shared key),
//! `limits.rs` (message, aggregate and page bounds), `store.rs` (data, seed, paging),
//! `facts.rs` (the fact log), `incidents.rs` (commands), `queries.rs` (reads),
//! `server.rs` (transport limits, drain), `config.rs` (flags).

pub mod auth;
pub mod config;
pub mod facts;
mod incidents;
pub mod limits;
mod queries;
pub mod server;
pub mod store;
pub mod tenant;

use ameide_sre_proto::core::v1::incident_service_server::IncidentServiceServer;
use ameide_sre_proto::core::v1::sre_alert_query_service_server::SreAlertQueryServiceServer;
use ameide_sre_proto::core::v1::sre_health_query_service_server::SreHealthQueryServiceServer;
use ameide_sre_proto::core::v1::sre_incident_query_service_server::SreIncidentQueryServiceServer;
use ameide_sre_proto::core::v1::sre_postmortem_query_service_server::SrePostmortemQueryServiceServer;
use ameide_sre_proto::core::v1::sre_runbook_query_service_server::SreRunbookQueryServiceServer;
use ameide_sre_proto::core::v1::sre_service_query_service_server::SreServiceQueryServiceServer;
use ameide_sre_proto::core::v1::sre_slo_query_service_server::SreSloQueryServiceServer;
use facts::FactLog;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use store::TenantData;
use tokio::net::TcpListener;

/// What every rpc answers.
type Reply<T> = Result<tonic::Response<T>, tonic::Status>;

/// `producer` of every fact's metadata.
pub const PRODUCER: &str = "sre-backend";

/// The backend: the store and the fact log, shared by every service (cheap to clone).
#[derive(Clone, Debug)]
pub struct Backend {
    tenants: Arc<Mutex<BTreeMap<String, TenantData>>>,
    facts: Arc<FactLog>,
}

impl Backend {
    /// A backend holding `tenants` (e.g. from [`store::parse_seed`]) and writing facts
    /// to `facts`.
    pub fn new(tenants: BTreeMap<String, TenantData>, facts: FactLog) -> Self {
        Self {
            tenants: Arc::new(Mutex::new(tenants)),
            facts: Arc::new(facts),
        }
    }

    /// The fact log.
    pub fn facts(&self) -> &FactLog {
        &self.facts
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, TenantData>> {
        // A panic while holding the lock leaves whole values: keep serving.
        self.tenants.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Every service of the backend, ready to serve.
    pub fn routes(&self) -> tonic::service::Routes {
        tonic::service::Routes::new(IncidentServiceServer::new(self.clone()))
            .add_service(SreIncidentQueryServiceServer::new(self.clone()))
            .add_service(SreAlertQueryServiceServer::new(self.clone()))
            .add_service(SreRunbookQueryServiceServer::new(self.clone()))
            .add_service(SreSloQueryServiceServer::new(self.clone()))
            .add_service(SreHealthQueryServiceServer::new(self.clone()))
            .add_service(SreServiceQueryServiceServer::new(self.clone()))
            .add_service(SrePostmortemQueryServiceServer::new(self.clone()))
    }

    /// Serves every service on `listener` with the default
    /// [`server::ServerOptions`] (no shared key) until `shutdown` completes.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<(), tonic::transport::Error> {
        self.serve_with(listener, &server::ServerOptions::default(), shutdown)
            .await
    }
}
