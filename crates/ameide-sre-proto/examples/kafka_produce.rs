//! Publishes SRE incident stories (an intent, two facts, a process fact each) to Kafka.
//!
//! ```sh
//! cargo run --example kafka_produce                       # in-process mock cluster
//! cargo run --example kafka_broker                        # or: a standalone one, then
//! cargo run --example kafka_produce -- --bootstrap-servers 127.0.0.1:PORT
//! ```

#[path = "kafka_common/mod.rs"]
mod kafka_common;

use common_eventing::kafka::Producer;

const USAGE: &str = "usage: kafka_produce [--bootstrap-servers HOST:PORT,...] [--incidents N]";

#[tokio::main]
async fn main() {
    let args = kafka_common::Args::parse(USAGE);
    let (servers, _embedded) = args.cluster();
    let producer = Producer::new(&servers).expect("a producer");
    let sent = kafka_common::publish(&producer, args.incidents).await;
    println!("{sent} events delivered to {servers}");
    if _embedded.is_some() {
        println!(
            "(the in-process cluster ends with this program: run `kafka_broker` and pass \
             --bootstrap-servers to keep the events for `kafka_consume`)"
        );
    }
}
