//! A reference Chaukas backend: the published Python SDK (`chaukas-sdk`) posts events
//! to it over HTTP, and `grpcurl` or any `ChaukasServerService` / `ChaukasClientService`
//! client talks to it over gRPC.
//!
//! ```sh
//! cargo run -p chaukas-ingest-server -- \
//!     --grpc 127.0.0.1:50051 --http 127.0.0.1:8080 [--api-key KEY] [--api-keys FILE] \
//!     [--allow-unauthenticated] [--max-body-bytes N]
//! ```
//!
//! Without `--api-key` or `--api-keys` anyone who can connect reads every tenant, so
//! the server then listens on loopback addresses only (and says so), unless
//! `--allow-unauthenticated` is given.
//!
//! An unpublished workspace crate: this library (used by the interop tests as a
//! dependency) and the `ingest_server` binary (`src/main.rs`: logging, flags, Ctrl-C).
//!
//! Files: this one (flags, the operations both protocols share, startup, shutdown),
//! `store.rs` (the [`store::EventStore`] trait, the in-memory store, query and
//! paging), `grpc.rs`, `http.rs` and `auth.rs` (API key and tenant scoping).
//!
//! On start it prints `grpc listening on ADDR` and `http listening on ADDR` on stdout
//! (logs go to stderr; filter them with `RUST_LOG`, e.g. `RUST_LOG=debug`). Ctrl-C
//! stops accepting connections and lets in-flight calls finish.

pub mod auth;
pub mod conn;
pub mod grpc;
pub mod http;
pub mod store;

use auth::{Auth, Caller, Denied};
use chaukas_spec_server::common::v1::{
    Capabilities, Event, EventBatch, EventBatchView, QueryRequest,
};
use chaukas_spec_server::server::v1::{
    GetEventStatsRequest, GetEventStatsResponse, IngestEventBatchRequest, IngestEventBatchResponse,
};
use common_eventing::Lossless;
use server_kit::echo;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use store::{EventStore, Inserted, QueryPage, StoreError};
use tokio::net::TcpListener;

/// Default limit of a request body (HTTP) or message (gRPC): 4 MiB, gRPC's default.
pub const DEFAULT_MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Default bound of an encoded query answer: gRPC's default 4 MiB message limit, less
/// 16 KiB for the page token and the response around the events.
pub const DEFAULT_MAX_ANSWER_BYTES: usize = DEFAULT_MAX_BODY_BYTES - 16 * 1024;

