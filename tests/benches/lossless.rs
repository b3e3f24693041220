//! `Lossless::<M>::decode` against `M::decode` (prost), for `cargo xtask bench`.
//!
//! `cargo bench -p interop-tests --bench lossless -- [--seconds S] [--out DIR]`
//!
//! For each payload: plain decode, lossless decode with no unknown fields (issue 13
//! allows at most +30%), and lossless decode and encode when a newer schema added a
//! field to every message (the slow path). Prints a markdown table; with `--out` also
//! writes `DIR/lossless.md`.
//!
//! How it is measured, so that a shared, busy machine does not decide the result:
//! every operation runs in short rounds of about 200 µs (at least one operation),
//! after a warm-up. `M::decode` and `Lossless::<M>::decode` of the same bytes run in
//! alternating rounds (plain then lossless, then lossless then plain, ...) for twice
//! `--seconds`, so background load and frequency changes hit both alike. Each time in
//! the table is the median of its per-round means (ns per operation); the overhead is
//! the median, over round pairs, of lossless round / plain round − 1, so a round
//! that was preempted cannot make the overhead either smaller or larger. The other
//! columns are medians of `--seconds` of rounds of the one operation.

use chaukas_spec_client::common::v1::{
    Event, EventBatch, EventType, LlmInvocation, ToolCall, event,
};
use common_eventing::Lossless;
use common_eventing::lossless::Known;
use common_eventing::wkt::{Struct, Timestamp, Value};
use prost::Message;
use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn tool_call_event(i: usize) -> Event {
    let arguments: Struct = (0..8)
        .map(|k| (format!("arg-{k}"), Value::from(format!("value {i} {k}"))))
        .collect();
    Event {
        event_id: format!("evt-{i:06}"),
        session_id: "sess-1".into(),
        span_id: format!("span-{i}"),
        parent_span_id: "span-0".into(),
        tenant_id: "tenant-acme".into(),
        project_id: "proj".into(),
        r#type: EventType::ToolCallStart as i32,
        timestamp: Some(Timestamp {
            seconds: 1_700_000_000 + i as i64,
            nanos: 5,
        }),
        tags: vec!["a".into(), "b".into()],
        content: Some(event::Content::ToolCall(ToolCall {
            id: format!("call-{i}"),
            name: "lookup".into(),
            arguments: Some(arguments),
            auth_required: true,
            function_name: "lookup_v2".into(),
        })),
        ..Default::default()
    }
}

fn llm_event(i: usize) -> Event {
    Event {
        event_id: format!("evt-llm-{i}"),
        tenant_id: "tenant-acme".into(),
        r#type: EventType::ModelInvocationEnd as i32,
        content: Some(event::Content::LlmInvocation(LlmInvocation {
            provider: "openai".into(),
            model: "gpt".into(),
            prompt_tokens: 1200,
            completion_tokens: 300,
            total_tokens: 1500,
            ..Default::default()
        })),
        ..Default::default()
    }
}

/// The bytes a newer schema would write: field 999 (a string) added at the top level,
/// which is enough to take the slow path (fingerprints on decode, splice on encode).
fn with_unknown(mut bytes: Vec<u8>) -> Vec<u8> {
    prost::encoding::string::encode(999, &"added by a newer schema".to_string(), &mut bytes);
    bytes
}

/// Iterations per round so that one round of `f` takes about 200 µs (at least one).
fn round_size(mut f: impl FnMut()) -> usize {
    let mut n = 1usize;
    loop {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        if t.elapsed() >= Duration::from_micros(200) {
            return n;
        }
        n *= 2;
    }
}

