//! `IncidentService`: the command side. Every change is checked against the incident
//! state machine (`IncidentStatus::transition_to`), bumps the aggregate version, and
//! emits one `SreDomainFact` to the fact log before the rpc answers.

use crate::limits::{check_aggregate, echo};
use crate::store::Versioned;
use crate::tenant::Caller;
use crate::{Backend, Reply};
use ameide_sre_proto::core::v1::incident_service_server::IncidentService;
use ameide_sre_proto::core::v1::sre_domain_fact::Fact;
use ameide_sre_proto::core::v1::*;
use common_eventing::EnvelopeMetadata;
use common_eventing::traceparent::TraceParent;
use common_eventing::wkt::Timestamp;
use tonic::{Request, Response, Status};

impl Backend {
    /// Records the fact of a change of `incident` (already at its new version).
    fn emit(&self, caller: &Caller, incident: &Versioned, fact: Fact) -> Result<(), Status> {
        // The contract requires a correlation id and trace context on every fact: a
        // command without them starts a new flow and a new trace.
        let correlation = caller
            .correlation_id
            .clone()
            .unwrap_or_else(common_eventing::ids::uuid_v7);
        let builder = EnvelopeMetadata::builder(
            &caller.tenant_id,
            crate::PRODUCER,
            ameide_sre_proto::SCHEMA_VERSION,
        )
        .correlation_id(correlation)
        .trace(TraceParent::generate(), None);
        let meta = SreMessageMeta::build(builder, caller.actor.clone())
            .map_err(|e| Status::internal(format!("fact metadata: {e}")))?;
        let fact = SreDomainFact {
            meta: Some(meta),
            subject: Some(SreSubject {
                aggregate_type: "Incident".into(),
                aggregate_id: incident.incident.incident_id.clone(),
                aggregate_version: incident.version,
            }),
            fact: Some(fact),
        };
        self.facts()
            .append(&fact)
            .map_err(|e| Status::internal(format!("fact log: {e}")))
    }

    /// Applies `change` to the caller's incident `id` and emits the fact it returns
    /// (given the new version). `NOT_FOUND` when the caller's tenant has no such
    /// incident, whatever other tenants have.
    fn change(
        &self,
        caller: &Caller,
        id: &str,
        change: impl FnOnce(&mut Incident, i64) -> Result<Fact, Status>,
    ) -> Result<Incident, Status> {
        if id.is_empty() {
            return Err(Status::invalid_argument("incident_id: is empty"));
        }
        let mut tenants = self.lock();
        let stored = tenants
            .get_mut(&caller.tenant_id)
            .and_then(|t| t.incidents.get_mut(id))
            .ok_or_else(|| Status::not_found(format!("incident {} does not exist", echo(id))))?;
        let mut next = stored.clone();
        next.version += 1;
        let fact = change(&mut next.incident, next.version)?;
        next.incident.updated_at = Some(Timestamp::now());
        check_aggregate("incident", id, &next.incident)?;
        self.emit(caller, &next, fact)?;
        *stored = next;
        Ok(stored.incident.clone())
    }

    /// Moves the caller's incident `id` to `to`, refusing with `FAILED_PRECONDITION`
    /// (naming both states) what the state machine refuses.
    fn transition(
        &self,
        caller: &Caller,
        id: &str,
        to: IncidentStatus,
        fact: impl FnOnce(IncidentStatus, i64) -> Fact,
    ) -> Result<Incident, Status> {
        self.change(caller, id, |incident, version| {
            let from = incident.status();
            from.transition_to(to)
                .map_err(|e| Status::failed_precondition(e.to_string()))?;
            incident.set_status(to);
            Ok(fact(from, version))
        })
    }
}

