//! [`MockBroker`]: librdkafka's mock cluster, a Kafka-protocol broker in this process.

use std::fmt;

use rdkafka::error::KafkaError;
use rdkafka::mocking::MockCluster;
use rdkafka::producer::DefaultProducerContext;

/// A Kafka-protocol cluster in this process (librdkafka's mock cluster): its brokers
/// listen on loopback TCP, so any Kafka client (rdkafka, confluent-kafka, Java) can
/// use [`bootstrap_servers`](Self::bootstrap_servers). Topics are created on first
/// use. For tests and local development, not production: it keeps everything in
/// memory, only the newest 5 MB (or 100,000 records) of each partition (older records
/// are dropped, as retention would), and is gone when dropped.
///
/// It is not `Send`: keep it on the thread that started it (a test's or `main`'s), and
/// hand out [`bootstrap_servers`](Self::bootstrap_servers). librdkafka marks the mock
/// cluster experimental; [`cluster`](Self::cluster) gives
/// its full API (error injection, brokers down and up, leaders).
pub struct MockBroker {
    cluster: MockCluster<'static, DefaultProducerContext>,
}

impl fmt::Debug for MockBroker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockBroker")
            .field("bootstrap_servers", &self.bootstrap_servers())
            .finish()
    }
}

impl MockBroker {
    /// Starts a cluster of `brokers` brokers (ids 1 to `brokers`).
    pub fn start(brokers: i32) -> Result<Self, KafkaError> {
        Ok(Self {
            cluster: MockCluster::new(brokers)?,
        })
    }

    /// `host:port,...` of its brokers.
    pub fn bootstrap_servers(&self) -> String {
        self.cluster.bootstrap_servers()
    }

    /// Creates `topic` with `partitions` partitions, each on `replication` brokers.
    pub fn create_topic(
        &self,
        topic: &str,
        partitions: i32,
        replication: i32,
    ) -> Result<(), KafkaError> {
        self.cluster.create_topic(topic, partitions, replication)
    }

    /// The mock cluster itself.
    pub fn cluster(&self) -> &MockCluster<'static, DefaultProducerContext> {
        &self.cluster
    }
}