/// How long shutdown waits for in-flight calls before giving up on them.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// The `ingest_server` command line, printed by `--help` and with flag errors.
pub const USAGE: &str =
    "usage: ingest_server [--grpc ADDR] [--http ADDR] [--api-key KEY] [--api-keys FILE]
                     [--allow-unauthenticated] [--max-body-bytes N] [--max-answer-bytes N]
                     [--max-events N] [--max-stored-bytes N] [--max-tenant-events N]
                     [--max-tenant-bytes N] [--read-timeout-secs N]
                     [--request-timeout-secs N] [--max-concurrent-streams N]
                     [--max-header-bytes N] [--max-concurrent-scans N]
  --grpc ADDR          gRPC listen address (default 127.0.0.1:50051; port 0 picks one)
  --http ADDR          HTTP listen address (default 127.0.0.1:8080; port 0 picks one)
  --api-key KEY        require `authorization: Bearer KEY` on every Chaukas call (one
                       shared key: the caller's tenant header is trusted)
  --api-keys FILE      per-tenant keys, one `KEY TENANT` per line (`#` comments): a key
                       reads and writes only its tenant, whatever the header says
  --allow-unauthenticated  listen on non-loopback addresses with no key (refused by default)
  --max-body-bytes N   largest HTTP body / gRPC message accepted (default 4194304)
  --max-answer-bytes N  largest encoded query answer; a page ends early, with a token,
                       before it (default 4177920: gRPC's 4 MiB less 16 KiB)
  --read-timeout-secs N  close a connection that sends nothing for N s (default 30)
  --request-timeout-secs N  cancel a gRPC call still running after N s (default 30)
  --max-concurrent-streams N  HTTP/2 streams per gRPC connection (default 100)
  --max-header-bytes N  largest gRPC request header list (default 16384)
  --max-concurrent-scans N  queries and stats scanning at once; more wait (default 1)
  --max-events N       events the store holds in all (default 2000000)
  --max-stored-bytes N encoded event bytes the store holds in all (default 1073741824)
  --max-tenant-events N  events of one tenant (default 500000)
  --max-tenant-bytes N encoded event bytes of one tenant (default 268435456)
  A full store refuses events (RESOURCE_EXHAUSTED, HTTP 507); it never evicts.";

/// Command-line settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// gRPC listen address.
    pub grpc: SocketAddr,
    /// HTTP listen address.
    pub http: SocketAddr,
    /// When set, the bearer token every Chaukas call must carry.
    pub api_key: Option<String>,
    /// Per-tenant keys (`--api-keys FILE`): key → the one tenant it acts for.
    pub api_keys: std::collections::BTreeMap<String, String>,
    /// Listen on non-loopback addresses without any key (`--allow-unauthenticated`).
    pub allow_unauthenticated: bool,
    /// Largest HTTP body / gRPC message accepted.
    pub max_body_bytes: usize,
    /// The encoded size a query answer stays within: a page ends early (with a token)
    /// before it would pass it.
    pub max_answer_bytes: usize,
    /// A connection that sends nothing for this long is closed (slow headers, no
    /// HTTP/2 preface, an idle HTTP/1 connection; gRPC clients answer the server's
    /// keepalive pings, sent every third of it).
    pub read_timeout: Duration,
    /// A call that has not finished after this long is answered `CANCELLED` (gRPC).
    pub request_timeout: Duration,
    /// HTTP/2 streams one gRPC connection may have open at once.
    pub max_concurrent_streams: u32,
    /// Largest header list of a gRPC request (HTTP/2 `SETTINGS_MAX_HEADER_LIST_SIZE`).
    pub max_header_bytes: u32,
    /// What the in-memory store holds at most (used by the binary, which builds the
    /// store; a caller of [`start`] passes its own store).
    pub limits: store::Limits,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            grpc: SocketAddr::from(([127, 0, 0, 1], 50051)),
            http: SocketAddr::from(([127, 0, 0, 1], 8080)),
            api_key: None,
            api_keys: Default::default(),
            allow_unauthenticated: false,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_answer_bytes: DEFAULT_MAX_ANSWER_BYTES,
            read_timeout: Duration::from_secs(30),
            request_timeout: Duration::from_secs(30),
            max_concurrent_streams: 100,
            max_header_bytes: 16 * 1024,
            limits: store::Limits::default(),
        }
    }
}