#[tonic::async_trait]
impl IncidentService for Backend {
    async fn create_incident(
        &self,
        r: Request<CreateIncidentRequest>,
    ) -> Reply<CreateIncidentResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let mut incident = r
            .into_inner()
            .incident
            .ok_or_else(|| Status::invalid_argument("incident: is required"))?;
        if incident.title.trim().is_empty() {
            return Err(Status::invalid_argument("incident.title: is empty"));
        }
        match incident.status() {
            IncidentStatus::Unspecified | IncidentStatus::Open => {}
            other => {
                return Err(Status::invalid_argument(format!(
                    "incident.status: a new incident is {}, not {}",
                    IncidentStatus::Open.as_str_name(),
                    other.as_str_name()
                )));
            }
        }
        if incident.incident_id.is_empty() {
            incident.incident_id = format!("inc-{}", common_eventing::ids::uuid_v7());
        }
        incident.set_status(IncidentStatus::Open);
        let now = Timestamp::now();
        incident.created_at = Some(now);
        incident.updated_at = Some(now);
        let mut tenants = self.lock();
        let incidents = &mut tenants
            .entry(caller.tenant_id.clone())
            .or_default()
            .incidents;
        if incidents.contains_key(&incident.incident_id) {
            return Err(Status::already_exists(format!(
                "incident.incident_id: {} exists",
                echo(&incident.incident_id)
            )));
        }
        check_aggregate("incident", &incident.incident_id, &incident)?;
        let stored = Versioned {
            incident,
            version: 1,
        };
        self.emit(
            &caller,
            &stored,
            Fact::IncidentCreated(IncidentCreated {
                incident: Some(stored.incident.clone()),
                aggregate_version: 1,
            }),
        )?;
        let incident = stored.incident.clone();
        incidents.insert(incident.incident_id.clone(), stored);
        Ok(Response::new(CreateIncidentResponse {
            incident: Some(incident),
        }))
    }

    async fn reclassify_incident_severity(
        &self,
        r: Request<ReclassifyIncidentSeverityRequest>,
    ) -> Reply<ReclassifyIncidentSeverityResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let r = r.into_inner();
        let severity = r.severity();
        if severity == Severity::Unspecified {
            return Err(Status::invalid_argument("severity: is unspecified"));
        }
        let incident = self.change(&caller, &r.incident_id, |i, version| {
            let previous = i.severity();
            i.set_severity(severity);
            Ok(Fact::IncidentSeverityChanged(IncidentSeverityChanged {
                incident_id: i.incident_id.clone(),
                previous_severity: previous as i32,
                severity: severity as i32,
                reason: r.reason,
                aggregate_version: version,
            }))
        })?;
        Ok(Response::new(ReclassifyIncidentSeverityResponse {
            incident: Some(incident),
        }))
    }

    async fn assign_incident(
        &self,
        r: Request<AssignIncidentRequest>,
    ) -> Reply<AssignIncidentResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let r = r.into_inner();
        let assignee = r
            .assignee
            .filter(|a| !a.id.is_empty())
            .ok_or_else(|| Status::invalid_argument("assignee.id: is empty"))?;
        let incident = self.change(&caller, &r.incident_id, |i, version| {
            let previous = i.assigned_to.replace(assignee.clone());
            Ok(Fact::IncidentAssigned(IncidentAssigned {
                incident_id: i.incident_id.clone(),
                previous_assignee: previous,
                assignee: Some(assignee),
                aggregate_version: version,
            }))
        })?;
        Ok(Response::new(AssignIncidentResponse {
            incident: Some(incident),
        }))
    }

    async fn add_incident_timeline_entry(
        &self,
        r: Request<AddIncidentTimelineEntryRequest>,
    ) -> Reply<AddIncidentTimelineEntryResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let r = r.into_inner();
        let mut entry = r
            .entry
            .filter(|e| !e.text.is_empty())
            .ok_or_else(|| Status::invalid_argument("entry.text: is empty"))?;
        entry.at.get_or_insert_with(Timestamp::now);
        if entry.author.is_none() {
            entry.author = Some(caller.actor.clone());
        }
        let incident = self.change(&caller, &r.incident_id, |i, version| {
            i.timeline.push(entry.clone());
            Ok(Fact::IncidentTimelineEntryAdded(
                IncidentTimelineEntryAdded {
                    incident_id: i.incident_id.clone(),
                    entry: Some(entry),
                    aggregate_version: version,
                },
            ))
        })?;
        Ok(Response::new(AddIncidentTimelineEntryResponse {
            incident: Some(incident),
        }))
    }

    async fn acknowledge_incident(
        &self,
        r: Request<AcknowledgeIncidentRequest>,
    ) -> Reply<AcknowledgeIncidentResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let r = r.into_inner();
        let by = caller.actor.clone();
        let incident = self.transition(
            &caller,
            &r.incident_id,
            IncidentStatus::Acknowledged,
            |from, version| {
                Fact::IncidentAcknowledged(IncidentAcknowledged {
                    incident_id: r.incident_id.clone(),
                    previous_status: from as i32,
                    acknowledged_by: Some(by),
                    acknowledged_at: Some(Timestamp::now()),
                    note: r.note.clone(),
                    aggregate_version: version,
                })
            },
        )?;
        Ok(Response::new(AcknowledgeIncidentResponse {
            incident: Some(incident),
        }))
    }

    async fn transition_incident_status(
        &self,
        r: Request<TransitionIncidentStatusRequest>,
    ) -> Reply<TransitionIncidentStatusResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let r = r.into_inner();
        let to = r.status();
        let incident = self.transition(&caller, &r.incident_id, to, |from, version| {
            Fact::IncidentStatusChanged(IncidentStatusChanged {
                incident_id: r.incident_id.clone(),
                previous_status: from as i32,
                status: to as i32,
                reason: r.reason.clone(),
                aggregate_version: version,
            })
        })?;
        Ok(Response::new(TransitionIncidentStatusResponse {
            incident: Some(incident),
        }))
    }

    async fn resolve_incident(
        &self,
        r: Request<ResolveIncidentRequest>,
    ) -> Reply<ResolveIncidentResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let r = r.into_inner();
        let incident = self.transition(
            &caller,
            &r.incident_id,
            IncidentStatus::Resolved,
            |from, version| {
                Fact::IncidentResolved(IncidentResolved {
                    incident_id: r.incident_id.clone(),
                    previous_status: from as i32,
                    resolution: r.resolution.clone(),
                    resolved_at: Some(Timestamp::now()),
                    aggregate_version: version,
                })
            },
        )?;
        Ok(Response::new(ResolveIncidentResponse {
            incident: Some(incident),
        }))
    }

    async fn close_incident(
        &self,
        r: Request<CloseIncidentRequest>,
    ) -> Reply<CloseIncidentResponse> {
        let caller = Caller::of(&r, &r.get_ref().tenant_id)?;
        let r = r.into_inner();
        let incident = self.transition(
            &caller,
            &r.incident_id,
            IncidentStatus::Closed,
            |from, version| {
                Fact::IncidentClosed(IncidentClosed {
                    incident_id: r.incident_id.clone(),
                    previous_status: from as i32,
                    reason: r.reason.clone(),
                    closed_at: Some(Timestamp::now()),
                    aggregate_version: version,
                })
            },
        )?;
        Ok(Response::new(CloseIncidentResponse {
            incident: Some(incident),
        }))
    }
}