/// Mean ns per operation of one round of `n` calls of `f`.
fn round(n: usize, f: &mut impl FnMut()) -> f64 {
    let t = Instant::now();
    for _ in 0..n {
        f();
    }
    t.elapsed().as_nanos() as f64 / n as f64
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Warm-up, then the round size of `f`.
fn warm(f: &mut impl FnMut()) -> usize {
    let n = round_size(&mut *f);
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(20) {
        round(n, f);
    }
    n
}

/// Median per-round ns per operation of `f` over `seconds` of rounds.
fn median_ns(seconds: f64, mut f: impl FnMut()) -> f64 {
    let n = warm(&mut f);
    let start = Instant::now();
    let mut times = Vec::new();
    while times.len() < 5 || start.elapsed().as_secs_f64() < seconds {
        times.push(round(n, &mut f));
    }
    median(times)
}

/// `a` and `b` in alternating rounds for `2 * seconds`: the median per-round ns per
/// operation of each, and the median over round pairs of `b / a`.
fn paired(seconds: f64, mut a: impl FnMut(), mut b: impl FnMut()) -> (f64, f64, f64) {
    let (na, nb) = (warm(&mut a), warm(&mut b));
    let start = Instant::now();
    let (mut ta, mut tb, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    while ratios.len() < 5 || start.elapsed().as_secs_f64() < 2.0 * seconds {
        // Alternate which goes first, so neither always runs in the other's wake.
        let (x, y) = if ratios.len() % 2 == 0 {
            let x = round(na, &mut a);
            (x, round(nb, &mut b))
        } else {
            let y = round(nb, &mut b);
            (round(na, &mut a), y)
        };
        ta.push(x);
        tb.push(y);
        ratios.push(y / x);
    }
    (median(ta), median(tb), median(ratios))
}

fn row<M: Known + std::fmt::Debug + Send + Sync>(
    table: &mut String,
    name: &str,
    bytes: &[u8],
    seconds: f64,
) -> f64 {
    let (plain, lossless, ratio) = paired(
        seconds,
        || {
            black_box(M::decode(black_box(bytes)).unwrap());
        },
        || {
            black_box(Lossless::<M>::decode(black_box(bytes)).unwrap());
        },
    );
    let newer = with_unknown(bytes.to_vec());
    let decoded = Lossless::<M>::decode(newer.as_slice()).unwrap();
    assert!(!decoded.unknown_fields().is_empty());
    let lossless_unknown = median_ns(seconds, || {
        black_box(Lossless::<M>::decode(black_box(newer.as_slice())).unwrap());
    });
    let encode_plain = median_ns(seconds, || {
        black_box(black_box(&*decoded).encode_to_vec());
    });
    let encode_unknown = median_ns(seconds, || {
        black_box(black_box(&decoded).encode_to_vec());
    });
    let overhead = (ratio - 1.0) * 100.0;
    writeln!(
        table,
        "| {name} | {} | {:.2} | {:.2} | {overhead:+.1}% | {:.2} | {:.2} | {:.2} |",
        bytes.len(),
        plain / 1000.0,
        lossless / 1000.0,
        lossless_unknown / 1000.0,
        encode_plain / 1000.0,
        encode_unknown / 1000.0,
    )
    .unwrap();
    overhead
}

fn main() {
    let mut seconds = 0.5;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => seconds = args.next().unwrap().parse().unwrap(),
            "--out" => out = Some(std::path::PathBuf::from(args.next().unwrap())),
            "--bench" => {}
            other => panic!("unknown argument {other}"),
        }
    }
    let mut table = String::from(
        "| payload | bytes | `M::decode` µs | `Lossless` decode µs | overhead | `Lossless` decode, 1 unknown field µs | `M` encode µs | `Lossless` encode, 1 unknown field µs |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    let mut worst = f64::MIN;
    let tool = tool_call_event(1).encode_to_vec();
    worst = worst.max(row::<Event>(
        &mut table,
        "Event (tool call, 8-entry Struct)",
        &tool,
        seconds,
    ));
    let llm = llm_event(1).encode_to_vec();
    worst = worst.max(row::<Event>(
        &mut table,
        "Event (LLM invocation)",
        &llm,
        seconds,
    ));
    let batch = EventBatch {
        batch_id: "b".into(),
        events: (0..100)
            .map(|i| {
                if i % 2 == 0 {
                    tool_call_event(i)
                } else {
                    llm_event(i)
                }
            })
            .collect(),
        ..Default::default()
    }
    .encode_to_vec();
    worst = worst.max(row::<EventBatch>(
        &mut table,
        "EventBatch (100 events)",
        &batch,
        seconds,
    ));
    println!("{table}");
    println!("worst lossless decode overhead with no unknown fields: {worst:+.1}%");
    if let Some(dir) = out {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("lossless.md"),
            format!(
                "{table}\nworst lossless decode overhead with no unknown fields: {worst:+.1}%\n"
            ),
        )
        .unwrap();
    }
}
