//! `cargo xtask breaking` on fixtures: one released contract
//! (`fixtures/breaking/before`), one changed tree per breaking class, each with buf's
//! exact findings (rule ids and locations), the classification, and the version check.

mod common;

use std::path::Path;
use tempfile::TempDir;
use xtask::baseline;
use xtask::breaking::{self, Change, CrateReport};
use xtask::contract::Contract;
use xtask::contract::image::{own_files, read_image};

const FILE: &str = "proto/fixture/v1/fixture.proto";

fn contract() -> Contract {
    Contract {
        name: "fixture".into(),
        packages: vec!["fixture.v1".into(), "fixture.v2".into()],
    }
}

fn set_version(root: &Path, version: &str) {
    let dir = root.join("crates/fixture");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[package]\nname = \"fixture\"\nversion = \"{version}\"\n\n[dependencies]\n"),
    )
    .unwrap();
}

/// Releases `fixtures/breaking/before` at `released` (`cargo xtask baseline`), then
/// changes the tree to `fixtures/breaking/<case>` and the crate to `version`, and runs
/// the check of `cargo xtask breaking`.
fn scenario(case: &str, released: &str, version: &str) -> (TempDir, CrateReport) {
    let ws = common::workspace("breaking/before");
    set_version(ws.path(), released);
    baseline::record(ws.path(), &[contract()]).unwrap();
    common::replace_proto(ws.path(), &format!("breaking/{case}"));
    set_version(ws.path(), version);
    let mut reports = breaking::check_all(ws.path(), &[contract()]).unwrap();
    assert_eq!(reports.len(), 1);
    (ws, reports.remove(0))
}

/// `location rule` of every finding.
fn found(report: &CrateReport) -> Vec<String> {
    report
        .findings
        .iter()
        .map(|f| format!("{} {}", f.location(), f.rule))
        .collect()
}

/// The findings and classification of `case`, released and checked at 0.1.0.
fn classify(case: &str) -> (Vec<String>, Change) {
    let (_ws, report) = scenario(case, "0.1.0", "0.1.0");
    (found(&report), report.change)
}

fn at(position: &str, rule: &str) -> String {
    format!("{FILE}:{position} {rule}")
}

#[test]
fn field_deleted_without_reservation() {
    assert_eq!(
        classify("field_deleted"),
        (
            vec![
                at("7:1", "FIELD_NO_DELETE_UNLESS_NAME_RESERVED"),
                at("7:1", "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"),
            ],
            Change::Breaking
        )
    );
}

#[test]
fn field_deleted_with_its_number_reserved() {
    // JSON still reads the old name: the name must be reserved too.
    assert_eq!(
        classify("field_deleted_number_reserved"),
        (
            vec![at("7:1", "FIELD_NO_DELETE_UNLESS_NAME_RESERVED")],
            Change::Breaking
        )
    );
}

#[test]
fn field_deleted_with_number_and_name_reserved() {
    assert_eq!(
        classify("field_deleted_reserved"),
        (vec![], Change::Additive)
    );
}

#[test]
fn field_renumbered() {
    assert_eq!(
        classify("field_renumbered"),
        (
            vec![
                at("7:1", "FIELD_NO_DELETE_UNLESS_NAME_RESERVED"),
                at("7:1", "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"),
            ],
            Change::Breaking
        )
    );
}

#[test]
fn field_type_changed() {
    assert_eq!(
        classify("field_type_changed"),
        (
            vec![at("11:3", "FIELD_WIRE_JSON_COMPATIBLE_TYPE")],
            Change::Breaking
        )
    );
}

#[test]
fn field_renamed_breaks_json() {
    assert_eq!(
        classify("field_renamed"),
        (
            vec![
                at("11:3", "FIELD_SAME_JSON_NAME"),
                at("11:10", "FIELD_SAME_NAME"),
            ],
            Change::Breaking
        )
    );
}

#[test]
fn enum_value_removed() {
    assert_eq!(
        classify("enum_value_removed"),
        (
            vec![
                at("17:1", "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED"),
                at("17:1", "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED"),
            ],
            Change::Breaking
        )
    );
}

#[test]
fn rpc_removed() {
    assert_eq!(
        classify("rpc_removed"),
        (vec![at("51:1", "RPC_NO_DELETE")], Change::Breaking)
    );
}

#[test]
fn streaming_changed() {
    assert_eq!(
        classify("streaming_changed"),
        (
            vec![at("55:3", "RPC_SAME_SERVER_STREAMING")],
            Change::Breaking
        )
    );
}

