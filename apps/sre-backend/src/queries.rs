//! The seven `Sre*QueryService`s: strongly consistent reads of the caller's tenant.
//! A `Get` of an id the tenant does not have is `NOT_FOUND`; a `List` pages in id
//! order (`page_token` is the last id of the previous page).

use crate::limits::echo;
use crate::store::{TenantData, page};
use crate::tenant::Caller;
use crate::{Backend, Reply};
use ameide_sre_proto::core::v1::sre_alert_query_service_server::SreAlertQueryService;
use ameide_sre_proto::core::v1::sre_health_query_service_server::SreHealthQueryService;
use ameide_sre_proto::core::v1::sre_incident_query_service_server::SreIncidentQueryService;
use ameide_sre_proto::core::v1::sre_postmortem_query_service_server::SrePostmortemQueryService;
use ameide_sre_proto::core::v1::sre_runbook_query_service_server::SreRunbookQueryService;
use ameide_sre_proto::core::v1::sre_service_query_service_server::SreServiceQueryService;
use ameide_sre_proto::core::v1::sre_slo_query_service_server::SreSloQueryService;
use ameide_sre_proto::core::v1::*;
use std::collections::BTreeMap;
use tonic::{Request, Response, Status};

impl Backend {
    /// Runs `f` on the caller's tenant data (empty for a tenant with none).
    fn read<T>(&self, caller: &Caller, f: impl FnOnce(&TenantData) -> T) -> T {
        let tenants = self.lock();
        let empty = TenantData::default();
        f(tenants.get(&caller.tenant_id).unwrap_or(&empty))
    }
}

/// The aggregate `id` of `map`: `INVALID_ARGUMENT` naming `field` when empty,
/// `NOT_FOUND` naming the aggregate when absent.
fn get<T: Clone>(
    map: &BTreeMap<String, T>,
    kind: &str,
    field: &str,
    id: &str,
) -> Result<T, Status> {
    if id.is_empty() {
        return Err(Status::invalid_argument(format!("{field}: is empty")));
    }
    map.get(id)
        .cloned()
        .ok_or_else(|| Status::not_found(format!("{kind} {} does not exist", echo(id))))
}

#[tonic::async_trait]
impl SreIncidentQueryService for Backend {
    async fn get_incident(&self, r: Request<GetIncidentRequest>) -> Reply<GetIncidentResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let id = &r.get_ref().incident_id;
        let incident = self.read(&caller, |t| {
            if id.is_empty() {
                return Err(Status::invalid_argument("incident_id: is empty"));
            }
            t.incidents
                .get(id)
                .map(|v| v.incident.clone())
                .ok_or_else(|| Status::not_found(format!("incident {} does not exist", echo(id))))
        })?;
        Ok(Response::new(GetIncidentResponse {
            incident: Some(incident),
        }))
    }

    async fn list_open_incidents(
        &self,
        r: Request<ListOpenIncidentsRequest>,
    ) -> Reply<ListOpenIncidentsResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let r = r.into_inner();
        let (incidents, next_page_token) = self.read(&caller, |t| {
            let open = t
                .incidents
                .iter()
                .filter(|(_, v)| v.incident.status() != IncidentStatus::Closed)
                .map(|(id, v)| (id, &v.incident));
            page(open, r.page_size, &r.page_token)
        })?;
        Ok(Response::new(ListOpenIncidentsResponse {
            incidents,
            next_page_token,
        }))
    }
}

#[tonic::async_trait]
impl SreAlertQueryService for Backend {
    async fn get_alert(&self, r: Request<GetAlertRequest>) -> Reply<GetAlertResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let alert = self.read(&caller, |t| {
            get(&t.alerts, "alert", "alert_id", &r.get_ref().alert_id)
        })?;
        Ok(Response::new(GetAlertResponse { alert: Some(alert) }))
    }

    async fn list_active_alerts(
        &self,
        r: Request<ListActiveAlertsRequest>,
    ) -> Reply<ListActiveAlertsResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let r = r.into_inner();
        let (alerts, next_page_token) = self.read(&caller, |t| {
            let firing = t
                .alerts
                .iter()
                .filter(|(_, a)| a.status() == AlertStatus::Firing);
            page(firing, r.page_size, &r.page_token)
        })?;
        Ok(Response::new(ListActiveAlertsResponse {
            alerts,
            next_page_token,
        }))
    }
}

