//! A small in-memory Chaukas backend implementing both gRPC services, for the
//! Python-client-to-Rust-server tests.

use chaukas_spec_client::client::v1 as client;
use chaukas_spec_client::client::v1::chaukas_client_service_server::ChaukasClientService;
use chaukas_spec_client::common::v1::{Capabilities, Event, EventType, QueryResponse};
use chaukas_spec_server::server::v1 as server;
use chaukas_spec_server::server::v1::chaukas_server_service_server::ChaukasServerService;
use std::sync::{Arc, Mutex};
use tonic::{Request, Response, Status};

/// Shared state of both services.
#[derive(Clone, Default)]
pub struct Backend {
    events: Arc<Mutex<Vec<Event>>>,
}

/// What this backend advertises.
pub fn capabilities() -> Capabilities {
    Capabilities {
        rbac: true,
        policy_decisions: true,
        data_access_events: true,
        ..Default::default()
    }
}

impl Backend {
    fn validate(event: Option<Event>) -> Result<Event, Status> {
        let event = event.ok_or_else(|| Status::invalid_argument("event is required"))?;
        if event.event_id.is_empty() {
            return Err(Status::invalid_argument("event.event_id is required"));
        }
        Ok(event)
    }

    fn ingest(&self, event: Event) {
        self.events.lock().unwrap().push(event);
    }

    /// Stores the valid events of a batch; names the rejected ones (no tenant).
    fn ingest_batch(&self, events: Vec<Event>) -> (i32, Vec<String>) {
        let mut accepted = 0;
        let mut rejected = Vec::new();
        for event in events {
            if event.event_id.is_empty() || event.tenant_id.is_empty() {
                rejected.push(event.event_id);
            } else {
                accepted += 1;
                self.ingest(event);
            }
        }
        (accepted, rejected)
    }

    fn query(&self, query: Option<chaukas_spec_client::common::v1::QueryRequest>) -> QueryResponse {
        let query = query.unwrap_or_default();
        let tenant = query.filter.map(|f| f.tenant_id).unwrap_or_default();
        let events = self
            .events
            .lock()
            .unwrap()
            .iter()
            .filter(|e| tenant.is_empty() || e.tenant_id == tenant)
            .cloned()
            .collect();
        QueryResponse {
            events,
            next_page_token: String::new(),
        }
    }
}

#[tonic::async_trait]
impl ChaukasServerService for Backend {
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
            capabilities: Some(capabilities()),
        }))
    }

    async fn ingest_event(
        &self,
        request: Request<server::IngestEventRequest>,
    ) -> Result<Response<server::IngestEventResponse>, Status> {
        let event = Self::validate(request.into_inner().event)?;
        let event_id = event.event_id.clone();
        self.ingest(event);
        Ok(Response::new(server::IngestEventResponse {
            event_id,
            status: "accepted".into(),
            processed_at: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_millis() as i64,
        }))
    }

    async fn ingest_event_batch(
        &self,
        request: Request<server::IngestEventBatchRequest>,
    ) -> Result<Response<server::IngestEventBatchResponse>, Status> {
        let batch = request.into_inner().event_batch.unwrap_or_default();
        let (accepted, rejected) = self.ingest_batch(batch.events);
        Ok(Response::new(server::IngestEventBatchResponse {
            batch_id: batch.batch_id,
            accepted_count: accepted,
            rejected_count: rejected.len() as i32,
            rejected_event_ids: rejected,
        }))
    }

    async fn query_events(
        &self,
        request: Request<server::QueryEventsRequest>,
    ) -> Result<Response<server::QueryEventsResponse>, Status> {
        Ok(Response::new(server::QueryEventsResponse {
            response: Some(self.query(request.into_inner().query)),
        }))
    }

    async fn get_event_stats(
        &self,
        request: Request<server::GetEventStatsRequest>,
    ) -> Result<Response<server::GetEventStatsResponse>, Status> {
        let tenant = request.into_inner().tenant_id;
        let events = self.events.lock().unwrap();
        let mut response = server::GetEventStatsResponse::default();
        let mut sessions = std::collections::BTreeSet::new();
        for e in events.iter().filter(|e| e.tenant_id == tenant) {
            response.total_events += 1;
            sessions.insert(e.session_id.clone());
            let name = EventType::try_from(e.r#type)
                .map(|t| t.as_str_name().to_string())
                .unwrap_or_else(|_| e.r#type.to_string());
            *response.events_by_type.entry(name).or_default() += 1;
        }
        response.total_sessions = sessions.len() as i64;
        Ok(Response::new(response))
    }
}

#[tonic::async_trait]
impl ChaukasClientService for Backend {
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
            capabilities: Some(capabilities()),
        }))
    }

    async fn ingest_event(
        &self,
        request: Request<client::IngestEventRequest>,
    ) -> Result<Response<client::IngestEventResponse>, Status> {
        self.ingest(Self::validate(request.into_inner().event)?);
        Ok(Response::new(client::IngestEventResponse {}))
    }

    async fn ingest_event_batch(
        &self,
        request: Request<client::IngestEventBatchRequest>,
    ) -> Result<Response<client::IngestEventBatchResponse>, Status> {
        let batch = request.into_inner().event_batch.unwrap_or_default();
        let (_, rejected) = self.ingest_batch(batch.events);
        if !rejected.is_empty() {
            return Err(Status::invalid_argument(format!(
                "rejected events: {}",
                rejected.join(",")
            )));
        }
        Ok(Response::new(client::IngestEventBatchResponse {}))
    }

    async fn query_events(
        &self,
        request: Request<client::QueryEventsRequest>,
    ) -> Result<Response<client::QueryEventsResponse>, Status> {
        Ok(Response::new(client::QueryEventsResponse {
            response: Some(self.query(request.into_inner().query)),
        }))
    }
}
