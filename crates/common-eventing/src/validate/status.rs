//! [`Violations`] as a gRPC answer (features `validate` and `grpc`).

use super::Violations;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, FieldViolation, StatusExt};

/// Longest status message, in bytes: the details carry every violation in full.
const MAX_MESSAGE_BYTES: usize = 1024;

/// A field path cut after 256 bytes (a map key may be as long as its map allows).
fn bounded_path(mut path: String) -> String {
    if path.len() > 256 {
        let mut end = 256;
        while !path.is_char_boundary(end) {
            end -= 1;
        }
        path.truncate(end);
        path.push('…');
    }
    path
}

impl Violations {
    /// `INVALID_ARGUMENT`, with a `google.rpc.BadRequest` detail listing every
    /// violation listed (at most 100; `field`: the field path, cut after 256 bytes;
    /// `description`: the rule's message and id) and a message naming them (cut after
    /// 1 KiB).
    ///
    /// ```
    /// # #[cfg(feature = "grpc")] {
    /// use common_eventing::validate::Violations;
    /// use tonic_types::StatusExt;
    ///
    /// fn answer(violations: &Violations) -> tonic::Status {
    ///     violations.to_status()
    /// }
    /// # }
    /// ```
    pub fn to_status(&self) -> Status {
        let mut message = format!("invalid request: {self}");
        if message.len() > MAX_MESSAGE_BYTES {
            let mut end = MAX_MESSAGE_BYTES;
            while !message.is_char_boundary(end) {
                end -= 1;
            }
            message.truncate(end);
            message.push_str(&format!("… ({} violations)", self.len()));
        }
        let details = ErrorDetails::with_bad_request(
            self.iter()
                .map(|v| {
                    FieldViolation::new(
                        bounded_path(v.field_path()),
                        format!("{} [{}]", v.message(), v.rule_id()),
                    )
                })
                .collect::<Vec<_>>(),
        );
        Status::with_error_details(Code::InvalidArgument, message, details)
    }
}