impl Config {
    /// Parses flags (without the program name): `--flag value` or `--flag=value`.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Config, String> {
        let mut config = Config::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) => (flag.to_string(), Some(value.to_string())),
                None => (arg, None),
            };
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
            };
            let addr = |v: String| {
                v.parse::<SocketAddr>()
                    .map_err(|e| format!("{flag}: {v:?} is not an address: {e}"))
            };
            match flag.as_str() {
                "--grpc" => config.grpc = addr(value()?)?,
                "--http" => config.http = addr(value()?)?,
                "--api-key" => {
                    let key = value()?;
                    if key.is_empty() {
                        return Err("--api-key must not be empty".into());
                    }
                    config.api_key = Some(key);
                }
                "--api-keys" => config.api_keys = read_api_keys(&value()?)?,
                "--allow-unauthenticated" => config.allow_unauthenticated = true,
                "--max-body-bytes" => config.max_body_bytes = positive(&flag, value()?)?,
                "--max-answer-bytes" => config.max_answer_bytes = positive(&flag, value()?)?,
                "--read-timeout-secs" => {
                    config.read_timeout = Duration::from_secs(positive(&flag, value()?)? as u64);
                }
                "--request-timeout-secs" => {
                    config.request_timeout = Duration::from_secs(positive(&flag, value()?)? as u64);
                }
                "--max-concurrent-streams" => {
                    config.max_concurrent_streams = u32_flag(&flag, value()?)?;
                }
                "--max-concurrent-scans" => {
                    config.limits.max_concurrent_scans = positive(&flag, value()?)?;
                }
                "--max-header-bytes" => config.max_header_bytes = u32_flag(&flag, value()?)?,
                "--max-events" => config.limits.max_events = positive(&flag, value()?)?,
                "--max-stored-bytes" => config.limits.max_bytes = positive(&flag, value()?)?,
                "--max-tenant-events" => {
                    config.limits.max_tenant_events = positive(&flag, value()?)?;
                }
                "--max-tenant-bytes" => {
                    config.limits.max_tenant_bytes = positive(&flag, value()?)?;
                }
                other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
            }
        }
        Ok(config)
    }
}

/// A flag's value as a positive number; an error naming the flag otherwise.
fn positive(flag: &str, v: String) -> Result<usize, String> {
    server_kit::flags::positive(&v)
        .map_err(|e| format!("{flag}: {} is not a positive number ({e})", echo(&v)))
}

/// A flag's value as a positive `u32`.
fn u32_flag(flag: &str, v: String) -> Result<u32, String> {
    let n = positive(flag, v)?;
    u32::try_from(n).map_err(|_| format!("{flag}: {n} is too large"))
}

/// Reads a `--api-keys` file: `KEY TENANT` per line; blank lines and `#` comments
/// skipped; errors name the line.
fn read_api_keys(path: &str) -> Result<std::collections::BTreeMap<String, String>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("--api-keys: cannot read {path}: {e}"))?;
    let mut keys = std::collections::BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split_whitespace();
        let (Some(key), Some(tenant), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("{path}:{}: expected `KEY TENANT`", n + 1));
        };
        if keys.insert(key.to_owned(), tenant.to_owned()).is_some() {
            return Err(format!("{path}:{}: the key is listed twice", n + 1));
        }
    }
    if keys.is_empty() {
        return Err(format!("--api-keys: {path} lists no key"));
    }
    Ok(keys)
}

/// Why a Chaukas operation failed, whatever the protocol; `grpc.rs` maps it to a
/// `Status`, `http.rs` to a status code and a JSON body.
#[derive(Debug, PartialEq, Eq)]
pub enum ApiError {
    /// Bad request content.
    InvalidArgument(String),
    /// No or wrong credentials.
    Unauthenticated(String),
    /// Not allowed for this caller.
    PermissionDenied(String),
    /// The store failed.
    Unavailable(String),
    /// The store is full (a cap of [`store::Limits`]); nothing was stored.
    Full(String),
}

impl From<Denied> for ApiError {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::Unauthenticated(m) => Self::Unauthenticated(m),
            Denied::PermissionDenied(m) => Self::PermissionDenied(m),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::InvalidArgument(m) => Self::InvalidArgument(m),
            StoreError::Unavailable(m) => Self::Unavailable(m),
            StoreError::Full(m) => Self::Full(m),
        }
    }
}

/// State shared by both protocols: the store and the auth settings. Its methods are
/// the Chaukas operations, so gRPC and HTTP behave the same.
#[derive(Clone)]
pub struct App {
    /// Where events go.
    pub store: Arc<dyn EventStore>,
    /// API key and tenant scoping.
    pub auth: Auth,
    /// The encoded size a query answer stays within (`--max-answer-bytes`).
    pub max_answer_bytes: usize,
}

