//! The generated validators against Python protovalidate 2.1.0 (the implementation
//! the contract's Python and Go services run), on random and hostile instances of
//! every message that carries `buf.validate` rules: the same violations (rule id,
//! message, field path with numbers, types and subscripts, rule path, `for_key`) for
//! every case, with zero differences.
//!
//! Also proven: every (message, field, rule) is seen both passing and failing, and a
//! deliberately broken rule (`string.max_len` counting bytes, not code points) is
//! caught by the same comparison.

use base64::Engine as _;
use common_eventing::validate::{Subscript, Validate, ValidateVisitor, Violation};
use interop_tests::every_message::pool;
use interop_tests::validate_cases::{
    field_rules, has_rules, oneof_required, random_message, unknown_fields,
};
use prost::Message as _;
use prost_reflect::{
    DescriptorPool, DynamicMessage, Kind, MessageDescriptor, ReflectMessage as _, Value,
};
use serde_json::{Value as Json, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::process::Stdio;

/// Cases per annotated message type (the total is asserted to be at least 5,000).
const PER_TYPE: usize = 60;

struct Case {
    type_name: String,
    message: DynamicMessage,
    bytes: Vec<u8>,
    rust: Vec<Json>,
}

fn element_json(v: &Violation) -> Json {
    let field: Vec<Json> = v
        .field()
        .iter()
        .map(|e| {
            let (kind, value) = match &e.subscript {
                None => (Json::Null, Json::Null),
                Some(Subscript::Index(i)) => (json!("index"), json!(i)),
                Some(Subscript::BoolKey(b)) => (json!("bool_key"), json!(b)),
                Some(Subscript::IntKey(k)) => (json!("int_key"), json!(k)),
                Some(Subscript::UintKey(k)) => (json!("uint_key"), json!(k)),
                Some(Subscript::StringKey(k)) => (json!("string_key"), json!(k)),
            };
            json!([
                e.field_name,
                e.field_number,
                e.field_type,
                e.key_type,
                e.value_type,
                kind,
                value
            ])
        })
        .collect();
    let rule: Vec<Json> = v
        .rule()
        .iter()
        .map(|e| json!([e.field_name, e.field_number, e.field_type]))
        .collect();
    json!({
        "rule_id": v.rule_id(),
        "message": v.message(),
        "for_key": v.for_key(),
        "field": field,
        "rule": rule,
    })
}

struct Collect<'a> {
    pool: &'a DescriptorPool,
    cases: Vec<Case>,
    types: BTreeSet<String>,
}

impl ValidateVisitor for Collect<'_> {
    fn visit<M: Validate + prost::Message + prost::Name + Default + 'static>(&mut self) {
        let descriptor = self.pool.get_message_by_name(&M::full_name()).unwrap();
        if !has_rules(self.pool, &descriptor, &mut BTreeSet::new()) {
            return;
        }
        self.types.insert(M::full_name());
        for _ in 0..PER_TYPE {
            let message = random_message(self.pool, &descriptor, 0);
            let mut bytes = message.encode_to_vec();
            if fastrand::u8(..4) == 0 {
                bytes.extend(unknown_fields());
            }
            let typed = M::decode(&bytes[..]).expect("prost decodes what prost-reflect encodes");
            let rust = match typed.validate() {
                Ok(()) => Vec::new(),
                Err(violations) => violations.iter().map(element_json).collect(),
            };
            self.cases.push(Case {
                type_name: M::full_name(),
                message,
                bytes,
                rust,
            });
        }
    }
}

fn sorted(list: &[Json]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(Json::to_string).collect();
    v.sort();
    v
}

/// Python protovalidate's violations of every case, in order.
fn python_violations(cases: &[Case]) -> Vec<Vec<Json>> {
    let mut cmd = interop_tests::script("validate_differential.py");
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting the Python peer");
    let mut input = String::new();
    for case in cases {
        input.push_str(
            &json!({
                "type": case.type_name,
                "b64": base64::engine::general_purpose::STANDARD.encode(&case.bytes),
            })
            .to_string(),
        );
        input.push('\n');
    }
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    let stdout = interop_tests::stdout_of("validate_differential.py", out);
    let lines: Vec<Vec<Json>> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON list per case"))
        .collect();
    assert_eq!(lines.len(), cases.len(), "one answer per case");
    lines
}

