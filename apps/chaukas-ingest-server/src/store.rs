//! Where events live: the [`EventStore`] trait and [`MemoryStore`], the embedded
//! default, with the query, paging and statistics logic.
//!
//! Every event has a sort key `(time, seq)`: `time` is the event's `timestamp` (the
//! time of ingest when it has none) and `seq` a per-store ingest counter, so keys are
//! unique and totally ordered. A page token is the last key a page returned, so the
//! next page starts strictly after it: events that arrive meanwhile never shift pages,
//! and every event that existed when paging started is returned exactly once.
//!
//! Events are stored as the bytes of `common_eventing::Lossless<Event>`: an event that
//! arrived as binary protobuf keeps the fields a newer schema added (at every depth),
//! and is returned with them by every binary answer
//! ([`QueryPage::encode_query_response`]). The bytes are what an event costs, plus a
//! fixed entry of about a hundred bytes (its key, tenant and id); events are decoded
//! only to be filtered, counted or returned.
//!
//! Bounds, all of them [`Limits`]:
//! - the store holds at most so many events and bytes, in all and per tenant; an
//!   insert past a cap is refused ([`StoreError::Full`], naming the cap), never
//!   made room for by evicting: ingest loses nothing it acknowledged;
//! - a page ends early, with a `next_page_token`, where its next event would take the
//!   encoded answer past the caller's byte budget (sized so that a client with gRPC's
//!   default 4 MiB limit can read it), so every stored event can be paged to.
//!
//! Scans (queries, statistics) run on tokio's blocking pool, at most
//! [`Limits::max_concurrent_scans`] at once, and hold the store's lock for one chunk
//! of [`SCAN_CHUNK`] events at a time: ingest and health checks go on while tenants
//! scan.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use chaukas_spec_server::common::v1::{
    Event, EventType, QueryFilter, QueryRequest, QueryResponse, SortOrder, TimeRange, event,
};
use chaukas_spec_server::server::v1::{GetEventStatsRequest, GetEventStatsResponse};
use common_eventing::Lossless;
use common_eventing::wkt::Timestamp;
use prost::Message as _;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Bound;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Events scanned per hold of the store's lock.
pub const SCAN_CHUNK: usize = 256;

/// Bytes an event takes in an encoded `QueryResponse` beyond its own: the field key
/// and the length prefix (at most 5 bytes for a length under 4 GiB).
pub fn answer_bytes_of(event_len: usize) -> usize {
    1 + prost::encoding::encoded_len_varint(event_len as u64) + event_len
}

/// Bytes of an answer kept for its `next_page_token` (a token is under 60 bytes).
pub const TOKEN_RESERVE: usize = 64;

/// What a [`MemoryStore`] holds at most. An insert past any cap is refused with
/// [`StoreError::Full`]; nothing is evicted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Events in all (`--max-events`).
    pub max_events: usize,
    /// Encoded event bytes in all (`--max-stored-bytes`).
    pub max_bytes: usize,
    /// Events of one tenant (`--max-tenant-events`).
    pub max_tenant_events: usize,
    /// Encoded event bytes of one tenant (`--max-tenant-bytes`).
    pub max_tenant_bytes: usize,
    /// Scans (queries, statistics) running at once (`--max-concurrent-scans`); more
    /// wait their turn, so scans never take every core from ingest.
    pub max_concurrent_scans: usize,
}

impl Default for Limits {
    /// 2,000,000 events and 1 GiB in all; 500,000 events and 256 MiB per tenant;
    /// one scan at a time.
    fn default() -> Self {
        Self {
            max_events: 2_000_000,
            max_bytes: 1 << 30,
            max_tenant_events: 500_000,
            max_tenant_bytes: 256 << 20,
            max_concurrent_scans: 1,
        }
    }
}

/// Page size when a query asks for 0.
pub const DEFAULT_PAGE_SIZE: usize = 100;
/// Largest page a query gets, whatever it asks for.
pub const MAX_PAGE_SIZE: usize = 1000;

/// What [`EventStore::insert`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inserted {
    /// The event was new and is stored.
    Stored,
    /// An event with the same `(tenant_id, event_id)` was stored before; the first
    /// one is kept and this one is dropped.
    Duplicate,
}

