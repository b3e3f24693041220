//! The Rust half of a fixture round trip: decode what the peer wrote, check it, and
//! write Rust's own encodings back for the peer to verify.

use prost::Message;
use serde::{Serialize, de::DeserializeOwned};
use std::collections::BTreeMap;
use std::path::Path;

/// Checks one fixture of type `M` written by the peer as `<name>.bin`, `<name>.json`
/// and `<name>.snake.json`, and writes `<name>.rust.bin` and `<name>.rust.json`.
///
/// Asserts that the binary decodes, that re-encoding gives the peer's deterministic
/// bytes exactly (field order, map order, no lost or unknown fields), and that both
/// JSON spellings parse to the same message.
pub fn check_fixture<M>(dir: &Path, name: &str)
where
    M: Message + Default + PartialEq + Serialize + DeserializeOwned,
{
    let read = |suffix: &str| std::fs::read(dir.join(format!("{name}{suffix}"))).unwrap();
    let bin = read(".bin");
    let decoded = M::decode(bin.as_slice()).unwrap_or_else(|e| panic!("{name}: decode: {e}"));
    let encoded = decoded.encode_to_vec();
    assert!(
        encoded == bin,
        "{name}: Rust bytes differ from the peer's deterministic bytes"
    );
    for suffix in [".json", ".snake.json"] {
        let text = String::from_utf8(read(suffix)).unwrap();
        let parsed: M =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}{suffix}: parse: {e}"));
        assert!(
            parsed == decoded,
            "{name}{suffix}: JSON parses to a different message than the binary"
        );
    }
    let json = serde_json::to_string(&decoded).unwrap_or_else(|e| panic!("{name}: to JSON: {e}"));
    std::fs::write(dir.join(format!("{name}.rust.bin")), encoded).unwrap();
    std::fs::write(dir.join(format!("{name}.rust.json")), json).unwrap();
}

/// A fixture checker for one message type.
pub type Checker = fn(&Path, &str);

/// Maps full proto names to checkers.
pub type Checkers = BTreeMap<String, Checker>;

/// Builds a [`Checkers`] table from generated `visit_messages` functions, so no
/// message type is listed (or forgotten) by hand.
#[derive(Default)]
pub struct Table(pub Checkers);

impl common_eventing::MessageVisitor for Table {
    fn visit<M: common_eventing::JsonMessage>(&mut self) {
        self.0.insert(M::full_name(), check_fixture::<M>);
    }
}

/// Fixture index entry written by the peer.
#[derive(serde::Deserialize)]
pub struct IndexEntry {
    /// File stem of the fixture.
    pub name: String,
    /// Full proto name of its type.
    #[serde(rename = "type")]
    pub type_name: String,
}

/// Runs every fixture of `dir/index.json` through its checker. Fails when the peer
/// emitted a type the table lacks, or the table has a type the peer never emitted.
pub fn check_all(dir: &Path, checkers: &Checkers) -> usize {
    let index: Vec<IndexEntry> =
        serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap();
    let emitted: std::collections::BTreeSet<&str> =
        index.iter().map(|e| e.type_name.as_str()).collect();
    let known: std::collections::BTreeSet<&str> = checkers.keys().map(String::as_str).collect();
    assert_eq!(
        emitted, known,
        "the peer's message types and the Rust table differ"
    );
    for entry in &index {
        (checkers[&entry.type_name])(dir, &entry.name);
    }
    index.len()
}