/// Why an event cannot be stored, if it cannot: no `event_id`, or no `tenant_id`.
fn invalid(event: &Event) -> Option<String> {
    if event.event_id.is_empty() {
        Some("event.event_id is required".into())
    } else if event.tenant_id.is_empty() {
        Some("event.tenant_id is required".into())
    } else {
        None
    }
}

/// `body` as field 1 (length-delimited) of a message of its own.
fn field_1(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 6);
    prost::encoding::encode_key(1, prost::encoding::WireType::LengthDelimited, &mut out);
    prost::encoding::encode_varint(body.len() as u64, &mut out);
    out.extend_from_slice(body);
    out
}

/// [`invalid`] of an event's view.
fn invalid_view(event: &chaukas_spec_server::common::v1::EventView<'_>) -> Option<String> {
    if event.event_id.is_empty() {
        Some("event.event_id is required".into())
    } else if event.tenant_id.is_empty() {
        Some("event.tenant_id is required".into())
    } else {
        None
    }
}

/// [`not_representable`] of an encoded event, read as views: the same checks (the
/// answer's size, its depth, its proto3 JSON), with no `Event` built.
fn not_representable_encoded(event: &[u8], max_answer_bytes: usize) -> Option<String> {
    use common_eventing::view::{HasView, MessageView};
    let alone = store::answer_bytes_of(event.len()) + store::TOKEN_RESERVE;
    if alone > max_answer_bytes {
        return Some(format!(
            "event of {alone} bytes does not fit in a query answer of at most \
             {max_answer_bytes} bytes (--max-answer-bytes)"
        ));
    }
    // `QueryEventsResponse { response = 1: QueryResponse { events = 1: [event] } }`.
    let answer = field_1(&field_1(event));
    let answer =
        match <chaukas_spec_server::server::v1::QueryEventsResponse as HasView>::View::decode_view(
            &answer,
        ) {
            Ok(answer) => answer,
            Err(e) => {
                return Some(format!(
                    "event nests deeper than the depth limit of {} message levels once inside a query answer: {e}",
                    common_eventing::json::DEPTH_LIMIT
                ));
            }
        };
    common_eventing::json::to_string(&answer.response)
        .err()
        .map(|e| format!("event has no proto3 JSON form: {e}"))
}

/// Why an event has no proto3 JSON form, if it has none: an `Any` of an unregistered
/// type, a `Timestamp` or `Duration` out of range, a non-finite number in a `Struct`,
/// ... Valid protobuf can still be any of these. Ingest refuses such events, so every
/// stored event can be returned by `POST /v1/query` (proto3 JSON) as well as by gRPC.
///
/// Nor is an event stored that a query answer could not carry: in
/// `QueryEventsResponse` it is two message levels deeper than a JSON `Event` body, and
/// a reader stops at the binary decoder's depth limit (100 levels). The same limit
/// holds through `Any`s in `extensions` (each packed message one level below its
/// `Any`), so `Any`s nested inside each other are refused, never recursed into
/// without a bound.
fn not_representable(event: &Event, max_answer_bytes: usize) -> Option<String> {
    use chaukas_spec_server::prost::Message;
    let answer = chaukas_spec_server::server::v1::QueryEventsResponse {
        response: Some(chaukas_spec_server::common::v1::QueryResponse {
            events: vec![event.clone()],
            ..Default::default()
        }),
    };
    let bytes = answer.encode_to_vec();
    // A page holds at least one event: an event that alone overflows an answer could
    // never be read back by a client with the default message limit.
    let alone = store::answer_bytes_of(event.encoded_len()) + store::TOKEN_RESERVE;
    if alone > max_answer_bytes {
        return Some(format!(
            "event of {alone} bytes does not fit in a query answer of at most \
             {max_answer_bytes} bytes (--max-answer-bytes)"
        ));
    }
    if let Err(e) = chaukas_spec_server::server::v1::QueryEventsResponse::decode(bytes.as_slice()) {
        return Some(format!(
            "event nests deeper than the depth limit of {} message levels once inside a query answer: {e}",
            common_eventing::json::DEPTH_LIMIT
        ));
    }
    // Written as `POST /v1/query` answers it: one level down, in a `QueryResponse`.
    // That also bounds what an `Any` in `extensions` packs: its message is written
    // within the same depth limit as the event around it.
    serde_json::to_value(&answer.response)
        .err()
        .map(|e| format!("event has no proto3 JSON form: {e}"))
}

