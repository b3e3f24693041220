"""Confluent Schema Registry framing of SRE envelopes with the real confluent-kafka
serializers (offline mock registry), both directions.

usage: sre_kafka_framing.py produce DIR   frame fixtures with ProtobufSerializer
       sre_kafka_framing.py consume DIR   read Rust-framed bytes with ProtobufDeserializer
Fixtures: SreDomainFact (IncidentCreated), SreDomainIntent, SreProcessFact, and a
nested message (index path [1, 0]) from a small test schema, since the SRE pack has
no nested messages.
"""
import json
import os
import sys
import textwrap

from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

import fill
import protoc_stubs

NESTED_PROTO = textwrap.dedent("""\
    syntax = "proto3";
    package ameide.framingtest.v1;
    message First { string a = 1; }
    message Outer {
      // Same fields as ameide_core_proto.sre.core.v1.SreSubject, so Rust can read it.
      message Subject { string aggregate_type = 1; string aggregate_id = 2; int64 aggregate_version = 3; }
      Subject subject = 1;
    }
""")
SERIALIZER_CONF = {"use.deprecated.format": False, "auto.register.schemas": True}


def fixtures():
    protoc_stubs.load(["ameide_core_proto/sre"])
    from ameide_core_proto.sre.core.v1 import facts_pb2, intents_pb2
    from ameide_core_proto.sre.process.v1 import process_facts_pb2
    out = protoc_stubs.compile_extra("ameide/framingtest/v1/nested.proto", NESTED_PROTO)
    import importlib
    nested_pb2 = importlib.import_module("ameide.framingtest.v1.nested_pb2")
    subject = nested_pb2.Outer.Subject(aggregate_type="Incident", aggregate_id="inc-42", aggregate_version=7)
    return [
        ("fact", facts_pb2.SreDomainFact, fill.variants(facts_pb2.SreDomainFact)[0], "sre.domain.facts.v1"),
        ("intent", intents_pb2.SreDomainIntent, fill.variants(intents_pb2.SreDomainIntent)[3], "sre.domain.intents.v1"),
        ("process", process_facts_pb2.SreProcessFact, fill.variants(process_facts_pb2.SreProcessFact)[5], "sre.process.facts.v1"),
        ("nested", nested_pb2.Outer.Subject, subject, "ameide.framingtest"),
    ], out


def produce(d):
    client = SchemaRegistryClient.new_client({"url": "mock://"})
    cases, stub_dir = fixtures()
    index = []
    for name, cls, msg, topic in cases:
        framed = ProtobufSerializer(cls, client, SERIALIZER_CONF)(msg, SerializationContext(topic, MessageField.VALUE))
        with open(os.path.join(d, name + ".framed"), "wb") as f:
            f.write(framed)
        with open(os.path.join(d, name + ".bin"), "wb") as f:
            f.write(msg.SerializeToString(deterministic=True))
        index.append({"name": name, "type": msg.DESCRIPTOR.full_name, "topic": topic})
    with open(os.path.join(d, "index.json"), "w") as f:
        json.dump(index, f)
    os.replace(os.path.join(stub_dir, "nested.binpb"), os.path.join(d, "nested.binpb"))
    print("produced %d framed records" % len(index))


def consume(d):
    cases, _ = fixtures()
    for name, cls, msg, topic in cases:
        with open(os.path.join(d, name + ".rust.framed"), "rb") as f:
            framed = f.read()
        got = ProtobufDeserializer(cls, {"use.deprecated.format": False})(framed, SerializationContext(topic, MessageField.VALUE))
        assert got == msg, "%s: Rust-framed record decodes to a different message" % name
    print("consumed %d Rust-framed records" % len(cases))


if __name__ == "__main__":
    {"produce": produce, "consume": consume}[sys.argv[1]](sys.argv[2])
