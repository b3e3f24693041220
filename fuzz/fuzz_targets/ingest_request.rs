//! The ingest server's request decoding (`apps/chaukas-ingest-server/src/http.rs`): bodies as JSON
//! `Event`/`EventBatch` and as binary `IngestEventRequest`/`IngestEventBatchRequest`,
//! and the hand-written JSON path finder behind its error messages. What is accepted
//! reads back the same; the path finder never panics and always names a path.
#![no_main]

use chaukas_spec_client::common::v1::{Event, EventBatch};
use chaukas_spec_server::server::v1::{IngestEventBatchRequest, IngestEventRequest};
use chaukas_ingest_server::http::{decode_json, decode_protobuf, json_path_at};
use libfuzzer_sys::fuzz_target;
use prost::Message;

fuzz_target!(|data: &[u8]| {
    if let Ok(event) = decode_json::<Event>(data, "Event") {
        let written = serde_json::to_vec(&event).unwrap();
        let again = decode_json::<Event>(&written, "Event").unwrap();
        assert_eq!(again.encode_to_vec(), event.encode_to_vec());
    }
    if let Ok(batch) = decode_json::<EventBatch>(data, "EventBatch") {
        let written = serde_json::to_vec(&batch).unwrap();
        // Compared as bytes: a NaN double is not equal to itself.
        let again = decode_json::<EventBatch>(&written, "EventBatch").unwrap();
        assert_eq!(again.encode_to_vec(), batch.encode_to_vec());
    }
    if let Ok(request) = decode_protobuf::<IngestEventRequest>(data, "IngestEventRequest") {
        let bytes = request.encode_to_vec();
        let again = decode_protobuf::<IngestEventRequest>(&bytes, "IngestEventRequest").unwrap();
        assert_eq!(again.encode_to_vec(), bytes);
    }
    if let Ok(request) = decode_protobuf::<IngestEventBatchRequest>(data, "IngestEventBatchRequest")
    {
        let bytes = request.encode_to_vec();
        let again =
            decode_protobuf::<IngestEventBatchRequest>(&bytes, "IngestEventBatchRequest").unwrap();
        assert_eq!(again.encode_to_vec(), bytes);
    }
    let line = data.first().map_or(1, |b| usize::from(b % 4) + 1);
    let column = data.get(1).map_or(0, |b| usize::from(*b));
    let path = json_path_at(data, line, column);
    assert!(path.starts_with('$') && path.ends_with('.'), "{path}");
});