/// Registers every Chaukas message type for `google.protobuf.Any` JSON, so an event
/// whose `extensions` pack Chaukas messages has a JSON form (the well-known types are
/// always registered; other types are not, and such events are refused). Idempotent.
pub fn register_any_types() {
    use common_eventing::RegisterAny;
    chaukas_spec_client::common::v1::visit_messages(&mut RegisterAny);
    chaukas_spec_client::client::v1::visit_messages(&mut RegisterAny);
    chaukas_spec_server::server::v1::visit_messages(&mut RegisterAny);
}

/// The result of [`App::ingest_batch`]: the response, and why each rejected event
/// was rejected (for logs, and for `ChaukasClientService`'s error message).
#[derive(Debug)]
pub struct BatchOutcome {
    /// Counts and the ids of rejected events.
    pub response: IngestEventBatchResponse,
    /// One line per rejected event: its position, its id and the reason.
    pub rejections: Vec<String>,
}

impl App {
    /// Stores one event. Missing event, id or tenant, or no proto3 JSON form:
    /// `InvalidArgument`, nothing stored.
    pub async fn ingest(
        &self,
        caller: &Caller,
        event: Option<Lossless<Event>>,
    ) -> Result<(String, Inserted), ApiError> {
        let event = event.ok_or_else(|| ApiError::InvalidArgument("event is required".into()))?;
        if let Some(why) = invalid(&event) {
            return Err(ApiError::InvalidArgument(why));
        }
        if !self.auth.may_write(caller, &event.tenant_id) {
            return Err(ApiError::PermissionDenied(format!(
                "caller may not ingest events of tenant {}",
                echo(&event.tenant_id)
            )));
        }
        if let Some(why) = not_representable(&event, self.max_answer_bytes) {
            return Err(ApiError::InvalidArgument(why));
        }
        let id = event.event_id.clone();
        let inserted = self.store.insert(event).await?;
        tracing::debug!(event_id = %id, ?inserted, "ingested");
        Ok((id, inserted))
    }

    /// Stores the valid events of a batch and names the rejected ones: the batch is
    /// encoded and read as a view ([`App::ingest_batch_view`]), so each event is
    /// checked on its own (one too deep for a query answer is rejected, the others
    /// stored). No batch: `InvalidArgument`, nothing stored.
    pub async fn ingest_batch(
        &self,
        caller: &Caller,
        batch: Option<Lossless<EventBatch>>,
    ) -> Result<BatchOutcome, ApiError> {
        use common_eventing::view::{HasView, MessageView};
        let batch =
            batch.ok_or_else(|| ApiError::InvalidArgument("event_batch is required".into()))?;
        // Unknown fields included.
        let bytes = batch.encode_to_vec();
        let view = <EventBatch as HasView>::View::decode_view(&bytes).map_err(|e| {
            ApiError::InvalidArgument(format!("the batch does not decode as EventBatch: {e}"))
        })?;
        self.ingest_batch_view(caller, &view).await
    }

