//! `cargo xtask lint`: the workspace rules on fixtures (each finding and its
//! `file:line:column`), the real tree passing everything, and buf lint with the
//! committed `buf.yaml` (exemptions exactly the aiOS files that need them).

mod common;

use std::collections::BTreeSet;
use xtask::lint;

/// Every workspace-rule finding of a lint fixture, as printed.
fn findings(fixture: &str) -> Vec<String> {
    let ws = common::workspace(&format!("lint/{fixture}"));
    lint::workspace_rules(&ws.path().join("proto"))
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// The findings of one rule.
fn of_rule(findings: &[String], rule: &str) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.split(' ').nth(1) == Some(rule))
        .cloned()
        .collect()
}

const INTENTS: &str = "proto/ameide_core_proto/sre/core/v1/intents.proto";
const FACTS: &str = "proto/ameide_core_proto/sre/core/v1/facts.proto";
const SRE: &str = "proto/ameide_core_proto/sre/core/v1/sre.proto";

#[test]
fn intent_not_ending_in_requested() {
    let all = findings("sre_intent_name");
    assert_eq!(
        of_rule(&all, "SRE_INTENT_NAME"),
        [format!(
            "{INTENTS}:27:9 SRE_INTENT_NAME message CreateIncident (carried by \
             SreDomainIntent.create_incident = 10): an intent must end in \"Requested\""
        )]
    );
    // The catalog rule sees the same field from the other side.
    assert!(all.contains(&format!(
        "{INTENTS}:21:20 SRE_CATALOG SreDomainIntent.create_incident = 10 carries \
         CreateIncident: the catalog gives 10 = CreateIncidentRequested"
    )));
    // ResolveIncidentRequested (14) is right: only the other numbers are missing.
    let catalog = of_rule(&all, "SRE_CATALOG");
    let lacks = catalog
        .iter()
        .find(|f| {
            f.starts_with(&format!(
                "{INTENTS}:20:9 SRE_CATALOG SreDomainIntent.intent lacks"
            ))
        })
        .expect("missing catalog entries reported at the oneof");
    assert!(lacks.contains("11 = ReclassifyIncidentSeverityRequested"));
    assert!(!lacks.contains("14 = "), "{lacks}");
}

#[test]
fn fact_not_in_past_tense() {
    let all = findings("sre_fact_name");
    // AlertsCorrelatedToIncident (allow-listed) passes; IncidentCreate does not.
    assert_eq!(
        of_rule(&all, "SRE_FACT_NAME"),
        [format!(
            "{FACTS}:27:9 SRE_FACT_NAME message IncidentCreate (carried by \
             SreDomainFact.incident_create = 10): a fact must be past tense: end in \"ed\" \
             or be in FACT_NAME_ALLOW_LIST (xtask/src/lint/sre.rs)"
        )]
    );
}

#[test]
fn meta_without_schema_version() {
    let all = findings("sre_missing_schema_version");
    assert_eq!(
        of_rule(&all, "SRE_META_FIELDS"),
        [format!(
            "{SRE}:21:9 SRE_META_FIELDS SreMessageMeta has no field `schema_version` (string); \
             the sheet requires message_id, schema_version, tenant_id, occurred_at, producer, \
             correlation_id, causation_id, traceparent, tracestate, actor"
        )]
    );
}

#[test]
fn subject_without_aggregate_version() {
    let all = findings("sre_subject_without_version");
    assert_eq!(
        of_rule(&all, "SRE_SUBJECT_VERSION"),
        [format!(
            "{SRE}:35:9 SRE_SUBJECT_VERSION SreSubject has no field `aggregate_version` (int64); \
             the sheet requires aggregate_version"
        )]
    );
    assert_eq!(of_rule(&all, "SRE_META_FIELDS"), Vec::<String>::new());
}

#[test]
fn sre_file_outside_its_package_folder() {
    let all = findings("sre_misplaced_file");
    assert_eq!(
        of_rule(&all, "SRE_FILE_LAYOUT"),
        [
            "proto/ameide_core_proto/sre/core/sre.proto:4:1 SRE_FILE_LAYOUT file \
          ameide_core_proto/sre/core/sre.proto of package ameide_core_proto.sre.core.v1 \
          must live in proto/ameide_core_proto/sre/core/v1/"
        ]
    );
}

#[test]
fn envelope_meta_of_the_wrong_type() {
    let all = findings("sre_envelope_meta");
    assert_eq!(
        of_rule(&all, "SRE_ENVELOPE_META"),
        [format!(
            "{INTENTS}:18:9 SRE_ENVELOPE_META SreDomainIntent.meta must be a singular \
             ameide_core_proto.sre.core.v1.SreMessageMeta"
        )]
    );
}

#[test]
fn eventing_option_with_a_bad_key_path() {
    assert_eq!(
        findings("bad_eventing_path"),
        [
            "proto/aumos/events/v1/thing_event.proto:10:9 EVENTING_OPTION_VALID message \
          aumos.events.v1.ThingEvent: partition_key_fields path \"tenant\": \
          aumos.events.v1.ThingEvent has no field \"tenant\""
        ]
    );
}

