//! Binary `Event` and `EventBatch` through `Lossless` (unknown fields kept): what
//! decodes re-encodes to bytes that decode to the same message and encode to the same
//! bytes again.
#![no_main]

use chaukas_spec_client::common::v1::{Event, EventBatch};
use common_eventing::{Known, Lossless};
use libfuzzer_sys::fuzz_target;
use prost::Message;

fn round_trip<T: Known + Message + Default + std::fmt::Debug>(data: &[u8]) {
    let Ok(message) = Lossless::<T>::decode(data) else {
        return;
    };
    let bytes = message.encode_to_vec();
    let again = Lossless::<T>::decode(bytes.as_slice())
        .unwrap_or_else(|e| panic!("re-encoded bytes do not decode: {e}"));
    // Compared as bytes: a NaN double is not equal to itself.
    assert_eq!(again.encode_to_vec(), bytes);
    // The known fields alone decode too, to the same known fields.
    let known = T::decode(bytes.as_slice()).unwrap();
    assert_eq!(known.encode_to_vec(), (*message).encode_to_vec());
}

fuzz_target!(|data: &[u8]| {
    round_trip::<Event>(data);
    round_trip::<EventBatch>(data);
});