    /// Stores the valid events of an encoded `IngestEventBatchRequest` (of either
    /// service: the batch is field 1) and names the rejected ones
    /// ([`App::ingest_batch_view`]). Bytes that do not decode, or no batch:
    /// `InvalidArgument`, nothing stored.
    pub async fn ingest_batch_encoded(
        &self,
        caller: &Caller,
        request: &[u8],
    ) -> Result<BatchOutcome, ApiError> {
        use common_eventing::view::{HasView, MessageView};
        let request =
            <IngestEventBatchRequest as HasView>::View::decode_view(request).map_err(|e| {
                ApiError::InvalidArgument(format!(
                    "the message does not decode as IngestEventBatchRequest: {e}"
                ))
            })?;
        let batch = request
            .event_batch
            .as_ref()
            .ok_or_else(|| ApiError::InvalidArgument("event_batch is required".into()))?;
        self.ingest_batch_view(caller, batch).await
    }

    /// Stores the valid events of a batch read as a zero-copy view
    /// ([`common_eventing::view`]) and names the rejected ones (no `event_id`, no
    /// `tenant_id`, another tenant than the caller's, or no proto3 JSON form).
    /// Duplicates count as accepted: re-sending a batch is safe.
    ///
    /// Each event is checked and indexed (tenant, id, time) from its view, and the
    /// store keeps the bytes it arrived as, unknown fields included (in the sender's
    /// field order: the single-event route re-encodes); no `Event` is built.
    ///
    /// Events are inserted one by one. If the store fails mid-batch the call fails
    /// with its error (`Unavailable` for a connection error) and the events inserted
    /// before stay stored: a batch is not all-or-nothing. The client re-sends the
    /// whole batch, which is safe because duplicates are accepted.
    /// [`store::MemoryStore`] never fails.
    pub async fn ingest_batch_view(
        &self,
        caller: &Caller,
        batch: &EventBatchView<'_>,
    ) -> Result<BatchOutcome, ApiError> {
        use common_eventing::view::MessageView;
        let mut response = IngestEventBatchResponse {
            batch_id: batch.batch_id.to_owned(),
            ..Default::default()
        };
        let mut rejections = Vec::new();
        for (index, (event, bytes)) in batch
            .events
            .iter()
            .zip(batch.events.iter_bytes())
            .enumerate()
        {
            let why = invalid_view(&event)
                .or_else(|| {
                    (!self.auth.may_write(caller, event.tenant_id)).then(|| {
                        format!(
                            "caller may not ingest events of tenant {}",
                            echo(event.tenant_id)
                        )
                    })
                })
                .or_else(|| not_representable_encoded(bytes, self.max_answer_bytes));
            if let Some(why) = why {
                response.rejected_count += 1;
                rejections.push(format!("events[{index}] {}: {why}", echo(event.event_id)));
                if !event.event_id.is_empty() {
                    response.rejected_event_ids.push(event.event_id.to_owned());
                }
                continue;
            }
            let time = event.timestamp.as_ref().map(MessageView::to_message);
            self.store
                .insert_encoded(store::EncodedEvent {
                    tenant_id: event.tenant_id.to_owned(),
                    event_id: event.event_id.to_owned(),
                    time,
                    bytes: bytes::Bytes::copy_from_slice(bytes),
                })
                .await?;
            response.accepted_count += 1;
        }
        if !rejections.is_empty() {
            tracing::warn!(
                batch_id = %response.batch_id,
                accepted = response.accepted_count,
                rejected = response.rejected_count,
                ?rejections,
                "batch events rejected"
            );
        }
        Ok(BatchOutcome {
            response,
            rejections,
        })
    }

    /// A page of events, scoped to the caller's tenant.
    pub async fn query(
        &self,
        caller: &Caller,
        mut query: QueryRequest,
    ) -> Result<QueryPage, ApiError> {
        let filter = query.filter.get_or_insert_default();
        filter.tenant_id = self.auth.read_scope(caller, &filter.tenant_id)?;
        Ok(self.store.query(query, self.max_answer_bytes).await?)
    }

    /// Statistics, scoped to the caller's tenant.
    pub async fn stats(
        &self,
        caller: &Caller,
        mut request: GetEventStatsRequest,
    ) -> Result<GetEventStatsResponse, ApiError> {
        request.tenant_id = self.auth.read_scope(caller, &request.tenant_id)?;
        Ok(self.store.stats(request).await?)
    }

