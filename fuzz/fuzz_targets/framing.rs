//! Confluent framing (`common_eventing::framing`): a decoded frame encodes back to a
//! frame that decodes to the same parts, and both decoders agree.
#![no_main]

use common_eventing::framing;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let borrowed = framing::decode(data);
    let shared = framing::decode_bytes(&prost::bytes::Bytes::copy_from_slice(data));
    match (&borrowed, &shared) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.schema_id, b.schema_id);
            assert_eq!(a.message_indexes, b.message_indexes);
            assert_eq!(a.payload, &b.payload[..]);
            let again = framing::encode(a.schema_id, &a.message_indexes, a.payload);
            assert_eq!(
                again.len(),
                framing::header_len(&a.message_indexes) + a.payload.len()
            );
            assert_eq!(framing::decode(&again).unwrap(), *a);
        }
        (Err(a), Err(b)) => assert_eq!(a, b),
        _ => panic!("decode and decode_bytes disagree: {borrowed:?} {shared:?}"),
    }
});