#[test]
fn field_added() {
    assert_eq!(classify("field_added"), (vec![], Change::Additive));
}

#[test]
fn comments_are_not_a_change() {
    assert_eq!(classify("comment_changed"), (vec![], Change::None));
}

#[test]
fn package_deleted() {
    assert_eq!(
        classify("package_deleted"),
        (
            vec!["proto:1:1 PACKAGE_NO_DELETE".to_string()],
            Change::Breaking
        )
    );
}

// The version check.

fn verdict(case: &str, released: &str, version: &str) -> Result<(), String> {
    scenario(case, released, version).1.verdict
}

#[test]
fn additive_change_without_a_bump_fails() {
    let err = verdict("field_added", "0.1.0", "0.1.0").unwrap_err();
    assert!(err.contains("needs at least version 0.2.0"), "{err}");
}

#[test]
fn additive_change_with_a_patch_bump_fails() {
    // 0.x: the minor is the number after `0.`; a patch release never adds a field.
    let err = verdict("field_added", "0.1.0", "0.1.1").unwrap_err();
    assert!(err.contains("needs at least version 0.2.0"), "{err}");
    let err = verdict("field_added", "1.4.2", "1.4.3").unwrap_err();
    assert!(err.contains("needs at least version 1.5.0"), "{err}");
}

#[test]
fn additive_change_with_a_minor_bump_passes() {
    assert_eq!(verdict("field_added", "0.1.0", "0.2.0"), Ok(()));
    assert_eq!(verdict("field_deleted_reserved", "0.1.0", "0.2.0"), Ok(()));
    assert_eq!(verdict("field_added", "1.4.2", "1.5.0"), Ok(()));
    assert_eq!(verdict("field_added", "1.4.2", "2.0.0"), Ok(()));
}

#[test]
fn breaking_change_with_only_a_version_bump_still_fails() {
    for version in ["0.2.0", "1.0.0", "2.0.0"] {
        let err = verdict("field_renumbered", "0.1.0", version).unwrap_err();
        assert!(err.contains("refused whatever the version"), "{err}");
    }
    assert!(verdict("rpc_removed", "1.0.0", "2.0.0").is_err());
    // Deleting a package with no newer version of it is never excused either.
    assert!(verdict("package_deleted", "0.1.0", "1.0.0").is_err());
}

#[test]
fn retiring_a_package_superseded_by_v2_needs_a_major_bump() {
    let (_ws, report) = scenario("package_retired", "0.1.0", "0.1.0");
    assert_eq!(found(&report), ["proto:1:1 PACKAGE_NO_DELETE"]);
    assert_eq!(report.change, Change::Breaking);
    let err = report.verdict.unwrap_err();
    assert!(
        err.contains("needs at least version 0.2.0 (a major bump)"),
        "{err}"
    );
    assert_eq!(verdict("package_retired", "0.1.0", "0.2.0"), Ok(()));
    assert!(verdict("package_retired", "1.3.0", "1.4.0").is_err());
    assert_eq!(verdict("package_retired", "1.3.0", "2.0.0"), Ok(()));
}

#[test]
fn no_change_passes_and_a_version_never_goes_back() {
    assert_eq!(verdict("comment_changed", "0.1.0", "0.1.0"), Ok(()));
    let err = verdict("comment_changed", "0.2.0", "0.1.0").unwrap_err();
    assert!(err.contains("lower than the released 0.2.0"), "{err}");
}

// `cargo xtask baseline`.

#[test]
fn baseline_records_an_additive_release_and_refuses_a_breaking_one() {
    let (ws, report) = scenario("field_added", "0.1.0", "0.2.0");
    assert!(report.ok());
    baseline::record(ws.path(), &[contract()]).unwrap();
    let dir = ws.path().join("baselines/fixture");
    assert_eq!(
        std::fs::read_to_string(dir.join("version")).unwrap(),
        "0.2.0\n"
    );
    let image = std::fs::read(dir.join("image.binpb")).unwrap();
    let files = own_files(&read_image(&image).unwrap());
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        ["fixture/v1/fixture.proto"]
    );
    // Released: the same tree is now "none".
    let reports = breaking::check_all(ws.path(), &[contract()]).unwrap();
    assert_eq!(reports[0].change, Change::None);

    // A breaking change cannot be blessed by recording a baseline, whatever the version.
    common::replace_proto(ws.path(), "breaking/field_renumbered");
    set_version(ws.path(), "1.0.0");
    let err = baseline::record(ws.path(), &[contract()]).unwrap_err();
    assert!(
        err.to_string().contains("baseline refused for fixture"),
        "{err}"
    );
    assert_eq!(std::fs::read(dir.join("image.binpb")).unwrap(), image);
    assert_eq!(
        std::fs::read_to_string(dir.join("version")).unwrap(),
        "0.2.0\n"
    );
}

