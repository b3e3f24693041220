//! Zero-copy views against owned decode, for every message of every crate.
//!
//! - The view of a random instance writes the owned message's proto3 JSON, byte for
//!   byte.
//! - On random instances, and on the same bytes corrupted (a byte flipped, cut short,
//!   a byte inserted, two messages concatenated, which merges them), a view decodes
//!   exactly when `M::decode` does, and `to_message()` equals what `M::decode` gives
//!   (compared as prost's bytes, so NaN compares equal to itself).
//! - Nesting at the recursion limit: accepted and refused at the same level.
//!
//! `tests/tests/view_allocations.rs` counts allocations (alone in its binary).

use chaukas_spec_client::common::v1::{Event, EventBatch, ToolCall, event};
use common_eventing::encode::Encode;
use common_eventing::view::{HasView, MessageView};
use common_eventing::visit::JsonMessage;
use common_eventing::wkt::{Struct, Value};
use interop_tests::every_message::{Check, for_each_message, pool, random_value};
use prost::Message as _;
use prost_reflect::{DescriptorPool, DynamicMessage, FieldDescriptor};
/// The outcome of decoding `bytes` both ways: `Ok(prost bytes of the message)` or the
/// error text.
fn both<M: HasView>(bytes: &[u8]) -> (Result<Vec<u8>, String>, Result<Vec<u8>, String>) {
    let owned = M::decode(bytes)
        .map(|m| m.encode_to_vec())
        .map_err(|e| e.to_string());
    let view = <M as HasView>::View::decode_view(bytes)
        .map(|v| v.to_message().encode_to_vec())
        .map_err(|e| e.to_string());
    (owned, view)
}

/// Corruptions of `bytes` (and of `bytes` followed by `other`).
fn corruptions(bytes: &[u8], other: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut merged = bytes.to_vec();
    merged.extend_from_slice(other);
    out.push(merged);
    let mut twice = bytes.to_vec();
    twice.extend_from_slice(bytes);
    out.push(twice);
    if bytes.is_empty() {
        return out;
    }
    for _ in 0..6 {
        let mut flipped = bytes.to_vec();
        let i = fastrand::usize(..flipped.len());
        flipped[i] ^= 1 << fastrand::u8(0..8);
        out.push(flipped);
        let mut replaced = bytes.to_vec();
        replaced[i] = fastrand::u8(..);
        out.push(replaced);
        out.push(bytes[..fastrand::usize(..bytes.len())].to_vec());
        let mut inserted = bytes.to_vec();
        inserted.insert(fastrand::usize(..=bytes.len()), fastrand::u8(..));
        out.push(inserted);
    }
    out
}

#[derive(Default)]
struct Tally {
    valid: usize,
    /// Valid messages whose JSON (the same both ways) was written.
    json: usize,
    corrupt: usize,
    refused: usize,
    /// Refusals whose error text differs from prost's.
    other_text: Vec<(String, String)>,
}

struct Differential {
    pool: DescriptorPool,
    tally: Tally,
}

impl Check for Differential {
    fn check<M: JsonMessage + Encode + common_eventing::Known + HasView>(
        &mut self,
        _: &[FieldDescriptor],
    ) where
        for<'a> <M as HasView>::View<'a>: serde::Serialize,
    {
        let descriptor = self.pool.get_message_by_name(&M::full_name()).unwrap();
        let random = |all: bool| {
            let mut dynamic = DynamicMessage::new(descriptor.clone());
            for f in descriptor.fields() {
                if all || fastrand::bool() {
                    dynamic.set_field(&f, random_value(&f, 0));
                }
            }
            dynamic.encode_to_vec()
        };
        for round in 0..10 {
            let bytes = random(round == 0);
            let (owned, view) = both::<M>(&bytes);
            assert_eq!(owned, view, "{}: valid bytes {bytes:02x?}", M::full_name());
            self.tally.valid += 1;
            // The view writes the owned message's JSON (or fails as it does: a NaN in a
            // `Struct`, an `Any` of an unregistered type).
            if let (Ok(message), Ok(view)) = (
                M::decode(bytes.as_slice()),
                <M as HasView>::View::decode_view(&bytes),
            ) {
                let owned = common_eventing::json::to_string(&message).map_err(|e| e.to_string());
                let viewed = common_eventing::json::to_string(&view).map_err(|e| e.to_string());
                assert_eq!(owned, viewed, "{}: JSON of {bytes:02x?}", M::full_name());
                self.tally.json += usize::from(owned.is_ok());
            }
            let other = random(false);
            for bad in corruptions(&bytes, &other) {
                let (owned, view) = both::<M>(&bad);
                match (&owned, &view) {
                    (Err(a), Err(b)) => {
                        self.tally.refused += 1;
                        if a != b {
                            self.tally.other_text.push((a.clone(), b.clone()));
                        }
                    }
                    _ => {
                        assert_eq!(owned, view, "{}: bytes {bad:02x?}", M::full_name());
                        // Merged and concatenated messages (repeated map keys, merged
                        // oneof cases) write the same JSON too.
                        let (Ok(message), Ok(view)) = (
                            M::decode(bad.as_slice()),
                            <M as HasView>::View::decode_view(&bad),
                        ) else {
                            unreachable!("both decoded")
                        };
                        assert_eq!(
                            common_eventing::json::to_string(&message).map_err(|e| e.to_string()),
                            common_eventing::json::to_string(&view).map_err(|e| e.to_string()),
                            "{}: JSON of {bad:02x?}",
                            M::full_name()
                        );
                    }
                }
                self.tally.corrupt += 1;
            }
        }
    }
}

