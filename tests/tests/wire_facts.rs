//! Our descriptors carry exactly the upstream wire contracts (tests/contracts/*.facts):
//! every message, field number, type, label, oneof, enum value number, service and
//! rpc of aiOS and AumOS.

use interop_tests::{run, script, workspace_root};

fn facts_of(set: &[u8], prefix: &str, strip_enum_prefix: bool) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("set.binpb");
    std::fs::write(&path, set).unwrap();
    let mut cmd = script("wire_facts.py");
    cmd.arg(&path).arg(prefix);
    if strip_enum_prefix {
        cmd.arg("--strip-enum-prefix");
    }
    run(cmd).lines().map(str::to_owned).collect()
}

fn snapshot(name: &str) -> Vec<String> {
    let text =
        std::fs::read_to_string(workspace_root().join("tests/contracts").join(name)).unwrap();
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    lines.sort();
    lines
}

fn assert_same(ours: &[String], upstream: &[String], what: &str) {
    let missing: Vec<_> = upstream.iter().filter(|l| !ours.contains(l)).collect();
    let extra: Vec<_> = ours.iter().filter(|l| !upstream.contains(l)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{what}: wire facts differ\n--- upstream only\n{missing:#?}\n--- ours only\n{extra:#?}"
    );
}

#[test]
fn aios_matches_the_agent_core_contract() {
    let ours = facts_of(aios_proto::FILE_DESCRIPTOR_SET, "aios", false);
    assert_eq!(ours.len(), 554);
    assert_same(&ours, &snapshot("aios.facts"), "aiOS");
}

#[test]
fn aumos_matches_the_upstream_numbers() {
    // agf is this workspace's addition (the framework published no schema); the
    // upstream facts cover the platform packages.
    let ours: Vec<String> = facts_of(aumos_proto::FILE_DESCRIPTOR_SET, "aumos", true)
        .into_iter()
        .filter(|l| !l.contains("aumos.agf."))
        .collect();
    assert_same(&ours, &snapshot("aumos.facts"), "AumOS");
}