#[test]
fn a_released_crate_cannot_disappear() {
    let ws = common::workspace("breaking/before");
    set_version(ws.path(), "0.1.0");
    baseline::record(ws.path(), &[contract()]).unwrap();
    let err = breaking::check_all(ws.path(), &[]).unwrap_err();
    assert!(
        err.to_string().contains("baselines/fixture has no crate"),
        "{err}"
    );
}

#[test]
fn the_workspace_matches_its_baselines() {
    // Every crate of the workspace is released (has a baseline), and the tree passes.
    let root = common::repo();
    let contracts: Vec<Contract> = xtask::workspace::CRATES.iter().map(Contract::of).collect();
    let reports = breaking::check_all(&root, &contracts).unwrap();
    assert_eq!(reports.len(), contracts.len());
    for report in reports {
        assert!(
            report.ok(),
            "{}: {:?} {:?}",
            report.name,
            report.verdict,
            report.findings
        );
    }
}

#[test]
fn eventing_option_changes_are_breaking() {
    // buf does not compare custom option values; the workspace does.
    let ws = common::workspace("breaking/eventing_before");
    set_version(ws.path(), "0.1.0");
    baseline::record(ws.path(), &[contract()]).unwrap();
    common::replace_proto(ws.path(), "breaking/eventing_stream_renamed");
    set_version(ws.path(), "0.2.0");
    let report = breaking::check_all(ws.path(), &[contract()])
        .unwrap()
        .remove(0);
    assert_eq!(found(&report), [at("8:1", "EVENTING_OPTION_SAME")]);
    let message = &report.findings[0].message;
    assert!(
        message.contains(r#"stream_ref "fixture.things" -> "fixture.stuff""#),
        "{message}"
    );
    assert!(
        message.contains(r#"partition_key_fields ["tenant_id"] -> ["event_id"]"#),
        "{message}"
    );
    assert_eq!(report.change, Change::Breaking);
    assert!(!report.ok(), "a minor bump does not excuse a renamed topic");
}

/// Releases `mcp_before` at 0.1.0, then checks `case` at 0.2.0 (a minor bump).
fn mcp_scenario(case: &str) -> CrateReport {
    let ws = common::workspace("breaking/mcp_before");
    set_version(ws.path(), "0.1.0");
    baseline::record(ws.path(), &[contract()]).unwrap();
    common::replace_proto(ws.path(), &format!("breaking/{case}"));
    set_version(ws.path(), "0.2.0");
    breaking::check_all(ws.path(), &[contract()])
        .unwrap()
        .remove(0)
}

#[test]
fn renaming_a_tool_or_changing_its_hints_is_breaking() {
    // buf sees nothing (option values are not compared); the workspace does.
    let report = mcp_scenario("mcp_tool_renamed");
    assert_eq!(
        found(&report),
        [at("10:3", "MCP_TOOL_SAME"), at("18:3", "MCP_TOOL_SAME")]
    );
    let messages: Vec<&str> = report.findings.iter().map(|f| f.message.as_str()).collect();
    assert!(
        messages[0].contains(r#"tool_name "fixture.getThing" -> "fixture.fetchThing""#),
        "{messages:?}"
    );
    assert!(
        messages[1].contains(
            "fixture.v1.ThingQueryService/ListThings changed: idempotentHint true -> false"
        ),
        "{messages:?}"
    );
    assert_eq!(report.change, Change::Breaking);
    assert!(!report.ok(), "a minor bump does not excuse a renamed tool");
}

#[test]
fn removing_a_tool_is_breaking() {
    let report = mcp_scenario("mcp_tool_removed");
    assert_eq!(
        found(&report),
        ["proto/fixture/v1/fixture.proto:1:1 MCP_TOOL_SAME"]
    );
    assert!(
        report.findings[0].message.contains(
            r#"tool "fixture.listThings" (fixture.v1.ThingQueryService/ListThings) was removed"#
        ),
        "{}",
        report.findings[0].message
    );
    assert_eq!(report.change, Change::Breaking);
}

#[test]
fn an_unchanged_tool_is_not_a_change() {
    let report = mcp_scenario("mcp_before");
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert_eq!(report.change, Change::None);
    assert!(report.ok());
}