#[test]
fn event_without_the_eventing_option() {
    // ThingUsage has an event_id but no tenant_id: not an event.
    assert_eq!(
        findings("event_not_annotated"),
        [
            "proto/aumos/events/v1/thing_event.proto:8:9 EVENT_ANNOTATED event message \
          aumos.events.v1.ThingEvent has no option (ameide_core_proto.common.v1.eventing) \
          (stream, subject, type, key paths)"
        ]
    );
}

#[test]
fn enum_value_without_the_enum_prefix() {
    // The aiOS enum of the fixture (GOAL_PENDING in GoalStatus) is exempt.
    assert_eq!(
        findings("unprefixed_enum"),
        [
            "proto/fixture/v1/colors.proto:13:3 ENUM_VALUE_ENUM_PREFIX enum value GREEN of \
          fixture.v1.TrafficLightColor must start with \"TRAFFIC_LIGHT_COLOR_\""
        ]
    );
}

#[test]
fn the_workspace_passes_its_own_rules() {
    let findings = lint::workspace_rules(&common::repo().join("proto")).unwrap();
    assert!(
        findings.is_empty(),
        "{}",
        findings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_workspace_passes_buf_lint() {
    let findings = lint::buf_lint(&common::repo()).unwrap();
    assert!(
        findings.is_empty(),
        "{}",
        findings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// (rule, path) pairs.
type RuleFiles = BTreeSet<(String, String)>;

/// The `lint.ignore_only` section of buf.yaml: (rule, path) pairs, and whether a
/// comment line precedes each rule.
fn exemptions(buf_yaml: &str) -> (RuleFiles, Vec<(String, bool)>) {
    let mut pairs = BTreeSet::new();
    let mut rules = Vec::new();
    let mut inside = false;
    let mut rule = String::new();
    let mut previous = "";
    for line in buf_yaml.lines() {
        if line == "  ignore_only:" {
            inside = true;
        } else if inside {
            let indent = line.len() - line.trim_start().len();
            let text = line.trim();
            if !text.is_empty() && !text.starts_with('#') && indent < 4 {
                break;
            }
            if indent == 4 && text.ends_with(':') && !text.starts_with('#') {
                rule = text.trim_end_matches(':').to_string();
                rules.push((rule.clone(), previous.trim_start().starts_with('#')));
            } else if let Some(path) = text.strip_prefix("- ") {
                pairs.insert((rule.clone(), path.to_string()));
            }
        }
        previous = line;
    }
    (pairs, rules)
}

#[test]
fn buf_yaml_exempts_exactly_the_aios_files_that_need_it() {
    let buf_yaml = std::fs::read_to_string(common::repo().join("buf.yaml")).unwrap();
    let (exempt, rules) = exemptions(&buf_yaml);
    assert!(!exempt.is_empty());
    for (rule, commented) in &rules {
        assert!(
            commented,
            "{rule}: every exemption says why, in a comment above it"
        );
    }
    for (rule, path) in &exempt {
        assert!(
            path.starts_with("proto/aios/"),
            "{rule} exempts {path}: only aiOS is exempt"
        );
    }
    // Without the exemptions, buf reports exactly the exempted (rule, file) pairs.
    let start = buf_yaml.find("  ignore_only:").unwrap();
    let end = buf_yaml[start..].find("\nbreaking:").unwrap() + start;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("buf.yaml"),
        format!("{}\n{}", &buf_yaml[..start], &buf_yaml[end..]),
    )
    .unwrap();
    common::copy_dir(&common::repo().join("proto"), &dir.path().join("proto"));
    let reported: RuleFiles = lint::buf_lint(dir.path())
        .unwrap()
        .into_iter()
        .map(|f| (f.rule, f.path.unwrap()))
        .collect();
    assert_eq!(reported, exempt);
}

#[test]
fn exemptions_name_files_not_folders() {
    // A new aiOS file gets none of the exemptions; the exempted file keeps them.
    let ws = common::workspace("lint/unprefixed_enum");
    let extra = ws.path().join("proto/aios/extra");
    std::fs::create_dir_all(&extra).unwrap();
    std::fs::write(
        extra.join("extra.proto"),
        "syntax = \"proto3\";\n\npackage aios.extra;\n\n// X.\nmessage X {}\n",
    )
    .unwrap();
    let found: Vec<String> = lint::buf_lint(ws.path())
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f.location(), f.rule))
        .collect();
    assert_eq!(
        found,
        [
            "proto/aios/extra/extra.proto:3:1 PACKAGE_VERSION_SUFFIX",
            // buf's rule agrees with ENUM_VALUE_ENUM_PREFIX outside aiOS.
            "proto/fixture/v1/colors.proto:13:3 ENUM_VALUE_PREFIX",
        ]
    );
}
