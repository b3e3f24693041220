//! `common_eventing::Lossless` against a newer schema, for every crate: the Python peer
//! (`tests/python/lossless_differential.py`, the real `protobuf` package) builds a
//! newer schema from the workspace's descriptors at run time, adding fields of random
//! types at random depths, and writes random messages of it with a patch changing one
//! known field. Rust decodes each as `Lossless<M>` (it must find unknown fields),
//! merges the patch into the known message, and re-encodes; the peer then requires the
//! bytes to equal its message with the patch applied, every added field included. It
//! also requires plain prost (`M::decode` + `encode`) to lose data on every case, so
//! the test cannot pass with a decoder that keeps nothing.
//!
//! The seed is random per run and printed; `LOSSLESS_SEED=<n>` replays a run.

use common_eventing::lossless::Known;
use common_eventing::registry::ProtoSchema;
use common_eventing::{JsonMessage, Lossless, MessageVisitor};
use interop_tests::{descriptor_sets, run, script};
use std::collections::BTreeMap;
use std::path::Path;

/// Decodes one case, changes the known field, re-encodes: (lossless, plain) bytes.
type Apply = fn(&[u8], &[u8]) -> Result<(Vec<u8>, Vec<u8>), String>;

fn apply<M: Known + prost::Name>(bin: &[u8], patch: &[u8]) -> Result<(Vec<u8>, Vec<u8>), String> {
    let mut m = Lossless::<M>::decode(bin).map_err(|e| format!("decode: {e}"))?;
    if m.unknown_fields().is_empty() {
        return Err("no unknown field found in a message of the newer schema".into());
    }
    // The change, through DerefMut on the prost message itself.
    M::merge(&mut *m, patch).map_err(|e| format!("patch: {e}"))?;
    let mut plain = M::decode(bin).map_err(|e| format!("plain decode: {e}"))?;
    plain
        .merge(patch)
        .map_err(|e| format!("plain patch: {e}"))?;
    Ok((m.encode_to_vec(), plain.encode_to_vec()))
}

#[derive(Default)]
struct Table(BTreeMap<String, Apply>);

impl Table {
    fn add<M: Known + prost::Name>(&mut self) {
        self.0.insert(M::full_name(), apply::<M>);
    }
}

impl MessageVisitor for Table {
    fn visit<M: JsonMessage + ProtoSchema + Known + common_eventing::encode::Encode>(&mut self) {
        self.add::<M>();
    }
}

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    #[serde(rename = "type")]
    type_name: String,
}

fn seed() -> u64 {
    match std::env::var("LOSSLESS_SEED") {
        Ok(s) => s.parse().expect("LOSSLESS_SEED is a number"),
        Err(_) => {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                % 1_000_000_007
        }
    }
}

/// Every crate's descriptors: the old schema the Rust code was generated from.
fn descriptors(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("descriptors.bin");
    let set = descriptor_sets(&[
        common_eventing::FILE_DESCRIPTOR_SET,
        chaukas_spec_client::FILE_DESCRIPTOR_SET,
        chaukas_spec_server::FILE_DESCRIPTOR_SET,
        aios_proto::FILE_DESCRIPTOR_SET,
        aumos_proto::FILE_DESCRIPTOR_SET,
        ameide_sre_proto::FILE_DESCRIPTOR_SET,
    ]);
    std::fs::write(&path, set).unwrap();
    path
}

