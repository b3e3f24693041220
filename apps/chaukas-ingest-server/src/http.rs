//! HTTP: the paths the published SDK and the public OpenAPI use.
//!
//! | route | body | answer |
//! | --- | --- | --- |
//! | `POST /v1/events` | `application/x-protobuf` `IngestEventRequest` (what `chaukas-sdk` posts) or `application/json` `Event` | 202, JSON `IngestEventResponse` |
//! | `POST /v1/events/batch` | `application/x-protobuf` `IngestEventBatchRequest` or `application/json` `EventBatch` | 202, JSON `IngestEventBatchResponse` |
//! | `POST /v1/query` | `application/json` `QueryRequest` | 200, JSON `QueryResponse` |
//! | `GET /v1/capabilities` | | 200, JSON `Capabilities` |
//! | `GET /healthz` | | 200 (no auth) |
//!
//! Binary bodies are decoded as `Lossless`: fields a newer schema added are stored and
//! come back from gRPC `QueryEvents`. JSON answers cannot hold them.
//!
//! JSON is proto3 JSON; input may use camelCase or snake_case names, and an unknown key
//! is a 400 naming the key and its path (`unknown field "riskScore" at
//! $.toolCall.riskScore`). Ingest refuses
//! events that have no proto3 JSON form (see `not_representable` in `main.rs`), so
//! every stored event can be queried back as JSON.
//!
//! Every error answer has the body `{"error": "<kind>", "message": "<what was
//! wrong>"}` and is logged:
//! - 4xx: the request was refused and nothing was stored (a batch's invalid events
//!   are not a refusal: they are counted and named in its 202 answer);
//! - 503: the store failed; a batch may then be stored in part, and re-sending it is
//!   safe because duplicates are accepted;
//! - 500 (`"internal"`): an answer could not be encoded, a bug.

use super::auth::{Caller, TENANT_HEADER, TENANT_HEADER_ALIAS};
use super::store::Inserted;
use super::{ApiError, App};
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Extension, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chaukas_spec_server::common::v1::{Event, EventBatch, QueryRequest};
use chaukas_spec_server::server::v1::{
    IngestEventBatchRequest, IngestEventRequest, IngestEventResponse,
};
use common_eventing::Lossless;

/// A refused request: status, a short kind and what was wrong.
#[derive(Debug)]
pub struct Problem {
    status: StatusCode,
    kind: &'static str,
    message: String,
}

impl Problem {
    fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            kind,
            message: message.into(),
        }
    }

    fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_argument", message)
    }
}

impl From<ApiError> for Problem {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::InvalidArgument(m) => Self::invalid(m),
            ApiError::Unauthenticated(m) => {
                Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", m)
            }
            ApiError::PermissionDenied(m) => {
                Self::new(StatusCode::FORBIDDEN, "permission_denied", m)
            }
            ApiError::Unavailable(m) => {
                Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", m)
            }
            ApiError::Full(m) => Self::new(StatusCode::INSUFFICIENT_STORAGE, "store_full", m),
        }
    }
}

