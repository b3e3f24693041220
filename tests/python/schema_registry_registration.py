"""What confluent-kafka's ProtobufSerializer registers (auto.register.schemas, offline
mock:// registry), compared with what the Rust crates' `ProtoSchema::registration()`
says, for the cases in DIR/rust.json (tests/tests/schema_registry.rs writes it).

usage: schema_registry_registration.py register DIR
           serialize each case with a fresh mock registry; write DIR/outcomes.json
           (subjects, references, descriptor comparison, framed bytes) and
           DIR/indexes.json (`_create_index_array` of every message listed)
       schema_registry_registration.py consume DIR
           read each DIR/<name>.rust.framed with ProtobufDeserializer

The message types come from the real protoc (grpcio-tools) run over proto/, loaded
into protobuf's default pool. Rust's texts are parsed by protoc too, each case on
its own: only the registration's own files are on the include path (plus protoc's
google/protobuf, the registry built-ins), so a missing reference fails to compile.
"""
import base64
import json
import os
import pathlib
import sys
import tempfile

import grpc_tools
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.common.protobuf import _create_index_array
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from grpc_tools import protoc

import fill

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROTO = ROOT / "proto"
WKT = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
SERIALIZER_CONF = {"use.deprecated.format": False, "auto.register.schemas": True}


def compile_set(include, files):
    out = os.path.join(tempfile.mkdtemp(prefix="registry-set-"), "set.binpb")
    args = ["protoc", "-I", include, "-I", WKT, "--include_imports", "--descriptor_set_out", out] + files
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed on %s (include %s)" % (" ".join(files), include))
    fds = descriptor_pb2.FileDescriptorSet()
    with open(out, "rb") as f:
        fds.ParseFromString(f.read())
    return fds


def load_workspace():
    files = sorted(str(p.relative_to(PROTO)) for p in PROTO.rglob("*.proto"))
    pool = descriptor_pool.Default()
    for fdp in compile_set(str(PROTO), files).file:
        if not fdp.name.startswith("google/protobuf/"):
            pool.AddSerializedFile(fdp.SerializeToString())
    return pool


def message_class(pool, name):
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(name))


def parse_rust_texts(registration):
    """File descriptors (name -> FileDescriptorProto) of the registration's texts."""
    root = tempfile.mkdtemp(prefix="registry-texts-")
    texts = [(registration["file"], registration["schema"])]
    texts += [(r["name"], r["schema"]) for r in registration["references"]]
    for name, text in texts:
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    return {f.name: f for f in compile_set(root, [registration["file"]]).file}


def registered_descriptor(schema):
    return descriptor_pb2.FileDescriptorProto.FromString(base64.b64decode(schema.schema_str))


def register(d):
    with open(os.path.join(d, "rust.json")) as f:
        rust = json.load(f)
    pool = load_workspace()
    indexes = {name: _create_index_array(pool.FindMessageTypeByName(name)) for name in rust["messages"]}
    with open(os.path.join(d, "indexes.json"), "w") as f:
        json.dump(indexes, f)

    outcomes = []
    for case in rust["cases"]:
        cls = message_class(pool, case["name"])
        msg = fill.variants(cls)[0]
        # A fresh in-memory registry per case: what it holds is what this one
        # serializer registered.
        client = SchemaRegistryClient.new_client({"url": "mock://"})
        ctx = SerializationContext(case["topic"], MessageField.VALUE)
        framed = ProtobufSerializer(cls, client, SERIALIZER_CONF)(msg, ctx)

        subjects = sorted(client.get_subjects())
        root = client.get_latest_version(case["subject"])
        reference_references = {}
        registered = {registered_descriptor(root.schema).name: registered_descriptor(root.schema)}
        for subject in subjects:
            if subject == case["subject"]:
                continue
            latest = client.get_latest_version(subject)
            reference_references[subject] = [[r.name, r.subject] for r in latest.schema.references]
            fdp = registered_descriptor(latest.schema)
            registered[fdp.name] = fdp

        parsed = parse_rust_texts(case["registration"])
        mismatches = []
        for name, fdp in registered.items():
            ours = parsed.get(name)
            if ours is None:
                mismatches.append("%s: registered, but not among Rust's texts" % name)
            elif ours != fdp:
                mismatches.append("%s: Rust's text parses to another descriptor" % name)
        for name in parsed:
            if name not in registered and not name.startswith("google/protobuf/"):
                mismatches.append("%s: among Rust's texts, but not registered" % name)

        outcomes.append({
            "name": case["name"],
            "subjects": subjects,
            "references": [[r.name, r.subject, r.version] for r in root.schema.references],
            "reference_references": reference_references,
            "descriptor_mismatches": mismatches,
            "descriptors_compared": len(registered),
            "schema_id": root.schema_id,
            "framed": framed.hex(),
            "plain": msg.SerializeToString(deterministic=True).hex(),
        })
    with open(os.path.join(d, "outcomes.json"), "w") as f:
        json.dump(outcomes, f)
    print("registered %d cases, %d message index paths" % (len(outcomes), len(indexes)))


def consume(d):
    with open(os.path.join(d, "rust.json")) as f:
        rust = json.load(f)
    pool = load_workspace()
    for case in rust["cases"]:
        cls = message_class(pool, case["name"])
        with open(os.path.join(d, case["name"] + ".rust.framed"), "rb") as f:
            framed = f.read()
        ctx = SerializationContext(case["topic"], MessageField.VALUE)
        got = ProtobufDeserializer(cls, {"use.deprecated.format": False})(framed, ctx)
        assert got == fill.variants(cls)[0], "%s: Rust-framed record decodes to another message" % case["name"]
    print("consumed %d Rust-framed records" % len(rust["cases"]))


if __name__ == "__main__":
    {"register": register, "consume": consume}[sys.argv[1]](sys.argv[2])
