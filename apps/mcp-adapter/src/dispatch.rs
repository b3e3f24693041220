//! What the generated dispatch (`generated/mcp_dispatch.rs`, one arm per tool) calls:
//! argument parsing with the crates' serde, the gRPC request carrying the caller, and
//! the mapping of results and gRPC statuses to MCP.

use crate::upstream::Upstream;
use common_eventing::mcp::ToolInput;
use common_eventing::validate::{Validate, Violations};
use rmcp::ErrorData;
use rmcp::model::ErrorCode;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tonic::metadata::MetadataValue;
use tonic::{Code, Status};

#[rustfmt::skip]
#[allow(clippy::all, missing_docs)]
mod generated {
    include!("generated/mcp_dispatch.rs");
}
pub use generated::{TOOL_NAMES, call};

/// A tool call's `arguments`.
pub type Arguments = serde_json::Map<String, serde_json::Value>;

/// gRPC metadata key of the caller's tenant (the backend's `x-tenant-id`).
pub const TENANT_HEADER: &str = "x-tenant-id";
/// gRPC metadata key of the caller's subject (the token's `sub`).
pub const ACTOR_HEADER: &str = "x-actor-id";
/// gRPC metadata key of the actor's kind: calls through MCP come from an agent.
pub const ACTOR_KIND_HEADER: &str = "x-actor-kind";

/// Who calls, from the bearer token (or the `--dev-no-auth` settings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The `tenantId` claim: fills every request's `tenant_id` and goes to the backend
    /// as `x-tenant-id`.
    pub tenant_id: String,
    /// The `sub` claim (the backend's actor).
    pub subject: String,
    /// The granted scopes (`scope`, space-separated, or `scp`).
    pub scopes: Vec<String>,
}

impl Caller {
    /// Whether the token grants `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// Longest error text the adapter passes on from a parser or the backend, in bytes;
/// longer texts (which may quote a caller's huge value) are cut.
pub const MAX_ERROR_BYTES: usize = 1024;

/// `text`, cut after [`MAX_ERROR_BYTES`] bytes (at a character boundary) with a note.
pub fn bounded(mut text: String) -> String {
    if text.len() > MAX_ERROR_BYTES {
        let mut end = MAX_ERROR_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let total = text.len();
        text.truncate(end);
        text.push_str(&format!("… ({total} bytes)"));
    }
    text
}

/// Why a tool call failed.
#[derive(Debug)]
pub enum CallError {
    /// A result with `isError: true`: the model sees the text (bad arguments, unknown
    /// ids, refused transitions).
    Tool(String),
    /// A JSON-RPC error: the call could not be served at all (upstream unavailable,
    /// internal errors).
    Rpc(ErrorData),
    /// The request breaks the contract's `buf.validate` rules: a result with
    /// `isError: true` listing every violation in its text and in
    /// `structuredContent.violations` (field path, rule id, message), before any
    /// upstream call.
    Invalid(Violations),
}

impl CallError {
    /// The `structuredContent` of an [`CallError::Invalid`] result:
    /// `{"error": "INVALID_ARGUMENT", "violations": [{"field", "rule", "message"}]}`.
    pub fn violations_json(violations: &Violations) -> serde_json::Value {
        serde_json::json!({
            "error": "INVALID_ARGUMENT",
            "violations": violations
                .iter()
                .map(|v| serde_json::json!({
                    "field": bounded(v.field_path()),
                    "rule": v.rule_id(),
                    "message": v.message(),
                }))
                .collect::<Vec<_>>(),
        })
    }

    /// The text of an [`CallError::Invalid`] result: one line per violation.
    pub fn violations_text(violations: &Violations) -> String {
        bounded(format!(
            "INVALID_ARGUMENT: the arguments break the contract:\n{}",
            violations
                .iter()
                .map(|v| format!("- {}: {} [{}]", v.field_path(), v.message(), v.rule_id()))
                .collect::<Vec<_>>()
                .join("\n")
        ))
    }
}

/// The proto name of a gRPC code (`FAILED_PRECONDITION`).
pub fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}

