//! Chains of `google.protobuf.Any` built from the input: `Event`s in `extensions`
//! and `Any`s packing `Any`s, in any order and to any depth. Their proto3 JSON is
//! written exactly when the deepest message is within the depth limit (the packed
//! message of an `Any` one level below it), reads back equal, and the fast writer
//! agrees with `serde_json`. Binary, `Lossless` and framing never look inside an
//! `Any`: every chain re-encodes to its own bytes.
#![no_main]

use chaukas_spec_client::common::v1::Event;
use common_eventing::json::DEPTH_LIMIT;
use common_eventing::wkt::Any;
use common_eventing::{Lossless, framing};
use libfuzzer_sys::fuzz_target;
use prost::Message;

enum Top {
    Event(Event),
    Any(Any),
}

/// The chain the input describes, and the level of its deepest message.
fn build(data: &[u8]) -> (Event, u32) {
    let (mut top, mut depth) = (Top::Event(Event::default()), 0u32);
    // 120 steps reach depth 120 to 240: past the limit, and quick to build.
    for (i, byte) in data.iter().take(120).enumerate() {
        let extensions = |top: Top| match top {
            Top::Event(e) => (vec![Any::pack(&e)], 2),
            Top::Any(a) => (vec![a], 1),
        };
        (top, depth) = match byte % 3 {
            0 | 1 => {
                let (extensions, levels) = extensions(top);
                let event = Event {
                    event_id: if byte % 3 == 1 { format!("e{i}") } else { String::new() },
                    extensions,
                    ..Event::default()
                };
                (Top::Event(event), depth + levels)
            }
            _ => {
                let any = match top {
                    Top::Event(e) => Any::pack(&e),
                    Top::Any(a) => Any::pack(&a),
                };
                (Top::Any(any), depth + 1)
            }
        };
    }
    match top {
        Top::Event(e) => (e, depth),
        Top::Any(a) => (
            Event {
                extensions: vec![a],
                ..Event::default()
            },
            depth + 1,
        ),
    }
}

fuzz_target!(|data: &[u8]| {
    common_eventing::wkt::any::register::<Event>();
    let (event, depth) = build(data);
    match serde_json::to_string(&event) {
        Ok(text) => {
            assert!(depth <= DEPTH_LIMIT, "written at depth {depth}");
            assert_eq!(common_eventing::json::to_string(&event).unwrap(), text);
            let back: Event = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("written JSON does not read back: {e}"));
            assert_eq!(back, event);
        }
        Err(e) => {
            assert!(depth > DEPTH_LIMIT, "refused at depth {depth}: {e}");
            assert!(e.to_string().contains("depth limit"), "{e}");
            assert!(common_eventing::json::to_string(&event).is_err());
        }
    }
    let bytes = event.encode_to_vec();
    let lossless = Lossless::<Event>::decode(bytes.as_slice()).unwrap();
    assert_eq!(lossless.encode_to_vec(), bytes);
    let frame = framing::encode_message(1, &event);
    let framed = framing::decode_message::<Event>(&frame).unwrap();
    assert_eq!(framed.message.encode_to_vec(), bytes);
});
