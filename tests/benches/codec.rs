//! The Rust half of `cargo xtask bench`: encode, decode, to JSON and from JSON of the
//! workspace's representative payloads, with allocations counted.
//!
//! `cargo bench -p interop-tests --bench codec -- --out DIR [--seconds S] [--filter NAME] [--op OP] [--iters N]`
//!
//! For each payload it writes `DIR/<name>.bin` (the deterministic binary form) and
//! `DIR/<name>.json` (the canonical JSON), then `DIR/rust.json` with the results.
//! `tests/python/bench_upb.py DIR` times Python protobuf (upb) on those same bytes and
//! `cargo xtask bench` prints both side by side. Times are the best batch mean (ns per
//! operation) after warm-up, the same rule the Python side uses; allocations are the
//! calls into the allocator (`alloc` + `realloc`) during one operation. Encode is
//! timed twice: `common_eventing::encode::to_vec` (`encode`) and prost's
//! `encode_to_vec` (`encode_prost`), which write the same bytes. To JSON is
//! `common_eventing::json::to_string` (the same bytes as `serde_json::to_string`,
//! which `tests/tests/json_spec.rs` checks for every message); from JSON is
//! `serde_json::from_str`.

use ameide_sre_proto::core::v1::{IncidentCreated, SreDomainFact, SreMessageMeta, SreSubject};
use buffa_peer::aios::{
    __buffa::view::{
        InferenceRequestView as BInferenceRequestView,
        InferenceResponseView as BInferenceResponseView,
    },
    InferenceRequest as BInferenceRequest, InferenceResponse as BInferenceResponse,
};
use buffa_peer::chaukas::{
    __buffa::view::{EventBatchView as BEventBatchView, EventView as BEventView},
    Event as BEvent, EventBatch as BEventBatch,
};
use chaukas_spec_client::common::v1::{
    Event, EventBatch, EventType, LlmInvocation, MessageContent, Severity, ToolCall, event,
};
use common_eventing::encode::{self, Encode};
use common_eventing::framing;
use common_eventing::view::{HasView, MessageView};
use common_eventing::wkt::{ListValue, Struct, Timestamp, Value};
use prost::Message;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

/// The system allocator, counting calls only while [`count_allocations`] runs: the
/// timed loops pay one relaxed load per call, not the four sequentially consistent
/// read-modify-writes of an always-on counter (which cost an allocating decode more
/// than its parsing).
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static CALLS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

#[inline(always)]
fn counted(bytes: usize) {
    if COUNTING.load(Relaxed) {
        CALLS.fetch_add(1, Relaxed);
        BYTES.fetch_add(bytes, Relaxed);
    }
}

