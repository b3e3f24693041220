//! The SRE contract's rules, enforced wherever the contract is crossed, each naming the
//! field: the producer path (envelope metadata, framing, Kafka records), the consumer
//! path (framed records decoded and checked in one call) and the SRE backend
//! (`INVALID_ARGUMENT` with a `google.rpc.BadRequest` listing every violation, before
//! any lookup). The MCP adapter's side is in `python/mcp_adapter_client.py`
//! (`contract`), seen by the official Python `mcp` client.

use ameide_sre_proto::SCHEMA_VERSION;
use ameide_sre_proto::core::v1::sre_health_query_service_client::SreHealthQueryServiceClient;
use ameide_sre_proto::core::v1::sre_incident_query_service_client::SreIncidentQueryServiceClient;
use ameide_sre_proto::core::v1::{
    Actor, ActorKind, GetCurrentFleetStateRequest, GetIncidentRequest, Incident, IncidentCreated,
    Severity, SreDomainFact, SreMessageMeta, SreSubject,
};
use common_eventing::framing::{self, DecodeMessageError};
use common_eventing::kafka::{KafkaRecord, RecordError, RecordOptions};
use common_eventing::traceparent::TraceParent;
use common_eventing::validate::{Validate, Violations};
use common_eventing::{EnvelopeMetadata, MetadataError};
use tonic::Code;
use tonic_types::StatusExt;

fn builder() -> common_eventing::metadata::EnvelopeMetadataBuilder {
    EnvelopeMetadata::builder("acme", "urn:ameide:sre-test", SCHEMA_VERSION)
        .correlation_id("flow-1")
        .trace(TraceParent::generate(), Some("vendor=a".into()))
}

fn actor() -> Actor {
    Actor {
        kind: ActorKind::Agent as i32,
        id: "triage-bot".into(),
    }
}

fn valid_fact() -> SreDomainFact {
    let incident = Incident {
        incident_id: "inc-1".into(),
        title: "checkout latency".into(),
        severity: Severity::High as i32,
        ..Default::default()
    };
    SreDomainFact::new(
        SreMessageMeta::build(builder(), actor()).expect("valid metadata"),
        SreSubject {
            aggregate_type: "Incident".into(),
            aggregate_id: "inc-1".into(),
            aggregate_version: 1,
        },
        IncidentCreated {
            incident: Some(incident),
            aggregate_version: 1,
        },
    )
}

/// Each way a fact can break its meta: (the field path that must be named, the rule
/// id, the change).
fn broken_facts() -> Vec<(&'static str, &'static str, SreDomainFact)> {
    type Change = fn(&mut SreMessageMeta);
    let changes: [(&str, &str, Change); 11] = [
        ("meta.message_id", "required", |m| m.message_id.clear()),
        ("meta.schema_version", "required", |m| {
            m.schema_version.clear()
        }),
        ("meta.tenant_id", "required", |m| m.tenant_id.clear()),
        ("meta.occurred_at", "required", |m| m.occurred_at = None),
        ("meta.producer", "required", |m| m.producer.clear()),
        ("meta.correlation_id", "required", |m| {
            m.correlation_id.clear()
        }),
        ("meta.traceparent", "required", |m| m.traceparent.clear()),
        ("meta.traceparent", "string.pattern", |m| {
            m.traceparent = m.traceparent.to_uppercase()
        }),
        ("meta.traceparent", "string.not_contains", |m| {
            m.traceparent = format!("00-{}-00f067aa0ba902b7-01", "0".repeat(32))
        }),
        ("meta.schema_version", "string.pattern", |m| {
            m.schema_version = "1.0".into()
        }),
        ("meta.schema_version", "string.pattern", |m| {
            m.schema_version = "v01.0.0".into()
        }),
    ];
    changes
        .into_iter()
        .map(|(path, rule, change)| {
            let mut fact = valid_fact();
            change(fact.meta.as_mut().unwrap());
            (path, rule, fact)
        })
        .collect()
}