/// The cases whose violations differ: (index, Rust, Python).
fn differences<'a>(
    rust: impl Iterator<Item = &'a Vec<Json>>,
    python: &[Vec<Json>],
) -> Vec<(usize, Vec<String>, Vec<String>)> {
    rust.zip(python)
        .enumerate()
        .filter_map(|(i, (r, p))| {
            let (r, p) = (sorted(r), sorted(p));
            (r != p).then_some((i, r, p))
        })
        .collect()
}

/// The rule ids a field's (or oneof's) rules define, as protovalidate names them.
fn rule_ids(rules: &DynamicMessage, out: &mut BTreeSet<String>) {
    for (field, value) in rules.fields() {
        let Value::Message(group) = value else {
            if field.name() == "required" {
                out.insert("required".into());
            }
            continue;
        };
        let name = field.name();
        match name {
            "repeated" | "map" => {
                for (rule, v) in group.fields() {
                    match (rule.name(), v) {
                        ("items" | "keys" | "values", Value::Message(inner)) => {
                            rule_ids(inner, out)
                        }
                        (r, _) => drop(out.insert(format!("{name}.{r}"))),
                    }
                }
            }
            _ => {
                let set: Vec<String> = group.fields().map(|(f, _)| f.name().to_string()).collect();
                let set: Vec<&str> = set.iter().map(String::as_str).collect();
                if set.contains(&"gte") && set.contains(&"lte") {
                    out.insert(format!("{name}.gte_lte"));
                }
                for r in set.iter().filter(|r| {
                    !(set.contains(&"gte") && set.contains(&"lte") && matches!(**r, "gte" | "lte"))
                }) {
                    out.insert(format!("{name}.{r}"));
                }
            }
        }
    }
}

/// Every (message, field or oneof, rule id) the protos define, for annotated messages.
fn universe(
    pool: &DescriptorPool,
    types: &BTreeSet<String>,
) -> BTreeMap<(String, String), BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for name in types {
        let message = pool.get_message_by_name(name).unwrap();
        for oneof in message.oneofs().filter(|o| oneof_required(pool, o)) {
            out.insert(
                (name.clone(), oneof.name().to_string()),
                BTreeSet::from(["required".to_string()]),
            );
        }
        for field in message.fields() {
            if let Some(rules) = field_rules(pool, &field) {
                let mut ids = BTreeSet::new();
                rule_ids(&rules, &mut ids);
                out.insert((name.clone(), field.name().to_string()), ids);
            }
        }
    }
    out
}

/// Whether the case sets the field or (oneof) one of its members.
fn is_set(message: &MessageDescriptor, case: &DynamicMessage, name: &str) -> bool {
    match message.get_field_by_name(name) {
        Some(f) => case.has_field(&f),
        None => message
            .oneofs()
            .find(|o| o.name() == name)
            .is_some_and(|o| o.fields().any(|f| case.has_field(&f))),
    }
}

/// The broken rule: `string.max_len` counted in UTF-8 bytes. Its violations for a
/// case: the real ones, plus one for each top-level string whose bytes pass the
/// bound while its code points do not.
fn bytes_counting_mutant(pool: &DescriptorPool, case: &Case) -> Vec<Json> {
    let mut out = case.rust.clone();
    let message = case.message.descriptor();
    for field in message.fields() {
        if field.is_list() || field.is_map() || field.kind() != Kind::String {
            continue;
        }
        let Some(rules) = field_rules(pool, &field) else {
            continue;
        };
        let Some(Value::Message(string)) =
            rules.get_field_by_name("string").map(|v| v.into_owned())
        else {
            continue;
        };
        if !string.has_field_by_name("max_len") {
            continue;
        }
        let max = string
            .get_field_by_name("max_len")
            .unwrap()
            .as_u64()
            .unwrap() as usize;
        let value = case.message.get_field(&field);
        let Some(s) = value.as_str() else { continue };
        if s.len() > max && s.chars().count() <= max {
            out.push(json!({"mutant": field.name()}));
        }
    }
    out
}

