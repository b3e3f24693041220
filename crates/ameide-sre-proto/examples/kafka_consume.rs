//! Consumes SRE intents, facts and process facts from Kafka, dispatched by type;
//! records that do not decode go to `<topic>.dlq`.
//!
//! ```sh
//! cargo run --example kafka_consume       # in-process mock cluster, seeded with a story
//! cargo run --example kafka_consume -- --bootstrap-servers 127.0.0.1:PORT --group demo
//! ```

#[path = "kafka_common/mod.rs"]
mod kafka_common;

use ameide_sre_proto::core::v1::{SreDomainFact, SreDomainIntent, sre_domain_fact};
use ameide_sre_proto::process::v1::SreProcessFact;
use common_eventing::kafka::{Consumer, Outcome, Producer, Received, Router};

const USAGE: &str = "usage: kafka_consume [--bootstrap-servers HOST:PORT,...] [--group G] \
                     [--idle-secs S] [--incidents N]";

fn at(r: &Received) -> String {
    let key = String::from_utf8_lossy(r.key.as_deref().unwrap_or_default()).into_owned();
    format!("{} [{}]@{} key {key}", r.topic, r.partition, r.offset)
}

#[tokio::main]
async fn main() {
    let args = kafka_common::Args::parse(USAGE);
    let (servers, embedded) = args.cluster();
    if embedded.is_some() {
        // Nothing else can reach an in-process cluster: give it something to read.
        let producer = Producer::new(&servers).expect("a producer");
        kafka_common::publish(&producer, args.incidents).await;
    }
    let router = Router::new()
        .on::<SreDomainIntent, _, _>(|intent, received| async move {
            let case = intent.intent.map(|i| format!("{i:?}")).unwrap_or_default();
            let case = case.split('(').next().unwrap_or_default().to_owned();
            println!("received intent       {}: {case}", at(&received));
            Ok(())
        })
        .on::<SreDomainFact, _, _>(|fact, received| async move {
            let case = match &fact.fact {
                Some(sre_domain_fact::Fact::IncidentCreated(_)) => "IncidentCreated",
                Some(sre_domain_fact::Fact::IncidentResolved(_)) => "IncidentResolved",
                Some(_) => "another fact",
                None => "no fact",
            };
            let version = fact.subject.map_or(0, |s| s.aggregate_version);
            println!(
                "received fact         {}: {case} (version {version})",
                at(&received)
            );
            Ok(())
        })
        .on::<SreProcessFact, _, _>(|fact, received| async move {
            let workflow = fact.subject.map(|s| s.workflow_id).unwrap_or_default();
            println!(
                "received process fact {}: workflow {workflow}",
                at(&received)
            );
            Ok(())
        });
    let mut consumer = Consumer::new(&servers, &args.group, router).expect("a consumer");
    let (mut handled, mut dead) = (0, 0);
    loop {
        // Joining the group takes a few seconds: the idle clock runs from the first
        // record on.
        let wait = if handled + dead == 0 {
            args.idle.max(std::time::Duration::from_secs(30))
        } else {
            args.idle
        };
        match tokio::time::timeout(wait, consumer.next()).await {
            Err(_idle) => break,
            Ok(Err(e)) => {
                eprintln!("{e}");
                std::process::exit(1)
            }
            Ok(Ok(Outcome::Handled { .. })) => handled += 1,
            Ok(Ok(Outcome::DeadLettered {
                topic,
                offset,
                reason,
                error,
                ..
            })) => {
                println!("dead-lettered {topic}@{offset} ({reason}): {error}");
                dead += 1;
            }
        }
    }
    consumer.commit().expect("offsets committed");
    println!(
        "{handled} events handled, {dead} dead-lettered; no record for {:?}, stopping",
        args.idle
    );
}