/// `NOT_FOUND`, `INVALID_ARGUMENT` and `FAILED_PRECONDITION` are the caller's to fix:
/// tool errors with the status message; so is a call the backend did not answer
/// within the deadline (`DEADLINE_EXCEEDED`, or tonic's own `CANCELLED` "Timeout
/// expired"), naming the deadline. Everything else is a JSON-RPC error (internal
/// error, the gRPC code in `data.grpcCode`), for this call only.
impl From<Status> for CallError {
    fn from(status: Status) -> Self {
        let name = code_name(status.code());
        let timed_out = status.code() == Code::DeadlineExceeded
            || (status.code() == Code::Cancelled && status.message() == "Timeout expired");
        match status.code() {
            _ if timed_out => CallError::Tool(match Upstream::current_deadline() {
                Some(deadline) => Upstream::deadline_error(deadline),
                None => format!("DEADLINE_EXCEEDED: {}", status.message()),
            }),
            Code::NotFound | Code::InvalidArgument | Code::FailedPrecondition => {
                CallError::Tool(bounded(format!("{name}: {}", status.message())))
            }
            _ => CallError::Rpc(ErrorData::new(
                ErrorCode::INTERNAL_ERROR,
                bounded(format!("upstream {name}: {}", status.message())),
                Some(serde_json::json!({ "grpcCode": name })),
            )),
        }
    }
}

fn lower_camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Parses `arguments` into the request `T` with the crate's proto3 JSON serde. A
/// field the adapter fills (`T::ADAPTER_FILLED_FIELDS`) may not name anything else
/// than the caller's value: an argument naming another tenant is refused. Errors are
/// tool errors naming the field's path.
pub fn parse<T: DeserializeOwned + ToolInput>(
    arguments: Arguments,
    caller: &Caller,
) -> Result<T, CallError> {
    for path in T::ADAPTER_FILLED_FIELDS {
        for key in [path.to_string(), lower_camel(path)] {
            let Some(value) = arguments.get(&key) else {
                continue;
            };
            let allowed = *path == "tenant_id" && value.as_str() == Some(&caller.tenant_id);
            if !allowed {
                return Err(CallError::Tool(bounded(format!(
                    "{key}: filled from the caller's token (tenant {:?}); this call may not name {value}",
                    caller.tenant_id
                ))));
            }
        }
    }
    serde_path_to_error::deserialize(serde_json::Value::Object(arguments)).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        CallError::Tool(bounded(if path == "." {
            format!("invalid arguments: {inner}")
        } else {
            format!("invalid arguments: {path}: {inner}")
        }))
    })
}

/// The gRPC request for `message` (the parsed arguments with the adapter-filled
/// fields), checked against its `buf.validate` rules, carrying the caller in its
/// metadata, and the deadline and key of the current [`Upstream`] scope.
pub fn grpc_request<T: Validate>(
    message: T,
    caller: &Caller,
) -> Result<tonic::Request<T>, CallError> {
    message.validate().map_err(CallError::Invalid)?;
    let mut request = tonic::Request::new(message);
    Upstream::apply(&mut request);
    let ascii = |name: &str, value: &str| {
        MetadataValue::try_from(value).map_err(|_| {
            CallError::Tool(format!(
                "token claim {name}: {value:?} is not a valid header value"
            ))
        })
    };
    let tenant = ascii("tenantId", &caller.tenant_id)?;
    let subject = ascii("sub", &caller.subject)?;
    let metadata = request.metadata_mut();
    metadata.insert(TENANT_HEADER, tenant);
    metadata.insert(ACTOR_HEADER, subject);
    metadata.insert(
        ACTOR_KIND_HEADER,
        MetadataValue::from_static("ACTOR_KIND_AGENT"),
    );
    Ok(request)
}

