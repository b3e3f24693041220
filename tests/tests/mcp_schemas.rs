//! The generated JSON Schemas (MCP tool `inputSchema`/`outputSchema`, and every event
//! message's `JsonSchema`) against what the crates really write: random messages of
//! every tool's request and response and of every event message, written as JSON by
//! the Rust crates' serde and by Python `json_format` (protoc-generated modules of our
//! `proto/`), validated with the pinned Python `jsonschema` (draft 2020-12), each
//! schema first checked against the 2020-12 metaschema.

use common_eventing::MessageVisitor;
use interop_tests::{descriptor_sets, run, script};
use prost::Message;
use prost_reflect::{
    DescriptorPool, DynamicMessage, FieldDescriptor, Kind, MapKey, MessageDescriptor, Value,
};
use std::collections::BTreeMap;

/// Random cases per message and writer.
const CASES: usize = 120;

/// Writes a message's bytes as the crate's JSON.
type ToJson = fn(&[u8]) -> String;

#[derive(Default)]
struct Writers(BTreeMap<String, ToJson>);

/// Whether a message's bytes keep its `buf.validate` rules.
type Keeps = fn(&[u8]) -> bool;

#[derive(Default)]
struct Checkers(BTreeMap<String, Keeps>);

fn keeps<M: common_eventing::validate::Validate + Message + Default>(bytes: &[u8]) -> bool {
    M::decode(bytes)
        .expect("the random message decodes")
        .validate()
        .is_ok()
}

impl common_eventing::validate::ValidateVisitor for Checkers {
    fn visit<M: common_eventing::validate::Validate + Message + prost::Name + Default + 'static>(
        &mut self,
    ) {
        self.0.insert(M::full_name(), keeps::<M>);
    }
}

/// The key of a tool request's `inputSchema` in `schemas.json`: it carries the
/// request's rules, so only instances that keep them must validate against it.
const INPUT: &str = "#input";

fn to_json<M: common_eventing::JsonMessage>(bytes: &[u8]) -> String {
    let message = M::decode(bytes).expect("the random message decodes");
    serde_json::to_string(&message).expect("the crate writes JSON for it")
}

impl MessageVisitor for Writers {
    fn visit<M: common_eventing::JsonMessage + common_eventing::registry::ProtoSchema>(&mut self) {
        self.0.insert(M::full_name(), to_json::<M>);
    }
}

fn random_string(rng: &mut fastrand::Rng) -> String {
    const PIECES: &[&str] = &[
        "a", "Z", "0", " ", "\"", "\\", "/", "é", "✓", "\n", "𝄞", "-",
    ];
    (0..rng.usize(0..8))
        .map(|_| PIECES[rng.usize(..PIECES.len())])
        .collect()
}

fn random_float(rng: &mut fastrand::Rng) -> f64 {
    match rng.u8(0..10) {
        0 => f64::NAN,
        1 => f64::INFINITY,
        2 => f64::NEG_INFINITY,
        3 => 0.0,
        _ => (rng.f64() - 0.5) * 10f64.powi(rng.i32(-5..12)),
    }
}

/// A random value of `kind` (never a message of depth beyond `depth`).
fn random_value(rng: &mut fastrand::Rng, kind: &Kind, depth: usize) -> Value {
    match kind {
        Kind::Double => Value::F64(random_float(rng)),
        Kind::Float => Value::F32(random_float(rng) as f32),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => Value::I32(rng.i32(..)),
        Kind::Uint32 | Kind::Fixed32 => Value::U32(rng.u32(..)),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => Value::I64(rng.i64(..)),
        Kind::Uint64 | Kind::Fixed64 => Value::U64(rng.u64(..)),
        Kind::Bool => Value::Bool(rng.bool()),
        Kind::String => Value::String(random_string(rng)),
        Kind::Bytes => Value::Bytes((0..rng.usize(0..7)).map(|_| rng.u8(..)).collect()),
        Kind::Enum(e) => {
            let values: Vec<i32> = e.values().map(|v| v.number()).collect();
            Value::EnumNumber(values[rng.usize(..values.len())])
        }
        Kind::Message(m) => Value::Message(random_message(rng, m, depth + 1)),
    }
}

