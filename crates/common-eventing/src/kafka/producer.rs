//! [`Producer`]: typed events published through librdkafka, each delivery awaited.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use rdkafka::ClientConfig;
use rdkafka::error::KafkaError;
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord, Producer as _};
use rdkafka::types::RDKafkaErrorCode;

use super::{KafkaRecord, RecordError, RecordOptions};
use crate::Eventing;
use crate::registry::ProtoSchema;
use crate::validate::Validate;

/// Where a record went: its partition and offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    /// The partition written.
    pub partition: i32,
    /// The record's offset in it.
    pub offset: i64,
}

/// A record that was not delivered: its topic, its key and why.
#[derive(Debug)]
pub struct ProduceError {
    /// The topic.
    pub topic: String,
    /// The key (UTF-8 as far as it is).
    pub key: String,
    /// Why.
    pub cause: Box<ProduceErrorCause>,
}

/// Why a record was not delivered.
#[derive(Debug)]
#[non_exhaustive]
pub enum ProduceErrorCause {
    /// The event could not become a record (a field its headers come from is invalid).
    Record(RecordError),
    /// The client or the brokers refused or lost it (after librdkafka's retries).
    Kafka(KafkaError),
}

impl fmt::Display for ProduceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "producing to topic {:?}, key {:?}: ",
            self.topic, self.key
        )?;
        match &*self.cause {
            ProduceErrorCause::Record(e) => e.fmt(f),
            ProduceErrorCause::Kafka(e) => e.fmt(f),
        }
    }
}

impl ProduceError {
    /// Whether librdkafka's queue was full: the record was not enqueued, and can be sent
    /// again once earlier deliveries are done.
    pub fn is_queue_full(&self) -> bool {
        matches!(
            *self.cause,
            ProduceErrorCause::Kafka(KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull))
        )
    }
}

impl std::error::Error for ProduceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.cause {
            ProduceErrorCause::Record(e) => Some(e),
            ProduceErrorCause::Kafka(e) => Some(e),
        }
    }
}

/// Publishes typed events: idempotence on, `acks=all`, and every send awaits the
/// broker's acknowledgement (librdkafka retries what fails in between, without
/// duplicates or reordering within a partition).
///
/// Dropping the producer purges what is still queued (the deliveries of `enqueue`d
/// records then fail): await them, or call [`flush`](Self::flush), first.
///
/// The schema id is the caller's: from `SchemaIds` (feature
/// `schema-registry-converter`: each event type registered once), from another
/// registry client (`ProtoSchema::registration` is what to register), or a fixed id
/// agreed out of band.
///
/// ```no_run
/// # async fn demo<M: common_eventing::Eventing + common_eventing::registry::ProtoSchema + common_eventing::validate::Validate>(event: M)
/// # -> Result<(), Box<dyn std::error::Error>> {
/// use common_eventing::kafka::Producer;
///
/// let producer = Producer::new("localhost:9092")?;
/// let delivery = producer.send(&event, 1).await?;
/// println!("partition {} offset {}", delivery.partition, delivery.offset);
/// # Ok(()) }
/// ```
pub struct Producer {
    inner: FutureProducer,
    options: RecordOptions,
    queue_timeout: Duration,
}

impl fmt::Debug for Producer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Producer")
            .field("options", &self.options)
            .field("queue_timeout", &self.queue_timeout)
            .finish_non_exhaustive()
    }
}

impl Producer {
    /// A producer for the cluster at `bootstrap_servers` (`host:port,...`).
    pub fn new(bootstrap_servers: &str) -> Result<Self, KafkaError> {
        let mut config = ClientConfig::new();
        config.set("bootstrap.servers", bootstrap_servers);
        Self::from_config(config)
    }

    /// A producer with the caller's librdkafka settings (security, timeouts, ...),
    /// except two it always sets: `enable.idempotence=true` and `acks=all`.
    pub fn from_config(mut config: ClientConfig) -> Result<Self, KafkaError> {
        config.set("enable.idempotence", "true").set("acks", "all");
        Ok(Self {
            inner: config.create()?,
            options: RecordOptions::default(),
            queue_timeout: Duration::from_secs(30),
        })
    }

    /// Topic override and default source for every record built here.
    pub fn with_record_options(self, options: RecordOptions) -> Self {
        Self { options, ..self }
    }

    /// How long a send waits for room in librdkafka's queue (30 s by default).
    pub fn with_queue_timeout(self, queue_timeout: Duration) -> Self {
        Self {
            queue_timeout,
            ..self
        }
    }

