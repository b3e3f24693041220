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

const TOOLS: &str = "proto/fixture/v1/tools.proto";

#[test]
fn mcp_tool_rules() {
    let all = findings("mcp_tools");
    let q = "fixture.v1.ThingQueryService";
    let c = "fixture.v1.ThingService";
    assert_eq!(
        all,
        [
            format!(
                "{TOOLS}:19:7 MCP_TOOL_NAME rpc {q}/BadName: tool name \"Fixture.get_thing\" must match \
                 ^[a-z][a-z0-9]*\\.[a-z][A-Za-z0-9]*$ (<capability>.<lowerCamelOperation>)"
            ),
            format!(
                "{TOOLS}:27:7 MCP_TOOL_UNIQUE rpc {q}/GetThingAgain: tool name \"fixture.getThing\" is \
                 already exposed by {q}/GetThing ({TOOLS}:11:3)"
            ),
            format!(
                "{TOOLS}:35:7 MCP_TOOL_DESCRIPTION rpc {q}/Undescribed: tool \"fixture.undescribed\" has no description"
            ),
            format!(
                "{TOOLS}:42:7 MCP_QUERY_READ_ONLY rpc {q}/Writable: tool \"fixture.writable\" is on a \
                 *QueryService (a query tool) but not read_only"
            ),
            format!(
                "{TOOLS}:49:7 MCP_NO_STREAMING rpc {q}/WatchThings: tool \"fixture.watchThings\": a streaming \
                 rpc cannot be a tool (one request, one result)"
            ),
            format!(
                "{TOOLS}:57:7 MCP_NO_FACT_TOOLS rpc {q}/LastThingHappened: tool \"fixture.lastThingHappened\": \
                 its response fixture.v1.ThingHappened is an event (eventing option, stream \
                 \"fixture.things.facts\"); facts travel on their streams and are never tools"
            ),
            format!(
                "{TOOLS}:71:7 MCP_COMMAND_READ_ONLY rpc {c}/ReadThing: tool \"fixture.readThing\" is read_only \
                 but {c} is not a *QueryService: query tools go on *QueryService, command tools are never read_only"
            ),
            format!(
                "{TOOLS}:79:7 MCP_ADAPTER_FILLED_VALID rpc {c}/CreateThing: tool \"fixture.createThing\": \
                 adapter_filled_fields path \"thing.missing\": fixture.v1.Thing has no field \"missing\""
            ),
            "proto/fixture/v2/other.proto:10:7 MCP_CAPABILITY_PACKAGE rpc fixture.v2.OtherQueryService/GetOther: \
             capability \"fixture\" is in package fixture.v1 (fixture.createThing), this tool in fixture.v2"
                .to_string(),
        ]
    );
    // The unexposed rpc (default-deny) and the valid tool have no finding.
    assert!(
        !all.iter()
            .any(|f| f.contains("/Hidden") || f.contains("/GetThing:"))
    );
}

#[test]
fn mcp_input_nesting_is_a_warning() {
    let ws = common::workspace("lint/mcp_tools");
    let warnings: Vec<String> = lint::workspace_warnings(&ws.path().join("proto"))
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        warnings,
        [format!(
            "{TOOLS}:88:7 MCP_INPUT_PORTABLE rpc fixture.v1.ThingService/NestThing: the inputSchema of tool \
             \"fixture.nestThing\" (fixture.v1.NestThingRequest) nests objects 3 levels below the root \
             (portable: at most 2)"
        )]
    );
}

#[test]
fn mcp_capability_of_more_than_twenty_tools() {
    assert_eq!(
        findings("mcp_capability_size"),
        [
            "proto/fixture/v1/big.proto:170:7 MCP_CAPABILITY_SIZE rpc fixture.v1.BigQueryService/Get21: \
          capability \"big\" has 21 tools, more than 20; split it"
        ]
    );
}

#[test]
fn codegen_refuses_invalid_tools_with_their_location() {
    let ws = common::workspace("lint/mcp_tools");
    let compiled = xtask::protos::compile(&ws.path().join("proto")).unwrap();
    let err = xtask::codegen::pipeline::tools(&compiled)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("{TOOLS}:19:7 MCP_TOOL_NAME")),
        "{err}"
    );
}

#[test]
fn adapter_filled_fields_leave_the_input_schema() {
    // The rule drops top-level tenant_id; the option drops thing.owner_id (nested).
    let ws = common::workspace("lint/mcp_tools");
    let compiled = xtask::protos::compile(&ws.path().join("proto")).unwrap();
    let tools = xtask::codegen::generators::mcp::collect(&compiled.pool);
    let create = tools
        .iter()
        .find(|t| t.name == "fixture.createThing")
        .unwrap();
    let input = compiled.pool.get_message_by_name(&create.input).unwrap();
    assert_eq!(
        xtask::codegen::generators::mcp::adapter_filled(&input, create),
        ["tenant_id", "thing.owner_id", "thing.missing"]
    );
    let schema = xtask::codegen::generators::mcp::input_schema(&compiled.pool, create);
    let properties = schema["properties"].as_object().unwrap();
    assert_eq!(properties.keys().collect::<Vec<_>>(), ["thing"]);
    let thing = schema["properties"]["thing"]["properties"]
        .as_object()
        .unwrap();
    assert_eq!(thing.keys().collect::<Vec<_>>(), ["name"]);
    // The message's own schema keeps every field.
    let full = xtask::codegen::generators::mcp::message_schema(&input, &[]);
    assert!(full["properties"]["tenantId"].is_object());
    assert!(full["properties"]["thing"]["properties"]["ownerId"].is_object());
}