/// Why a store call failed.
#[derive(Debug, PartialEq, Eq)]
pub enum StoreError {
    /// The request itself is wrong (bad page token, negative page size, ...).
    InvalidArgument(String),
    /// The store cannot serve now (a real store's connection errors).
    Unavailable(String),
    /// The store is full: the message names the cap (`RESOURCE_EXHAUSTED`, HTTP 507).
    Full(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::InvalidArgument(m) | Self::Unavailable(m) | Self::Full(m) => f.write_str(m),
        }
    }
}

/// A place to keep events. Implement it over a database to replace [`MemoryStore`];
/// validation, authentication and tenant scoping happen before the store is called.
///
/// Batches are inserted one event at a time: when `insert` fails mid-batch, the
/// events inserted before it stay stored and the call fails with that error (503 or
/// `UNAVAILABLE` for [`StoreError::Unavailable`]); clients re-send the batch, which
/// is safe since duplicates are accepted. [`MemoryStore`] never fails.
#[tonic::async_trait]
pub trait EventStore: Send + Sync + 'static {
    /// Stores a validated event (non-empty `event_id` and `tenant_id`, and a proto3
    /// JSON form) unless the tenant already has an event with that id. The provided
    /// one encodes it and calls [`EventStore::insert_encoded`].
    async fn insert(&self, event: Lossless<Event>) -> Result<Inserted, StoreError> {
        self.insert_encoded(EncodedEvent {
            tenant_id: event.tenant_id.clone(),
            event_id: event.event_id.clone(),
            time: event.timestamp,
            bytes: Bytes::from(event.encode_to_vec()),
        })
        .await
    }

    /// Stores a validated event given as its encoded bytes, indexed by what was read
    /// from them (the batch route reads events as zero-copy views and stores the bytes
    /// it received, unknown fields included, without building an `Event`).
    ///
    /// A store implements this one or [`EventStore::insert`] (each is written in
    /// terms of the other); storing bytes as they are is what this one is for. The
    /// provided one decodes the event and calls `insert`.
    async fn insert_encoded(&self, event: EncodedEvent) -> Result<Inserted, StoreError> {
        let decoded = Lossless::<Event>::decode(event.bytes.clone())
            .map_err(|e| StoreError::Unavailable(format!("an event does not decode: {e}")))?;
        self.insert(decoded).await
    }

    /// Events matching every field of the filter, one page at a time: at most the
    /// page size, and no more than fit in `max_answer_bytes` of encoded
    /// `QueryResponse` (the page then ends early, with a token). A page holds at
    /// least one event whenever one matches (ingest refuses events that could not).
    async fn query(
        &self,
        query: QueryRequest,
        max_answer_bytes: usize,
    ) -> Result<QueryPage, StoreError>;

    /// Counts over the events of a tenant (all tenants when empty), project and time range.
    async fn stats(
        &self,
        request: GetEventStatsRequest,
    ) -> Result<GetEventStatsResponse, StoreError>;
}

/// An encoded `Event` and its index: the fields a store keys and scopes it by.
#[derive(Clone, Debug, PartialEq)]
pub struct EncodedEvent {
    /// `tenant_id` of the event.
    pub tenant_id: String,
    /// `event_id` of the event.
    pub event_id: String,
    /// `timestamp` of the event (stores use the time of insertion when it has none).
    pub time: Option<Timestamp>,
    /// The event's bytes.
    pub bytes: Bytes,
}

/// A page of events, each with the fields its schema does not know.
#[derive(Clone, Debug, Default)]
pub struct QueryPage {
    /// Matching events.
    pub events: Vec<Lossless<Event>>,
    /// Token for the next page; empty when there is none.
    pub next_page_token: String,
}

impl QueryPage {
    /// The page as the generated `QueryResponse` (for JSON: unknown fields dropped).
    pub fn into_response(self) -> QueryResponse {
        QueryResponse {
            events: self.events.into_iter().map(Lossless::into_inner).collect(),
            next_page_token: self.next_page_token,
        }
    }

