//! The JSON-RPC check of `POST /mcp` bodies, before rmcp reads them (rmcp answers
//! HTTP 415 to a body it cannot parse): a body that is not JSON is HTTP 400 with
//! JSON-RPC error `-32700` (parse error); JSON that is not one JSON-RPC 2.0 message
//! (`null`, a number, a string, a batch array, no `jsonrpc: "2.0"`, no `method`, an
//! `id` that is not a string or number, a message MCP does not define) is HTTP 400
//! with `-32600` (invalid request), echoing the request's `id` when it has a valid one.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// JSON-RPC error code of a body that is not JSON.
pub const PARSE_ERROR: i64 = -32700;
/// JSON-RPC error code of JSON that is not a valid request.
pub const INVALID_REQUEST: i64 = -32600;
/// Longest error message, in bytes (parser messages can quote the input).
const MAX_MESSAGE_BYTES: usize = 200;

/// A refused body: the JSON-RPC error code, the `id` to answer with, the message.
#[derive(Debug, PartialEq)]
pub struct Refused {
    /// [`PARSE_ERROR`] or [`INVALID_REQUEST`].
    pub code: i64,
    /// The request's `id` when it has a valid one, else `null`.
    pub id: Value,
    /// Why.
    pub message: String,
}

fn invalid(id: &Value, message: impl Into<String>) -> Refused {
    Refused {
        code: INVALID_REQUEST,
        id: id.clone(),
        message: format!("invalid request: {}", message.into()),
    }
}

/// Checks that `body` is one JSON-RPC 2.0 message MCP defines.
pub fn check(body: &[u8]) -> Result<(), Refused> {
    let value: Value = serde_json::from_slice(body).map_err(|e| Refused {
        code: PARSE_ERROR,
        id: Value::Null,
        message: format!("parse error: {e}"),
    })?;
    let map = match &value {
        Value::Object(map) => map,
        Value::Array(_) => {
            return Err(invalid(
                &Value::Null,
                "a batch (JSON array); send one JSON-RPC message per request",
            ));
        }
        other => {
            let kind = match other {
                Value::Null => "null",
                Value::Bool(_) => "a boolean",
                Value::Number(_) => "a number",
                _ => "a string",
            };
            return Err(invalid(
                &Value::Null,
                format!("the body is {kind}, not a JSON-RPC message object"),
            ));
        }
    };
    let id = match map.get("id") {
        None | Some(Value::Null) => Value::Null,
        Some(id @ (Value::String(_) | Value::Number(_))) => id.clone(),
        Some(_) => return Err(invalid(&Value::Null, "id: must be a string or a number")),
    };
    if map.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Err(invalid(&id, "jsonrpc: must be \"2.0\""));
    }
    match map.get("method") {
        Some(Value::String(_)) => {}
        Some(_) => return Err(invalid(&id, "method: must be a string")),
        None if !id.is_null() && (map.contains_key("result") || map.contains_key("error")) => {}
        None => return Err(invalid(&id, "method: is missing")),
    }
    serde_json::from_value::<rmcp::model::ClientJsonRpcMessage>(value)
        .map(drop)
        .map_err(|e| invalid(&id, e.to_string()))
}

fn is_json(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let essence = v.split_once(';').map_or(v, |(essence, _)| essence);
            essence.trim().eq_ignore_ascii_case("application/json")
        })
}

/// The HTTP 400 answer of a refused body.
pub fn refusal(refused: Refused) -> Response {
    let mut message = refused.message;
    if message.len() > MAX_MESSAGE_BYTES {
        let mut end = MAX_MESSAGE_BYTES;
        while !message.is_char_boundary(end) {
            end -= 1;
        }
        message.truncate(end);
        message.push('…');
    }
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": refused.id,
        "error": {"code": refused.code, "message": message},
    });
    (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
}

/// Middleware: reads a JSON `POST` body (413 over `max_body_bytes`), refuses it
/// with [`refusal`] when [`check`] does, and passes it on unchanged otherwise. Other
/// requests (other methods, other content types: rmcp's 415) pass untouched.
pub async fn check_body(
    State(max_body_bytes): State<usize>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::POST || !is_json(&request) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, max_body_bytes).await else {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body exceeds {max_body_bytes} bytes (or could not be read)"),
        )
            .into_response();
    };
    if let Err(refused) = check(&bytes) {
        return refusal(refused);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_and_invalid_requests() {
        assert_eq!(check(b"{").unwrap_err().code, PARSE_ERROR);
        for body in ["null", "[]", "1", "\"x\"", "true", r#"{"method": "ping"}"#] {
            let refused = check(body.as_bytes()).unwrap_err();
            assert_eq!(refused.code, INVALID_REQUEST, "{body}");
        }
        let refused = check(br#"{"jsonrpc": "2.0", "id": 7}"#).unwrap_err();
        assert_eq!(
            (refused.code, refused.id),
            (INVALID_REQUEST, Value::from(7))
        );
        assert!(check(br#"{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}"#).is_ok());
        assert!(check(br#"{"jsonrpc": "2.0", "method": "notifications/initialized"}"#).is_ok());
    }
}