/// A random message: well-known types within their JSON-representable ranges.
fn random_message(
    rng: &mut fastrand::Rng,
    desc: &MessageDescriptor,
    depth: usize,
) -> DynamicMessage {
    let mut message = DynamicMessage::new(desc.clone());
    match desc.full_name() {
        "google.protobuf.Timestamp" => {
            // 0001-01-01 .. 9999-12-31.
            message.set_field_by_name(
                "seconds",
                Value::I64(rng.i64(-62_135_596_800..=253_402_300_799)),
            );
            message.set_field_by_name("nanos", Value::I32(rng.i32(0..1_000_000_000)));
            return message;
        }
        "google.protobuf.Duration" => {
            let seconds = rng.i64(-315_576_000_000..=315_576_000_000);
            let nanos = rng.i32(0..1_000_000_000);
            let nanos = if seconds < 0 { -nanos } else { nanos };
            message.set_field_by_name("seconds", Value::I64(seconds));
            message.set_field_by_name("nanos", Value::I32(nanos));
            return message;
        }
        "google.protobuf.Value" => {
            let kind = if depth > 5 {
                rng.usize(0..4)
            } else {
                rng.usize(0..6)
            };
            match kind {
                0 => message.set_field_by_name("null_value", Value::EnumNumber(0)),
                1 => message.set_field_by_name("number_value", Value::F64((rng.f64() - 0.5) * 1e6)),
                2 => message.set_field_by_name("string_value", Value::String(random_string(rng))),
                3 => message.set_field_by_name("bool_value", Value::Bool(rng.bool())),
                4 => {
                    let s = desc.get_field_by_name("struct_value").unwrap();
                    let Kind::Message(m) = s.kind() else {
                        unreachable!()
                    };
                    message.set_field(&s, Value::Message(random_message(rng, &m, depth + 1)));
                }
                _ => {
                    let l = desc.get_field_by_name("list_value").unwrap();
                    let Kind::Message(m) = l.kind() else {
                        unreachable!()
                    };
                    message.set_field(&l, Value::Message(random_message(rng, &m, depth + 1)));
                }
            }
            return message;
        }
        _ => {}
    }
    let mut oneofs_done = Vec::new();
    for field in desc.fields() {
        if let Some(oneof) = field.containing_oneof().filter(|o| !o.is_synthetic()) {
            if oneofs_done.contains(&oneof.name().to_string()) {
                continue;
            }
            oneofs_done.push(oneof.name().to_string());
            let members: Vec<FieldDescriptor> = oneof.fields().collect();
            let pick = rng.usize(0..=members.len());
            if let Some(member) = members.get(pick) {
                let value = random_value(rng, &member.kind(), depth);
                message.set_field(member, value);
            }
            continue;
        }
        if rng.u8(0..4) == 0 {
            continue; // left at its default
        }
        let is_message = matches!(field.kind(), Kind::Message(_));
        if is_message && depth > 4 && !field.is_map() {
            continue;
        }
        if field.is_map() {
            let Kind::Message(entry) = field.kind() else {
                unreachable!()
            };
            let key_field = entry.map_entry_key_field();
            let value_field = entry.map_entry_value_field();
            let mut map = std::collections::HashMap::new();
            for _ in 0..rng.usize(0..3) {
                let key = match random_value(rng, &key_field.kind(), depth) {
                    Value::String(s) => MapKey::String(s),
                    Value::I32(v) => MapKey::I32(v),
                    Value::I64(v) => MapKey::I64(v),
                    Value::U32(v) => MapKey::U32(v),
                    Value::U64(v) => MapKey::U64(v),
                    Value::Bool(v) => MapKey::Bool(v),
                    other => panic!("map key {other:?}"),
                };
                map.insert(key, random_value(rng, &value_field.kind(), depth));
            }
            message.set_field(&field, Value::Map(map));
        } else if field.is_list() {
            let items = (0..rng.usize(0..3))
                .map(|_| random_value(rng, &field.kind(), depth))
                .collect();
            message.set_field(&field, Value::List(items));
        } else {
            let value = random_value(rng, &field.kind(), depth);
            message.set_field(&field, value);
        }
    }
    message
}

