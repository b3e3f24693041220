//! The Rust ecosystem's registry client, `schema_registry_converter` 6, registers what
//! `ProtoSchema::supplied_schema()` gives and decodes what `framing::encode_message`
//! frames, against a local HTTP stub whose only job is the registry's side (store what
//! is posted, serve it back by id and by subject/version).

use ameide_sre_proto::core::v1::{
    Actor, ActorKind, IncidentCreated, SreDomainFact, SreMessageMeta, SreSubject,
};
use aumos_proto::agf::v1::PrivilegeLevel;
use aumos_proto::events::v1::AgentEnvelope;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use common_eventing::registry::{ProtoSchema, topic_name_strategy};
use common_eventing::wkt::{Struct, Timestamp, Value as StructValue};
use common_eventing::{EventVisitor, Eventing, JsonMessage, framing};
use schema_registry_converter::async_impl::proto_decoder::ProtoDecoder;
use schema_registry_converter::async_impl::schema_registry::{SrSettings, post_schema};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

/// One registered schema version.
#[derive(Clone, Debug)]
struct Stored {
    subject: String,
    version: u32,
    id: u32,
    schema: String,
    references: Value,
}

#[derive(Default)]
struct Registry {
    versions: Vec<Stored>,
    posts: Vec<(String, Value)>,
}

type Shared = Arc<Mutex<Registry>>;

/// A JSON response (axum's `Json` needs a feature the workspace does not turn on).
type Reply = ([(axum::http::header::HeaderName, &'static str); 1], String);

fn reply(value: Value) -> Reply {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/vnd.schemaregistry.v1+json",
        )],
        value.to_string(),
    )
}

fn body(raw: &str) -> (String, Value) {
    let body: Value = serde_json::from_str(raw).expect("a JSON body");
    assert_eq!(body["schemaType"], "PROTOBUF", "{body}");
    let schema = body["schema"].as_str().unwrap().to_owned();
    let references = body.get("references").cloned().unwrap_or(json!([]));
    (schema, references)
}

fn response(s: &Stored) -> Value {
    json!({"subject": s.subject, "version": s.version, "id": s.id, "schema": s.schema,
           "schemaType": "PROTOBUF", "references": s.references})
}

async fn register(
    State(registry): State<Shared>,
    Path(subject): Path<String>,
    raw: String,
) -> Reply {
    let (schema, references) = body(&raw);
    let mut registry = registry.lock().unwrap();
    registry.posts.push((
        subject.clone(),
        json!({"schema": schema, "references": references}),
    ));
    if let Some(s) = registry
        .versions
        .iter()
        .find(|s| s.subject == subject && s.schema == schema && s.references == references)
    {
        return reply(json!({"id": s.id}));
    }
    let id = registry
        .versions
        .iter()
        .find(|s| s.schema == schema && s.references == references)
        .map_or(registry.versions.len() as u32 + 1, |s| s.id);
    let version = registry
        .versions
        .iter()
        .filter(|s| s.subject == subject)
        .count() as u32
        + 1;
    registry.versions.push(Stored {
        subject,
        version,
        id,
        schema,
        references,
    });
    reply(json!({"id": id}))
}

async fn lookup(State(registry): State<Shared>, Path(subject): Path<String>, raw: String) -> Reply {
    let (schema, references) = body(&raw);
    let registry = registry.lock().unwrap();
    let s = registry
        .versions
        .iter()
        .find(|s| s.subject == subject && s.schema == schema && s.references == references)
        .unwrap_or_else(|| panic!("lookup of an unregistered schema under {subject}"));
    reply(response(s))
}

async fn by_id(State(registry): State<Shared>, Path(id): Path<u32>) -> Reply {
    let registry = registry.lock().unwrap();
    let s = registry
        .versions
        .iter()
        .find(|s| s.id == id)
        .expect("a known id");
    reply(json!({"schema": s.schema, "schemaType": "PROTOBUF", "references": s.references}))
}

async fn by_version(
    State(registry): State<Shared>,
    Path((subject, version)): Path<(String, u32)>,
) -> Reply {
    let registry = registry.lock().unwrap();
    let s = registry
        .versions
        .iter()
        .find(|s| s.subject == subject && s.version == version)
        .unwrap_or_else(|| panic!("no version {version} of {subject}"));
    reply(response(s))
}

async fn stub() -> (String, Shared) {
    let registry = Shared::default();
    let app = Router::new()
        .route("/subjects/{subject}/versions", post(register))
        .route("/subjects/{subject}/versions/{version}", get(by_version))
        .route("/subjects/{subject}", post(lookup))
        .route("/schemas/ids/{id}", get(by_id))
        .with_state(registry.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, registry)
}

