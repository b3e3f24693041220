//! Where events live: the [`EventStore`] trait and [`MemoryStore`], the embedded
//! default, with the query, paging and statistics logic.
//!
//! Every event has a sort key `(time, seq)`: `time` is the event's `timestamp` (the
//! time of ingest when it has none) and `seq` a per-store ingest counter, so keys are
//! unique and totally ordered. A page token is the last key a page returned, so the
//! next page starts strictly after it: events that arrive meanwhile never shift pages,
//! and every event that existed when paging started is returned exactly once.
//!
//! Events are stored as `common_eventing::Lossless<Event>`: an event that arrived as
//! binary protobuf keeps the fields a newer schema added (at every depth), and is
//! returned with them by every binary answer ([`QueryPage::encode_query_response`]).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chaukas_spec_server::common::v1::{
    Event, EventType, QueryFilter, QueryRequest, QueryResponse, SortOrder, TimeRange, event,
};
use chaukas_spec_server::server::v1::{GetEventStatsRequest, GetEventStatsResponse};
use common_eventing::Lossless;
use common_eventing::wkt::Timestamp;
use std::collections::{BTreeMap, HashSet};
use std::ops::Bound;
use std::sync::{PoisonError, RwLock};

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
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::InvalidArgument(m) | Self::Unavailable(m) => f.write_str(m),
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
    /// JSON form) unless the tenant already has an event with that id.
    async fn insert(&self, event: Lossless<Event>) -> Result<Inserted, StoreError>;

    /// Events matching every field of the filter, one page at a time.
    async fn query(&self, query: QueryRequest) -> Result<QueryPage, StoreError>;

    /// Counts over the events of a tenant (all tenants when empty), project and time range.
    async fn stats(
        &self,
        request: GetEventStatsRequest,
    ) -> Result<GetEventStatsResponse, StoreError>;
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
            "page_token {token:?} is not a token this server issued"
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

#[derive(Default)]
struct Inner {
    next_seq: u64,
    events: BTreeMap<SortKey, Lossless<Event>>,
    ids: HashSet<(String, String)>,
}

/// The embedded store: every event in memory, ordered by `(time, seq)`. Queries scan
/// that order from the page token on, which is plenty for a reference backend.
#[derive(Default)]
pub struct MemoryStore {
    inner: RwLock<Inner>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

#[tonic::async_trait]
impl EventStore for MemoryStore {
    async fn insert(&self, event: Lossless<Event>) -> Result<Inserted, StoreError> {
        let mut inner = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        if !inner
            .ids
            .insert((event.tenant_id.clone(), event.event_id.clone()))
        {
            return Ok(Inserted::Duplicate);
        }
        let time = event.timestamp.unwrap_or_else(Timestamp::now);
        let key = SortKey {
            seconds: time.seconds,
            nanos: time.nanos,
            seq: inner.next_seq,
        };
        inner.next_seq += 1;
        inner.events.insert(key, event);
        Ok(Inserted::Stored)
    }

    async fn query(&self, query: QueryRequest) -> Result<QueryPage, StoreError> {
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

        let inner = self.inner.read().unwrap_or_else(PoisonError::into_inner);
        let scan: Box<dyn Iterator<Item = (&SortKey, &Lossless<Event>)>> = match (order, after) {
            (SortOrder::Asc, None) => Box::new(inner.events.iter()),
            (SortOrder::Asc, Some(k)) => {
                Box::new(inner.events.range((Bound::Excluded(k), Bound::Unbounded)))
            }
            (_, None) => Box::new(inner.events.iter().rev()),
            (_, Some(k)) => Box::new(inner.events.range(..k).rev()),
        };
        let mut hits = scan.filter(|(k, e)| matches(&filter, k.time(), e));
        let mut events = Vec::new();
        let mut last = None;
        for (key, e) in hits.by_ref().take(page_size) {
            events.push(e.clone());
            last = Some(*key);
        }
        // A token only when another matching event exists right now.
        let next_page_token = match (last, hits.next()) {
            (Some(key), Some(_)) => encode_token(order, key),
            _ => String::new(),
        };
        Ok(QueryPage {
            events,
            next_page_token,
        })
    }

    async fn stats(
        &self,
        request: GetEventStatsRequest,
    ) -> Result<GetEventStatsResponse, StoreError> {
        let inner = self.inner.read().unwrap_or_else(PoisonError::into_inner);
        let mut response = GetEventStatsResponse::default();
        // session id -> (first, last) event time in milliseconds. A BTreeMap, so the
        // durations are summed in the same order every time and the average is the
        // same to the last bit (floating-point addition is not associative).
        let mut sessions: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
        for (key, e) in &inner.events {
            let wanted = (request.tenant_id.is_empty() || request.tenant_id == e.tenant_id)
                && (request.project_id.is_empty() || request.project_id == e.project_id)
                && in_range(key.time(), request.time_range.as_ref());
            if !wanted {
                continue;
            }
            response.total_events += 1;
            let name = EventType::try_from(e.r#type)
                .map_or_else(|_| e.r#type.to_string(), |t| t.as_str_name().to_string());
            *response.events_by_type.entry(name).or_default() += 1;
            if !e.session_id.is_empty() {
                let ms = key.seconds as f64 * 1e3 + f64::from(key.nanos) / 1e6;
                let span = sessions.entry(&e.session_id).or_insert((ms, ms));
                span.0 = span.0.min(ms);
                span.1 = span.1.max(ms);
            }
        }
        response.total_sessions = sessions.len() as i64;
        if !sessions.is_empty() {
            let total: f64 = sessions.values().map(|(first, last)| last - first).sum();
            response.avg_session_duration_ms = total / sessions.len() as f64;
        }
        Ok(response)
    }
}