    /// The encoded `QueryResponse`, every event with its unknown fields.
    pub fn encode_query_response(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for event in &self.events {
            let bytes = event.encode_to_vec();
            prost::encoding::encode_key(1, prost::encoding::WireType::LengthDelimited, &mut out);
            prost::encoding::encode_varint(bytes.len() as u64, &mut out);
            out.extend_from_slice(&bytes);
        }
        if !self.next_page_token.is_empty() {
            prost::encoding::string::encode(2, &self.next_page_token, &mut out);
        }
        out
    }
}

impl From<QueryResponse> for QueryPage {
    fn from(response: QueryResponse) -> Self {
        QueryPage {
            events: response.events.into_iter().map(Lossless::from).collect(),
            next_page_token: response.next_page_token,
        }
    }
}

/// The position of an event in the store's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct SortKey {
    seconds: i64,
    nanos: i32,
    seq: u64,
}

impl SortKey {
    fn time(&self) -> Timestamp {
        Timestamp {
            seconds: self.seconds,
            nanos: self.nanos,
        }
    }
}

/// An opaque page token: the key of the last event returned and the order it was
/// returned in, base64url of `a|d.<seconds>.<nanos>.<seq>`.
fn encode_token(order: SortOrder, key: SortKey) -> String {
    let dir = if order == SortOrder::Asc { 'a' } else { 'd' };
    let raw = format!("{dir}.{}.{}.{}", key.seconds, key.nanos, key.seq);
    URL_SAFE_NO_PAD.encode(raw)
}

fn decode_token(token: &str, order: SortOrder) -> Result<SortKey, StoreError> {
    let bad = || {
        StoreError::InvalidArgument(format!(
            "page_token {} is not a token this server issued",
            server_kit::echo(token)
        ))
    };
    let raw = URL_SAFE_NO_PAD.decode(token).map_err(|_| bad())?;
    let raw = String::from_utf8(raw).map_err(|_| bad())?;
    let mut parts = raw.split('.');
    let dir = parts.next().ok_or_else(bad)?;
    let seconds = parts.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    let nanos = parts.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    let seq = parts.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    if parts.next().is_some() {
        return Err(bad());
    }
    let expected = if order == SortOrder::Asc { "a" } else { "d" };
    if dir != expected {
        return Err(StoreError::InvalidArgument(
            "page_token was issued for the other order_by_time".into(),
        ));
    }
    Ok(SortKey {
        seconds,
        nanos,
        seq,
    })
}

/// Whether `t` lies in `[start, end)`; a missing bound is open.
fn in_range(t: Timestamp, range: Option<&TimeRange>) -> bool {
    let Some(range) = range else { return true };
    let key = |t: &Timestamp| (t.seconds, t.nanos);
    range.start.as_ref().is_none_or(|s| key(&t) >= key(s))
        && range.end.as_ref().is_none_or(|e| key(&t) < key(e))
}

/// Whether an event (at effective time `time`) passes every field of `filter`. Empty
/// fields match everything; `types`, `statuses` and `severities` match any listed
/// value; the event must carry every listed tag; `text_query` is a case-insensitive
/// substring of the message text.
pub fn matches(filter: &QueryFilter, time: Timestamp, e: &Event) -> bool {
    let eq = |want: &str, have: &str| want.is_empty() || want == have;
    let any = |want: &[i32], have: i32| want.is_empty() || want.contains(&have);
    eq(&filter.tenant_id, &e.tenant_id)
        && eq(&filter.project_id, &e.project_id)
        && eq(&filter.session_id, &e.session_id)
        && eq(&filter.agent_id, &e.agent_id)
        && eq(&filter.span_id, &e.span_id)
        && eq(&filter.trace_id, &e.trace_id)
        && any(&filter.types, e.r#type)
        && any(&filter.statuses, e.status)
        && any(&filter.severities, e.severity)
        && filter.tags.iter().all(|t| e.tags.contains(t))
        && (filter.text_query.is_empty() || message_text_contains(e, &filter.text_query))
        && in_range(time, filter.time.as_ref())
}

fn message_text_contains(e: &Event, needle: &str) -> bool {
    match &e.content {
        Some(event::Content::Message(m)) => m.text.to_lowercase().contains(&needle.to_lowercase()),
        _ => false,
    }
}

/// One stored event: its tenant (shared with every event of the tenant) and the
/// encoded `Lossless<Event>`.
struct Stored {
    tenant: Arc<str>,
    bytes: Bytes,
}

/// Events and bytes held, in all or by one tenant.
#[derive(Clone, Copy, Default)]
struct Usage {
    events: usize,
    bytes: usize,
}

/// The events behind their lock, and how many inserts wait for it.
///
/// Scans take the lock for one chunk at a time and, between chunks, let every
/// waiting insert in first: `std`'s lock alone would let a scan that re-locks at once
/// starve inserts until it ends (the unlocking reader clears the writers' flag before
/// the woken writer runs).
#[derive(Default)]
struct Shared {
    lock: RwLock<Inner>,
    writers_waiting: AtomicUsize,
}

impl Shared {
    /// The lock for reading, once no insert is waiting.
    fn read(&self) -> RwLockReadGuard<'_, Inner> {
        while self.writers_waiting.load(Ordering::Acquire) > 0 {
            std::thread::yield_now();
        }
        self.lock.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The lock for writing; scans step aside while an insert waits.
    fn write(&self) -> RwLockWriteGuard<'_, Inner> {
        self.writers_waiting.fetch_add(1, Ordering::AcqRel);
        let guard = self.lock.write().unwrap_or_else(PoisonError::into_inner);
        self.writers_waiting.fetch_sub(1, Ordering::AcqRel);
        guard
    }
}

