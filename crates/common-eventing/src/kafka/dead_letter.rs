//! Dead letters: a record a consumer could not handle, kept with why.
//!
//! The dead letter of a record from topic `t` goes to `t.dlq` ([`dead_letter_topic`])
//! with the original key, value and headers unchanged (a header without a value gets an
//! empty one), followed by these headers:
//!
//! | header | value |
//! | --- | --- |
//! | `dlq.reason` | [`Reason`]: `no-route`, `decode` or `handler` |
//! | `dlq.error` | the error, as text |
//! | `dlq.topic` | the original topic |
//! | `dlq.partition` | the original partition (decimal) |
//! | `dlq.offset` | the original offset (decimal) |
//! | `dlq.group` | the consumer group that gave up on it |

use std::fmt;

use super::{KafkaRecord, RecordRef};

/// Header naming the [`Reason`].
pub const HEADER_REASON: &str = "dlq.reason";
/// Header with the error text.
pub const HEADER_ERROR: &str = "dlq.error";
/// Header with the original topic.
pub const HEADER_TOPIC: &str = "dlq.topic";
/// Header with the original partition.
pub const HEADER_PARTITION: &str = "dlq.partition";
/// Header with the original offset.
pub const HEADER_OFFSET: &str = "dlq.offset";
/// Header with the consumer group.
pub const HEADER_GROUP: &str = "dlq.group";

/// The dead-letter topic of `topic`: `{topic}.dlq`.
pub fn dead_letter_topic(topic: &str) -> String {
    format!("{topic}.dlq")
}

/// Why a record was dead-lettered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// No handler takes the record: its `ce_type` is not one the consumer handles, or it
    /// has none and the topic's handlers are not exactly one.
    NoRoute,
    /// The record is not a valid event of its type (frame, message indexes, payload,
    /// `ce_type` header).
    Decode,
    /// The handler returned an error.
    Handler,
}

impl Reason {
    /// The `dlq.reason` value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NoRoute => "no-route",
            Self::Decode => "decode",
            Self::Handler => "handler",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a consumed record came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Its partition.
    pub partition: i32,
    /// Its offset.
    pub offset: i64,
    /// The consumer group reading it.
    pub group: String,
}

/// The dead letter of `record`: to `{topic}.dlq`, the original key, value and headers,
/// then the `dlq.*` headers.
pub fn dead_letter(
    record: &RecordRef<'_>,
    origin: &Origin,
    reason: Reason,
    error: &str,
) -> KafkaRecord {
    let mut letter = record.to_record();
    letter.topic = dead_letter_topic(record.topic);
    for (name, value) in [
        (HEADER_REASON, reason.as_str().to_owned()),
        (HEADER_ERROR, error.to_owned()),
        (HEADER_TOPIC, record.topic.to_owned()),
        (HEADER_PARTITION, origin.partition.to_string()),
        (HEADER_OFFSET, origin.offset.to_string()),
        (HEADER_GROUP, origin.group.clone()),
    ] {
        letter.headers.push((name.to_owned(), value.into_bytes()));
    }
    letter
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_record_and_says_why() {
        let headers = [("ce_type", b"a.b.v1".as_slice()), ("x", b"\xff".as_slice())];
        let record = RecordRef {
            topic: "orders",
            key: Some(b"k"),
            headers: &headers,
            value: Some(b"\x00garbage"),
        };
        let origin = Origin {
            partition: 3,
            offset: 41,
            group: "g".into(),
        };
        let letter = dead_letter(&record, &origin, Reason::Decode, "bad frame");
        assert_eq!(letter.topic, "orders.dlq");
        assert_eq!(letter.key, b"k");
        assert_eq!(letter.value, b"\x00garbage");
        let names: Vec<&str> = letter.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "ce_type",
                "x",
                "dlq.reason",
                "dlq.error",
                "dlq.topic",
                "dlq.partition",
                "dlq.offset",
                "dlq.group"
            ]
        );
        assert_eq!(letter.headers[1].1, b"\xff");
        assert_eq!(letter.header("dlq.reason"), Some(b"decode".as_slice()));
        assert_eq!(letter.header("dlq.partition"), Some(b"3".as_slice()));
        assert_eq!(letter.header("dlq.offset"), Some(b"41".as_slice()));
    }
}