#[test]
fn schemas_describe_the_json_of_rust_and_python() {
    let pool = DescriptorPool::decode(
        descriptor_sets(&[
            common_eventing::FILE_DESCRIPTOR_SET,
            ameide_sre_proto::FILE_DESCRIPTOR_SET,
            aumos_proto::FILE_DESCRIPTOR_SET,
        ])
        .as_slice(),
    )
    .unwrap();
    let mut writers = Writers::default();
    ameide_sre_proto::core::v1::visit_messages(&mut writers);
    ameide_sre_proto::process::v1::visit_messages(&mut writers);
    aumos_proto::events::v1::visit_messages(&mut writers);
    aumos_proto::models::v1::visit_messages(&mut writers);
    aumos_proto::api::v1::visit_messages(&mut writers);
    aumos_proto::agf::v1::visit_messages(&mut writers);

    // Every schema of every message: its JsonSchema, and for tool requests the
    // inputSchema; tool responses' outputSchema is their JsonSchema.
    let mut schemas: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    let parse = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
    for table in [
        ameide_sre_proto::core::v1::JSON_SCHEMAS,
        ameide_sre_proto::process::v1::JSON_SCHEMAS,
        aumos_proto::events::v1::JSON_SCHEMAS,
        aumos_proto::agf::v1::JSON_SCHEMAS,
    ] {
        for (name, schema) in table {
            schemas
                .entry(name.to_string())
                .or_default()
                .push(parse(schema));
        }
    }
    let catalog: serde_json::Value =
        serde_json::from_str(ameide_sre_proto::MCP_TOOL_CATALOG).unwrap();
    let mut tools = 0;
    for tool in ameide_sre_proto::core::v1::MCP_TOOLS {
        let rpc = tool.rpc.split_once('/').unwrap().1;
        let method = pool
            .services()
            .flat_map(|s| s.methods().collect::<Vec<_>>())
            .find(|m| {
                m.parent_service().full_name() == tool.rpc.split_once('/').unwrap().0
                    && m.name() == rpc
            })
            .unwrap_or_else(|| panic!("{}: no such rpc", tool.rpc));
        let input = method.input().full_name().to_string();
        let output = method.output().full_name().to_string();
        // The table, the catalog and the trait give the same schemas.
        let entry = catalog["capabilities"][0]["tools"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == tool.name)
            .unwrap_or_else(|| panic!("{} is not in the catalog", tool.name));
        assert_eq!(
            entry["inputSchema"],
            parse(tool.input_schema),
            "{}",
            tool.name
        );
        assert_eq!(
            entry["outputSchema"],
            parse(tool.output_schema),
            "{}",
            tool.name
        );
        assert!(
            schemas[&output].contains(&parse(tool.output_schema)),
            "{}",
            tool.name
        );
        assert!(
            !tool.input_schema.contains("\"tenantId\""),
            "{}: the adapter fills tenant_id",
            tool.name
        );
        schemas
            .entry(format!("{input}{INPUT}"))
            .or_default()
            .push(parse(tool.input_schema));
        tools += 1;
    }
    assert_eq!(tools, 18);

    let mut checkers = Checkers::default();
    ameide_sre_proto::core::v1::visit_validated(&mut checkers);
    ameide_sre_proto::process::v1::visit_validated(&mut checkers);

    let dir = tempfile::tempdir().unwrap();
    let mut rng = fastrand::Rng::with_seed(0x5eed_1400);
    let mut names = Vec::new();
    for key in schemas.keys() {
        let (name, input) = match key.strip_suffix(INPUT) {
            Some(name) => (name, true),
            None => (key.as_str(), false),
        };
        let desc = pool
            .get_message_by_name(name)
            .unwrap_or_else(|| panic!("{name}: not in the descriptor sets"));
        let write = writers.0[name];
        let mut lines = Vec::new();
        let mut tries = 0;
        while lines.len() < CASES && tries < CASES * 200 {
            tries += 1;
            let bytes = random_message(&mut rng, &desc, 0).encode_to_vec();
            // An inputSchema describes the requests that keep the contract.
            if input && !checkers.0[name](&bytes) {
                continue;
            }
            lines.push(write(&bytes));
        }
        assert!(
            lines.len() >= 10,
            "{key}: only {} valid random requests",
            lines.len()
        );
        let name = key;
        std::fs::write(
            dir.path().join(format!("{name}.rust.jsonl")),
            lines.join("\n"),
        )
        .unwrap();
        names.push(name.clone());
    }
    std::fs::write(
        dir.path().join("schemas.json"),
        serde_json::to_string(&schemas).unwrap(),
    )
    .unwrap();
    let mut check = script("mcp_schemas.py");
    check.arg(dir.path()).arg(CASES.to_string());
    let out = run(check);
    println!("{out}");
    let summary = out
        .lines()
        .find(|l| l.starts_with("validated "))
        .expect("a summary line");
    assert_eq!(
        summary,
        format!(
            "validated {} schemas of {} messages: {} Rust and {} Python instances",
            schemas.values().map(Vec::len).sum::<usize>(),
            names.len(),
            names.len() * CASES,
            names.len() * CASES
        )
    );
}

