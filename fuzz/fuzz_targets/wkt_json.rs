//! proto3 JSON of the well-known types (`common_eventing::wkt`, hand-written): what
//! parses writes JSON that parses to the same value, and its binary form decodes
//! (the depth limit keeps the two formats in step); `common_eventing::json::to_string`
//! writes the same text as `serde_json`.
#![no_main]

use common_eventing::wkt::{Any, Duration, FieldMask, Struct, Timestamp, Value};
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
    round_trip::<Value>(text);
    round_trip::<Struct>(text);
    round_trip::<Timestamp>(text);
    round_trip::<Duration>(text);
    round_trip::<FieldMask>(text);
    round_trip::<Any>(text);
});
