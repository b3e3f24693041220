//! The `IncidentService` command surface and `SreIncidentQueryService` over real
//! HTTP/2 in one process: a small server that enforces the incident state machine,
//! and a client calling every RPC.
#![cfg(feature = "grpc")]

use ameide_sre_proto::core::v1::incident_service_client::IncidentServiceClient;
use ameide_sre_proto::core::v1::incident_service_server::{IncidentService, IncidentServiceServer};
use ameide_sre_proto::core::v1::sre_incident_query_service_client::SreIncidentQueryServiceClient;
use ameide_sre_proto::core::v1::sre_incident_query_service_server::{
    SreIncidentQueryService, SreIncidentQueryServiceServer,
};
use ameide_sre_proto::core::v1::*;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tonic::{Request, Response, Status};

/// Incidents by (tenant, id).
#[derive(Clone, Default)]
struct Store(Arc<Mutex<BTreeMap<(String, String), Incident>>>);

impl Store {
    fn update(
        &self,
        tenant: &str,
        id: &str,
        change: impl FnOnce(&mut Incident) -> Result<(), Status>,
    ) -> Result<Incident, Status> {
        let mut map = self.0.lock().unwrap();
        let incident = map
            .get_mut(&(tenant.to_string(), id.to_string()))
            .ok_or_else(|| Status::not_found(format!("incident {id} of tenant {tenant}")))?;
        change(incident)?;
        Ok(incident.clone())
    }

    /// Moves an incident to `next`, refusing what the state machine refuses.
    fn transition(&self, tenant: &str, id: &str, next: IncidentStatus) -> Result<Incident, Status> {
        self.update(tenant, id, |i| {
            i.status()
                .transition_to(next)
                .map_err(|e| Status::failed_precondition(e.to_string()))?;
            i.set_status(next);
            Ok(())
        })
    }
}

#[tonic::async_trait]
impl IncidentService for Store {
    async fn create_incident(
        &self,
        r: Request<CreateIncidentRequest>,
    ) -> Result<Response<CreateIncidentResponse>, Status> {
        let r = r.into_inner();
        let mut incident = r
            .incident
            .ok_or_else(|| Status::invalid_argument("incident is required"))?;
        incident.set_status(IncidentStatus::Open);
        self.0.lock().unwrap().insert(
            (r.tenant_id, incident.incident_id.clone()),
            incident.clone(),
        );
        Ok(Response::new(CreateIncidentResponse {
            incident: Some(incident),
        }))
    }

    async fn reclassify_incident_severity(
        &self,
        r: Request<ReclassifyIncidentSeverityRequest>,
    ) -> Result<Response<ReclassifyIncidentSeverityResponse>, Status> {
        let r = r.into_inner();
        let incident = self.update(&r.tenant_id, &r.incident_id, |i| {
            i.severity = r.severity;
            Ok(())
        })?;
        Ok(Response::new(ReclassifyIncidentSeverityResponse {
            incident: Some(incident),
        }))
    }

    async fn assign_incident(
        &self,
        r: Request<AssignIncidentRequest>,
    ) -> Result<Response<AssignIncidentResponse>, Status> {
        let r = r.into_inner();
        let incident = self.update(&r.tenant_id, &r.incident_id, |i| {
            i.assigned_to = r.assignee;
            Ok(())
        })?;
        Ok(Response::new(AssignIncidentResponse {
            incident: Some(incident),
        }))
    }

    async fn add_incident_timeline_entry(
        &self,
        r: Request<AddIncidentTimelineEntryRequest>,
    ) -> Result<Response<AddIncidentTimelineEntryResponse>, Status> {
        let r = r.into_inner();
        let entry = r
            .entry
            .ok_or_else(|| Status::invalid_argument("entry is required"))?;
        let incident = self.update(&r.tenant_id, &r.incident_id, |i| {
            i.timeline.push(entry);
            Ok(())
        })?;
        Ok(Response::new(AddIncidentTimelineEntryResponse {
            incident: Some(incident),
        }))
    }

