//! Golden tests of every generator, in the style of prost-build's `_expected_*.rs`:
//! `tests/golden/generators/` (a small proto) in, the Rust each generator writes for
//! it compared with `tests/golden/expected/golden.v1.<generator>.rs`, and the
//! generated `mod.rs` with `expected/mod.rs`. After an intended change of a
//! generator, rerun with `UPDATE_EXPECTED=1` and review the diff of `expected/`.

use std::path::{Path, PathBuf};
use xtask::codegen::generators::{self, eventing, mcp};
use xtask::codegen::model::PackageModel;
use xtask::codegen::registry::{GENERATORS, Input};
use xtask::codegen::{modtree, upstream};
use xtask::protos;
use xtask::workspace::{CrateSpec, Extra, PackageSpec};

/// The golden crate: one package, every optional generator on.
static GOLDEN: CrateSpec = CrateSpec {
    name: "golden",
    packages: &[PackageSpec {
        proto: "golden.v1",
        rust: "::golden::v1",
        doc: "the generators' golden input",
        hosted: false,
    }],
    grpc: true,
    hand_written: &[],
    extras: &[Extra::JsonFields, Extra::EpochTimes, Extra::NewEvent],
};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// The golden proto next to the eventing option it imports, compiled.
fn compile() -> protos::Compiled {
    let tmp = tempfile::tempdir().unwrap();
    let copy = |from: &Path, to: &str| {
        let to = tmp.path().join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    };
    copy(
        &golden_dir().join("generators/golden/v1/golden.proto"),
        "golden/v1/golden.proto",
    );
    for option in [
        "ameide_core_proto/common/v1/eventing.proto",
        "buf/validate/validate.proto",
    ] {
        copy(&xtask::workspace::proto_dir().join(option), option);
    }
    protos::compile(tmp.path()).unwrap()
}

fn check(name: &str, actual: &str, failures: &mut Vec<String>) {
    let path = golden_dir().join("expected").join(name);
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    match std::fs::read_to_string(&path) {
        Ok(expected) if expected == actual => {}
        Ok(_) => failures.push(format!("{name}: differs from {}", path.display())),
        Err(_) => failures.push(format!("{name}: {} is missing", path.display())),
    }
}

#[test]
fn every_generator_writes_its_expected_output() {
    let compiled = compile();
    let events = eventing::collect(&compiled.pool).unwrap();
    let tools = mcp::collect(&compiled.pool);
    let upstream = upstream::generate(&GOLDEN, &compiled).unwrap();
    let input = Input {
        pool: &compiled.pool,
        events: &events,
        tools: &tools,
        krate: &GOLDEN,
        upstream: &upstream,
    };
    let mut failures = Vec::new();
    let mut includes = Vec::new();
    let mut empty = Vec::new();
    for generator in GENERATORS {
        // What codegen writes: parsed, laid out, with the header.
        let model = PackageModel::build(&compiled.pool, &GOLDEN, "golden.v1").unwrap();
        let files = generator.render(&input, &model).unwrap();
        if files.is_empty() {
            empty.push(generator.file_name("golden.v1", 1));
        }
        for (name, text) in files {
            check(&name, &text, &mut failures);
            includes.push(modtree::Include {
                file: name,
                feature: generator.feature,
            });
        }
    }
    // The golden proto exercises every generator (the MCP one writes the JSON
    // Schemas of its events).
    assert!(empty.is_empty(), "generators with no output: {empty:?}");
    let files = ["golden/v1/golden.proto".to_string()];
    let module = modtree::generate(&GOLDEN, &[(&GOLDEN.packages[0], includes)], &files);
    check("mod.rs", &module, &mut failures);
    assert!(
        failures.is_empty(),
        "{failures:#?}\n(UPDATE_EXPECTED=1 rewrites them)"
    );
}

/// One generator's output for `package` of `compiled`, generated into [`GOLDEN`].
fn run(
    generate: fn(&Input, &PackageModel) -> anyhow::Result<String>,
    compiled: &protos::Compiled,
    package: &str,
) -> anyhow::Result<String> {
    let input = Input {
        pool: &compiled.pool,
        events: &eventing::collect(&compiled.pool)?,
        tools: &[],
        krate: &GOLDEN,
        upstream: &Default::default(),
    };
    generate(
        &input,
        &PackageModel::build(&compiled.pool, &GOLDEN, package)?,
    )
}

