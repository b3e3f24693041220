//! The reference backend over real HTTP/2: every `IncidentService` rpc and the
//! incident queries through the generated tonic clients, the state machine, the fact
//! of every change in the Confluent-framed log (file and memory alike), and tenant
//! isolation through the `x-tenant-id` metadata.

use ameide_sre_proto::core::v1::incident_service_client::IncidentServiceClient;
use ameide_sre_proto::core::v1::sre_domain_fact::Fact;
use ameide_sre_proto::core::v1::sre_incident_query_service_client::SreIncidentQueryServiceClient;
use ameide_sre_proto::core::v1::*;
use common_eventing::framing;
use sre_backend::Backend;
use sre_backend::facts::{FactLog, read_log};
use tonic::transport::Channel;
use tonic::{Code, Request};

/// A request that names its tenant (the contract requires it on every request).
trait Tenanted {
    fn tenant_id(&mut self) -> &mut String;
}

macro_rules! tenanted {
    ($($request:ty),* $(,)?) => {
        $(impl Tenanted for $request {
            fn tenant_id(&mut self) -> &mut String {
                &mut self.tenant_id
            }
        })*
    };
}

tenanted!(
    CreateIncidentRequest,
    ReclassifyIncidentSeverityRequest,
    AssignIncidentRequest,
    AddIncidentTimelineEntryRequest,
    AcknowledgeIncidentRequest,
    TransitionIncidentStatusRequest,
    ResolveIncidentRequest,
    CloseIncidentRequest,
    GetIncidentRequest,
    ListOpenIncidentsRequest,
);

/// `message` from `tenant` (`x-tenant-id`), its `tenant_id` filled when left empty.
fn as_tenant<T: Tenanted>(tenant: &str, mut message: T) -> Request<T> {
    if message.tenant_id().is_empty() {
        *message.tenant_id() = tenant.into();
    }
    let mut request = Request::new(message);
    request
        .metadata_mut()
        .insert("x-tenant-id", tenant.parse().unwrap());
    request
        .metadata_mut()
        .insert("x-actor-id", "alice".parse().unwrap());
    request
}

