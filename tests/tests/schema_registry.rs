//! Schema registration against confluent-kafka's own `ProtobufSerializer`
//! (`auto.register.schemas`, in-memory `mock://` registry): for every event message
//! of the workspace (the AumOS, agent-framework and SRE envelopes among them) and
//! the Chaukas `Event` (TopicNameStrategy), what the serializer registers — subjects,
//! reference names and subjects, and the file descriptors — must be what
//! `ProtoSchema::registration()` gives; records framed by either side decode on the
//! other with the typed framing; and every message's `MESSAGE_INDEXES` equals
//! confluent-kafka's `_create_index_array`.

use common_eventing::registry::{ProtoSchema, Registration, topic_name_strategy};
use common_eventing::{EventVisitor, Eventing, JsonMessage, MessageVisitor, framing};
use interop_tests::{run, script, unhex};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

fn registration_json(registration: &Registration) -> Value {
    json!({
        "file": registration.file.name,
        "schema": registration.schema,
        "direct": registration.direct_references().map(|r| r.name).collect::<Vec<_>>(),
        "references": registration.references.iter().map(|r| json!({
            "name": r.name,
            "subject": r.subject,
            "schema": r.schema,
            "references": registration.references_of(r).map(|d| d.name).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// One case: a message type, the topic it is produced to and the subject Rust says.
struct Case {
    name: &'static str,
    topic: String,
    subject: String,
    check: fn(&Path, &Outcome),
}

fn case<M: ProtoSchema + JsonMessage>(topic: String, subject: String) -> (Case, Value) {
    let value = json!({
        "name": M::FULL_NAME,
        "topic": topic,
        "subject": subject,
        "indexes": M::MESSAGE_INDEXES,
        "registration": registration_json(&M::registration()),
    });
    (
        Case {
            name: M::FULL_NAME,
            topic,
            subject,
            check: check_framing::<M>,
        },
        value,
    )
}

#[derive(Default)]
struct Cases(Vec<(Case, Value)>);

impl EventVisitor for Cases {
    fn visit<M: Eventing + JsonMessage + ProtoSchema>(&mut self) {
        // The declared subject is the eventing option's, which is the topic's
        // TopicNameStrategy subject.
        assert_eq!(
            M::DECLARED_SUBJECT,
            Some(M::SCHEMA_SUBJECT),
            "{}",
            M::FULL_NAME
        );
        self.0
            .push(case::<M>(M::STREAM_REF.into(), M::SCHEMA_SUBJECT.into()));
    }
}

#[derive(Default)]
struct Messages(BTreeMap<&'static str, &'static [i32]>);

impl MessageVisitor for Messages {
    fn visit<M: JsonMessage + ProtoSchema>(&mut self) {
        assert_eq!(
            M::FULL_NAME,
            M::full_name(),
            "FULL_NAME of {}",
            M::full_name()
        );
        self.0.insert(M::FULL_NAME, M::MESSAGE_INDEXES);
    }
}

/// What the Python side saw for one case.
#[derive(Deserialize, Debug)]
struct Outcome {
    name: String,
    subjects: Vec<String>,
    /// The root schema's references as registered: (name, subject, version).
    references: Vec<(String, String, u32)>,
    /// Each reference subject's own references as registered: subject -> (name, subject).
    reference_references: BTreeMap<String, Vec<(String, String)>>,
    /// Files whose registered descriptor differs from the one Rust's text parses to.
    descriptor_mismatches: Vec<String>,
    /// Files compared.
    descriptors_compared: usize,
    schema_id: u32,
    framed: String,
    plain: String,
}

/// The Python-framed record decodes with the typed framing; Rust frames the same
/// message to the same bytes, written for the Python deserializer.
fn check_framing<M: ProtoSchema + JsonMessage>(dir: &Path, outcome: &Outcome) {
    let framed = unhex(&outcome.framed);
    let plain = M::decode(unhex(&outcome.plain).as_slice()).unwrap();
    let decoded = framing::decode_message::<M>(&framed).unwrap_or_else(|e| {
        panic!(
            "{}: typed decode of confluent-kafka's record: {e}",
            M::FULL_NAME
        )
    });
    assert_eq!(decoded.schema_id, outcome.schema_id, "{}", M::FULL_NAME);
    assert!(
        decoded.message == plain,
        "{}: payload differs",
        M::FULL_NAME
    );
    let ours = framing::encode_message(outcome.schema_id, &plain);
    // confluent-kafka serializes maps in insertion order, Rust deterministically: the
    // headers are identical, and the payload is Python's deterministic serialization.
    let header = framing::header_len(M::MESSAGE_INDEXES);
    assert_eq!(
        ours[..header],
        framed[..header],
        "{}: Rust's frame header differs from confluent-kafka's",
        M::FULL_NAME
    );
    assert_eq!(
        ours[header..],
        unhex(&outcome.plain),
        "{}: payload bytes",
        M::FULL_NAME
    );
    std::fs::write(dir.join(format!("{}.rust.framed", M::FULL_NAME)), ours).unwrap();
}

#[test]
fn registration_matches_confluent_kafkas_serializer() {
    let mut cases = Cases::default();
    aumos_proto::events::v1::visit_events(&mut cases);
    aumos_proto::agf::v1::visit_events(&mut cases);
    ameide_sre_proto::core::v1::visit_events(&mut cases);
    ameide_sre_proto::process::v1::visit_events(&mut cases);
    // Chaukas events carry no eventing option: the TopicNameStrategy subject.
    cases.0.push(case::<chaukas_spec_client::common::v1::Event>(
        "chaukas.events".into(),
        topic_name_strategy("chaukas.events", false),
    ));
    // Every domain's envelope is among the cases.
    for envelope in [
        "aumos.events.v1.AgentEnvelope",
        "ameide_core_proto.sre.core.v1.SreDomainFact",
        "ameide_core_proto.sre.core.v1.SreDomainIntent",
        "ameide_core_proto.sre.process.v1.SreProcessFact",
        "chaukas.spec.common.v1.Event",
    ] {
        assert!(
            cases.0.iter().any(|(c, _)| c.name == envelope),
            "{envelope}"
        );
    }
    assert!(cases.0.len() >= 29, "only {} cases", cases.0.len());

    let mut messages = Messages::default();
    common_eventing::options::v1::visit_messages(&mut messages);
    chaukas_spec_client::common::v1::visit_messages(&mut messages);
    chaukas_spec_client::client::v1::visit_messages(&mut messages);
    chaukas_spec_server::server::v1::visit_messages(&mut messages);
    aios_proto::common::visit_messages(&mut messages);
    aios_proto::orchestrator::visit_messages(&mut messages);
    aios_proto::agent::visit_messages(&mut messages);
    aios_proto::runtime::visit_messages(&mut messages);
    aios_proto::tools::visit_messages(&mut messages);
    aios_proto::memory::visit_messages(&mut messages);
    aios_proto::api_gateway::visit_messages(&mut messages);
    aumos_proto::events::v1::visit_messages(&mut messages);
    aumos_proto::models::v1::visit_messages(&mut messages);
    aumos_proto::api::v1::visit_messages(&mut messages);
    aumos_proto::agf::v1::visit_messages(&mut messages);
    ameide_sre_proto::core::v1::visit_messages(&mut messages);
    ameide_sre_proto::process::v1::visit_messages(&mut messages);
    // The workspace declares no nested messages (map entries have no Rust type), so
    // every path here has one index; nested paths are covered by xtask's unit tests
    // and by tests/tests/sre_kafka.rs.
    assert!(messages.0.len() > 100, "only {} messages", messages.0.len());
    assert!(messages.0.values().any(|i| i[0] > 14));

    let dir = tempfile::tempdir().unwrap();
    let input = json!({
        "cases": cases.0.iter().map(|(_, v)| v).collect::<Vec<_>>(),
        "messages": messages.0,
    });
    std::fs::write(
        dir.path().join("rust.json"),
        serde_json::to_vec(&input).unwrap(),
    )
    .unwrap();

    let mut register = script("schema_registry_registration.py");
    register.arg("register").arg(dir.path());
    println!("{}", run(register));

    // Message indexes: confluent-kafka's `_create_index_array` for every message.
    let python_indexes: BTreeMap<String, Vec<i32>> =
        serde_json::from_slice(&std::fs::read(dir.path().join("indexes.json")).unwrap()).unwrap();
    assert_eq!(python_indexes.len(), messages.0.len());
    for (name, indexes) in &messages.0 {
        assert_eq!(
            Some(&indexes.to_vec()),
            python_indexes.get(*name),
            "message indexes of {name}"
        );
    }

    let outcomes: Vec<Outcome> =
        serde_json::from_slice(&std::fs::read(dir.path().join("outcomes.json")).unwrap()).unwrap();
    assert_eq!(outcomes.len(), cases.0.len());
    for ((case, value), outcome) in cases.0.iter().zip(&outcomes) {
        let name = case.name;
        assert_eq!(outcome.name, name);
        let registration = &value["registration"];
        let references = registration["references"].as_array().unwrap();
        // Subjects: the record's subject plus one per reference, nothing else (no
        // google/protobuf file, no duplicate).
        let mut expected: Vec<String> = references
            .iter()
            .map(|r| r["subject"].as_str().unwrap().to_owned())
            .chain([case.subject.clone()])
            .collect();
        expected.sort();
        assert_eq!(outcome.subjects, expected, "{name}: subjects registered");
        assert!(
            outcome
                .subjects
                .contains(&topic_name_strategy(&case.topic, false)),
            "{name}"
        );
        // The root's references: names and subjects, in order.
        let direct: Vec<(String, String)> = registration["direct"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                let n = n.as_str().unwrap();
                let r = references.iter().find(|r| r["name"] == n).unwrap();
                (n.to_owned(), r["subject"].as_str().unwrap().to_owned())
            })
            .collect();
        let registered: Vec<(String, String)> = outcome
            .references
            .iter()
            .map(|(n, s, _)| (n.clone(), s.clone()))
            .collect();
        assert_eq!(registered, direct, "{name}: references of the root schema");
        assert!(outcome.references.iter().all(|(_, _, v)| *v == 1), "{name}");
        // Each reference's own references.
        for reference in references {
            let subject = reference["subject"].as_str().unwrap();
            let own: Vec<(String, String)> = reference["references"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| {
                    let n = n.as_str().unwrap();
                    let r = references.iter().find(|r| r["name"] == n).unwrap();
                    (n.to_owned(), r["subject"].as_str().unwrap().to_owned())
                })
                .collect();
            assert_eq!(
                outcome.reference_references.get(subject),
                Some(&own),
                "{name}: references of {subject}"
            );
        }
        // The texts parse to the descriptors the serializer registered.
        assert_eq!(
            outcome.descriptors_compared,
            references.len() + 1,
            "{name}: descriptors compared"
        );
        assert!(
            outcome.descriptor_mismatches.is_empty(),
            "{name}: texts parse to other descriptors than registered: {:?}",
            outcome.descriptor_mismatches
        );
        (case.check)(dir.path(), outcome);
    }

    let mut consume = script("schema_registry_registration.py");
    consume.arg("consume").arg(dir.path());
    let out = run(consume);
    assert!(
        out.contains(&format!("consumed {}", cases.0.len())),
        "{out}"
    );
}

#[test]
fn sre_domain_fact_references_its_ten_files_in_registration_order() {
    use ameide_sre_proto::core::v1::SreDomainFact;
    let registration = SreDomainFact::registration();
    assert_eq!(
        registration.file.name,
        "ameide_core_proto/sre/core/v1/facts.proto"
    );
    assert_eq!(
        registration.schema,
        std::fs::read_to_string(
            interop_tests::workspace_root().join("proto/ameide_core_proto/sre/core/v1/facts.proto")
        )
        .unwrap(),
        "the exact text, comments kept"
    );
    let names: Vec<_> = registration.references.iter().map(|r| r.name).collect();
    assert_eq!(names.len(), 10, "{names:?}");
    assert!(names.contains(&"ameide_core_proto/common/v1/eventing.proto"));
    // protovalidate's rules are a reference like any other (not a registry built-in).
    assert!(names.contains(&"buf/validate/validate.proto"));
    assert!(names.iter().all(|n| !n.starts_with("google/")));
    // Every reference comes after the files it imports.
    for (i, reference) in registration.references.iter().enumerate() {
        for dependency in registration.references_of(reference) {
            let at = names.iter().position(|n| *n == dependency.name).unwrap();
            assert!(at < i, "{} before {}", dependency.name, reference.name);
        }
    }
    // Depth first in import order, as confluent-kafka registers them: facts.proto
    // imports eventing.proto first, then validate.proto, then alert.proto, which
    // imports sre.proto.
    assert_eq!(
        names[..4],
        [
            "ameide_core_proto/common/v1/eventing.proto",
            "buf/validate/validate.proto",
            "ameide_core_proto/sre/core/v1/sre.proto",
            "ameide_core_proto/sre/core/v1/alert.proto",
        ]
    );
    assert_eq!(
        SreDomainFact::DECLARED_SUBJECT,
        Some("sre.domain.facts.v1-value")
    );
    assert_eq!(SreDomainFact::MESSAGE_INDEXES, [0]);
}

#[test]
fn every_crate_ships_the_text_of_every_proto_file() {
    let root = interop_tests::workspace_root().join("proto");
    let shipped: Vec<&common_eventing::registry::ProtoFile> = [
        common_eventing::PROTO_FILES,
        chaukas_spec_client::PROTO_FILES,
        chaukas_spec_server::PROTO_FILES,
        aios_proto::PROTO_FILES,
        aumos_proto::PROTO_FILES,
        ameide_sre_proto::PROTO_FILES,
    ]
    .concat();
    let mut on_disk = Vec::new();
    fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "proto") {
                out.push(
                    path.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    walk(&root, &root, &mut on_disk);
    on_disk.sort();
    let mut names: Vec<_> = shipped.iter().map(|f| f.name.to_owned()).collect();
    names.sort();
    assert_eq!(names, on_disk);
    for file in shipped {
        assert_eq!(
            file.text,
            std::fs::read_to_string(root.join(file.name)).unwrap(),
            "{}",
            file.name
        );
        let imports: Vec<_> = file
            .text
            .lines()
            .filter_map(|l| l.strip_prefix("import \""))
            .map(|l| l.trim_end_matches("\";"))
            .collect();
        assert_eq!(file.imports, imports.as_slice(), "{}", file.name);
    }
}
