//! Typed access to the JSON-encoded `bytes` fields (`input_json`, `output_json`,
//! `metadata_json`, ...).
//!
//! aiOS carries free-form data as JSON inside `bytes` fields whose names end in
//! `_json`. Every such field gets two methods on its message, so nobody hand-parses:
//!
//! - `decode_<field>::<T>()` deserializes the field into any [`serde::Deserialize`]
//!   type (borrowing from the message where `T` borrows, e.g. `&str`);
//! - `set_<field>(&value)` serializes any [`serde::Serialize`] value into the field.
//!
//! Errors are [`JsonFieldError`]s that name the field by its full proto name:
//!
//! ```
//! use aios_proto::tools::{ExecuteRequest, ExecuteResponse};
//!
//! let mut request = ExecuteRequest { tool_name: "fs.read".into(), ..Default::default() };
//! request.set_input_json(&serde_json::json!({ "path": "/etc/hostname" }))?;
//! assert_eq!(&request.input_json[..], br#"{"path":"/etc/hostname"}"#);
//!
//! let input: serde_json::Value = request.decode_input_json()?;
//! assert_eq!(input["path"], "/etc/hostname");
//!
//! let response = ExecuteResponse { output_json: "not json".into(), ..Default::default() };
//! let err = response.decode_output_json::<serde_json::Value>().unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "aios.tools.ExecuteResponse.output_json: expected ident at line 1 column 2"
//! );
//! # Ok::<(), aios_proto::json_fields::JsonFieldError>(())
//! ```
//!
//! An empty field (proto3's default: never set) decodes as JSON `null`, so decode
//! into `Option<T>` where a field may be unset; `set_<field>` always writes what
//! `serde_json` produces (`None` becomes `null`, not an empty field).
//!
//! Every message with JSON fields implements [`JsonFields`], which lists them and can
//! check them all at once. With the `grpc` feature, a [`JsonFieldError`] converts into
//! a [`tonic::Status`] (`INVALID_ARGUMENT` for input that is not the expected JSON), so
//! a server can write `request.decode_input_json::<Input>()?`.
//!
//! For `bytes` fields that upstream does not declare as JSON (such as
//! `tools.ToolDefinition.input_schema`), use [`decode`] and [`encode`] directly.

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A JSON field could not be decoded into the requested type, or a value could not
/// be encoded as JSON.
///
/// Its message starts with the full proto name of the field:
/// `aios.tools.ExecuteRequest.input_json: expected value at line 1 column 1`.
#[derive(Debug)]
pub struct JsonFieldError {
    field: &'static str,
    encoding: bool,
    source: serde_json::Error,
}

impl JsonFieldError {
    /// Full proto name of the field, e.g. `aios.tools.ExecuteRequest.input_json`.
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// Whether serializing a value failed (`set_*`, [`encode`]), as opposed to
    /// decoding the field's bytes.
    pub fn is_encode(&self) -> bool {
        self.encoding
    }

    /// The underlying `serde_json` error (its line and column, its category).
    pub fn json_error(&self) -> &serde_json::Error {
        &self.source
    }

    /// The underlying `serde_json` error, by value.
    pub fn into_json_error(self) -> serde_json::Error {
        self.source
    }
}

impl fmt::Display for JsonFieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.encoding {
            write!(f, "{}: cannot encode as JSON: {}", self.field, self.source)
        } else {
            write!(f, "{}: {}", self.field, self.source)
        }
    }
}

/// The message already includes the `serde_json` error's text, so it is not
/// repeated as [`source`](std::error::Error::source); use
/// [`json_error`](JsonFieldError::json_error) to inspect it.
impl std::error::Error for JsonFieldError {}