#[tonic::async_trait]
impl SreRunbookQueryService for Backend {
    async fn get_runbook(&self, r: Request<GetRunbookRequest>) -> Reply<GetRunbookResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let runbook = self.read(&caller, |t| {
            get(
                &t.runbooks,
                "runbook",
                "runbook_id",
                &r.get_ref().runbook_id,
            )
        })?;
        Ok(Response::new(GetRunbookResponse {
            runbook: Some(runbook),
        }))
    }

    async fn list_runbooks(&self, r: Request<ListRunbooksRequest>) -> Reply<ListRunbooksResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let r = r.into_inner();
        let (runbooks, next_page_token) = self.read(&caller, |t| {
            page(t.runbooks.iter(), r.page_size, &r.page_token)
        })?;
        Ok(Response::new(ListRunbooksResponse {
            runbooks,
            next_page_token,
        }))
    }
}

#[tonic::async_trait]
impl SreSloQueryService for Backend {
    async fn get_slo(&self, r: Request<GetSloRequest>) -> Reply<GetSloResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let slo = self.read(&caller, |t| {
            get(&t.slos, "SLO", "slo_id", &r.get_ref().slo_id)
        })?;
        Ok(Response::new(GetSloResponse { slo: Some(slo) }))
    }

    async fn list_sl_os(&self, r: Request<ListSlOsRequest>) -> Reply<ListSlOsResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let r = r.into_inner();
        let (slos, next_page_token) =
            self.read(&caller, |t| page(t.slos.iter(), r.page_size, &r.page_token))?;
        Ok(Response::new(ListSlOsResponse {
            slos,
            next_page_token,
        }))
    }
}

#[tonic::async_trait]
impl SreHealthQueryService for Backend {
    /// The newest fleet state (by `timestamp`) of the environment and cluster asked
    /// for (an empty id matches any).
    async fn get_current_fleet_state(
        &self,
        r: Request<GetCurrentFleetStateRequest>,
    ) -> Reply<GetCurrentFleetStateResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let r = r.into_inner();
        let matches = |want: &str, have: &str| want.is_empty() || want == have;
        let state = self.read(&caller, |t| {
            t.fleet_states
                .values()
                .filter(|f| {
                    matches(&r.environment_id, &f.environment_id)
                        && matches(&r.cluster_id, &f.cluster_id)
                })
                .max_by_key(|f| f.timestamp.map(|ts| (ts.seconds, ts.nanos)))
                .cloned()
        });
        let state = state.ok_or_else(|| {
            Status::not_found(format!(
                "no fleet state for environment {}, cluster {}",
                echo(&r.environment_id),
                echo(&r.cluster_id)
            ))
        })?;
        Ok(Response::new(GetCurrentFleetStateResponse {
            fleet_state: Some(state),
        }))
    }
}

#[tonic::async_trait]
impl SreServiceQueryService for Backend {
    async fn get_service(&self, r: Request<GetServiceRequest>) -> Reply<GetServiceResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let service = self.read(&caller, |t| {
            get(
                &t.services,
                "service",
                "service_id",
                &r.get_ref().service_id,
            )
        })?;
        Ok(Response::new(GetServiceResponse {
            service: Some(service),
        }))
    }

    async fn list_services(&self, r: Request<ListServicesRequest>) -> Reply<ListServicesResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let r = r.into_inner();
        let (services, next_page_token) = self.read(&caller, |t| {
            page(t.services.iter(), r.page_size, &r.page_token)
        })?;
        Ok(Response::new(ListServicesResponse {
            services,
            next_page_token,
        }))
    }
}

#[tonic::async_trait]
impl SrePostmortemQueryService for Backend {
    async fn get_postmortem(
        &self,
        r: Request<GetPostmortemRequest>,
    ) -> Reply<GetPostmortemResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let postmortem = self.read(&caller, |t| {
            get(
                &t.postmortems,
                "postmortem",
                "postmortem_id",
                &r.get_ref().postmortem_id,
            )
        })?;
        Ok(Response::new(GetPostmortemResponse {
            postmortem: Some(postmortem),
        }))
    }

    async fn list_postmortems_by_incident(
        &self,
        r: Request<ListPostmortemsByIncidentRequest>,
    ) -> Reply<ListPostmortemsByIncidentResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let r = r.into_inner();
        if r.incident_id.is_empty() {
            return Err(Status::invalid_argument("incident_id: is empty"));
        }
        let (postmortems, next_page_token) = self.read(&caller, |t| {
            let of_incident = t
                .postmortems
                .iter()
                .filter(|(_, p)| p.incident_id == r.incident_id);
            page(of_incident, r.page_size, &r.page_token)
        })?;
        Ok(Response::new(ListPostmortemsByIncidentResponse {
            postmortems,
            next_page_token,
        }))
    }
}
