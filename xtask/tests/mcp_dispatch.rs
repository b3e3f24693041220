//! Golden test of the MCP adapter's dispatch generator: a fixture's exposed rpcs give
//! exactly `fixtures/mcp_dispatch/expected.rs` (rewrite it with `UPDATE_EXPECTED=1`
//! after a deliberate generator change, and review the diff).

mod common;

use xtask::codegen::generators::{mcp, mcp_dispatch};
use xtask::protos;

fn generated(fixture: &str) -> anyhow::Result<String> {
    let root = common::workspace(fixture);
    let compiled = protos::compile(&root.path().join("proto"))?;
    let tools = mcp::collect(&compiled.pool);
    mcp_dispatch::generate(&compiled.pool, &tools, |package| {
        (package == "fixture.v1").then(|| "::fixture::v1".to_string())
    })
}

#[test]
fn dispatch_matches_the_expected_file() {
    let text = generated("mcp_dispatch").unwrap();
    let expected = common::fixtures().join("mcp_dispatch/expected.rs");
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::write(&expected, &text).unwrap();
    }
    assert_eq!(text, std::fs::read_to_string(&expected).unwrap());
    // Default-deny: the unexposed rpc has no arm.
    assert!(!text.contains("drop_thing"));
    // Only the request with a tenant gets it filled.
    assert_eq!(
        text.matches("request.tenant_id = caller.tenant_id").count(),
        1
    );
}

#[test]
fn a_field_the_adapter_cannot_fill_is_refused_naming_the_tool() {
    let root = common::workspace("mcp_dispatch");
    let file = root.path().join("proto/fixture/v1/fixture.proto");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "description: \"Makes a thing.\"",
        "description: \"Makes a thing.\" adapter_filled_fields: \"name\"",
    );
    std::fs::write(&file, text).unwrap();
    let compiled = protos::compile(&root.path().join("proto")).unwrap();
    let tools = mcp::collect(&compiled.pool);
    let err = mcp_dispatch::generate(&compiled.pool, &tools, |_| Some("::f".into()))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("fixture.makeThing") && err.contains("\"name\"") && err.contains(":"),
        "{err}"
    );
}