#[test]
fn generated_validators_agree_with_python_protovalidate() {
    // Random, but reproducible: VALIDATE_SEED replays a run.
    let seed = std::env::var("VALIDATE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_2026_u64);
    fastrand::seed(seed);
    eprintln!("VALIDATE_SEED={seed}");
    let pool = pool();
    let mut collect = Collect {
        pool: &pool,
        cases: Vec::new(),
        types: BTreeSet::new(),
    };
    ameide_sre_proto::core::v1::visit_validated(&mut collect);
    ameide_sre_proto::process::v1::visit_validated(&mut collect);
    let Collect { cases, types, .. } = collect;
    assert!(types.len() >= 20, "annotated message types: {types:?}");
    assert!(cases.len() >= 5_000, "{} cases", cases.len());
    let python = python_violations(&cases);

    let diffs = differences(cases.iter().map(|c| &c.rust), &python);
    let cut = |s: &String| -> String { s.chars().take(300).collect() };
    let shown: Vec<String> = diffs
        .iter()
        .take(8)
        .map(|(i, r, p)| {
            let only_rust: Vec<String> = r.iter().filter(|x| !p.contains(x)).map(cut).collect();
            let only_python: Vec<String> = p.iter().filter(|x| !r.contains(x)).map(cut).collect();
            format!(
                "case {i} ({}):\n  only rust:   {only_rust:?}\n  only python: {only_python:?}",
                cases[*i].type_name
            )
        })
        .collect();
    assert!(
        diffs.is_empty(),
        "{} of {} cases differ from Python protovalidate:\n{}",
        diffs.len(),
        cases.len(),
        shown.join("\n")
    );

    // Coverage: every rule of every annotated message seen failing (from Python's
    // answers) and passing (set, and not reported).
    let universe = universe(&pool, &types);
    let mut failing: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut passing: BTreeSet<(String, String, String)> = BTreeSet::new();
    for (case, found) in cases.iter().zip(&python) {
        let mut here = BTreeSet::new();
        for v in found {
            // The rules of the case's own fields: one path element.
            if v["field"].as_array().is_some_and(|f| f.len() == 1) {
                let first = v["field"][0][0].as_str().unwrap_or_default().to_string();
                let id = v["rule_id"].as_str().unwrap().to_string();
                here.insert((first.clone(), id.clone()));
                failing.insert((case.type_name.clone(), first, id));
            }
        }
        let descriptor = case.message.descriptor();
        for ((ty, field), ids) in &universe {
            if *ty != case.type_name || !is_set(&descriptor, &case.message, field) {
                continue;
            }
            for id in ids {
                if !here.contains(&(field.clone(), id.clone())) {
                    passing.insert((ty.clone(), field.clone(), id.clone()));
                }
            }
        }
    }
    let mut missing = Vec::new();
    let mut total = 0;
    for ((ty, field), ids) in &universe {
        for id in ids {
            total += 1;
            let key = (ty.clone(), field.clone(), id.clone());
            if !failing.contains(&key) {
                missing.push(format!("{ty}.{field} {id}: never failed"));
            }
            if !passing.contains(&key) {
                missing.push(format!("{ty}.{field} {id}: never passed"));
            }
        }
    }
    assert!(total >= 100, "only {total} (message, field, rule) triples");
    assert!(
        missing.is_empty(),
        "coverage of {total} rules:\n{}",
        missing.join("\n")
    );

    // The broken rule is caught by the same comparison.
    let mutants: Vec<Vec<Json>> = cases
        .iter()
        .map(|c| bytes_counting_mutant(&pool, c))
        .collect();
    let caught = differences(mutants.iter(), &python);
    assert!(
        !caught.is_empty(),
        "a max_len counting bytes went unnoticed over {} cases",
        cases.len()
    );
    eprintln!(
        "{} cases of {} message types, {total} (message, field, rule) triples each seen \
         passing and failing, 0 differences; the bytes-counting max_len differs on {} cases",
        cases.len(),
        types.len(),
        caught.len()
    );
}
