//! Generated proto3 JSON of `Event` and `EventBatch` (`xtask/src/codegen/generators/json`): what parses
//! writes JSON that parses to the same message, and its binary form decodes;
//! `common_eventing::json::to_string` writes the same text as `serde_json`.
#![no_main]

use chaukas_spec_client::common::v1::{Event, EventBatch};
use libfuzzer_sys::fuzz_target;
use prost::Message;
use serde::{Serialize, de::DeserializeOwned};

fn round_trip<T: Serialize + DeserializeOwned + Message + Default + std::fmt::Debug>(text: &str) {
    let Ok(value) = serde_json::from_str::<T>(text) else {
        return;
    };
    // The fast writer writes what serde_json writes, or fails the same way.
    assert_eq!(
        common_eventing::json::to_string(&value).map_err(|e| e.to_string()),
        serde_json::to_string(&value).map_err(|e| e.to_string())
    );
    if let Ok(written) = serde_json::to_string(&value) {
        let again: T = serde_json::from_str(&written)
            .unwrap_or_else(|e| panic!("{written} does not read back: {e}"));
        // Compared as bytes: a NaN double is not equal to itself.
        assert_eq!(again.encode_to_vec(), value.encode_to_vec(), "{written}");
    }
    let decoded = T::decode(value.encode_to_vec().as_slice())
        .unwrap_or_else(|e| panic!("accepted from JSON, undecodable in binary: {e}"));
    assert_eq!(decoded.encode_to_vec(), value.encode_to_vec());
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    round_trip::<Event>(text);
    round_trip::<EventBatch>(text);
});
