//! Zero-copy views against owned decode on arbitrary bytes: a view decodes exactly
//! when `M::decode` does, and its `to_message()` is what `M::decode` gives (compared
//! as bytes: a NaN double is not equal to itself). Every element of the batch view
//! is iterated too.
#![no_main]

use chaukas_spec_client::common::v1::{Event, EventBatch};
use common_eventing::view::{HasView, MessageView};
use common_eventing::wkt::Struct;
use libfuzzer_sys::fuzz_target;

fn same<M: HasView>(data: &[u8]) {
    let owned = M::decode(data);
    let view = <M as HasView>::View::decode_view(data);
    match (owned, view) {
        (Ok(owned), Ok(view)) => {
            assert_eq!(view.to_message().encode_to_vec(), owned.encode_to_vec())
        }
        (Err(_), Err(_)) => {}
        (owned, view) => panic!(
            "owned decode: {:?}\nview: {:?}",
            owned.err(),
            view.err()
        ),
    }
}

fuzz_target!(|data: &[u8]| {
    same::<Event>(data);
    same::<EventBatch>(data);
    same::<Struct>(data);
    same::<chaukas_spec_server::server::v1::IngestEventBatchRequest>(data);
    if let Ok(batch) = <EventBatch as HasView>::View::decode_view(data) {
        let n = batch.events.iter().count();
        assert_eq!(n, batch.events.len());
    }
});