#[derive(Default)]
struct Inner {
    next_seq: u64,
    events: BTreeMap<SortKey, Stored>,
    /// `(tenant, event_id)` of every stored event, as one string: the length of the
    /// tenant in decimal, `:`, the tenant, the event id.
    ids: HashSet<Box<str>>,
    tenants: HashMap<Arc<str>, Usage>,
    usage: Usage,
}

fn id_key(tenant: &str, event_id: &str) -> Box<str> {
    format!("{}:{tenant}{event_id}", tenant.len()).into_boxed_str()
}

/// The embedded store: every event in memory as its encoded bytes, ordered by
/// `(time, seq)`, within [`Limits`]. Queries scan that order from the page token on,
/// in chunks, off the async workers.
pub struct MemoryStore {
    inner: Arc<Shared>,
    limits: Limits,
    scans: Arc<tokio::sync::Semaphore>,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::with_limits(Limits::default())
    }
}

impl MemoryStore {
    /// An empty store with the default [`Limits`].
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty store with `limits`.
    pub fn with_limits(limits: Limits) -> Self {
        Self {
            inner: Arc::default(),
            limits,
            scans: Arc::new(tokio::sync::Semaphore::new(
                limits.max_concurrent_scans.max(1),
            )),
        }
    }

    /// Runs a scan on the blocking pool (it may take long), so async workers stay
    /// free, once one of the [`Limits::max_concurrent_scans`] turns is free.
    async fn scan<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Shared) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let turn = Arc::clone(&self.scans)
            .acquire_owned()
            .await
            .map_err(|e| StoreError::Unavailable(format!("the store is closing: {e}")))?;
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            f(&inner)
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("the scan failed: {e}")))?
    }

    /// Events and encoded bytes held now.
    pub fn usage(&self) -> (usize, usize) {
        let inner = self.inner.read();
        (inner.usage.events, inner.usage.bytes)
    }
}

/// Which cap an insert of `len` bytes would break, if any.
fn over(limits: &Limits, all: Usage, tenant: Usage, tenant_id: &str, len: usize) -> Option<String> {
    let full = |what: &str, cap: usize, flag: &str| {
        Some(format!(
            "the store is full: {what} is capped at {cap} ({flag}); nothing was evicted"
        ))
    };
    if all.events >= limits.max_events {
        full("the number of events", limits.max_events, "--max-events")
    } else if all.bytes + len > limits.max_bytes {
        full(
            "the bytes of all events",
            limits.max_bytes,
            "--max-stored-bytes",
        )
    } else if tenant.events >= limits.max_tenant_events {
        full(
            &format!(
                "the number of events of tenant {}",
                server_kit::echo(tenant_id)
            ),
            limits.max_tenant_events,
            "--max-tenant-events",
        )
    } else if tenant.bytes + len > limits.max_tenant_bytes {
        full(
            &format!("the bytes of tenant {}", server_kit::echo(tenant_id)),
            limits.max_tenant_bytes,
            "--max-tenant-bytes",
        )
    } else {
        None
    }
}