/// A schema that says less than the JSON (a 64-bit integer as a number, a missing
/// enum name) is caught: the validator is not vacuous.
#[test]
fn a_wrong_schema_fails_validation() {
    let dir = tempfile::tempdir().unwrap();
    let mut schema: serde_json::Value = serde_json::from_str(
        ameide_sre_proto::core::v1::JSON_SCHEMAS
            .iter()
            .find(|(n, _)| *n == "ameide_core_proto.sre.core.v1.SreDomainFact")
            .map(|(_, s)| *s)
            .unwrap(),
    )
    .unwrap();
    // Pretend aggregateVersion (int64) were a JSON number.
    schema["properties"]["subject"]["properties"]["aggregateVersion"] =
        serde_json::json!({"type": "integer"});
    let subject = ameide_sre_proto::core::v1::SreSubject {
        aggregate_version: 7,
        ..Default::default()
    };
    let fact = ameide_sre_proto::core::v1::SreDomainFact {
        subject: Some(subject),
        ..Default::default()
    };
    let fact_name = "ameide_core_proto.sre.core.v1.SreDomainFact";
    std::fs::write(
        dir.path().join(format!("{fact_name}.rust.jsonl")),
        serde_json::to_string(&fact).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("schemas.json"),
        serde_json::json!({ fact_name: [schema] }).to_string(),
    )
    .unwrap();
    let mut check = script("mcp_schemas.py");
    check.arg(dir.path()).arg("0");
    let out = check.output().unwrap();
    assert!(!out.status.success(), "a wrong schema must fail");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("aggregateVersion") && stderr.contains(fact_name),
        "{stderr}"
    );
}

/// The embedded catalog is the committed document, and it exposes exactly the rpcs
/// the issue names (default-deny: the other three `IncidentService` rpcs are absent).
#[test]
fn the_catalog_is_the_committed_document_and_exposes_the_issues_tools() {
    let committed = std::fs::read_to_string(
        interop_tests::workspace_root().join("docs/generated/mcp-tool-catalog.json"),
    )
    .unwrap();
    assert_eq!(committed, ameide_sre_proto::MCP_TOOL_CATALOG);
    let catalog: serde_json::Value = serde_json::from_str(&committed).unwrap();
    // `version` is the crate's version (from its manifest), no timestamp.
    let manifest = std::fs::read_to_string(
        interop_tests::workspace_root().join("crates/ameide-sre-proto/Cargo.toml"),
    )
    .unwrap();
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.split('"').next())
        .unwrap();
    assert_eq!(catalog["version"], version);
    assert_eq!(catalog["capabilities"].as_array().unwrap().len(), 1);
    let sre = &catalog["capabilities"][0];
    assert_eq!(sre["name"], "sre");
    assert_eq!(sre["proto_package"], "ameide_core_proto.sre.core.v1");
    let mut exposed: Vec<(String, String, bool)> = sre["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let rpc = t["rpc"].as_str().unwrap();
            let (service, method) = rpc.split_once('/').unwrap();
            let service = service.rsplit('.').next().unwrap();
            // The hints the issue asks for, per side.
            let hints = &t["hints"];
            if t["cqrs_side"] == "query" {
                assert!(service.ends_with("QueryService"), "{rpc}");
                assert_eq!(hints["readOnlyHint"], true, "{rpc}");
                assert_eq!(hints["idempotentHint"], true, "{rpc}");
            } else {
                assert_eq!(service, "IncidentService", "{rpc}");
                assert_eq!(hints["readOnlyHint"], false, "{rpc}");
            }
            (
                format!("{service}/{method}"),
                t["cqrs_side"].as_str().unwrap().to_string(),
                t["requires_approval"].as_bool().unwrap(),
            )
        })
        .collect();
    exposed.sort();
    let q = |rpc: &str| (rpc.to_string(), "query".to_string(), false);
    let c = |rpc: &str, approval| (rpc.to_string(), "command".to_string(), approval);
    let mut expected = vec![
        c("IncidentService/AcknowledgeIncident", false),
        c("IncidentService/AddIncidentTimelineEntry", false),
        c("IncidentService/AssignIncident", false),
        c("IncidentService/CreateIncident", false),
        c("IncidentService/ResolveIncident", true),
        q("SreAlertQueryService/GetAlert"),
        q("SreAlertQueryService/ListActiveAlerts"),
        q("SreHealthQueryService/GetCurrentFleetState"),
        q("SreIncidentQueryService/GetIncident"),
        q("SreIncidentQueryService/ListOpenIncidents"),
        q("SrePostmortemQueryService/GetPostmortem"),
        q("SrePostmortemQueryService/ListPostmortemsByIncident"),
        q("SreRunbookQueryService/GetRunbook"),
        q("SreRunbookQueryService/ListRunbooks"),
        q("SreSLOQueryService/GetSLO"),
        q("SreSLOQueryService/ListSLOs"),
        q("SreServiceQueryService/GetService"),
        q("SreServiceQueryService/ListServices"),
    ];
    expected.sort();
    assert_eq!(exposed, expected);
}
