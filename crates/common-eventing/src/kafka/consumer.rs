//! [`Consumer`]: typed events consumed through librdkafka, dispatched by type, offsets
//! stored only once a record is handled or dead-lettered.

use std::fmt;
use std::future::Future;

use rdkafka::ClientConfig;
use rdkafka::Offset;
use rdkafka::consumer::{CommitMode, Consumer as _, StreamConsumer};
use rdkafka::error::KafkaError;
use rdkafka::message::{BorrowedMessage, Headers, Message};

use super::RecordRef;
use super::dead_letter::{Origin, Reason, dead_letter};
use super::producer::{ProduceError, Producer};
use super::router::{Received, Router};

/// librdkafka's consumer-only settings, left out of the dead-letter producer's.
const CONSUMER_ONLY: [&str; 22] = [
    "group.id",
    "group.instance.id",
    "group.protocol",
    "group.remote.assignor",
    "partition.assignment.strategy",
    "session.timeout.ms",
    "heartbeat.interval.ms",
    "max.poll.interval.ms",
    "enable.auto.commit",
    "auto.commit.interval.ms",
    "enable.auto.offset.store",
    "auto.offset.reset",
    "queued.min.messages",
    "queued.max.messages.kbytes",
    "fetch.wait.max.ms",
    "fetch.message.max.bytes",
    "max.partition.fetch.bytes",
    "fetch.max.bytes",
    "fetch.min.bytes",
    "isolation.level",
    "enable.partition.eof",
    "check.crcs",
];

/// What became of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Its handler took it.
    Handled {
        /// The record's topic.
        topic: String,
        /// Its partition.
        partition: i32,
        /// Its offset.
        offset: i64,
    },
    /// It went to the dead-letter topic.
    DeadLettered {
        /// The record's topic.
        topic: String,
        /// Its partition.
        partition: i32,
        /// Its offset.
        offset: i64,
        /// Why.
        reason: Reason,
        /// The error, as written to `dlq.error`.
        error: String,
    },
}

/// Why consuming stopped: the client failed, or a dead letter could not be delivered
/// (then the record's offset is not stored: it is read again, never dropped).
#[derive(Debug)]
#[non_exhaustive]
pub enum ConsumeError {
    /// The consumer client failed.
    Kafka(KafkaError),
    /// A dead letter was not delivered.
    DeadLetter(ProduceError),
}

impl fmt::Display for ConsumeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Kafka(e) => write!(f, "consuming: {e}"),
            Self::DeadLetter(e) => write!(f, "dead-lettering: {e}"),
        }
    }
}

impl std::error::Error for ConsumeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Kafka(e) => Some(e),
            Self::DeadLetter(e) => Some(e),
        }
    }
}

impl From<KafkaError> for ConsumeError {
    fn from(e: KafkaError) -> Self {
        Self::Kafka(e)
    }
}

/// Consumes typed events in a consumer group.
///
/// - Each record goes to its [`Router`] handler, and its offset is stored only after
///   the handler returns; stored offsets are committed in the background
///   (`enable.auto.offset.store=false`, auto commit on) and by [`commit`](Self::commit).
///   A crash before that means the record is read again: at least once.
/// - A record that has no handler, does not decode, or whose handler fails goes to
///   `{topic}.dlq` with its original key, value and headers plus `dlq.*` headers
///   saying why ([`dead_letter`](super::dead_letter)); consumption goes on.
/// - A new group starts at the earliest offset (`auto.offset.reset=earliest`).
/// - A tombstone (no value) is dead-lettered as [`Reason::Decode`]; a header without a
///   value reads as empty; a record without a key keeps having none in its dead letter.
/// - Dead letters are produced idempotently with `acks=all`, like every record here: the
///   principal needs the idempotent-write permission on `<topic>.dlq`.
///
/// ```no_run
/// # async fn demo<M>() -> Result<(), Box<dyn std::error::Error>>
/// # where M: common_eventing::Eventing + common_eventing::registry::ProtoSchema + common_eventing::validate::Validate + Default + Send + std::fmt::Debug + 'static {
/// use common_eventing::kafka::{Consumer, Router};
///
/// let router = Router::new().on::<M, _, _>(|event, received| async move {
///     println!("{} @{}: {event:?}", received.topic, received.offset);
///     Ok(())
/// });
/// let mut consumer = Consumer::new("localhost:9092", "billing", router)?;
/// loop {
///     consumer.next().await?;
/// }
/// # }
/// ```
pub struct Consumer {
    inner: StreamConsumer,
    dead_letters: Producer,
    router: Router,
    group: String,
}

impl fmt::Debug for Consumer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Consumer")
            .field("group", &self.group)
            .field("router", &self.router)
            .finish_non_exhaustive()
    }
}

impl Consumer {
    /// A consumer in `group` on the cluster at `bootstrap_servers`, subscribed to the
    /// router's topics.
    pub fn new(bootstrap_servers: &str, group: &str, router: Router) -> Result<Self, KafkaError> {
        let mut config = ClientConfig::new();
        config.set("bootstrap.servers", bootstrap_servers);
        Self::from_config(config, group, router)
    }

    /// A consumer with the caller's librdkafka settings (security, timeouts, ...). It
    /// sets `group.id`, `enable.auto.offset.store=false` and `enable.auto.commit=true`
    /// (what makes "stored after the handler" the committed position), and
    /// `auto.offset.reset=earliest` unless given. Dead letters are produced with the
    /// same settings, less the consumer's own.
    pub fn from_config(
        mut config: ClientConfig,
        group: &str,
        router: Router,
    ) -> Result<Self, KafkaError> {
        let mut producer_config = config.clone();
        for key in CONSUMER_ONLY {
            producer_config.remove(key);
        }
        if config.get("auto.offset.reset").is_none() {
            config.set("auto.offset.reset", "earliest");
        }
        config
            .set("group.id", group)
            .set("enable.auto.offset.store", "false")
            .set("enable.auto.commit", "true");
        let inner: StreamConsumer = config.create()?;
        inner.subscribe(&router.topics())?;
        Ok(Self {
            inner,
            dead_letters: Producer::from_config(producer_config)?,
            router,
            group: group.to_owned(),
        })
    }

