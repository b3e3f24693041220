"""confluent-kafka as the second Kafka client against the Rust tests' mock cluster
(librdkafka's mock brokers, reached over loopback TCP).

usage: kafka_peer.py consume BOOTSTRAP SPEC OUT
           SPEC: JSON [{"topic", "type", "count"}]; reads `count` records of each
           topic with a DeserializingConsumer (ProtobufDeserializer of `type`,
           StringDeserializer keys) and writes OUT: JSON records with key, headers
           (hex) and the deserialized message re-serialized (hex).
       kafka_peer.py produce BOOTSTRAP SPEC OUT
           SPEC: JSON [{"topic", "type"}]; publishes fill.variants(type) of each with a
           SerializingProducer (ProtobufSerializer, offline mock registry, keys
           "tenant-<i>") and writes OUT: what it sent (topic, key, message hex).
"""
import importlib
import json
import pathlib
import sys
import time

from confluent_kafka import DeserializingConsumer, SerializingProducer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import StringDeserializer, StringSerializer
from google.protobuf import descriptor_pool, message_factory

import fill
import protoc_stubs

TIMEOUT_S = 60


def message_class(full_name):
    return message_factory.GetMessageClass(descriptor_pool.Default().FindMessageTypeByName(full_name))


def load_stubs():
    out = pathlib.Path(protoc_stubs.load(["ameide_core_proto/sre", "aumos"]))
    for path in sorted(out.rglob("*_pb2.py")):
        importlib.import_module(".".join(path.relative_to(out).with_suffix("").parts))


def consume(bootstrap, spec, out):
    records = []
    for entry in spec:
        cls = message_class(entry["type"])
        consumer = DeserializingConsumer({
            "bootstrap.servers": bootstrap,
            "group.id": "python-peer-" + entry["topic"],
            "auto.offset.reset": "earliest",
            "key.deserializer": StringDeserializer("utf_8"),
            "value.deserializer": ProtobufDeserializer(cls, {"use.deprecated.format": False}),
        })
        consumer.subscribe([entry["topic"]])
        got = 0
        deadline = time.monotonic() + TIMEOUT_S
        while got < entry["count"]:
            if time.monotonic() > deadline:
                raise SystemExit("%s: %d of %d records in %ds" % (entry["topic"], got, entry["count"], TIMEOUT_S))
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            if msg.error():
                raise SystemExit("%s: %s" % (entry["topic"], msg.error()))
            value = msg.value()
            assert isinstance(value, cls), type(value)
            records.append({
                "topic": msg.topic(),
                "partition": msg.partition(),
                "offset": msg.offset(),
                "key": msg.key(),
                "headers": [[k, (v or b"").hex()] for k, v in (msg.headers() or [])],
                "message": value.SerializeToString(deterministic=True).hex(),
            })
            got += 1
        consumer.close()
    with open(out, "w") as f:
        json.dump(records, f)
    print("python consumed %d records" % len(records))


def produce(bootstrap, spec, out):
    registry = SchemaRegistryClient.new_client({"url": "mock://"})
    sent = []
    for entry in spec:
        cls = message_class(entry["type"])
        producer = SerializingProducer({
            "bootstrap.servers": bootstrap,
            "enable.idempotence": True,
            "key.serializer": StringSerializer("utf_8"),
            "value.serializer": ProtobufSerializer(cls, registry, {
                "use.deprecated.format": False, "auto.register.schemas": True}),
        })
        errors = []
        for i, msg in enumerate(fill.variants(cls)):
            key = "tenant-%d" % i
            producer.produce(entry["topic"], key=key, value=msg,
                             on_delivery=lambda err, _m: err and errors.append(str(err)))
            sent.append({"topic": entry["topic"], "type": entry["type"], "key": key,
                         "message": msg.SerializeToString(deterministic=True).hex()})
        left = producer.flush(TIMEOUT_S)
        if left or errors:
            raise SystemExit("%s: %d undelivered, errors %s" % (entry["topic"], left, errors))
    with open(out, "w") as f:
        json.dump(sent, f)
    print("python produced %d records" % len(sent))


if __name__ == "__main__":
    command, bootstrap, spec_path, out_path = sys.argv[1:5]
    load_stubs()
    with open(spec_path) as f:
        spec = json.load(f)
    {"consume": consume, "produce": produce}[command](bootstrap, spec, out_path)