/// A body the size limit or the connection cut short.
impl From<BytesRejection> for Problem {
    fn from(rejection: BytesRejection) -> Self {
        let kind = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            "payload_too_large"
        } else {
            "invalid_body"
        };
        Self::new(rejection.status(), kind, rejection.body_text())
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!(status = %self.status, kind = self.kind, "http request failed: {}", self.message);
        } else {
            tracing::warn!(status = %self.status, kind = self.kind, "http request refused: {}", self.message);
        }
        // A `Value` of strings always prints: no fallible `json()` here.
        let body = serde_json::json!({ "error": self.kind, "message": self.message });
        let mut response = (
            self.status,
            [(CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert("www-authenticate", HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// A JSON response, or a JSON 500 if `body` has no JSON form. Ingest refuses events
/// without one, so no answer of this server gets there; a replacement store that
/// returns events it did not get through ingest could.
fn json<T: serde::Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (status, [(CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(e) => Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("the answer has no proto3 JSON form: {e}"),
        )
        .into_response(),
    }
}

/// How a body is encoded, from its `content-type`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Protobuf,
    Json,
}

fn format(headers: &HeaderMap, allowed: &[Format]) -> Result<Format, Problem> {
    let value = headers
        .get(CONTENT_TYPE)
        .map(|v| v.to_str().unwrap_or("(not text)"))
        .unwrap_or("");
    let mime = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let format = match mime.as_str() {
        "application/x-protobuf" | "application/protobuf" => Some(Format::Protobuf),
        "application/json" => Some(Format::Json),
        _ => None,
    };
    let accepted = if allowed.contains(&Format::Protobuf) {
        "application/x-protobuf or application/json"
    } else {
        "application/json"
    };
    match format {
        Some(f) if allowed.contains(&f) => Ok(f),
        _ if value.is_empty() => Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("missing content-type: send {accepted}"),
        )),
        _ => Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!(
                "content-type {} is not accepted here: send {accepted}",
                server_kit::echo(value)
            ),
        )),
    }
}

/// Proto3 JSON parsing: an unknown key is an error (proto3 JSON has no place for
/// unknown fields), and the answer names the key and the path of the object holding it.
pub fn decode_json<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<T, Problem> {
    serde_json::from_slice(body).map_err(|e| {
        let text = e.to_string();
        if let Some(key) = text
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split_once('`'))
            .map(|(key, _)| key)
        {
            let at = json_path_at(body, e.line(), e.column());
            // The key is caller input: cut short, everywhere it appears.
            let (echoed, bare) = if key.chars().count() > server_kit::MAX_ECHO_CHARS {
                let echoed = server_kit::echo(key);
                let bare = echoed.trim_matches('"').to_owned();
                (echoed, bare)
            } else {
                (format!("{key:?}"), key.to_owned())
            };
            Problem::invalid(format!(
                "body is not a proto3 JSON {what}: unknown field {echoed} at {at}{bare} ({})",
                text.replace(key, &bare)
            ))
        } else {
            Problem::invalid(format!("body is not a proto3 JSON {what}: {e}"))
        }
    })
}

/// The path (`$.a.b[2].`) of the object open at 1-based `line`/`column` of `json`.
pub fn json_path_at(json: &[u8], line: usize, column: usize) -> String {
    enum Frame {
        Object(Option<String>),
        Array(usize),
    }
    let line_start: usize = json
        .split(|&b| b == b'\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    let end = (line_start + column).min(json.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut last_string = None;
    let mut i = 0;
    while i < end {
        match json[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < json.len() && json[i] != b'"' {
                    i += if json[i] == b'\\' { 2 } else { 1 };
                }
                last_string =
                    Some(String::from_utf8_lossy(&json[start..i.min(json.len())]).into_owned());
            }
            b':' => {
                if let Some(Frame::Object(key)) = stack.last_mut() {
                    *key = last_string.take();
                }
            }
            b'{' => stack.push(Frame::Object(None)),
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(n)) => *n += 1,
                Some(Frame::Object(key)) => *key = None,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    let mut path = String::from("$");
    for frame in &stack {
        match frame {
            Frame::Object(Some(key)) => {
                path.push('.');
                path.push_str(key);
            }
            Frame::Array(n) => path.push_str(&format!("[{n}]")),
            Frame::Object(None) => {}
        }
    }
    path.push('.');
    path
}

/// Binary decoding through `Lossless` (fields a newer schema added are kept).
pub fn decode_protobuf<T: common_eventing::lossless::Known>(
    body: &[u8],
    what: &str,
) -> Result<Lossless<T>, Problem> {
    Lossless::<T>::decode(body)
        .map_err(|e| Problem::invalid(format!("body is not a protobuf {what}: {e}")))
}

const BOTH: &[Format] = &[Format::Protobuf, Format::Json];

/// `POST /v1/events`.
async fn ingest_event(
    State(app): State<App>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let format = format(&headers, BOTH)?;
    let body = body?;
    let event = match format {
        // Binary: the event keeps every field a newer schema added (field 1 of the request).
        Format::Protobuf => decode_protobuf::<IngestEventRequest>(&body, "IngestEventRequest")?
            .take_message(1, |r| r.event.take()),
        Format::Json => Some(decode_json::<Event>(&body, "Event")?.into()),
    };
    let (event_id, inserted) = app.ingest(&caller, event).await?;
    let response = IngestEventResponse {
        event_id,
        status: match inserted {
            Inserted::Stored => "accepted".into(),
            Inserted::Duplicate => "duplicate".into(),
        },
        processed_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64),
    };
    Ok(json(StatusCode::ACCEPTED, &response))
}