    /// The librdkafka consumer (assignment, positions, lag).
    pub fn client(&self) -> &StreamConsumer {
        &self.inner
    }

    /// Waits for the next record and handles it (or dead-letters it); then stores its
    /// offset.
    ///
    /// Until the offset is stored, the record is not given up: if this returns an error
    /// or the future is dropped (a `select!` or `timeout` around it), the partition is
    /// rewound to the record, and a later call reads it again (its handler may then run
    /// twice: at least once). Transient client errors (a broker unreachable, a topic
    /// not created yet, end of partition) are waited out, not returned.
    pub async fn next(&mut self) -> Result<Outcome, ConsumeError> {
        let message = loop {
            match self.inner.recv().await {
                Ok(message) => break message,
                Err(KafkaError::PartitionEOF(_) | KafkaError::MessageConsumption(_)) => {}
                Err(e) => return Err(e.into()),
            }
        };
        let rewind = Rewind {
            consumer: &self.inner,
            topic: message.topic(),
            partition: message.partition(),
            offset: message.offset(),
            armed: true,
        };
        let outcome = handle(&mut self.router, &self.dead_letters, &self.group, &message).await?;
        self.inner.store_offset_from_message(&message)?;
        rewind.disarm();
        Ok(outcome)
    }

    /// Handles records until `stop` completes, then commits the stored offsets.
    pub async fn run_until(&mut self, stop: impl Future<Output = ()>) -> Result<(), ConsumeError> {
        let mut stop = std::pin::pin!(stop);
        loop {
            tokio::select! {
                biased;
                () = &mut stop => break,
                outcome = self.next() => { outcome?; }
            }
        }
        self.commit()
    }

    /// Commits the stored offsets now and waits for the broker's answer (nothing to
    /// commit is not an error). It blocks the thread for that round trip: call it at
    /// shutdown (as [`run_until`](Self::run_until) does), not per record.
    pub fn commit(&self) -> Result<(), ConsumeError> {
        match self.inner.commit_consumer_state(CommitMode::Sync) {
            Ok(()) => Ok(()),
            Err(KafkaError::ConsumerCommit(rdkafka::types::RDKafkaErrorCode::NoOffset)) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

/// Seeks the partition back to a record whose offset is not stored, when dropped armed:
/// on an error or a dropped `next()`, the record is read again.
struct Rewind<'a> {
    consumer: &'a StreamConsumer,
    topic: &'a str,
    partition: i32,
    offset: i64,
    armed: bool,
}

impl Rewind<'_> {
    fn disarm(mut self) {
        self.armed = false;
    }
}

impl Drop for Rewind<'_> {
    fn drop(&mut self) {
        if self.armed {
            // Asynchronous (no wait); a partition revoked meanwhile is read again by its
            // new owner from the committed offset, so a failure here loses nothing.
            let _ = self.consumer.seek(
                self.topic,
                self.partition,
                Offset::Offset(self.offset),
                std::time::Duration::ZERO,
            );
        }
    }
}

/// The headers of `message`. rdkafka panics on a header name that is not UTF-8; such a
/// record's headers are `None` (it is dead-lettered without them).
fn headers_of<'a>(message: &'a BorrowedMessage<'_>) -> Option<Vec<(&'a str, &'a [u8])>> {
    let read = || {
        message
            .headers()
            .map(|h| {
                h.iter()
                    .map(|h| (h.key, h.value.unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default()
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).ok()
}

/// Routes one record to its handler, or dead-letters it.
async fn handle(
    router: &mut Router,
    dead_letters: &Producer,
    group: &str,
    message: &BorrowedMessage<'_>,
) -> Result<Outcome, ConsumeError> {
    let readable = headers_of(message);
    let unreadable = readable.is_none();
    let headers = readable.unwrap_or_default();
    let record = RecordRef {
        topic: message.topic(),
        key: message.key(),
        headers: &headers,
        value: message.payload(),
    };
    let (partition, offset) = (message.partition(), message.offset());
    let received = Received {
        topic: record.topic.to_owned(),
        partition,
        offset,
        key: record.key.map(<[u8]>::to_vec),
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), v.to_vec()))
            .collect(),
    };
    let refusal = if unreadable {
        (Reason::Decode, "a header name is not UTF-8".to_owned())
    } else {
        match router.route(&record, received) {
            Ok(handled) => match handled.await {
                Ok(()) => {
                    return Ok(Outcome::Handled {
                        topic: record.topic.to_owned(),
                        partition,
                        offset,
                    });
                }
                Err(e) => (Reason::Handler, e.to_string()),
            },
            Err(refusal) => (refusal.reason, refusal.error),
        }
    };
    let (reason, error) = refusal;
    let origin = Origin {
        partition,
        offset,
        group: group.to_owned(),
    };
    let letter = dead_letter(&record, &origin, reason, &error);
    dead_letters
        .send_parts(&letter.topic, record.key, &letter.headers, record.value)
        .await
        .map_err(ConsumeError::DeadLetter)?;
    Ok(Outcome::DeadLettered {
        topic: record.topic.to_owned(),
        partition,
        offset,
        reason,
        error,
    })
}