#[cfg(feature = "grpc")]
impl From<JsonFieldError> for tonic::Status {
    /// `INVALID_ARGUMENT` when a field's bytes are not the expected JSON (the
    /// caller sent bad input), `INTERNAL` when a value could not be encoded. The
    /// status message is the error's message, naming the field.
    fn from(err: JsonFieldError) -> Self {
        if err.encoding {
            tonic::Status::internal(err.to_string())
        } else {
            tonic::Status::invalid_argument(err.to_string())
        }
    }
}

/// Decodes JSON `bytes` into `T`; errors name `field` (a full proto field name).
///
/// Empty `bytes` (proto3's default) decode as JSON `null`.
///
/// ```
/// let schema: serde_json::Value =
///     aios_proto::json_fields::decode(br#"{"type":"object"}"#, "aios.tools.ToolDefinition.input_schema")?;
/// assert_eq!(schema["type"], "object");
/// let unset: Option<serde_json::Value> = aios_proto::json_fields::decode(b"", "x.y.z")?;
/// assert_eq!(unset, None);
/// # Ok::<(), aios_proto::json_fields::JsonFieldError>(())
/// ```
pub fn decode<'a, T: Deserialize<'a>>(
    bytes: &'a [u8],
    field: &'static str,
) -> Result<T, JsonFieldError> {
    let decoded = if bytes.is_empty() {
        // Not `from_slice(b"null")`: its errors would point at a column of a text
        // that is not in the field.
        T::deserialize(serde_json::Value::Null)
    } else {
        serde_json::from_slice(bytes)
    };
    decoded.map_err(|source| JsonFieldError {
        field,
        encoding: false,
        source,
    })
}

/// Encodes `value` as compact JSON `bytes`; errors name `field` (a full proto field
/// name).
pub fn encode<T: Serialize + ?Sized>(
    value: &T,
    field: &'static str,
) -> Result<Bytes, JsonFieldError> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(|source| JsonFieldError {
            field,
            encoding: true,
            source,
        })
}

/// A message with JSON-encoded `bytes` fields.
pub trait JsonFields {
    /// Full proto names of the message's JSON fields, in field-number order
    /// (`["aios.common.Task.input_json", "aios.common.Task.output_json"]`).
    const JSON_FIELDS: &'static [&'static str];

    /// Checks that every JSON field holds well-formed JSON (or is empty), without
    /// building any value. Returns the first field that does not.
    fn validate_json(&self) -> Result<(), JsonFieldError>;
}

/// One generated accessor pair, as the tests see it.
#[cfg(test)]
struct Entry {
    /// `prost::Name::full_name` of the message the methods are on.
    message: fn() -> String,
    /// Full proto name used in errors.
    path: &'static str,
    /// The Rust field the methods read and write.
    field: &'static str,
    decode: &'static str,
    set: &'static str,
}

/// For each message: `impl` the two methods per field and [`JsonFields`]. The
/// methods take the field by name, so a listed field that does not exist or is not
/// `Bytes` does not compile; the unit tests check the list against the descriptors
/// (every `*_json` bytes field is listed) and the method names against the field
/// names.
macro_rules! json_fields {
    ($(
        $package:literal $module:ident :: $message:ident {
            $($field:ident => $decode:ident, $set:ident;)+
        }
    )+) => {
        $(
            impl crate::$module::$message {
                $(
                    #[doc = concat!(
                        "Decodes `", stringify!($field), "` (JSON) into `T`. An empty field ",
                        "decodes as JSON `null`.\n\n",
                        "# Errors\n\n",
                        "A [`JsonFieldError`] naming `", $package, ".", stringify!($message), ".",
                        stringify!($field), "` when the bytes are not JSON or not a `T`."
                    )]
                    pub fn $decode<'a, T: Deserialize<'a>>(&'a self) -> Result<T, JsonFieldError> {
                        decode(
                            &self.$field,
                            concat!($package, ".", stringify!($message), ".", stringify!($field)),
                        )
                    }

                    #[doc = concat!(
                        "Serializes `value` as JSON into `", stringify!($field), "`.\n\n",
                        "# Errors\n\n",
                        "A [`JsonFieldError`] naming `", $package, ".", stringify!($message), ".",
                        stringify!($field), "` when `value` cannot be serialized (the field is ",
                        "then left unchanged)."
                    )]
                    pub fn $set<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), JsonFieldError> {
                        let bytes: Bytes = encode(
                            value,
                            concat!($package, ".", stringify!($message), ".", stringify!($field)),
                        )?;
                        self.$field = bytes;
                        Ok(())
                    }
                )+
            }

            impl JsonFields for crate::$module::$message {
                const JSON_FIELDS: &'static [&'static str] = &[$(
                    concat!($package, ".", stringify!($message), ".", stringify!($field)),
                )+];

                fn validate_json(&self) -> Result<(), JsonFieldError> {
                    $(self.$decode::<serde::de::IgnoredAny>()?;)+
                    Ok(())
                }
            }
        )+

        #[cfg(test)]
        const ENTRIES: &[Entry] = &[$($(
            Entry {
                message: <crate::$module::$message as prost::Name>::full_name,
                path: concat!($package, ".", stringify!($message), ".", stringify!($field)),
                field: stringify!($field),
                decode: stringify!($decode),
                set: stringify!($set),
            },
        )+)+];
    };
}