/// Registers `M` with `post_schema`, frames `message`, and decodes it with
/// `ProtoDecoder`; the decoded message is `message` again, by the type Rust says.
async fn round_trip<M: ProtoSchema + JsonMessage>(
    settings: &SrSettings,
    decoder: &ProtoDecoder,
    registry: &Shared,
    subject: String,
    message: &M,
) {
    let registered = post_schema(settings, subject.clone(), M::supplied_schema())
        .await
        .unwrap_or_else(|e| panic!("{}: post_schema: {e}", M::FULL_NAME));
    // What the client posted for the record's subject: the root text, and exactly the
    // root's direct references, by import path, subject and the version the stub gave.
    let registration = M::registration();
    let posted = {
        let registry = registry.lock().unwrap();
        registry
            .posts
            .iter()
            .rev()
            .find(|(s, _)| *s == subject)
            .cloned()
            .unwrap()
            .1
    };
    assert_eq!(posted["schema"], registration.schema, "{}", M::FULL_NAME);
    let names: Vec<&str> = posted["references"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["name"], r["subject"], "{r}");
            assert!(r["version"].as_u64().unwrap() >= 1, "{r}");
            r["name"].as_str().unwrap()
        })
        .collect();
    let direct: Vec<&str> = registration.direct_references().map(|r| r.name).collect();
    assert_eq!(names, direct, "{}: references posted", M::FULL_NAME);

    let value = framing::encode_message(registered.id, message);
    let decoded = decoder
        .decode_with_context(Some(&value))
        .await
        .unwrap_or_else(|e| panic!("{}: schema_registry_converter decode: {e}", M::FULL_NAME))
        .expect("a value");
    assert_eq!(
        decoded.full_name,
        M::FULL_NAME,
        "message resolved from the indexes"
    );
    let back: M = decoded
        .value
        .transcode_to()
        .unwrap_or_else(|e| panic!("{}: transcode: {e}", M::FULL_NAME));
    assert!(
        back == *message,
        "{}: decoded to another message",
        M::FULL_NAME
    );
}

