//! What the backend bounds in its answers: how much of a caller's value an error
//! message repeats ([`echo`]), how large one aggregate may grow
//! ([`MAX_AGGREGATE_BYTES`]) and how large one page of a list answer may be
//! ([`MAX_PAGE_BYTES`]), so that every answer fits what its readers decode (gRPC's
//! default 4 MiB message limit, the MCP adapter's included) and every error fits an
//! HTTP/2 header.

use prost::Message;
use tonic::Status;

pub use server_kit::{MAX_ECHO_CHARS, echo};

/// The largest encoded size of one aggregate (an incident with its timeline), in
/// bytes: 2 MiB, half of the 4 MiB a gRPC reader decodes by default, so a `Get`
/// answer always fits. A change that would make an aggregate larger is refused with
/// `FAILED_PRECONDITION` and nothing is committed.
pub const MAX_AGGREGATE_BYTES: usize = 2 * 1024 * 1024;

/// The largest encoded size of the items of one page of a `List` answer, in bytes
/// (3 MiB): a page ends early, with a `next_page_token`, rather than grow past it. A
/// page always holds at least one item (at most [`MAX_AGGREGATE_BYTES`]).
pub const MAX_PAGE_BYTES: usize = 3 * 1024 * 1024;

/// The encoded size of `message` in a repeated field of a page (its tag and length
/// prefix included).
pub fn item_bytes<T: Message>(message: &T) -> usize {
    let len = message.encoded_len();
    1 + prost::length_delimiter_len(len) + len
}

/// `FAILED_PRECONDITION` when `aggregate` (a `kind` of id `id`) encodes to more than
/// [`MAX_AGGREGATE_BYTES`]: naming the size, the limit and that nothing changed.
pub fn check_aggregate<T: Message>(kind: &str, id: &str, aggregate: &T) -> Result<(), Status> {
    let bytes = aggregate.encoded_len();
    if bytes <= MAX_AGGREGATE_BYTES {
        return Ok(());
    }
    Err(Status::failed_precondition(format!(
        "{kind} {}: this change would make it {bytes} bytes, over the {MAX_AGGREGATE_BYTES} \
         bytes an aggregate may have (so every reader can decode it); nothing was changed",
        echo(id)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregates_over_the_limit_are_refused_naming_the_sizes() {
        let small = ameide_sre_proto::core::v1::Incident::default();
        assert!(check_aggregate("incident", "i", &small).is_ok());
        let big = ameide_sre_proto::core::v1::Incident {
            title: "x".repeat(MAX_AGGREGATE_BYTES),
            ..Default::default()
        };
        let e = check_aggregate("incident", "i", &big).unwrap_err();
        assert_eq!(e.code(), tonic::Code::FailedPrecondition);
        assert!(e.message().contains(&MAX_AGGREGATE_BYTES.to_string()));
    }
}