    /// The librdkafka producer, for what this type does not cover (transactions,
    /// statistics).
    pub fn client(&self) -> &FutureProducer {
        &self.inner
    }

    /// Publishes `event` ([`KafkaRecord::from_event_with`] and this producer's record
    /// options) and waits for its delivery.
    pub async fn send<M: Eventing + ProtoSchema + Validate>(
        &self,
        event: &M,
        schema_id: u32,
    ) -> Result<Delivery, ProduceError> {
        self.send_record(&self.record_of(event, schema_id)?).await
    }

    /// The record of `event` with this producer's record options.
    fn record_of<M: Eventing + ProtoSchema + Validate>(
        &self,
        event: &M,
        schema_id: u32,
    ) -> Result<KafkaRecord, ProduceError> {
        KafkaRecord::from_event_with(event, schema_id, &self.options).map_err(|e| ProduceError {
            topic: self
                .options
                .topic
                .clone()
                .unwrap_or_else(|| M::STREAM_REF.to_owned()),
            key: event.partition_key(),
            cause: Box::new(ProduceErrorCause::Record(e)),
        })
    }

    /// Publishes a record as it is and waits for its delivery.
    pub async fn send_record(&self, record: &KafkaRecord) -> Result<Delivery, ProduceError> {
        self.send_parts(
            &record.topic,
            Some(&record.key),
            &record.headers,
            Some(&record.value),
        )
        .await
    }

    /// Enqueues `event` now and returns its delivery, to await later: records enqueued
    /// one after another keep that order within a partition, with no round trip
    /// between them. Fails at once when librdkafka's queue is full (await earlier
    /// deliveries first) or the event cannot become a record.
    pub fn enqueue<M: Eventing + ProtoSchema + Validate>(
        &self,
        event: &M,
        schema_id: u32,
    ) -> Result<impl Future<Output = Result<Delivery, ProduceError>> + Send + use<M>, ProduceError>
    {
        let record = self.record_of(event, schema_id)?;
        self.enqueue_parts(
            &record.topic,
            Some(&record.key),
            &record.headers,
            Some(&record.value),
        )
    }

    /// Publishes a record given by parts (`None`: no key, or a tombstone).
    pub(crate) async fn send_parts(
        &self,
        topic: &str,
        key: Option<&[u8]>,
        headers: &[(String, Vec<u8>)],
        value: Option<&[u8]>,
    ) -> Result<Delivery, ProduceError> {
        let deadline = std::time::Instant::now() + self.queue_timeout;
        loop {
            match self.enqueue_parts(topic, key, headers, value) {
                Err(e) if e.is_queue_full() && std::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                Err(e) => return Err(e),
                Ok(delivery) => return delivery.await,
            }
        }
    }

    /// Enqueues a record given by parts; its delivery is the returned future.
    fn enqueue_parts(
        &self,
        topic: &str,
        key: Option<&[u8]>,
        headers: &[(String, Vec<u8>)],
        value: Option<&[u8]>,
    ) -> Result<impl Future<Output = Result<Delivery, ProduceError>> + Send + use<>, ProduceError>
    {
        let mut owned = OwnedHeaders::new_with_capacity(headers.len());
        for (key, value) in headers {
            owned = owned.insert(Header {
                key,
                value: Some(value),
            });
        }
        let mut record = FutureRecord::<[u8], [u8]>::to(topic).headers(owned);
        if let Some(key) = key {
            record = record.key(key);
        }
        if let Some(value) = value {
            record = record.payload(value);
        }
        let error = |cause: KafkaError| ProduceError {
            topic: topic.to_owned(),
            key: String::from_utf8_lossy(key.unwrap_or_default()).into_owned(),
            cause: Box::new(ProduceErrorCause::Kafka(cause)),
        };
        let delivery = self.inner.send_result(record).map_err(|(e, _)| error(e))?;
        let failed = error(KafkaError::Canceled);
        Ok(async move {
            match delivery.await {
                Ok(Ok(delivery)) => Ok(Delivery {
                    partition: delivery.partition,
                    offset: delivery.offset,
                }),
                Ok(Err((cause, _))) => Err(ProduceError {
                    cause: Box::new(ProduceErrorCause::Kafka(cause)),
                    ..failed
                }),
                Err(_canceled) => Err(failed),
            }
        })
    }

    /// Waits until every record sent is delivered or `timeout` passes.
    pub fn flush(&self, timeout: Duration) -> Result<(), KafkaError> {
        self.inner.flush(timeout)
    }
}