struct Events(Vec<&'static str>);

impl EventVisitor for Events {
    fn visit<M: Eventing + JsonMessage + ProtoSchema>(&mut self) {
        self.0.push(M::FULL_NAME);
    }
}

fn fact() -> SreDomainFact {
    let meta = SreMessageMeta {
        message_id: "019566a0-0000-7000-8000-000000000001".into(),
        tenant_id: "acme".into(),
        correlation_id: "req-1".into(),
        occurred_at: Some(Timestamp {
            seconds: 1_700_000_000,
            nanos: 5,
        }),
        actor: Some(Actor {
            kind: ActorKind::Human as i32,
            id: "alice".into(),
        }),
        ..Default::default()
    };
    let subject = SreSubject {
        aggregate_type: "Incident".into(),
        aggregate_id: "inc-42".into(),
        aggregate_version: 3,
    };
    SreDomainFact::new(meta, subject, created())
}

fn created() -> IncidentCreated {
    IncidentCreated {
        aggregate_version: 3,
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schema_registry_converter_registers_and_decodes_what_rust_frames() {
    let (url, registry) = stub().await;
    let settings = SrSettings::new(url.clone());
    let decoder = ProtoDecoder::new(SrSettings::new(url));

    round_trip(
        &settings,
        &decoder,
        &registry,
        SreDomainFact::SCHEMA_SUBJECT.into(),
        &fact(),
    )
    .await;
    round_trip(
        &settings,
        &decoder,
        &registry,
        topic_name_strategy("sre.incidents", false),
        &created(),
    )
    .await;
    let mut envelope = AgentEnvelope::new(
        "tenant-42",
        "planner",
        "executor",
        "task.delegate",
        PrivilegeLevel::ExecuteSafe,
    );
    envelope.payload = Some(Struct::from_iter([(
        "task",
        StructValue::from("summarize"),
    )]));
    round_trip(
        &settings,
        &decoder,
        &registry,
        AgentEnvelope::SCHEMA_SUBJECT.into(),
        &envelope,
    )
    .await;

    // Every event type resolves to itself from the indexes Rust writes.
    let mut events = Events(Vec::new());
    aumos_proto::events::v1::visit_events(&mut events);
    aumos_proto::agf::v1::visit_events(&mut events);
    ameide_sre_proto::core::v1::visit_events(&mut events);
    ameide_sre_proto::process::v1::visit_events(&mut events);
    assert_eq!(events.0.len(), 28);
    macro_rules! each_event {
        ($($t:ty),* $(,)?) => {{
            let mut done = Vec::new();
            $(
                round_trip(&settings, &decoder, &registry, <$t as Eventing>::SCHEMA_SUBJECT.into(), &<$t>::default()).await;
                done.push(<$t as ProtoSchema>::FULL_NAME);
            )*
            done
        }};
    }
    use aumos_proto::agf::v1 as agf;
    use aumos_proto::events::v1 as ev;
    let mut done = each_event!(
        agf::AgentInvoked,
        agf::CircuitBreakerClosed,
        agf::CircuitBreakerOpened,
        agf::HitlApprovalRequested,
        agf::HitlApproved,
        agf::HitlRejected,
        agf::WorkflowCompleted,
        agf::WorkflowFailed,
        agf::WorkflowPausedHitl,
        agf::WorkflowStarted,
        ev::AgentEnvelope,
        ev::AuditEvent,
        ev::FeatureFlagChangeEvent,
        ev::FeatureFlagEvaluationEvent,
        ev::GovernanceDecisionEvent,
        ev::LockAcquiredEvent,
        ev::LockContentionEvent,
        ev::LockReleasedEvent,
        ev::MeteringEvent,
        ev::UsageMetricsEvent,
        ev::ModelLifecycleEvent,
        ev::BulkheadEvent,
        ev::CircuitBreakerEvent,
        ev::RateLimitEvent,
        ev::SecurityAlertEvent,
        SreDomainFact,
        ameide_sre_proto::core::v1::SreDomainIntent,
        ameide_sre_proto::process::v1::SreProcessFact,
    );
    done.sort_unstable();
    events.0.sort_unstable();
    assert_eq!(
        done, events.0,
        "every event type of the catalog, none twice"
    );
}

/// `kafka::SchemaIds` registers an event type once, its id frames the records a
/// `kafka::Producer` sends through a Kafka-protocol broker (librdkafka's mock
/// cluster), and `schema_registry_converter`'s own decoder reads them back by that id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schema_ids_register_once_and_frame_what_the_producer_sends() {
    use common_eventing::kafka::rdkafka::consumer::{Consumer as _, StreamConsumer};
    use common_eventing::kafka::rdkafka::message::Message as _;
    use common_eventing::kafka::{MockBroker, Producer, SchemaIds};

    let (url, registry) = stub().await;
    let settings = SrSettings::new(url.clone());
    let ids = SchemaIds::new(settings.clone());
    let id = ids.id_of::<SreDomainFact>().await.unwrap();
    assert_eq!(ids.id_of::<SreDomainFact>().await.unwrap(), id, "cached");
    let posts = |registry: &Shared| {
        let registry = registry.lock().unwrap();
        registry
            .posts
            .iter()
            .filter(|(s, _)| s == SreDomainFact::SCHEMA_SUBJECT)
            .count()
    };
    assert_eq!(posts(&registry), 1, "registered once");
    let other = ids.id_of::<AgentEnvelope>().await.unwrap();
    assert_ne!(other, id, "another file, another id");

    let broker = MockBroker::start(1).unwrap();
    let producer = Producer::new(&broker.bootstrap_servers())
        .unwrap()
        .with_record_options(interop_tests::kafka_peer::unchecked());
    let fact = SreDomainFact::new(
        SreMessageMeta {
            tenant_id: "acme".into(),
            message_id: "m-1".into(),
            ..Default::default()
        },
        SreSubject {
            aggregate_id: "inc-7".into(),
            ..Default::default()
        },
        IncidentCreated {
            aggregate_version: 1,
            ..Default::default()
        },
    );
    producer.send(&fact, id).await.unwrap();

    let consumer: StreamConsumer = common_eventing::kafka::rdkafka::ClientConfig::new()
        .set("bootstrap.servers", broker.bootstrap_servers())
        .set("group.id", "registry-reader")
        .set("auto.offset.reset", "earliest")
        .create()
        .unwrap();
    consumer.subscribe(&[SreDomainFact::STREAM_REF]).unwrap();
    let message = tokio::time::timeout(std::time::Duration::from_secs(60), consumer.recv())
        .await
        .expect("the record within a minute")
        .unwrap();
    let value = message.payload().unwrap();
    assert_eq!(framing::decode(value).unwrap().schema_id, id);
    let decoded = ProtoDecoder::new(settings)
        .decode_with_context(Some(value))
        .await
        .unwrap()
        .expect("a value");
    assert_eq!(decoded.full_name, SreDomainFact::FULL_NAME);
}