#[test]
fn views_accept_what_owned_decode_accepts_and_equal_it_for_every_message() {
    let mut d = Differential {
        pool: pool(),
        tally: Tally::default(),
    };
    let messages = for_each_message(&mut d);
    let t = d.tally;
    assert!(messages > 200, "{messages} messages");
    assert!(
        t.refused > t.corrupt / 10,
        "{} of {} refused",
        t.refused,
        t.corrupt
    );
    // Error texts: the same, with two exceptions.
    // - Where a read runs past the end of its enclosing message: prost reads on into
    //   the bytes after it (and then fails in some way), a view stops at the end and
    //   says the bytes ran out. One names the fields the other does and more inside
    //   them (prost's read fails deeper, or a view's inner read stops first).
    // - Inside a `Struct` tree, the hand-written tree decoder names the tree's own
    //   frames (`Struct.fields`, `FieldsEntry.value`, `Value.kind`, ...) depending on
    //   where the tree starts; the frames of generated messages and the description
    //   are the same.
    for (prost, view) in &t.other_text {
        let (prost_frames, prost_what) = frames(prost);
        let (view_frames, view_what) = frames(view);
        let truncated = ["buffer underflow", "invalid varint"].contains(&view_what)
            && (view_frames.ends_with(&prost_frames) || prost_frames.ends_with(&view_frames));
        let same_outside_trees = prost_what == view_what && prost_frames == view_frames;
        assert!(
            truncated || same_outside_trees,
            "prost: {prost}\nview:  {view}"
        );
    }
    eprintln!(
        "{messages} messages: {} valid ({} as JSON), {} corrupt ({} refused, {} with another error text)",
        t.valid,
        t.json,
        t.corrupt,
        t.refused,
        t.other_text.len()
    );
}

/// An error text's frames (`Message.field`) outside `Struct` trees, and its
/// description.
fn frames(text: &str) -> (Vec<&str>, &str) {
    const TREE: [&str; 4] = ["Struct.", "Value.", "ListValue.", "FieldsEntry."];
    let text = text
        .strip_prefix("failed to decode Protobuf message: ")
        .unwrap_or(text);
    let mut parts: Vec<&str> = text.split(": ").collect();
    let mut frames = Vec::new();
    while parts.len() > 1 && parts[0].contains('.') && !parts[0].contains(' ') {
        let frame = parts.remove(0);
        if !TREE.iter().any(|t| frame.starts_with(t)) {
            frames.push(frame);
        }
    }
    (frames, text.rsplit(": ").next().unwrap_or(text))
}

/// An event whose tool-call arguments nest `levels` `Struct`s.
fn nested_event(levels: usize) -> Vec<u8> {
    let mut value = Value::from("leaf");
    for _ in 0..levels {
        let inner: Struct = [("a", value)].into_iter().collect();
        value = Value::from(inner);
    }
    let event = Event {
        content: Some(event::Content::ToolCall(ToolCall {
            arguments: Some([("deep", value)].into_iter().collect()),
            ..Default::default()
        })),
        ..Default::default()
    };
    common_eventing::encode::to_vec(&event)
}

#[test]
fn the_recursion_limit_is_owned_decodes_to_the_level() {
    let mut accepted = 0;
    for levels in 25..40 {
        let bytes = nested_event(levels);
        let (owned, view) = both::<Event>(&bytes);
        assert_eq!(
            owned.is_ok(),
            view.is_ok(),
            "{levels} levels: {owned:?} / {view:?}"
        );
        if let (Err(a), Err(b)) = (&owned, &view) {
            assert!(
                a.contains("recursion limit") && b.contains("recursion limit"),
                "{a} / {b}"
            );
        }
        accepted += usize::from(owned.is_ok());
    }
    assert!(
        accepted > 0 && accepted < 15,
        "the limit falls inside the range"
    );
    // In a batch, the same event is one level deeper.
    for levels in 25..40 {
        let event = Event::decode(nested_event(levels).as_slice());
        let Ok(event) = event else { continue };
        let batch = common_eventing::encode::to_vec(&EventBatch {
            events: vec![event],
            ..Default::default()
        });
        let (owned, view) = both::<EventBatch>(&batch);
        assert_eq!(owned.is_ok(), view.is_ok(), "batch of {levels} levels");
    }
}
