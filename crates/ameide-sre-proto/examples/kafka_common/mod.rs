//! What the Kafka examples share: their arguments, the sample incident story, and the
//! broker they use when given none.

use std::time::Duration;

use ameide_sre_proto::SCHEMA_VERSION;
use ameide_sre_proto::core::v1::{
    Actor, ActorKind, CreateIncidentRequested, Incident, IncidentCreated, IncidentResolved,
    Severity, SreDomainFact, SreDomainIntent, SreMessageMeta, SreSubject,
};
use ameide_sre_proto::process::v1::{
    IncidentTriagePhase, IncidentTriageStarted, SreProcessFact, SreProcessSubject,
};
use common_eventing::EnvelopeMetadata;
use common_eventing::kafka::{MockBroker, Producer};
use common_eventing::traceparent::TraceParent;

/// The schema id the examples frame with (a registry would give one per schema).
pub const SCHEMA_ID: u32 = 1;

/// The examples' command line.
pub struct Args {
    /// `--bootstrap-servers host:port,...`: a running cluster; none means in-process.
    pub bootstrap_servers: Option<String>,
    /// `--incidents N`: how many incident stories (4 events each).
    pub incidents: usize,
    /// `--group G`: the consumer group.
    pub group: String,
    /// `--idle-secs S`: the consumer stops after S seconds without a record.
    pub idle: Duration,
}

impl Args {
    /// Parses `std::env::args`, exiting with the usage on anything else.
    pub fn parse(usage: &str) -> Self {
        let mut args = Self {
            bootstrap_servers: None,
            incidents: 2,
            group: "kafka-example".into(),
            idle: Duration::from_secs(5),
        };
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            let mut value = || {
                it.next().unwrap_or_else(|| {
                    eprintln!("{arg} needs a value\n{usage}");
                    std::process::exit(2)
                })
            };
            match arg.as_str() {
                "--bootstrap-servers" => args.bootstrap_servers = Some(value()),
                "--incidents" => args.incidents = value().parse().unwrap_or(args.incidents),
                "--group" => args.group = value(),
                "--idle-secs" => args.idle = Duration::from_secs(value().parse().unwrap_or(5)),
                _ => {
                    eprintln!("{usage}");
                    std::process::exit(2)
                }
            }
        }
        args
    }

    /// The cluster to use: the one given, or a mock cluster started here (returned,
    /// to keep it alive).
    pub fn cluster(&self) -> (String, Option<MockBroker>) {
        match &self.bootstrap_servers {
            Some(servers) => (servers.clone(), None),
            None => {
                let broker = MockBroker::start(1).expect("librdkafka's mock cluster starts");
                let servers = broker.bootstrap_servers();
                println!("no --bootstrap-servers: in-process mock cluster at {servers}");
                (servers, Some(broker))
            }
        }
    }
}

/// One incident's events: the intent to create it, the fact that it was, triage
/// starting, and the fact that it was resolved.
pub struct Story {
    /// `sre.domain.intents.v1`.
    pub intent: SreDomainIntent,
    /// `sre.domain.facts.v1`, created then resolved.
    pub facts: [SreDomainFact; 2],
    /// `sre.process.facts.v1`.
    pub triage: SreProcessFact,
}

fn meta(causation: Option<&str>) -> SreMessageMeta {
    let mut builder = EnvelopeMetadata::builder("acme", "urn:ameide:kafka-example", SCHEMA_VERSION)
        .correlation_id("story")
        .trace(TraceParent::generate(), None);
    if let Some(id) = causation {
        builder = builder.causation_id(id);
    }
    let actor = Actor {
        kind: ActorKind::Agent as i32,
        id: "triage-bot".into(),
    };
    // Built and checked against the contract's rules (the generated `Validate`).
    SreMessageMeta::build(builder, actor).expect("metadata that keeps the contract")
}

/// The story of incident `inc-{n}`.
pub fn story(n: usize) -> Story {
    let id = format!("inc-{n}");
    let subject = |version| SreSubject {
        aggregate_type: "Incident".into(),
        aggregate_id: id.clone(),
        aggregate_version: version,
    };
    let incident = Incident {
        incident_id: id.clone(),
        title: "checkout latency above SLO".into(),
        severity: Severity::High as i32,
        ..Default::default()
    };
    let intent = SreDomainIntent::new(
        meta(None),
        subject(0),
        CreateIncidentRequested {
            incident: Some(incident.clone()),
        },
    );
    let cause = intent.meta.as_ref().map(|m| m.message_id.clone());
    let created = SreDomainFact::new(
        meta(cause.as_deref()),
        subject(1),
        IncidentCreated {
            incident: Some(incident),
            aggregate_version: 1,
        },
    );
    let triage = SreProcessFact::new(
        meta(cause.as_deref()),
        SreProcessSubject {
            workflow_type: "triage".into(),
            workflow_id: format!("triage-{n}"),
            incident_id: id.clone(),
        },
        IncidentTriageStarted {
            incident_id: id.clone(),
            phase: IncidentTriagePhase::PatternLookup as i32,
            aggregate_version: 1,
            ..Default::default()
        },
    );
    let resolved = SreDomainFact::new(
        meta(cause.as_deref()),
        subject(2),
        IncidentResolved {
            incident_id: id.clone(),
            resolution: "rolled back the release".into(),
            aggregate_version: 2,
            ..Default::default()
        },
    );
    Story {
        intent,
        facts: [created, resolved],
        triage,
    }
}

/// Publishes `incidents` stories, printing each delivery; returns how many events.
pub async fn publish(producer: &Producer, incidents: usize) -> usize {
    let mut sent = 0;
    for n in 1..=incidents {
        let story = story(n);
        let intent = producer.send(&story.intent, SCHEMA_ID).await;
        report("intent", &story.intent.partition_key(), intent);
        for fact in &story.facts {
            report(
                "fact",
                &fact.partition_key(),
                producer.send(fact, SCHEMA_ID).await,
            );
        }
        let triage = producer.send(&story.triage, SCHEMA_ID).await;
        report("process fact", &story.triage.partition_key(), triage);
        sent += 4;
    }
    sent
}

use common_eventing::Eventing as _;

fn report(
    what: &str,
    key: &str,
    delivery: Result<common_eventing::kafka::Delivery, common_eventing::kafka::ProduceError>,
) {
    match delivery {
        Ok(d) => println!(
            "sent {what:<12} key {key:<14} partition {} offset {}",
            d.partition, d.offset
        ),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1)
        }
    }
}