// SAFETY: every call is forwarded to `System` unchanged.
#[allow(unsafe_code)] // a global allocator is an unsafe trait
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        counted(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        counted(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        counted(new_size.saturating_sub(layout.size()));
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The allocator calls (allocations and reallocations) and bytes of one `f()`,
/// its result dropped.
fn count_allocations<R>(f: &mut impl FnMut() -> R) -> (usize, usize) {
    CALLS.store(0, Relaxed);
    BYTES.store(0, Relaxed);
    COUNTING.store(true, Relaxed);
    let result = black_box(f());
    COUNTING.store(false, Relaxed);
    drop(result);
    (CALLS.load(Relaxed), BYTES.load(Relaxed))
}

// ---- payloads ----------------------------------------------------------------

fn ts(seconds: i64) -> Option<Timestamp> {
    Some(Timestamp {
        seconds,
        nanos: 123_456_789,
    })
}

/// A Struct of `n` entries, each a small object: the shape of tool arguments.
fn arguments(n: usize) -> Struct {
    (0..n)
        .map(|i| {
            let inner: Struct = [
                ("name", Value::from(format!("item-{i}"))),
                ("score", Value::from(i as f64 * 0.5)),
                ("tags", Value::from(ListValue::from_iter(["a", "b", "c"]))),
            ]
            .into_iter()
            .collect();
            (format!("key-{i:04}"), Value::from(inner))
        })
        .collect()
}

/// The README benchmark: a tool-call event with a 50-entry argument Struct.
fn tool_call_event() -> Event {
    Event {
        event_id: "evt-0001".into(),
        tenant_id: "tenant-acme".into(),
        session_id: "session-42".into(),
        span_id: "span-7".into(),
        r#type: EventType::ToolCallStart as i32,
        timestamp: ts(1_700_000_000),
        tags: vec!["prod".into(), "eu-west-1".into()],
        content: Some(event::Content::ToolCall(ToolCall {
            id: "call-1".into(),
            name: "search".into(),
            arguments: Some(arguments(50)),
            ..Default::default()
        })),
        ..Default::default()
    }
}

fn obj<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::from(entries.into_iter().collect::<Struct>())
}

fn list(values: impl IntoIterator<Item = Value>) -> Value {
    Value::from(values.into_iter().collect::<ListValue>())
}

/// A chat-completion request/response pair as an LLM SDK logs it: messages with
/// content parts, a tool schema nested many levels deep, choices and usage.
fn llm_invocation_event() -> Event {
    let schema = (0..12).fold(
        obj([("type", "string".into()), ("description", "leaf".into())]),
        |inner, depth| {
            obj([
                ("type", "object".into()),
                ("description", Value::from(format!("level {depth}"))),
                (
                    "properties",
                    obj([
                        ("child", inner),
                        ("flag", obj([("type", "boolean".into())])),
                    ]),
                ),
                ("required", list(["child".into()])),
            ])
        },
    );
    let message = |role: &str, text: &str| {
        obj([
            ("role", role.into()),
            (
                "content",
                list([obj([("type", "text".into()), ("text", text.into())])]),
            ),
        ])
    };
    let request = [
        ("model", Value::from("gpt-4o-2024-08-06")),
        (
            "messages",
            list([
                message(
                    "system",
                    "You are a careful assistant. Answer briefly and cite sources.",
                ),
                message(
                    "user",
                    "What changed in the incident runbook for the payments cluster last week?",
                ),
                message(
                    "assistant",
                    "Let me look that up in the runbook repository.",
                ),
                message("user", "Focus on the failover steps and the paging policy."),
            ]),
        ),
        (
            "tools",
            list([obj([
                ("type", "function".into()),
                (
                    "function",
                    obj([
                        ("name", "search_runbooks".into()),
                        ("description", "Full-text search over runbooks".into()),
                        ("parameters", schema),
                    ]),
                ),
            ])]),
        ),
        ("temperature", 0.2.into()),
        ("max_tokens", 1024.0.into()),
        ("stream", false.into()),
        ("user", Value::null()),
    ];
    let response = [
        ("id", Value::from("chatcmpl-9xYz")),
        ("object", "chat.completion".into()),
        ("created", 1_700_000_123.0.into()),
        (
            "choices",
            list((0..3).map(|i| {
                obj([
                    ("index", (i as f64).into()),
                    ("finish_reason", "stop".into()),
                    (
                        "message",
                        obj([
                            ("role", "assistant".into()),
                            (
                                "content",
                                Value::from(format!(
                                    "Choice {i}: the failover now drains the primary before promoting the replica; paging goes to the secondary on-call after 10 minutes."
                                )),
                            ),
                            (
                                "tool_calls",
                                list([obj([
                                    ("id", Value::from(format!("call_{i}"))),
                                    ("type", "function".into()),
                                    (
                                        "function",
                                        obj([
                                            ("name", "search_runbooks".into()),
                                            ("arguments", r#"{"query":"payments failover"}"#.into()),
                                        ]),
                                    ),
                                ])]),
                            ),
                        ]),
                    ),
                    ("logprobs", Value::null()),
                ])
            })),
        ),
        (
            "usage",
            obj([
                ("prompt_tokens", 812.0.into()),
                ("completion_tokens", 233.0.into()),
                ("total_tokens", 1045.0.into()),
            ]),
        ),
    ];
    Event {
        event_id: "evt-llm-0001".into(),
        tenant_id: "tenant-acme".into(),
        session_id: "session-42".into(),
        span_id: "span-8".into(),
        r#type: EventType::ModelInvocationEnd as i32,
        timestamp: ts(1_700_000_123),
        content: Some(event::Content::LlmInvocation(LlmInvocation {
            provider: "openai".into(),
            model: "gpt-4o".into(),
            request: Some(request.into_iter().collect()),
            response: Some(response.into_iter().collect()),
            prompt_tokens: 812,
            completion_tokens: 233,
            total_tokens: 1045,
            temperature: 0.2,
            max_tokens: 1024,
            start_time: ts(1_700_000_120),
            end_time: ts(1_700_000_123),
            duration_ms: 2874.5,
            finish_reason: "stop".into(),
            ..Default::default()
        })),
        ..Default::default()
    }
}

const PROSE: &str = "The incident began when the primary database of the payments cluster stopped accepting writes. \
The on-call engineer acknowledged the page within two minutes, confirmed that replication lag on the replica was \
under one second, and started the documented failover. ";

/// An assistant message event: text, no Struct.
fn message_event(i: usize, words: usize) -> Event {
    Event {
        event_id: format!("evt-msg-{i:05}"),
        tenant_id: "tenant-acme".into(),
        session_id: "session-42".into(),
        span_id: format!("span-{i}"),
        parent_span_id: "span-1".into(),
        r#type: EventType::OutputEmitted as i32,
        severity: Severity::Info as i32,
        timestamp: ts(1_700_000_000 + i as i64),
        agent_id: "agent-7".into(),
        agent_name: "runbook-assistant".into(),
        tags: vec!["prod".into()],
        content: Some(event::Content::Message(MessageContent {
            role: "assistant".into(),
            text: PROSE.repeat(words.div_ceil(60)),
            metadata: None,
        })),
        ..Default::default()
    }
}

fn event_batch() -> EventBatch {
    EventBatch {
        batch_id: "batch-0001".into(),
        timestamp: ts(1_700_000_500),
        events: (0..200).map(|i| message_event(i, 40)).collect(),
        ..Default::default()
    }
}

fn sre_fact() -> SreDomainFact {
    let meta = SreMessageMeta {
        message_id: "0190f2a0-0000-7000-8000-000000000000".into(),
        schema_version: "v0.1.0".into(),
        tenant_id: "acme".into(),
        producer: "incident-service".into(),
        ..Default::default()
    };
    let subject = SreSubject {
        aggregate_type: "Incident".into(),
        aggregate_id: "inc-42".into(),
        aggregate_version: 1,
    };
    SreDomainFact::new(
        meta,
        subject,
        IncidentCreated {
            aggregate_version: 1,
            ..Default::default()
        },
    )
}

fn inference_request() -> aios_proto::common::InferenceRequest {
    aios_proto::common::InferenceRequest {
        prompt: PROSE.repeat(4),
        system_prompt: "You are the aiOS runbook assistant.".into(),
        max_tokens: 1024,
        temperature: 0.2,
        intelligence_level: "reasoning".into(),
        model: "llama-3.1-70b".into(),
        requesting_agent: "agent-7".into(),
        task_id: "task-42".into(),
    }
}

/// An inference answer carrying a 64 KiB generated text.
fn inference_response() -> aios_proto::common::InferenceResponse {
    let mut text = PROSE.repeat(65_536 / PROSE.len() + 1);
    text.truncate(65_536);
    aios_proto::common::InferenceResponse {
        text,
        tokens_used: 14_000,
        latency_ms: 8_250,
        model_used: "llama-3.1-70b".into(),
        intelligence_level: "reasoning".into(),
    }
}

// ---- measurement -------------------------------------------------------------

/// One payload: its message, how Python finds its class, and whether it is framed.
struct Payload {
    name: &'static str,
    kind: &'static str,
    module: &'static str,
    class: &'static str,
    framed: bool,
    run: Box<dyn Fn(&Config) -> Measured>,
    /// buffa's ops on the payload's (unframed) bytes.
    buffa: Option<BuffaRun>,
}

/// buffa's owned decode, view decode and encode of one payload's bytes.
type BuffaRun = Box<dyn Fn(&Config, &[u8]) -> [Op; 3]>;

/// The [`BuffaRun`] of buffa type `$owned` and its view `$view`.
macro_rules! buffa_run {
    ($owned:ty, $view:ty) => {
        // The very buffer the Rust rows read (the same address, so the same alignment).
        Some(Box::new(|cfg: &Config, bytes: &[u8]| {
            let owned = <$owned as buffa::Message>::decode_from_slice(&bytes)
                .expect("buffa decodes the payload");
            [
                measure(cfg, "buffa_decode", || {
                    <$owned as buffa::Message>::decode_from_slice(black_box(bytes)).unwrap()
                }),
                measure(cfg, "buffa_decode_view", || {
                    <$view as buffa::MessageView>::decode_view(black_box(bytes)).unwrap()
                }),
                measure(cfg, "buffa_encode", || {
                    buffa::Message::encode_to_vec(black_box(&owned))
                }),
            ]
        }))
    };
}

struct Config {
    budget: Duration,
    /// Time only this operation (`--op decode`), e.g. under a profiler.
    only: Option<String>,
    /// Run each operation exactly this many times, untimed (`--iters N`): for
    /// instruction counts under `valgrind --tool=callgrind`.
    iters: Option<u64>,
}

#[derive(Serialize)]
struct Op {
    ns: f64,
    allocs: usize,
    alloc_bytes: usize,
}

#[derive(Serialize)]
struct Measured {
    bytes: usize,
    #[serde(skip)]
    binary: Vec<u8>,
    #[serde(skip)]
    json: String,
    /// `common_eventing::encode::to_vec`.
    encode: Op,
    /// prost's `Message::encode_to_vec` (the same bytes).
    encode_prost: Op,
    /// The gRPC codec's path (`encode::to_bytes_mut` into a reused `BytesMut`: room
    /// reserved, then written in place, as `common_eventing::grpc::Codec` writes into
    /// tonic's buffer).
    encode_grpc: Op,
    decode: Op,
    /// A lower bound of any owned decode: `Clone::clone` of the decoded message, dropped
    /// as decode's result is (every string and list allocated once at its final size and
    /// copied, no parsing; `bytes` fields share their buffer).
    owned_floor: Op,
    /// `<M as HasView>::View::decode_view`: a zero-copy view, every field checked.
    decode_view: Op,
    /// buffa 0.9 on the same bytes (`buffa-peer`, generated from the same protos):
    /// owned decode, view decode and encode of its owned message; `None` for a
    /// payload it has no types for.
    buffa_decode: Option<Op>,
    buffa_decode_view: Option<Op>,
    buffa_encode: Option<Op>,
    to_json: Op,
    from_json: Op,
}

/// Best batch mean in ns per call, and the allocations of one call.
fn measure<R>(cfg: &Config, op: &str, mut f: impl FnMut() -> R) -> Op {
    if cfg.only.as_deref().is_some_and(|only| only != op) {
        return Op {
            ns: 0.0,
            allocs: 0,
            alloc_bytes: 0,
        };
    }
    if let Some(n) = cfg.iters {
        for _ in 0..n {
            drop(black_box(f()));
        }
        return Op {
            ns: 0.0,
            allocs: 0,
            alloc_bytes: 0,
        };
    }
    // Allocations of one warm call.
    drop(black_box(f()));
    let (allocs, alloc_bytes) = count_allocations(&mut f);
    // Calibrate a batch of at least 5 ms, then keep the best batch within the budget.
    let mut iters = 1u64;
    loop {
        let start = Instant::now();
        for _ in 0..iters {
            drop(black_box(f()));
        }
        if start.elapsed() >= Duration::from_millis(5) {
            break;
        }
        iters *= 2;
    }
    let deadline = Instant::now() + cfg.budget;
    let mut best = f64::INFINITY;
    let mut batches = 0;
    while batches < 5 || Instant::now() < deadline {
        let start = Instant::now();
        for _ in 0..iters {
            drop(black_box(f()));
        }
        best = best.min(start.elapsed().as_nanos() as f64 / iters as f64);
        batches += 1;
    }
    Op {
        ns: best,
        allocs,
        alloc_bytes,
    }
}

fn codec<M>(msg: M) -> impl Fn(&Config) -> Measured
where
    M: Message + Encode + HasView + Default + Clone + Serialize + DeserializeOwned + 'static,
{
    move |cfg| {
        let binary = encode::to_vec(&msg);
        assert_eq!(
            M::decode(binary.as_slice()).unwrap().encode_to_vec(),
            msg.encode_to_vec(),
            "encode::to_vec writes the message"
        );
        let json = common_eventing::json::to_string(&msg).unwrap();
        Measured {
            bytes: binary.len(),
            encode: measure(cfg, "encode", || encode::to_vec(black_box(&msg))),
            encode_prost: measure(cfg, "encode_prost", || black_box(&msg).encode_to_vec()),
            encode_grpc: {
                // tonic keeps one buffer per call (8 KiB to start) and clears it.
                let mut buf = bytes::BytesMut::with_capacity(8 * 1024);
                measure(cfg, "encode_grpc", || {
                    buf.clear();
                    encode::to_bytes_mut(black_box(&msg), &mut buf);
                    buf.len()
                })
            },
            decode: measure(cfg, "decode", || {
                M::decode(black_box(binary.as_slice())).unwrap()
            }),
            owned_floor: {
                let owned = M::decode(binary.as_slice()).unwrap();
                measure(cfg, "owned_floor", || black_box(&owned).clone())
            },
            decode_view: measure(cfg, "decode_view", || {
                M::View::decode_view(black_box(binary.as_slice())).unwrap()
            }),
            to_json: measure(cfg, "to_json", || {
                common_eventing::json::to_string(black_box(&msg)).unwrap()
            }),
            from_json: measure(cfg, "from_json", || {
                serde_json::from_str::<M>(black_box(&json)).unwrap()
            }),
            buffa_decode: None,
            buffa_decode_view: None,
            buffa_encode: None,
            binary,
            json,
        }
    }
}

/// Kafka framing around the codec: schema id 42, message index path `[0]`.
fn framed<M>(msg: M) -> impl Fn(&Config) -> Measured
where
    M: Message + Encode + HasView + Default + Clone + Serialize + DeserializeOwned + 'static,
{
    move |cfg| {
        let indexes = [0];
        let binary = framing::encode(42, &indexes, &encode::to_vec(&msg));
        let json = common_eventing::json::to_string(&msg).unwrap();
        Measured {
            bytes: binary.len(),
            encode: measure(cfg, "encode", || {
                framing::encode(42, &indexes, &encode::to_vec(black_box(&msg)))
            }),
            encode_prost: measure(cfg, "encode_prost", || {
                framing::encode(42, &indexes, &black_box(&msg).encode_to_vec())
            }),
            encode_grpc: {
                // tonic keeps one buffer per call (8 KiB to start) and clears it.
                let mut buf = bytes::BytesMut::with_capacity(8 * 1024);
                measure(cfg, "encode_grpc", || {
                    buf.clear();
                    encode::to_bytes_mut(black_box(&msg), &mut buf);
                    buf.len()
                })
            },
            decode: measure(cfg, "decode", || {
                M::decode(framing::decode(black_box(&binary)).unwrap().payload).unwrap()
            }),
            owned_floor: {
                let owned = M::decode(framing::decode(&binary).unwrap().payload).unwrap();
                measure(cfg, "owned_floor", || black_box(&owned).clone())
            },
            decode_view: measure(cfg, "decode_view", || {
                M::View::decode_view(framing::decode(black_box(&binary)).unwrap().payload).unwrap()
            }),
            to_json: measure(cfg, "to_json", || {
                common_eventing::json::to_string(black_box(&msg)).unwrap()
            }),
            from_json: measure(cfg, "from_json", || {
                serde_json::from_str::<M>(black_box(&json)).unwrap()
            }),
            buffa_decode: None,
            buffa_decode_view: None,
            buffa_encode: None,
            binary,
            json,
        }
    }
}

const CHAUKAS: &str = "chaukas.spec.common.v1.events_pb2";

fn payloads() -> Vec<Payload> {
    vec![
        Payload {
            name: "tool_call_event",
            kind: "struct",
            module: CHAUKAS,
            class: "Event",
            framed: false,
            run: Box::new(codec(tool_call_event())),
            buffa: buffa_run!(BEvent, BEventView<'_>),
        },
        Payload {
            name: "llm_invocation_event",
            kind: "struct",
            module: CHAUKAS,
            class: "Event",
            framed: false,
            run: Box::new(codec(llm_invocation_event())),
            buffa: buffa_run!(BEvent, BEventView<'_>),
        },
        Payload {
            name: "message_event",
            kind: "plain",
            module: CHAUKAS,
            class: "Event",
            framed: false,
            run: Box::new(codec(message_event(1, 600))),
            buffa: buffa_run!(BEvent, BEventView<'_>),
        },
        Payload {
            name: "event_batch_200",
            kind: "plain",
            module: CHAUKAS,
            class: "EventBatch",
            framed: false,
            run: Box::new(codec(event_batch())),
            buffa: buffa_run!(BEventBatch, BEventBatchView<'_>),
        },
        Payload {
            name: "sre_fact_framed",
            kind: "plain",
            module: "ameide_core_proto.sre.core.v1.facts_pb2",
            class: "SreDomainFact",
            framed: true,
            run: Box::new(framed(sre_fact())),
            // buffa-peer has no SRE types (their protos import buf.validate).
            buffa: None,
        },
        Payload {
            name: "aios_inference_request",
            kind: "plain",
            module: "aios.common.common_pb2",
            class: "InferenceRequest",
            framed: false,
            run: Box::new(codec(inference_request())),
            buffa: buffa_run!(BInferenceRequest, BInferenceRequestView<'_>),
        },
        Payload {
            name: "aios_inference_response_64k",
            kind: "plain",
            module: "aios.common.common_pb2",
            class: "InferenceResponse",
            framed: false,
            run: Box::new(codec(inference_response())),
            buffa: buffa_run!(BInferenceResponse, BInferenceResponseView<'_>),
        },
    ]
}

fn main() {
    let mut out = None;
    let mut seconds = 0.5;
    let mut filter = None;
    let mut only = None;
    let mut iters = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = args.next().map(PathBuf::from),
            "--seconds" => {
                seconds = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .expect("--seconds S")
            }
            "--filter" => filter = args.next(),
            "--op" => only = args.next(),
            "--iters" => iters = args.next().and_then(|s| s.parse().ok()),
            // `cargo bench` passes `--bench`; ignore it and anything else.
            _ => {}
        }
    }
    let out = out.unwrap_or_else(|| interop_tests::workspace_root().join("target/bench"));
    std::fs::create_dir_all(&out).unwrap();
    let cfg = Config {
        budget: Duration::from_secs_f64(seconds),
        only,
        iters,
    };
    let mut results = Vec::new();
    for p in payloads() {
        if filter.as_deref().is_some_and(|f| !p.name.contains(f)) {
            continue;
        }
        let mut m = (p.run)(&cfg);
        if let Some(buffa) = &p.buffa {
            let [decode, view, encode] = buffa(&cfg, &m.binary);
            m.buffa_decode = Some(decode);
            m.buffa_decode_view = Some(view);
            m.buffa_encode = Some(encode);
        }
        std::fs::write(out.join(format!("{}.bin", p.name)), &m.binary).unwrap();
        std::fs::write(out.join(format!("{}.json", p.name)), &m.json).unwrap();
        eprintln!(
            "{:<28} {:>7} B  encode {:>9.0} ns  decode {:>9.0} ns ({} allocs)  view {:>9.0} ns ({} allocs)  to_json {:>9.0} ns  from_json {:>9.0} ns  encode_prost {:>9.0} ns",
            p.name,
            m.bytes,
            m.encode.ns,
            m.decode.ns,
            m.decode.allocs,
            m.decode_view.ns,
            m.decode_view.allocs,
            m.to_json.ns,
            m.from_json.ns,
            m.encode_prost.ns
        );
        results.push(serde_json::json!({
            "name": p.name,
            "kind": p.kind,
            "module": p.module,
            "class": p.class,
            "framed": p.framed,
            "rust": m,
        }));
    }
    std::fs::write(
        out.join("rust.json"),
        serde_json::to_string_pretty(&results).unwrap(),
    )
    .unwrap();
}
