//! Decoding a view allocates nothing for strings, bytes, repeated fields or maps,
//! and neither does reading it. Alone in its test binary: the allocator's counters
//! are global.

use chaukas_spec_client::common::v1::{Event, EventBatch, ToolCall, event};
use common_eventing::view::{HasView, MessageView};
use common_eventing::wkt::Value;
use prost::Message as _;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use std::alloc::System;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn allocations<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let region = Region::new(GLOBAL);
    let r = f();
    let stats = region.change();
    (r, stats.allocations + stats.reallocations)
}

fn sample_batch() -> Vec<u8> {
    let events = (0..50)
        .map(|i| Event {
            event_id: format!("evt-{i}"),
            tenant_id: "tenant".into(),
            session_id: format!("session-{i}"),
            tags: vec!["a".into(), "b".into()],
            content: Some(event::Content::ToolCall(ToolCall {
                name: "search".into(),
                arguments: Some(
                    [("q", Value::from("text")), ("n", Value::from(3.0))]
                        .into_iter()
                        .collect(),
                ),
                ..Default::default()
            })),
            ..Default::default()
        })
        .collect();
    common_eventing::encode::to_vec(&EventBatch {
        events,
        ..Default::default()
    })
}

#[test]
fn decoding_and_reading_a_view_allocates_nothing() {
    let bytes = sample_batch();
    let (view, n) = allocations(|| <EventBatch as HasView>::View::decode_view(&bytes).unwrap());
    assert_eq!(n, 0, "decode_view allocated");
    let ((ids, keys), n) = allocations(|| {
        let mut ids = 0;
        let mut keys = 0;
        for event in view.events.iter() {
            ids += event.event_id.len() + event.tags.iter().map(str::len).sum::<usize>();
            if let Some(chaukas_spec_client::common::v1::EventContentView::ToolCall(call)) =
                &event.content
            {
                keys += call.arguments.as_ref().map_or(0, |a| a.fields().count());
            }
        }
        (ids, keys)
    });
    assert_eq!(n, 0, "iterating the view allocated");
    assert_eq!(keys, 100);
    assert!(ids > 250, "{ids}");
    // Owned decode of the same bytes allocates per string.
    let (_, owned) = allocations(|| EventBatch::decode(bytes.as_slice()).unwrap());
    assert!(owned > 300, "owned decode: {owned} allocations");
}
