//! Every Chaukas message, both directions, binary and JSON, against the published
//! `chaukas-spec-client` / `chaukas-spec-server` 1.0.5 Python packages.

use chaukas_spec_client::client::v1 as client;
use chaukas_spec_client::common::v1 as common;
use chaukas_spec_server::server::v1 as server;
use interop_tests::{run, script};

#[test]
fn every_message_round_trips_through_python() {
    // Types an Any may carry in the fixtures.
    common_eventing::wkt::any::register::<common::ToolCall>();
    common_eventing::wkt::any::register::<common::ErrorInfo>();

    let mut table = interop_tests::roundtrip::Table::default();
    common::visit_messages(&mut table);
    client::visit_messages(&mut table);
    server::visit_messages(&mut table);
    let table = table.0;

    let dir = tempfile::tempdir().unwrap();
    let mut emit = script("chaukas_messages.py");
    emit.arg("emit").arg(dir.path());
    println!("{}", run(emit));

    let checked = interop_tests::roundtrip::check_all(dir.path(), &table);
    assert!(checked > 300, "only {checked} fixtures");

    let mut verify = script("chaukas_messages.py");
    verify.arg("verify").arg(dir.path());
    println!("{}", run(verify));
}