/// Where a scan goes next: the range after (ascending) or before (descending) the
/// last key seen.
#[derive(Clone, Copy)]
struct Cursor {
    order: SortOrder,
    after: Option<SortKey>,
}

impl Cursor {
    /// Calls `f` on up to [`SCAN_CHUNK`] events from the cursor on, under one hold of
    /// the read lock, advancing the cursor; `false` when the store has no more, or
    /// `f` asked to stop (by returning `false`).
    fn chunk(&mut self, inner: &Shared, mut f: impl FnMut(&SortKey, &Stored) -> bool) -> bool {
        let inner = inner.read();
        let scan: Box<dyn Iterator<Item = (&SortKey, &Stored)>> = match (self.order, self.after) {
            (SortOrder::Asc, None) => Box::new(inner.events.iter()),
            (SortOrder::Asc, Some(k)) => {
                Box::new(inner.events.range((Bound::Excluded(k), Bound::Unbounded)))
            }
            (_, None) => Box::new(inner.events.iter().rev()),
            (_, Some(k)) => Box::new(inner.events.range(..k).rev()),
        };
        let mut seen = 0;
        for (key, stored) in scan {
            self.after = Some(*key);
            if !f(key, stored) {
                return false;
            }
            seen += 1;
            if seen == SCAN_CHUNK {
                return true;
            }
        }
        false
    }
}

/// Whether matching `filter` needs more of an event than its tenant and time.
fn needs_event(filter: &QueryFilter) -> bool {
    let QueryFilter {
        tenant_id: _,
        time: _,
        project_id,
        session_id,
        agent_id,
        span_id,
        trace_id,
        types,
        statuses,
        severities,
        tags,
        text_query,
    } = filter;
    [
        project_id, session_id, agent_id, span_id, trace_id, text_query,
    ]
    .iter()
    .any(|s| !s.is_empty())
        || !types.is_empty()
        || !statuses.is_empty()
        || !severities.is_empty()
        || !tags.is_empty()
}

/// Stored bytes decode: they were encoded by this store.
fn decode_stored(bytes: &Bytes) -> Event {
    Event::decode(bytes.clone()).unwrap_or_default()
}

