//! One depth budget through `google.protobuf.Any`: a Chaukas `Event` whose
//! `extensions` pack `Event`s inside each other, on every path of the runtime.
//!
//! - proto3 JSON, both ways (`serde_json` and `common_eventing::json::to_string`),
//!   looks inside each `Any`: the packed message counts one level below its `Any`,
//!   within the single depth limit of the outer message, so a chain is written and
//!   read up to the limit and refused one level past it.
//! - The binary decoder, `Lossless` and framing never look inside an `Any` (its value
//!   is bytes): a chain far past the limit decodes and re-encodes to the same bytes
//!   on a small stack, with nothing recursing per level.

use chaukas_spec_client::common::v1::Event;
use common_eventing::json::DEPTH_LIMIT;
use common_eventing::wkt::Any;
use common_eventing::{Lossless, framing};
use interop_tests::ingest_stack::nested;
use prost::Message as _;

fn register() {
    common_eventing::wkt::any::register::<Event>();
}

fn assert_depth_error(e: &str) {
    assert!(
        e.contains(&format!("depth limit of {DEPTH_LIMIT}")),
        "not the depth error: {e}"
    );
}

/// The deepest chain within the limit: its innermost `Event` at level 100.
const AT: u32 = DEPTH_LIMIT / 2 + 1;

#[test]
fn json_writes_to_the_limit_and_refuses_past_it() {
    register();
    let at = nested(AT);
    let text = serde_json::to_string(&at).unwrap();
    assert_eq!(common_eventing::json::to_string(&at).unwrap(), text);
    assert_eq!(text.matches("e-innermost").count(), 1);
    // One more Any (level 101) is past the limit.
    let past = nested(AT + 1);
    assert_depth_error(&serde_json::to_string(&past).unwrap_err().to_string());
    assert_depth_error(
        &common_eventing::json::to_string(&past)
            .unwrap_err()
            .to_string(),
    );
}

#[test]
fn json_reads_to_the_limit_and_refuses_past_it() {
    register();
    let text = serde_json::to_string(&nested(AT)).unwrap();
    let back: Event = serde_json::from_str(&text).unwrap();
    assert_eq!(back, nested(AT));
    // The same text one level deeper, written by hand (the writer refuses it).
    let deeper = format!(
        r#"{{"eventId":"e-top","tenantId":"t","extensions":[{{"@type":"{}",{}]}}"#,
        Any::pack(&Event::default()).type_url,
        &text[1..]
    );
    let e = serde_json::from_str::<Event>(&deeper)
        .unwrap_err()
        .to_string();
    assert_depth_error(&e);
}

/// Runs `f` on a thread with a 256 KiB stack: a path that recursed per level of a
/// 2,000-level chain would overflow it.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(f)
        .unwrap()
        .join()
        .expect("no stack overflow")
}

#[test]
fn binary_lossless_and_framing_keep_a_deep_chain_opaque() {
    register();
    // At the limit, one past it, and far past it: the same bytes back every time.
    for levels in [AT, AT + 1, 2_000] {
        let bytes = nested(levels).encode_to_vec();
        let input = bytes.clone();
        let (decoded, lossless, framed) = on_small_stack(move || {
            let decoded = Event::decode(input.as_slice()).unwrap().encode_to_vec();
            let lossless = Lossless::<Event>::decode(input.as_slice())
                .unwrap()
                .encode_to_vec();
            let message = Event::decode(input.as_slice()).unwrap();
            let frame = framing::encode_message(7, &message);
            let framed = framing::decode_message::<Event>(&frame)
                .unwrap()
                .message
                .encode_to_vec();
            (decoded, lossless, framed)
        });
        assert_eq!(decoded, bytes, "{levels} levels");
        assert_eq!(lossless, bytes, "{levels} levels");
        assert_eq!(framed, bytes, "{levels} levels");
    }
    // JSON looks inside, and stops at the limit (its stack use is that of 100 levels).
    let deep = nested(2_000);
    assert_depth_error(&serde_json::to_string(&deep).unwrap_err().to_string());
}