    async fn acknowledge_incident(
        &self,
        r: Request<AcknowledgeIncidentRequest>,
    ) -> Result<Response<AcknowledgeIncidentResponse>, Status> {
        let r = r.into_inner();
        let incident =
            self.transition(&r.tenant_id, &r.incident_id, IncidentStatus::Acknowledged)?;
        Ok(Response::new(AcknowledgeIncidentResponse {
            incident: Some(incident),
        }))
    }

    async fn transition_incident_status(
        &self,
        r: Request<TransitionIncidentStatusRequest>,
    ) -> Result<Response<TransitionIncidentStatusResponse>, Status> {
        let r = r.into_inner();
        let incident = self.transition(&r.tenant_id, &r.incident_id, r.status())?;
        Ok(Response::new(TransitionIncidentStatusResponse {
            incident: Some(incident),
        }))
    }

    async fn resolve_incident(
        &self,
        r: Request<ResolveIncidentRequest>,
    ) -> Result<Response<ResolveIncidentResponse>, Status> {
        let r = r.into_inner();
        let incident = self.transition(&r.tenant_id, &r.incident_id, IncidentStatus::Resolved)?;
        Ok(Response::new(ResolveIncidentResponse {
            incident: Some(incident),
        }))
    }

    async fn close_incident(
        &self,
        r: Request<CloseIncidentRequest>,
    ) -> Result<Response<CloseIncidentResponse>, Status> {
        let r = r.into_inner();
        let incident = self.transition(&r.tenant_id, &r.incident_id, IncidentStatus::Closed)?;
        Ok(Response::new(CloseIncidentResponse {
            incident: Some(incident),
        }))
    }
}

#[tonic::async_trait]
impl SreIncidentQueryService for Store {
    async fn get_incident(
        &self,
        r: Request<GetIncidentRequest>,
    ) -> Result<Response<GetIncidentResponse>, Status> {
        let r = r.into_inner();
        let incident = self.update(&r.tenant_id, &r.incident_id, |_| Ok(()))?;
        Ok(Response::new(GetIncidentResponse {
            incident: Some(incident),
        }))
    }

    async fn list_open_incidents(
        &self,
        r: Request<ListOpenIncidentsRequest>,
    ) -> Result<Response<ListOpenIncidentsResponse>, Status> {
        let r = r.into_inner();
        let incidents = self
            .0
            .lock()
            .unwrap()
            .iter()
            .filter(|((tenant, _), i)| {
                *tenant == r.tenant_id && i.status() != IncidentStatus::Closed
            })
            .map(|(_, i)| i.clone())
            .collect();
        Ok(Response::new(ListOpenIncidentsResponse {
            incidents,
            next_page_token: String::new(),
        }))
    }
}