json_fields! {
    "aios.common" common::Goal {
        metadata_json => decode_metadata_json, set_metadata_json;
    }
    "aios.common" common::Task {
        input_json => decode_input_json, set_input_json;
        output_json => decode_output_json, set_output_json;
    }
    "aios.common" common::TaskResult {
        output_json => decode_output_json, set_output_json;
    }
    "aios.orchestrator" orchestrator::SubmitGoalRequest {
        metadata_json => decode_metadata_json, set_metadata_json;
    }
    "aios.tools" tools::ExecuteRequest {
        input_json => decode_input_json, set_input_json;
    }
    "aios.tools" tools::ExecuteResponse {
        output_json => decode_output_json, set_output_json;
    }
    "aios.memory" memory::Event {
        data_json => decode_data_json, set_data_json;
    }
    "aios.memory" memory::GoalRecord {
        metadata_json => decode_metadata_json, set_metadata_json;
    }
    "aios.memory" memory::TaskRecord {
        input_json => decode_input_json, set_input_json;
        output_json => decode_output_json, set_output_json;
    }
    "aios.memory" memory::ToolCallRecord {
        input_json => decode_input_json, set_input_json;
        output_json => decode_output_json, set_output_json;
    }
    "aios.memory" memory::Decision {
        options_json => decode_options_json, set_options_json;
    }
    "aios.memory" memory::AgentState {
        state_json => decode_state_json, set_state_json;
    }
    "aios.memory" memory::SearchResult {
        metadata_json => decode_metadata_json, set_metadata_json;
    }
    "aios.memory" memory::Procedure {
        steps_json => decode_steps_json, set_steps_json;
    }
    "aios.memory" memory::Incident {
        symptoms_json => decode_symptoms_json, set_symptoms_json;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::Task;
    use crate::memory::{AgentState, Incident};
    use crate::tools::{ExecuteRequest, ExecuteResponse};
    use prost::Message;
    use prost_types::field_descriptor_proto::Type;
    use std::collections::BTreeSet;

    /// Every `bytes` field named `*_json` in this crate's descriptors, as
    /// `package.Message.field` (nested messages included).
    fn json_fields_in_descriptors() -> BTreeSet<String> {
        crate::descriptor_fields::fields_where(|f| {
            f.r#type() == Type::Bytes && f.name().ends_with("_json")
        })
    }

    #[test]
    fn every_json_bytes_field_in_the_descriptors_has_accessors() {
        let expected = json_fields_in_descriptors();
        // Guard against a walk that finds nothing (and so checks nothing).
        assert!(expected.contains("aios.tools.ExecuteRequest.input_json"));
        assert_eq!(expected.len(), 18, "{expected:#?}");
        let listed: BTreeSet<String> = ENTRIES.iter().map(|e| e.path.to_owned()).collect();
        assert_eq!(listed.len(), ENTRIES.len(), "a field is listed twice");
        let missing: Vec<_> = expected.difference(&listed).collect();
        let extra: Vec<_> = listed.difference(&expected).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "JSON fields without accessors: {missing:?}; listed but not `*_json` bytes \
             fields in the descriptors: {extra:?}"
        );
    }

    #[test]
    fn accessor_names_and_error_paths_match_the_fields() {
        for e in ENTRIES {
            // The error path is the message's real full name plus the Rust field,
            // which prost names exactly as the proto field.
            assert_eq!(e.path, format!("{}.{}", (e.message)(), e.field));
            assert_eq!(e.decode, format!("decode_{}", e.field), "{}", e.path);
            assert_eq!(e.set, format!("set_{}", e.field), "{}", e.path);
        }
    }

    #[test]
    fn json_fields_lists_each_messages_fields_in_order() {
        assert_eq!(
            Task::JSON_FIELDS,
            [
                "aios.common.Task.input_json",
                "aios.common.Task.output_json"
            ]
        );
        assert_eq!(
            ExecuteRequest::JSON_FIELDS,
            ["aios.tools.ExecuteRequest.input_json"]
        );
        let total: usize = ENTRIES.len();
        assert_eq!(total, 18);
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct ReadFile {
        path: String,
        #[serde(default)]
        max_bytes: Option<u64>,
    }

    #[test]
    fn typed_round_trip_through_the_field() {
        let mut req = ExecuteRequest::default();
        let input = ReadFile {
            path: "/etc/hostname".into(),
            max_bytes: Some(64),
        };
        req.set_input_json(&input).unwrap();
        assert_eq!(
            &req.input_json[..],
            br#"{"path":"/etc/hostname","max_bytes":64}"#
        );
        assert_eq!(req.decode_input_json::<ReadFile>().unwrap(), input);

        // Decoding after a wire round trip reads what the sender wrote.
        let wire = ExecuteRequest::decode(req.encode_to_vec().as_slice()).unwrap();
        assert_eq!(wire.decode_input_json::<ReadFile>().unwrap(), input);
    }

    #[test]
    fn both_fields_of_a_message_are_independent() {
        let mut task = Task::default();
        task.set_input_json(&1).unwrap();
        task.set_output_json(&"two").unwrap();
        assert_eq!(task.decode_input_json::<i32>().unwrap(), 1);
        assert_eq!(task.decode_output_json::<String>().unwrap(), "two");
        assert_eq!(&task.input_json[..], b"1");
        assert_eq!(&task.output_json[..], br#""two""#);
    }

    #[test]
    fn decode_borrows_from_the_message() {
        let state = AgentState {
            state_json: Bytes::from_static(br#"{"mode":"idle"}"#),
            ..Default::default()
        };
        #[derive(serde::Deserialize)]
        struct View<'a> {
            mode: &'a str,
        }
        let view: View<'_> = state.decode_state_json().unwrap();
        assert_eq!(view.mode, "idle");
        let range = state.state_json.as_ptr_range();
        assert!(range.contains(&view.mode.as_ptr()), "the &str was copied");
    }

    #[test]
    fn errors_name_the_field() {
        let req = ExecuteRequest {
            input_json: Bytes::from_static(b"{oops"),
            ..Default::default()
        };
        let err = req.decode_input_json::<serde_json::Value>().unwrap_err();
        assert_eq!(err.field(), "aios.tools.ExecuteRequest.input_json");
        assert!(!err.is_encode());
        assert_eq!(
            err.to_string(),
            "aios.tools.ExecuteRequest.input_json: key must be a string at line 1 column 2"
        );

        let resp = ExecuteResponse {
            output_json: Bytes::from_static(b" \n"),
            ..Default::default()
        };
        assert_eq!(
            resp.decode_output_json::<serde_json::Value>()
                .unwrap_err()
                .to_string(),
            "aios.tools.ExecuteResponse.output_json: EOF while parsing a value at line 2 column 0"
        );

        // Valid JSON of the wrong shape names the field too.
        let incident = Incident {
            symptoms_json: Bytes::from_static(br#"{"path": 3}"#),
            ..Default::default()
        };
        let err = incident.decode_symptoms_json::<ReadFile>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "aios.memory.Incident.symptoms_json: invalid type: integer `3`, expected a string at line 1 column 10"
        );
        assert!(err.json_error().is_data());
    }

    #[test]
    fn the_issue_example_message() {
        let req = ExecuteRequest {
            input_json: Bytes::from_static(b"<html>"),
            ..Default::default()
        };
        assert_eq!(
            req.decode_input_json::<serde_json::Value>()
                .unwrap_err()
                .to_string(),
            "aios.tools.ExecuteRequest.input_json: expected value at line 1 column 1"
        );
    }

    #[test]
    fn empty_field_is_null() {
        let task = Task::default();
        assert_eq!(task.decode_input_json::<Option<ReadFile>>().unwrap(), None);
        assert_eq!(
            task.decode_input_json::<serde_json::Value>().unwrap(),
            serde_json::Value::Null
        );
        let err = task.decode_input_json::<ReadFile>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "aios.common.Task.input_json: invalid type: null, expected struct ReadFile"
        );
        // Setting `None` writes `null`, it does not clear the field.
        let mut task = Task::default();
        task.set_input_json(&None::<ReadFile>).unwrap();
        assert_eq!(&task.input_json[..], b"null");
    }

    #[test]
    fn encode_errors_name_the_field_and_leave_it_unchanged() {
        use std::collections::BTreeMap;
        let mut req = ExecuteRequest {
            input_json: Bytes::from_static(b"{}"),
            ..Default::default()
        };
        // JSON object keys must be strings.
        let bad: BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into_iter().collect();
        let err = req.set_input_json(&bad).unwrap_err();
        assert!(err.is_encode());
        assert_eq!(
            err.to_string(),
            "aios.tools.ExecuteRequest.input_json: cannot encode as JSON: key must be a string"
        );
        assert_eq!(&req.input_json[..], b"{}");
    }

    #[test]
    fn validate_json_reports_the_first_bad_field() {
        let mut task = Task::default();
        assert!(task.validate_json().is_ok(), "empty fields are valid");
        task.input_json = Bytes::from_static(br#"{"a":[1,2,{"b":null}]}"#);
        task.output_json = Bytes::from_static(b"[1,");
        let err = task.validate_json().unwrap_err();
        assert_eq!(err.field(), "aios.common.Task.output_json");
        task.input_json = Bytes::from_static(b"nul");
        assert_eq!(
            task.validate_json().unwrap_err().field(),
            "aios.common.Task.input_json"
        );
    }

    #[cfg(feature = "grpc")]
    #[test]
    fn errors_become_grpc_statuses() {
        let req = ExecuteRequest {
            input_json: Bytes::from_static(b"]"),
            ..Default::default()
        };
        let status: tonic::Status = req
            .decode_input_json::<serde_json::Value>()
            .unwrap_err()
            .into();
        assert_eq!(status.code(), tonic::Code::InvalidArgument);
        assert_eq!(
            status.message(),
            "aios.tools.ExecuteRequest.input_json: expected value at line 1 column 1"
        );

        let bad: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into_iter().collect();
        let status: tonic::Status = ExecuteResponse::default()
            .set_output_json(&bad)
            .unwrap_err()
            .into();
        assert_eq!(status.code(), tonic::Code::Internal);
        assert!(
            status
                .message()
                .starts_with("aios.tools.ExecuteResponse.output_json: ")
        );
    }
}