fn scan_page(
    inner: &Shared,
    order: SortOrder,
    after: Option<SortKey>,
    filter: &QueryFilter,
    page_size: usize,
    max_answer_bytes: usize,
) -> Result<QueryPage, StoreError> {
    let decode = needs_event(filter);
    let mut cursor = Cursor { order, after };
    let mut page: Vec<(SortKey, Bytes)> = Vec::new();
    let mut used = 0;
    let mut more = false;
    while cursor.chunk(inner, |key, stored| {
        let wanted = (filter.tenant_id.is_empty() || *filter.tenant_id == *stored.tenant)
            && in_range(key.time(), filter.time.as_ref())
            && (!decode || matches(filter, key.time(), &decode_stored(&stored.bytes)));
        if !wanted {
            return true;
        }
        let cost = answer_bytes_of(stored.bytes.len());
        let budget = max_answer_bytes.saturating_sub(TOKEN_RESERVE);
        if page.len() == page_size || (!page.is_empty() && used + cost > budget) {
            // Another matching event exists: the page ends with a token.
            more = true;
            return false;
        }
        used += cost;
        page.push((*key, stored.bytes.clone()));
        true
    }) {}
    let next_page_token = match (more, page.last()) {
        (true, Some((key, _))) => encode_token(order, *key),
        _ => String::new(),
    };
    let events = page
        .into_iter()
        .map(|(_, bytes)| {
            Lossless::<Event>::decode(bytes).map_err(|e| {
                StoreError::Unavailable(format!("a stored event does not decode: {e}"))
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(QueryPage {
        events,
        next_page_token,
    })
}

fn scan_stats(inner: &Shared, request: &GetEventStatsRequest) -> GetEventStatsResponse {
    let mut response = GetEventStatsResponse::default();
    // session id -> (first, last) event time in milliseconds. A BTreeMap, so the
    // durations are summed in the same order every time and the average is the
    // same to the last bit (floating-point addition is not associative).
    let mut sessions: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    let mut cursor = Cursor {
        order: SortOrder::Asc,
        after: None,
    };
    while cursor.chunk(inner, |key, stored| {
        let wanted = (request.tenant_id.is_empty() || *request.tenant_id == *stored.tenant)
            && in_range(key.time(), request.time_range.as_ref());
        if !wanted {
            return true;
        }
        let e = decode_stored(&stored.bytes);
        if !(request.project_id.is_empty() || request.project_id == e.project_id) {
            return true;
        }
        response.total_events += 1;
        let name = EventType::try_from(e.r#type)
            .map_or_else(|_| e.r#type.to_string(), |t| t.as_str_name().to_string());
        *response.events_by_type.entry(name).or_default() += 1;
        if !e.session_id.is_empty() {
            let ms = key.seconds as f64 * 1e3 + f64::from(key.nanos) / 1e6;
            let span = sessions.entry(e.session_id).or_insert((ms, ms));
            span.0 = span.0.min(ms);
            span.1 = span.1.max(ms);
        }
        true
    }) {}
    response.total_sessions = sessions.len() as i64;
    if !sessions.is_empty() {
        let total: f64 = sessions.values().map(|(first, last)| last - first).sum();
        response.avg_session_duration_ms = total / sessions.len() as f64;
    }
    response
}

#[tonic::async_trait]
impl EventStore for MemoryStore {
    async fn insert_encoded(&self, event: EncodedEvent) -> Result<Inserted, StoreError> {
        let time = event.time.unwrap_or_else(Timestamp::now);
        let id = id_key(&event.tenant_id, &event.event_id);
        let bytes = event.bytes;
        let mut inner = self.inner.write();
        if inner.ids.contains(&id) {
            return Ok(Inserted::Duplicate);
        }
        let tenant_usage = inner
            .tenants
            .get(event.tenant_id.as_str())
            .copied()
            .unwrap_or_default();
        if let Some(why) = over(
            &self.limits,
            inner.usage,
            tenant_usage,
            &event.tenant_id,
            bytes.len(),
        ) {
            return Err(StoreError::Full(why));
        }
        let tenant: Arc<str> = match inner.tenants.get_key_value(event.tenant_id.as_str()) {
            Some((tenant, _)) => Arc::clone(tenant),
            None => Arc::from(event.tenant_id.as_str()),
        };
        let key = SortKey {
            seconds: time.seconds,
            nanos: time.nanos,
            seq: inner.next_seq,
        };
        inner.next_seq += 1;
        let len = bytes.len();
        let usage = inner.tenants.entry(Arc::clone(&tenant)).or_default();
        usage.events += 1;
        usage.bytes += len;
        inner.usage.events += 1;
        inner.usage.bytes += len;
        inner.ids.insert(id);
        inner.events.insert(key, Stored { tenant, bytes });
        Ok(Inserted::Stored)
    }

    async fn query(
        &self,
        query: QueryRequest,
        max_answer_bytes: usize,
    ) -> Result<QueryPage, StoreError> {
        let page_size = match usize::try_from(query.page_size) {
            Ok(0) => DEFAULT_PAGE_SIZE,
            Ok(n) => n.min(MAX_PAGE_SIZE),
            Err(_) => {
                return Err(StoreError::InvalidArgument(format!(
                    "page_size {} is negative",
                    query.page_size
                )));
            }
        };
        let order = match SortOrder::try_from(query.order_by_time) {
            Ok(SortOrder::Asc) => SortOrder::Asc,
            // Newest first is the default of the public OpenAPI.
            Ok(SortOrder::Desc | SortOrder::Unspecified) => SortOrder::Desc,
            Err(_) => {
                return Err(StoreError::InvalidArgument(format!(
                    "order_by_time {} is not a SortOrder",
                    query.order_by_time
                )));
            }
        };
        let after = match query.page_token.as_str() {
            "" => None,
            token => Some(decode_token(token, order)?),
        };
        let filter = query.filter.unwrap_or_default();
        self.scan(move |inner| scan_page(inner, order, after, &filter, page_size, max_answer_bytes))
            .await
    }

    async fn stats(
        &self,
        request: GetEventStatsRequest,
    ) -> Result<GetEventStatsResponse, StoreError> {
        self.scan(move |inner| Ok(scan_stats(inner, &request)))
            .await
    }
}
