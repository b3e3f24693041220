//! Runs librdkafka's mock cluster (3 brokers on loopback) until Ctrl-C, for local
//! development with any Kafka client: these examples, confluent-kafka, kcat.
//!
//! ```sh
//! cargo run --example kafka_broker
//! ```

use common_eventing::kafka::MockBroker;

#[tokio::main]
async fn main() {
    let broker = MockBroker::start(3).expect("librdkafka's mock cluster starts");
    println!("bootstrap servers: {}", broker.bootstrap_servers());
    println!("(in memory: everything is gone when this stops; Ctrl-C to stop)");
    tokio::signal::ctrl_c().await.expect("Ctrl-C handler");
}