fn differential(packages: &[&str], table: Table) {
    const CASES: usize = 200;
    let dir = tempfile::tempdir().unwrap();
    let desc = descriptors(dir.path());
    let seed = seed().to_string();
    println!("seed {seed} (LOSSLESS_SEED={seed} replays it)");
    let mut emit = script("lossless_differential.py");
    emit.arg("emit")
        .arg(dir.path())
        .arg(&desc)
        .arg(packages.join(","))
        .arg(CASES.to_string())
        .arg(&seed);
    println!("{}", run(emit));
    let index: Vec<Case> =
        serde_json::from_slice(&std::fs::read(dir.path().join("index.json")).unwrap()).unwrap();
    assert!(index.len() >= CASES, "only {} cases", index.len());
    let emitted: std::collections::BTreeSet<&str> =
        index.iter().map(|c| c.type_name.as_str()).collect();
    let known: std::collections::BTreeSet<&str> = table.0.keys().map(String::as_str).collect();
    assert_eq!(
        emitted, known,
        "the peer's message types and the Rust table differ"
    );
    for case in &index {
        let read = |suffix: &str| std::fs::read(dir.path().join(format!("{}{suffix}", case.name)));
        let (bin, patch) = (read(".bin").unwrap(), read(".patch").unwrap());
        let (lossless, plain) = (table.0[&case.type_name])(&bin, &patch)
            .unwrap_or_else(|e| panic!("{} ({}), seed {seed}: {e}", case.name, case.type_name));
        std::fs::write(dir.path().join(format!("{}.rust.bin", case.name)), lossless).unwrap();
        std::fs::write(dir.path().join(format!("{}.plain.bin", case.name)), plain).unwrap();
    }
    let mut verify = script("lossless_differential.py");
    verify.arg("verify").arg(dir.path()).arg(&desc).arg(&seed);
    println!("{}", run(verify));
}

#[test]
fn common_eventing_keeps_fields_of_a_newer_schema() {
    use common_eventing::wkt::*;
    let mut table = Table::default();
    common_eventing::options::v1::visit_messages(&mut table);
    // The well-known types have no visitor (hand-written JSON); Struct, Value and
    // ListValue are leaves (see common_eventing::lossless) and are not extended.
    table.add::<Any>();
    table.add::<Duration>();
    table.add::<Empty>();
    table.add::<FieldMask>();
    table.add::<Timestamp>();
    table.add::<DoubleValue>();
    table.add::<FloatValue>();
    table.add::<Int64Value>();
    table.add::<UInt64Value>();
    table.add::<Int32Value>();
    table.add::<UInt32Value>();
    table.add::<BoolValue>();
    table.add::<StringValue>();
    table.add::<BytesValue>();
    differential(&["google.protobuf", "ameide_core_proto.common.v1"], table);
}

#[test]
fn chaukas_spec_client_keeps_fields_of_a_newer_schema() {
    let mut table = Table::default();
    chaukas_spec_client::common::v1::visit_messages(&mut table);
    chaukas_spec_client::client::v1::visit_messages(&mut table);
    differential(&["chaukas.spec.common.v1", "chaukas.spec.client.v1"], table);
}

#[test]
fn chaukas_spec_server_keeps_fields_of_a_newer_schema() {
    let mut table = Table::default();
    chaukas_spec_server::server::v1::visit_messages(&mut table);
    differential(&["chaukas.spec.server.v1"], table);
}

#[test]
fn aios_proto_keeps_fields_of_a_newer_schema() {
    let mut table = Table::default();
    aios_proto::common::visit_messages(&mut table);
    aios_proto::orchestrator::visit_messages(&mut table);
    aios_proto::agent::visit_messages(&mut table);
    aios_proto::runtime::visit_messages(&mut table);
    aios_proto::tools::visit_messages(&mut table);
    aios_proto::memory::visit_messages(&mut table);
    aios_proto::api_gateway::visit_messages(&mut table);
    differential(
        &[
            "aios.common",
            "aios.orchestrator",
            "aios.agent",
            "aios.runtime",
            "aios.tools",
            "aios.memory",
            "aios.api_gateway",
        ],
        table,
    );
}

#[test]
fn aumos_proto_keeps_fields_of_a_newer_schema() {
    let mut table = Table::default();
    aumos_proto::events::v1::visit_messages(&mut table);
    aumos_proto::models::v1::visit_messages(&mut table);
    aumos_proto::api::v1::visit_messages(&mut table);
    aumos_proto::agf::v1::visit_messages(&mut table);
    differential(
        &[
            "aumos.events.v1",
            "aumos.models.v1",
            "aumos.api.v1",
            "aumos.agf.v1",
        ],
        table,
    );
}

#[test]
fn ameide_sre_proto_keeps_fields_of_a_newer_schema() {
    let mut table = Table::default();
    ameide_sre_proto::core::v1::visit_messages(&mut table);
    ameide_sre_proto::process::v1::visit_messages(&mut table);
    differential(
        &[
            "ameide_core_proto.sre.core.v1",
            "ameide_core_proto.sre.process.v1",
        ],
        table,
    );
}