/// A request with a thousand broken elements: the answer lists 100 and counts the
/// rest, so it stays small whatever the request holds.
#[test]
fn violations_are_bounded_whatever_the_request_holds() {
    use ameide_sre_proto::core::v1::{CreateIncidentRequest, IncidentTimelineEntry};
    let request = CreateIncidentRequest {
        tenant_id: "acme".into(),
        incident: Some(Incident {
            title: "t".into(),
            severity: Severity::Low as i32,
            timeline: (0..1_000)
                .map(|_| IncidentTimelineEntry {
                    kind: 99,
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }),
    };
    let violations = request.validate().unwrap_err();
    assert_eq!((violations.len(), violations.omitted()), (100, 900));
    assert_eq!(
        violations.iter().next().unwrap().field_path(),
        "incident.timeline[0].kind"
    );
    assert!(violations.to_string().ends_with("; and 900 more"));
    let status = violations.to_status();
    assert!(status.message().len() < 1100, "{}", status.message().len());
    let details = status.get_details_bad_request().unwrap();
    assert_eq!(details.field_violations.len(), 100);
}

fn named(violations: &Violations, path: &str, rule: &str) -> bool {
    violations
        .iter()
        .any(|v| v.field_path() == path && v.rule_id() == rule)
}

#[test]
fn a_valid_fact_passes_every_path() {
    let fact = valid_fact();
    assert_eq!(fact.validate(), Ok(()));
    let record = KafkaRecord::from_event(&fact, 7).unwrap();
    assert_eq!(record.decode_valid::<SreDomainFact>().unwrap(), fact);
    let framed = framing::encode_valid(7, &fact).unwrap();
    assert_eq!(
        framing::decode_valid::<SreDomainFact>(&framed)
            .unwrap()
            .message,
        fact
    );
}

#[test]
fn the_producer_path_refuses_each_broken_field_by_name() {
    for (path, rule, fact) in broken_facts() {
        let Err(RecordError::Invalid(invalid)) = KafkaRecord::from_event(&fact, 7) else {
            panic!("{path} {rule}: a record was built");
        };
        assert_eq!(
            invalid.full_name,
            "ameide_core_proto.sre.core.v1.SreDomainFact"
        );
        assert!(
            named(&invalid.violations, path, rule),
            "{path} {rule}: {invalid}"
        );
        assert!(invalid.to_string().contains(path), "{invalid}");
        let invalid = framing::encode_valid(7, &fact).unwrap_err();
        assert!(
            named(&invalid.violations, path, rule),
            "{path} {rule}: {invalid}"
        );
        // Opting out frames it anyway (the caller takes over the contract); a field
        // the CloudEvents headers are made of must still be readable as one.
        if rule == "required" {
            let options = RecordOptions::default().skip_validation();
            let record = KafkaRecord::from_event_with(&fact, 7, &options).unwrap();
            assert_eq!(record.decode::<SreDomainFact>().unwrap(), fact);
        }
    }
}

#[test]
fn envelope_metadata_is_checked_by_the_generated_rules() {
    let cases: [(
        common_eventing::metadata::EnvelopeMetadataBuilder,
        &str,
        &str,
    ); 4] = [
        (
            EnvelopeMetadata::builder("", "p", SCHEMA_VERSION)
                .correlation_id("c")
                .trace(TraceParent::generate(), None),
            "tenant_id",
            "required",
        ),
        (
            EnvelopeMetadata::builder("acme", "p", "1.2")
                .correlation_id("c")
                .trace(TraceParent::generate(), None),
            "schema_version",
            "string.pattern",
        ),
        (
            EnvelopeMetadata::builder("acme", "p", SCHEMA_VERSION)
                .trace(TraceParent::generate(), None),
            "correlation_id",
            "required",
        ),
        (
            EnvelopeMetadata::builder("acme", "p", SCHEMA_VERSION).correlation_id("c"),
            "traceparent",
            "required",
        ),
    ];
    for (builder, path, rule) in cases {
        match SreMessageMeta::build(builder, actor()) {
            Err(MetadataError::Invalid(violations)) => {
                assert!(named(&violations, path, rule), "{path}: {violations}");
                assert_eq!(violations.len(), 1, "{violations}");
            }
            other => panic!("{path}: {other:?}"),
        }
    }
}

#[test]
fn the_consumer_path_decodes_and_names_what_broke_in_one_call() {
    for (path, rule, fact) in broken_facts() {
        // What another producer could have written: the frame, no headers.
        let record = KafkaRecord {
            topic: "sre.domain.facts.v1".into(),
            key: b"acme".to_vec(),
            headers: Vec::new(),
            value: framing::encode_message(7, &fact),
        };
        // Decoding alone does not judge; decode_valid does.
        assert_eq!(record.decode::<SreDomainFact>().unwrap(), fact);
        let Err(RecordError::Invalid(invalid)) = record.decode_valid::<SreDomainFact>() else {
            panic!("{path} {rule}: accepted");
        };
        assert!(
            named(&invalid.violations, path, rule),
            "{path} {rule}: {invalid}"
        );
        let Err(DecodeMessageError::Invalid(invalid)) =
            framing::decode_valid::<SreDomainFact>(&record.value)
        else {
            panic!("{path} {rule}: framing accepted");
        };
        assert!(
            named(&invalid.violations, path, rule),
            "{path} {rule}: {invalid}"
        );
    }
}

fn request<T>(message: T) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request
        .metadata_mut()
        .insert("x-tenant-id", "tenant-a".parse().unwrap());
    request
}

/// The BadRequest field violations of an `INVALID_ARGUMENT`.
fn bad_request(status: &tonic::Status) -> Vec<(String, String)> {
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    let details = status
        .get_details_bad_request()
        .expect("a BadRequest detail");
    details
        .field_violations
        .iter()
        .map(|v| (v.field.clone(), v.description.clone()))
        .collect()
}

#[tokio::test]
async fn the_sre_backend_answers_invalid_argument_with_a_bad_request_before_any_lookup() {
    let addr = interop_tests::mcp_stack::backend_with(Default::default()).await;
    let url = format!("http://{addr}");
    let mut health = SreHealthQueryServiceClient::connect(url.clone())
        .await
        .unwrap();
    // The call the issue started from: `{}` is not a miss, it is a bad request.
    let status = health
        .get_current_fleet_state(request(GetCurrentFleetStateRequest::default()))
        .await
        .unwrap_err();
    let fields = bad_request(&status);
    assert_eq!(
        fields,
        [
            (
                "tenant_id".to_string(),
                "value is required [required]".to_string()
            ),
            (
                "environment_id".to_string(),
                "value is required [required]".to_string()
            ),
            (
                "cluster_id".to_string(),
                "value is required [required]".to_string()
            ),
        ]
    );
    assert!(
        status.message().contains("environment_id"),
        "{}",
        status.message()
    );

    let mut incidents = SreIncidentQueryServiceClient::connect(url).await.unwrap();
    let status = incidents
        .get_incident(request(GetIncidentRequest {
            tenant_id: "tenant-a".into(),
            incident_id: "x".repeat(300),
        }))
        .await
        .unwrap_err();
    assert_eq!(
        bad_request(&status),
        [(
            "incident_id".to_string(),
            "must be at most 256 characters [string.max_len]".to_string()
        )]
    );
    // A valid request gets to the lookup.
    let status = incidents
        .get_incident(request(GetIncidentRequest {
            tenant_id: "tenant-a".into(),
            incident_id: "inc-none".into(),
        }))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound, "{status:?}");
}

