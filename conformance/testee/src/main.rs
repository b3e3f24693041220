//! The testee of Google's protobuf conformance suite (`cargo xtask conformance`).
//!
//! The runner writes length-prefixed `ConformanceRequest`s to stdin and reads
//! length-prefixed `ConformanceResponse`s from stdout. Binary goes through
//! `common_eventing::Lossless` (unknown fields kept), JSON through the generated serde
//! impls. Only what the workspace claims is answered: proto3 messages in binary and
//! JSON; proto2 and editions messages, text format and JSPB are "skipped".

use common_eventing::Lossless;
use common_eventing::json::{ParseOptions, with_options};
use conformance::conformance_request::Payload;
use conformance::conformance_response::Result as Outcome;
use conformance::{ConformanceRequest, ConformanceResponse, TestCategory, WireFormat};
use prost::Message;
use proto3::TestAllTypesProto3;
use std::io::{self, Read, Write};

mod generated;
pub use generated::{conformance, proto3};

const PROTO3: &str = "protobuf_test_messages.proto3.TestAllTypesProto3";

/// One test case.
fn answer(request: ConformanceRequest) -> Outcome {
    if request.message_type != PROTO3 {
        return Outcome::Skipped(format!(
            "{}: only proto3 messages are claimed (proto2 and editions are not)",
            request.message_type
        ));
    }
    let message: Lossless<TestAllTypesProto3> = match request.payload {
        Some(Payload::ProtobufPayload(bytes)) => match Lossless::decode(bytes) {
            Ok(m) => m,
            Err(e) => return Outcome::ParseError(e.to_string()),
        },
        Some(Payload::JsonPayload(json)) => {
            let options = ParseOptions {
                ignore_unknown_fields: request.test_category
                    == TestCategory::JsonIgnoreUnknownParsingTest as i32,
            };
            match with_options(options, || {
                serde_json::from_str::<TestAllTypesProto3>(&json)
            }) {
                Ok(m) => Lossless::from(m),
                Err(e) => return Outcome::ParseError(e.to_string()),
            }
        }
        Some(Payload::JspbPayload(_)) => return Outcome::Skipped("JSPB is not claimed".into()),
        Some(Payload::TextPayload(_)) => {
            return Outcome::Skipped("text format is not claimed".into());
        }
        None => return Outcome::RuntimeError("request without a payload".into()),
    };
    match WireFormat::try_from(request.requested_output_format) {
        Ok(WireFormat::Protobuf) => Outcome::ProtobufPayload(message.encode_to_vec().into()),
        Ok(WireFormat::Json) => match serde_json::to_string(&*message) {
            Ok(json) => Outcome::JsonPayload(json),
            Err(e) => Outcome::SerializeError(e.to_string()),
        },
        Ok(WireFormat::Jspb) => Outcome::Skipped("JSPB is not claimed".into()),
        Ok(WireFormat::TextFormat) => Outcome::Skipped("text format is not claimed".into()),
        _ => Outcome::RuntimeError(format!(
            "unknown output format {}",
            request.requested_output_format
        )),
    }
}

fn main() -> io::Result<()> {
    common_eventing::wkt::any::register::<TestAllTypesProto3>();
    let mut stdin = io::stdin().lock();
    let mut stdout = io::stdout().lock();
    loop {
        let mut len = [0u8; 4];
        match stdin.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        }
        let mut buf = vec![0u8; u32::from_le_bytes(len) as usize];
        stdin.read_exact(&mut buf)?;
        let result = match ConformanceRequest::decode(buf.as_slice()) {
            Ok(request) => answer(request),
            Err(e) => Outcome::RuntimeError(format!("undecodable request: {e}")),
        };
        let response = ConformanceResponse {
            result: Some(result),
        }
        .encode_to_vec();
        stdout.write_all(&(response.len() as u32).to_le_bytes())?;
        stdout.write_all(&response)?;
        stdout.flush()?;
    }
}