#[test]
fn the_rules_pick_the_right_fields() {
    let compiled = compile();
    let json = run(generators::json_fields::generate, &compiled, "golden.v1").unwrap();
    assert!(json.contains("pub fn decode_details_json"));
    assert!(
        json.contains("pub fn set_payload_json"),
        "nested messages too"
    );
    assert!(!json.contains("decode_event_id"));
    let times = run(generators::time_fields::generate, &compiled, "golden.v1").unwrap();
    for getter in ["created_at_as_secs", "last_seen_as_millis"] {
        assert!(times.contains(&format!("pub fn {getter}")), "{getter}");
    }
    for not_a_time in ["duration_ms_as", "item_count_as", "timestamp_ms_as"] {
        assert!(!times.contains(not_a_time), "{not_a_time}");
    }
    let constructors = run(generators::constructors::generate, &compiled, "golden.v1").unwrap();
    assert!(constructors.contains("impl crate::NewEvent for Happened"));
    assert!(constructors.contains("impl crate::NewEvent for Counted"));
    assert!(constructors.contains("timestamp_ms: {"));
    let envelopes = run(generators::envelopes::generate, &compiled, "golden.v1").unwrap();
    assert!(envelopes.contains("impl Envelope {"));
    assert!(envelopes.contains("pub fn fact_as<"));
    assert!(envelopes.contains("pub fn into_fact<"));
    assert_eq!(envelopes.matches("\nimpl ").count(), 1, "only the envelope");
}

#[test]
fn an_unclassified_int64_fails_codegen_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("t/v1")).unwrap();
    std::fs::write(
        tmp.path().join("t/v1/t.proto"),
        "syntax = \"proto3\";\npackage t.v1;\nmessage M { int64 size_bytes = 1; int64 seen_at = 2; }\n",
    )
    .unwrap();
    let compiled = protos::compile(tmp.path()).unwrap();
    let err = run(generators::time_fields::generate, &compiled, "t.v1")
        .unwrap_err()
        .to_string();
    assert!(err.contains("t.v1.M.size_bytes"), "{err}");
    assert!(!err.contains("seen_at"), "{err}");
}

/// `t/v1/t.proto` (package `t.v1`, importing protovalidate's rules) made of
/// `messages`, compiled.
fn with_validate(messages: &str) -> protos::Compiled {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("t/v1")).unwrap();
    std::fs::create_dir_all(tmp.path().join("buf/validate")).unwrap();
    std::fs::copy(
        xtask::workspace::proto_dir().join("buf/validate/validate.proto"),
        tmp.path().join("buf/validate/validate.proto"),
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("t/v1/t.proto"),
        format!(
            "syntax = \"proto3\";\npackage t.v1;\nimport \"buf/validate/validate.proto\";\n{messages}"
        ),
    )
    .unwrap();
    protos::compile(tmp.path()).unwrap()
}

/// A rule the validator generator does not support fails codegen, naming the file,
/// the field and the rule: never a silent pass.
#[test]
fn an_unsupported_rule_fails_codegen_naming_file_field_and_rule() {
    for (field, rule) in [
        (
            "string email = 1 [(buf.validate.field).string.email = true];",
            "string.email",
        ),
        (
            "string id = 1 [(buf.validate.field).cel = {id: \"x\", expression: \"this != ''\"}];",
            "cel",
        ),
        (
            "double ratio = 1 [(buf.validate.field).double.gte = 0];",
            "double",
        ),
    ] {
        let compiled = with_validate(&format!("message M {{ {field} }}\n"));
        let error = run(generators::validate::generate, &compiled, "t.v1")
            .unwrap_err()
            .to_string();
        assert!(error.contains("t/v1/t.proto:"), "{error}");
        assert!(error.contains("t.v1.M."), "{error}");
        assert!(error.contains(rule), "{error}");
    }
}

/// Messages that reach each other: a rule on one is checked through the other, in
/// whichever order they are declared.
#[test]
fn a_cycle_never_hides_a_rule() {
    let compiled = with_validate(
        "message A { string n = 1 [(buf.validate.field).string.min_len = 1]; B b = 2; }\n\
         message B { A a = 1; }\n\
         message C { D d = 1; }\n\
         message D { C c = 1; }\n",
    );
    let code = run(generators::validate::generate, &compiled, "t.v1").unwrap();
    assert!(!code.contains("Validate for B {}"), "{code}");
    assert!(code.contains("name: \"a\""), "B checks its A: {code}");
    assert!(code.contains("Validate for C {}") && code.contains("Validate for D {}"));
}