/// A consumer whose router checks the contract: every broken fact goes to the dead
/// letters naming its field, the valid one reaches the handler.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_validating_consumer_dead_letters_what_breaks_the_contract() {
    use common_eventing::Eventing as _;
    use common_eventing::kafka::{Consumer, MockBroker, Outcome, Producer, Router};
    let topic = SreDomainFact::STREAM_REF;
    let broker = MockBroker::start(1).unwrap();
    broker.create_topic(topic, 1, 1).unwrap();
    let producer = Producer::new(&broker.bootstrap_servers())
        .unwrap()
        .with_record_options(RecordOptions::default().skip_validation());
    let broken = broken_facts();
    for (_, _, fact) in &broken {
        // Written as another producer could: the frame, no headers.
        let record = KafkaRecord {
            topic: topic.into(),
            key: b"acme".to_vec(),
            headers: Vec::new(),
            value: framing::encode_message(7, fact),
        };
        producer.send_record(&record).await.unwrap();
    }
    producer.send(&valid_fact(), 7).await.unwrap();

    let handled = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = handled.clone();
    let router = Router::new()
        .validating()
        .on::<SreDomainFact, _, _>(move |fact, _| {
            assert_eq!(
                fact.validate(),
                Ok(()),
                "only valid facts reach the handler"
            );
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async { Ok(()) }
        });
    let mut consumer = Consumer::new(&broker.bootstrap_servers(), "contract", router).unwrap();
    let mut outcomes = Vec::new();
    tokio::time::timeout(std::time::Duration::from_secs(60), async {
        while outcomes.len() < broken.len() + 1 {
            outcomes.push(consumer.next().await.expect("consumes"));
        }
    })
    .await
    .expect("every record consumed");
    for ((path, rule, _), outcome) in broken.iter().zip(&outcomes) {
        let Outcome::DeadLettered { reason, error, .. } = outcome else {
            panic!("{path} {rule}: {outcome:?}");
        };
        assert_eq!(reason.as_str(), "decode");
        assert!(
            error.contains(&format!("{path}: ")) && error.contains(&format!("[{rule}]")),
            "{path} {rule}: {error}"
        );
    }
    assert!(matches!(outcomes.last(), Some(Outcome::Handled { .. })));
    assert_eq!(handled.load(std::sync::atomic::Ordering::SeqCst), 1);
}