/// The response as proto3 JSON (the crate's serde): the tool's `structuredContent`.
pub fn to_json<T: Serialize>(response: T) -> Result<serde_json::Value, CallError> {
    serde_json::to_value(&response).map_err(|e| {
        CallError::Rpc(ErrorData::internal_error(
            format!("the response has no JSON form: {e}"),
            None,
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ameide_sre_proto::core::v1::CreateIncidentRequest;

    fn caller() -> Caller {
        Caller {
            tenant_id: "acme".into(),
            subject: "alice".into(),
            scopes: vec![],
        }
    }

    fn args(json: serde_json::Value) -> Arguments {
        json.as_object().unwrap().clone()
    }

    fn tool_error(e: CallError) -> String {
        match e {
            CallError::Tool(text) => text,
            CallError::Invalid(v) => CallError::violations_text(&v),
            CallError::Rpc(e) => panic!("not a tool error: {e:?}"),
        }
    }

    #[test]
    fn parse_errors_name_the_field_path() {
        let bad =
            args(serde_json::json!({"incident": {"title": "x", "severity": "SEVERITY_HUGE"}}));
        let e = tool_error(parse::<CreateIncidentRequest>(bad, &caller()).unwrap_err());
        assert!(
            e.starts_with("invalid arguments: incident.severity: "),
            "{e}"
        );
        let unknown = args(serde_json::json!({"incident": {"titel": "x"}}));
        let e = tool_error(parse::<CreateIncidentRequest>(unknown, &caller()).unwrap_err());
        assert!(e.contains("titel"), "{e}");
    }

    #[test]
    fn errors_quoting_huge_values_are_cut() {
        let huge = "S".repeat(100_000);
        let bad = args(serde_json::json!({"incident": {"title": "x", "severity": huge}}));
        let e = tool_error(parse::<CreateIncidentRequest>(bad, &caller()).unwrap_err());
        assert!(
            e.starts_with("invalid arguments: incident.severity: "),
            "{e}"
        );
        assert!(e.len() < MAX_ERROR_BYTES + 40, "{}", e.len());
        let other = args(serde_json::json!({"tenantId": huge, "incident": {"title": "x"}}));
        let e = tool_error(parse::<CreateIncidentRequest>(other, &caller()).unwrap_err());
        assert!(e.len() < MAX_ERROR_BYTES + 40, "{}", e.len());
    }

    #[test]
    fn only_the_callers_tenant_may_be_named() {
        for key in ["tenantId", "tenant_id"] {
            let other = args(serde_json::json!({key: "globex", "incident": {"title": "x"}}));
            let e = tool_error(parse::<CreateIncidentRequest>(other, &caller()).unwrap_err());
            assert!(
                e.starts_with(&format!("{key}: ")) && e.contains("globex"),
                "{e}"
            );
            let same = args(serde_json::json!({key: "acme", "incident": {"title": "x"}}));
            assert!(parse::<CreateIncidentRequest>(same, &caller()).is_ok());
        }
    }

    #[test]
    fn caller_errors_are_tool_errors_the_rest_json_rpc_errors() {
        for code in [
            Code::NotFound,
            Code::InvalidArgument,
            Code::FailedPrecondition,
        ] {
            let CallError::Tool(text) = CallError::from(Status::new(code, "why")) else {
                panic!("{code:?} is a tool error");
            };
            assert_eq!(text, format!("{}: why", code_name(code)));
        }
        for code in [Code::Unavailable, Code::PermissionDenied, Code::Internal] {
            let CallError::Rpc(e) = CallError::from(Status::new(code, "down")) else {
                panic!("{code:?} is a JSON-RPC error");
            };
            assert_eq!(e.code, ErrorCode::INTERNAL_ERROR);
            assert!(e.message.contains(code_name(code)), "{}", e.message);
        }
    }

    #[test]
    fn the_dispatch_serves_exactly_the_catalog() {
        let catalog: serde_json::Value =
            serde_json::from_str(ameide_sre_proto::MCP_TOOL_CATALOG).unwrap();
        let names: Vec<&str> = catalog["capabilities"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|c| c["tools"].as_array().unwrap())
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, TOOL_NAMES);
        assert_eq!(names.len(), 18);
    }
}