    /// What this backend offers: it stores and queries every event type, nothing more.
    pub fn capabilities(&self) -> Capabilities {
        Capabilities {
            policy_decisions: true,
            data_access_events: true,
            ..Default::default()
        }
    }
}

/// A started server.
pub struct Running {
    /// Where gRPC listens.
    pub grpc_addr: SocketAddr,
    /// Where HTTP listens.
    pub http_addr: SocketAddr,
    done: tokio::task::JoinHandle<Result<(), String>>,
}

impl Running {
    /// Waits until the shutdown signal fired and both servers drained.
    pub async fn wait(self) -> Result<(), String> {
        self.done.await.map_err(|e| e.to_string())?
    }
}

/// Registers the Chaukas types for `Any` JSON ([`register_any_types`]), binds both
/// listeners and serves until `shutdown` completes, then stops accepting, lets
/// in-flight calls finish (up to 10 s) and returns through [`Running::wait`].
pub async fn start(
    config: &Config,
    store: Arc<dyn EventStore>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<Running, Box<dyn std::error::Error + Send + Sync>> {
    register_any_types();
    let app = App {
        store,
        auth: Auth::new(config.api_key.clone(), config.api_keys.clone()),
        max_answer_bytes: config.max_answer_bytes,
    };
    if !app.auth.enabled() {
        if let Some(open) = [config.grpc, config.http]
            .into_iter()
            .find(|a| !a.ip().is_loopback())
            .filter(|_| !config.allow_unauthenticated)
        {
            return Err(format!(
                "refusing to listen on {open} without auth: any caller could read every \
                 tenant. Pass --api-key or --api-keys, listen on loopback, or pass \
                 --allow-unauthenticated"
            )
            .into());
        }
        tracing::warn!(
            "auth is off (no --api-key or --api-keys): every caller may read every tenant"
        );
    }
    let grpc_listener = TcpListener::bind(config.grpc).await?;
    let http_listener = TcpListener::bind(config.http).await?;
    let (grpc_addr, http_addr) = (grpc_listener.local_addr()?, http_listener.local_addr()?);
    let app_auth_on = app.auth.enabled();
    let grpc = grpc::Grpc::build(app.clone(), config).await?;
    let http = http::router(app, config.max_body_bytes);

    // Dropping `stop` wakes every clone of `stopped`.
    let (stop, stopped) = tokio::sync::watch::channel(());
    let signal = |mut rx: tokio::sync::watch::Receiver<()>| async move {
        let _ = rx.changed().await;
    };
    let grpc_listener = conn::TimedListener::new(grpc_listener, config.read_timeout);
    let http_listener = conn::TimedListener::new(http_listener, config.read_timeout);
    let grpc_task = tokio::spawn(grpc.serve(grpc_listener, signal(stopped.clone())));
    let http_task = tokio::spawn(async move {
        axum::serve(http_listener, http)
            .with_graceful_shutdown(signal(stopped))
            .await
    });
    tracing::info!(%grpc_addr, %http_addr, auth = app_auth_on, "ingest server started");

    let done = tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down: draining in-flight calls");
        drop(stop);
        let drained = tokio::time::timeout(DRAIN_TIMEOUT, async {
            let (g, h) = tokio::join!(grpc_task, http_task);
            g.map_err(|e| e.to_string())?
                .map_err(|e| format!("grpc: {e}"))?;
            h.map_err(|e| e.to_string())?
                .map_err(|e| format!("http: {e}"))
        });
        match drained.await {
            Ok(result) => result,
            Err(_) => Err(format!(
                "calls still running after {DRAIN_TIMEOUT:?}; stopped anyway"
            )),
        }
    });
    Ok(Running {
        grpc_addr,
        http_addr,
        done,
    })
}