/// `POST /v1/events/batch`.
async fn ingest_batch(
    State(app): State<App>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let format = format(&headers, BOTH)?;
    let body = body?;
    let outcome = match format {
        // Binary: read as a zero-copy view; each event is stored as it arrived.
        Format::Protobuf => {
            use common_eventing::view::{HasView, MessageView};
            let request =
                <IngestEventBatchRequest as HasView>::View::decode_view(&body).map_err(|e| {
                    Problem::invalid(format!(
                        "body is not a protobuf IngestEventBatchRequest: {e}"
                    ))
                })?;
            let batch = request.event_batch.as_ref().ok_or_else(|| {
                crate::ApiError::InvalidArgument("event_batch is required".into())
            })?;
            app.ingest_batch_view(&caller, batch).await?
        }
        Format::Json => {
            let batch = decode_json::<EventBatch>(&body, "EventBatch")?;
            app.ingest_batch(&caller, Some(batch.into())).await?
        }
    };
    Ok(json(StatusCode::ACCEPTED, &outcome.response))
}

/// `POST /v1/query`.
async fn query(
    State(app): State<App>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    format(&headers, &[Format::Json])?;
    let query = decode_json::<QueryRequest>(&body?, "QueryRequest")?;
    // JSON: proto3 JSON has no form for unknown fields, so they are not in this answer.
    let response = app.query(&caller, query).await?.into_response();
    Ok(json(StatusCode::OK, &response))
}

/// `GET /v1/capabilities`.
async fn capabilities(State(app): State<App>) -> Response {
    json(StatusCode::OK, &app.capabilities())
}

/// `GET /healthz`.
async fn healthz() -> Response {
    json(StatusCode::OK, &serde_json::json!({ "status": "ok" }))
}

async fn method_not_allowed(request: Request) -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!(
            "{} does not take {}",
            request.uri().path(),
            request.method()
        ),
    )
}

async fn not_found(request: Request) -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no route {} {}", request.method(), request.uri().path()),
    )
}

/// Checks the API key before any `/v1` handler runs and attaches the [`Caller`].
async fn authenticate(State(app): State<App>, mut request: Request, next: Next) -> Response {
    let headers = request.headers();
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let caller = app.auth.caller(
        get(AUTHORIZATION.as_str()),
        get(TENANT_HEADER),
        get(TENANT_HEADER_ALIAS),
    );
    match caller {
        Ok(caller) => {
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Err(denied) => Problem::from(ApiError::from(denied)).into_response(),
    }
}

/// The HTTP routes; bodies over `max_body_bytes` get 413.
pub fn router(app: App, max_body_bytes: usize) -> Router {
    let v1 = Router::new()
        .route("/v1/events", post(ingest_event))
        .route("/v1/events/batch", post(ingest_batch))
        .route("/v1/query", post(query))
        .route("/v1/capabilities", get(capabilities))
        .route_layer(middleware::from_fn_with_state(app.clone(), authenticate));
    Router::new()
        .route("/healthz", get(healthz))
        .merge(v1)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .with_state(app)
}