#[tokio::test]
async fn every_incident_rpc_and_the_state_machine_over_grpc() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let store = Store::default();
    let server = tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(IncidentServiceServer::new(store.clone()))
            .add_service(SreIncidentQueryServiceServer::new(store))
            .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener)),
    );
    let mut commands = IncidentServiceClient::connect(url.clone()).await.unwrap();
    let mut queries = SreIncidentQueryServiceClient::connect(url).await.unwrap();
    let (tenant, id) = ("acme".to_string(), "inc-42".to_string());
    let ids = || (tenant.clone(), id.clone());

    let created = commands
        .create_incident(CreateIncidentRequest {
            tenant_id: tenant.clone(),
            incident: Some(Incident {
                incident_id: id.clone(),
                title: "API 5xx".into(),
                ..Default::default()
            }),
        })
        .await
        .unwrap()
        .into_inner()
        .incident
        .unwrap();
    assert_eq!(created.status(), IncidentStatus::Open);

    let (t, i) = ids();
    let r = commands
        .reclassify_incident_severity(ReclassifyIncidentSeverityRequest {
            tenant_id: t,
            incident_id: i,
            severity: Severity::Critical as i32,
            reason: "customer impact".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.incident.unwrap().severity(), Severity::Critical);

    let (t, i) = ids();
    let alice = Actor {
        kind: ActorKind::Human as i32,
        id: "alice".into(),
    };
    let r = commands
        .assign_incident(AssignIncidentRequest {
            tenant_id: t,
            incident_id: i,
            assignee: Some(alice.clone()),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.incident.unwrap().assigned_to, Some(alice.clone()));

    let (t, i) = ids();
    let entry = IncidentTimelineEntry {
        author: Some(alice),
        text: "rolled back".into(),
        ..Default::default()
    };
    let r = commands
        .add_incident_timeline_entry(AddIncidentTimelineEntryRequest {
            tenant_id: t,
            incident_id: i,
            entry: Some(entry.clone()),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.incident.unwrap().timeline, [entry]);

    // Closing an open incident is refused by the state machine, with both states named.
    let (t, i) = ids();
    let refused = commands
        .close_incident(CloseIncidentRequest {
            tenant_id: t,
            incident_id: i,
            reason: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), tonic::Code::FailedPrecondition);
    assert_eq!(
        refused.message(),
        "Incident cannot go from INCIDENT_STATUS_OPEN to INCIDENT_STATUS_CLOSED"
    );

    let (t, i) = ids();
    let r = commands
        .acknowledge_incident(AcknowledgeIncidentRequest {
            tenant_id: t,
            incident_id: i,
            note: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.incident.unwrap().status(), IncidentStatus::Acknowledged);

    let (t, i) = ids();
    let r = commands
        .transition_incident_status(TransitionIncidentStatusRequest {
            tenant_id: t,
            incident_id: i,
            status: IncidentStatus::Investigating as i32,
            reason: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.incident.unwrap().status(), IncidentStatus::Investigating);

    // Resolving before mitigating skips a step: refused.
    let (t, i) = ids();
    let early = commands
        .resolve_incident(ResolveIncidentRequest {
            tenant_id: t,
            incident_id: i,
            resolution: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(early.code(), tonic::Code::FailedPrecondition);

    let (t, i) = ids();
    let r = commands
        .transition_incident_status(TransitionIncidentStatusRequest {
            tenant_id: t,
            incident_id: i,
            status: IncidentStatus::Mitigating as i32,
            reason: "rolled back".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.incident.unwrap().status(), IncidentStatus::Mitigating);

    let (t, i) = ids();
    let r = commands
        .resolve_incident(ResolveIncidentRequest {
            tenant_id: t,
            incident_id: i,
            resolution: "fixed".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.incident.unwrap().status(), IncidentStatus::Resolved);

    let open = queries
        .list_open_incidents(ListOpenIncidentsRequest {
            tenant_id: tenant.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(open.incidents.len(), 1);

    let (t, i) = ids();
    let r = commands
        .close_incident(CloseIncidentRequest {
            tenant_id: t,
            incident_id: i,
            reason: "postmortem done".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.incident.unwrap().status(), IncidentStatus::Closed);

    let (t, i) = ids();
    let got = queries
        .get_incident(GetIncidentRequest {
            tenant_id: t,
            incident_id: i,
        })
        .await
        .unwrap()
        .into_inner()
        .incident
        .unwrap();
    assert_eq!(
        (got.status(), got.severity(), got.title.as_str()),
        (IncidentStatus::Closed, Severity::Critical, "API 5xx")
    );
    let open = queries
        .list_open_incidents(ListOpenIncidentsRequest {
            tenant_id: tenant.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(open.incidents.is_empty());
    let missing = queries
        .get_incident(GetIncidentRequest {
            tenant_id: "other".into(),
            incident_id: id.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), tonic::Code::NotFound);
    server.abort();
}