async fn start(log: &std::path::Path) -> (Backend, Channel) {
    let backend = Backend::new(Default::default(), FactLog::to_file(7, log).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(backend.clone().serve(listener, std::future::pending()));
    (
        backend,
        Channel::from_shared(url).unwrap().connect().await.unwrap(),
    )
}

#[tokio::test]
async fn every_incident_rpc_the_state_machine_and_the_facts() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("facts.log");
    let (backend, channel) = start(&log).await;
    let mut commands = IncidentServiceClient::new(channel.clone());
    let mut queries = SreIncidentQueryServiceClient::new(channel);
    let t = "acme";

    let created = commands
        .create_incident(as_tenant(
            t,
            CreateIncidentRequest {
                tenant_id: String::new(),
                incident: Some(Incident {
                    title: "API 5xx".into(),
                    severity: Severity::High as i32,
                    ..Default::default()
                }),
            },
        ))
        .await
        .unwrap()
        .into_inner()
        .incident
        .unwrap();
    assert_eq!(created.status(), IncidentStatus::Open);
    let id = created.incident_id.clone();
    assert!(id.starts_with("inc-"), "{id}");

    let r = commands
        .reclassify_incident_severity(as_tenant(
            t,
            ReclassifyIncidentSeverityRequest {
                incident_id: id.clone(),
                severity: Severity::Critical as i32,
                reason: "customer impact".into(),
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.incident.unwrap().severity(), Severity::Critical);

    let bob = Actor {
        kind: ActorKind::Human as i32,
        id: "bob".into(),
    };
    let r = commands
        .assign_incident(as_tenant(
            t,
            AssignIncidentRequest {
                incident_id: id.clone(),
                assignee: Some(bob.clone()),
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.incident.unwrap().assigned_to, Some(bob));

    let r = commands
        .add_incident_timeline_entry(as_tenant(
            t,
            AddIncidentTimelineEntryRequest {
                incident_id: id.clone(),
                entry: Some(IncidentTimelineEntry {
                    text: "rolled back".into(),
                    ..Default::default()
                }),
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner();
    let timeline = r.incident.unwrap().timeline;
    assert_eq!(timeline.len(), 1);
    assert_eq!(timeline[0].author.as_ref().unwrap().id, "alice"); // from x-actor-id
    assert!(timeline[0].at.is_some());

    // Closing an open incident skips steps: refused, both states named.
    let refused = commands
        .close_incident(as_tenant(
            t,
            CloseIncidentRequest {
                incident_id: id.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    assert_eq!(
        refused.message(),
        "Incident cannot go from INCIDENT_STATUS_OPEN to INCIDENT_STATUS_CLOSED"
    );

    for step in [
        IncidentStatus::Acknowledged,
        IncidentStatus::Investigating,
        IncidentStatus::Mitigating,
    ] {
        let r = if step == IncidentStatus::Acknowledged {
            commands
                .acknowledge_incident(as_tenant(
                    t,
                    AcknowledgeIncidentRequest {
                        incident_id: id.clone(),
                        ..Default::default()
                    },
                ))
                .await
                .unwrap()
                .into_inner()
                .incident
        } else {
            commands
                .transition_incident_status(as_tenant(
                    t,
                    TransitionIncidentStatusRequest {
                        incident_id: id.clone(),
                        status: step as i32,
                        ..Default::default()
                    },
                ))
                .await
                .unwrap()
                .into_inner()
                .incident
        };
        assert_eq!(r.unwrap().status(), step);
    }
    let r = commands
        .resolve_incident(as_tenant(
            t,
            ResolveIncidentRequest {
                incident_id: id.clone(),
                resolution: "fixed".into(),
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.incident.unwrap().status(), IncidentStatus::Resolved);
    let open = queries
        .list_open_incidents(as_tenant(t, ListOpenIncidentsRequest::default()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(open.incidents.len(), 1);
    commands
        .close_incident(as_tenant(
            t,
            CloseIncidentRequest {
                incident_id: id.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap();
    let got = queries
        .get_incident(as_tenant(
            t,
            GetIncidentRequest {
                incident_id: id.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner()
        .incident
        .unwrap();
    assert_eq!(
        (got.status(), got.severity()),
        (IncidentStatus::Closed, Severity::Critical)
    );
    let open = queries
        .list_open_incidents(as_tenant(t, ListOpenIncidentsRequest::default()))
        .await
        .unwrap()
        .into_inner();
    assert!(open.incidents.is_empty());

    // One fact per change, versions 1..=9, in the file exactly as in memory.
    let facts = backend.facts().facts();
    let kinds: Vec<&str> = facts
        .iter()
        .map(|f| match f.fact.as_ref().unwrap() {
            Fact::IncidentCreated(_) => "created",
            Fact::IncidentSeverityChanged(_) => "severity",
            Fact::IncidentAssigned(_) => "assigned",
            Fact::IncidentTimelineEntryAdded(_) => "timeline",
            Fact::IncidentAcknowledged(_) => "acknowledged",
            Fact::IncidentStatusChanged(_) => "status",
            Fact::IncidentResolved(_) => "resolved",
            Fact::IncidentClosed(_) => "closed",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "created",
            "severity",
            "assigned",
            "timeline",
            "acknowledged",
            "status",
            "status",
            "resolved",
            "closed"
        ]
    );
    let versions: Vec<i64> = facts
        .iter()
        .map(|f| f.subject.as_ref().unwrap().aggregate_version)
        .collect();
    assert_eq!(versions, (1..=9).collect::<Vec<_>>());
    assert!(
        facts
            .iter()
            .all(|f| f.meta.as_ref().unwrap().tenant_id == t)
    );
    let file = std::fs::read(&log).unwrap();
    let records = read_log(&file).unwrap();
    assert_eq!(records, backend.facts().framed());
    let first = framing::decode_message::<SreDomainFact>(records[0]).unwrap();
    assert_eq!(first.schema_id, 7);
}

#[tokio::test]
async fn a_tenant_sees_and_changes_only_its_own_incidents() {
    let dir = tempfile::tempdir().unwrap();
    let (backend, channel) = start(&dir.path().join("facts.log")).await;
    let mut commands = IncidentServiceClient::new(channel.clone());
    let mut queries = SreIncidentQueryServiceClient::new(channel);
    let id = commands
        .create_incident(as_tenant(
            "acme",
            CreateIncidentRequest {
                incident: Some(Incident {
                    title: "x".into(),
                    severity: Severity::Low as i32,
                    ..Default::default()
                }),
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner()
        .incident
        .unwrap()
        .incident_id;
    let get = |tenant: &str, request_tenant: &str| {
        as_tenant(
            tenant,
            GetIncidentRequest {
                tenant_id: request_tenant.into(),
                incident_id: id.clone(),
            },
        )
    };
    assert!(queries.get_incident(get("acme", "acme")).await.is_ok());
    assert_eq!(
        queries
            .get_incident(get("globex", "globex"))
            .await
            .unwrap_err()
            .code(),
        Code::NotFound
    );
    // A request without its tenant breaks the contract.
    let unnamed = Request::new(GetIncidentRequest {
        tenant_id: String::new(),
        incident_id: id.clone(),
    });
    let mut unnamed = unnamed;
    unnamed
        .metadata_mut()
        .insert("x-tenant-id", "acme".parse().unwrap());
    let status = queries.get_incident(unnamed).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert!(status.message().contains("tenant_id"), "{status:?}");
    let named = queries
        .get_incident(get("globex", "acme"))
        .await
        .unwrap_err();
    assert_eq!(named.code(), Code::PermissionDenied, "{named:?}");
    let ack = commands
        .acknowledge_incident(as_tenant(
            "globex",
            AcknowledgeIncidentRequest {
                incident_id: id.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(ack.code(), Code::NotFound);
    let listed = queries
        .list_open_incidents(as_tenant("globex", ListOpenIncidentsRequest::default()))
        .await
        .unwrap()
        .into_inner();
    assert!(listed.incidents.is_empty());
    // No tenant in the metadata: refused.
    let anonymous = queries
        .get_incident(GetIncidentRequest {
            tenant_id: "acme".into(),
            incident_id: id.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(anonymous.code(), Code::Unauthenticated);
    assert_eq!(backend.facts().facts().len(), 1, "only the create");
}
