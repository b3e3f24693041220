"""Chaukas message fixtures from the published packages, and verification of what Rust
made of them.

usage: chaukas_messages.py emit DIR    write fixtures (binary, camelCase JSON, snake_case JSON)
       chaukas_messages.py verify DIR  check Rust's re-encodings against the originals
"""
import json
import os
import sys

from google.protobuf import json_format

from chaukas.spec.common.v1 import events_pb2, query_pb2
from chaukas.spec.client.v1 import client_pb2
from chaukas.spec.server.v1 import server_pb2

import fill

MODULES = [events_pb2, query_pb2, client_pb2, server_pb2]
# Message types an Any may carry in the fixtures (registered on the Rust side too).
ANY_TYPES = [events_pb2.ToolCall, events_pb2.ErrorInfo]


def message_classes():
    for module in MODULES:
        for name in module.DESCRIPTOR.message_types_by_name:
            yield getattr(module, name)


def fixtures():
    for cls in message_classes():
        for i, msg in enumerate(fill.variants(cls, ANY_TYPES)):
            yield "%s.%d" % (cls.DESCRIPTOR.full_name, i), msg
        # The empty message must round-trip too.
        yield "%s.empty" % cls.DESCRIPTOR.full_name, cls()


def emit(out):
    index = []
    all_msgs = []
    for name, msg in fixtures():
        all_msgs.append(msg)
        with open(os.path.join(out, name + ".bin"), "wb") as f:
            f.write(msg.SerializeToString(deterministic=True))
        with open(os.path.join(out, name + ".json"), "w") as f:
            f.write(json_format.MessageToJson(msg))
        with open(os.path.join(out, name + ".snake.json"), "w") as f:
            f.write(json_format.MessageToJson(msg, preserving_proto_field_name=True))
        index.append({"name": name, "type": msg.DESCRIPTOR.full_name})
    fields, enums = fill.coverage_gaps(all_msgs, "chaukas.spec.")
    if fields or enums:
        sys.exit("fixtures miss fields %s and enum values %s" % (fields, enums))
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
    print("emitted %d fixtures" % len(index))


def verify(out):
    by_name = dict(fixtures())
    with open(os.path.join(out, "index.json")) as f:
        index = json.load(f)
    failures = []
    for entry in index:
        name = entry["name"]
        original = by_name[name]
        cls = original.__class__
        with open(os.path.join(out, name + ".rust.bin"), "rb") as f:
            from_bin = cls.FromString(f.read())
        if from_bin != original:
            failures.append("%s: Rust binary decodes to a different message" % name)
        with open(os.path.join(out, name + ".rust.json")) as f:
            rust_json = f.read()
        from_json = json_format.Parse(rust_json, cls())
        if from_json != original:
            failures.append("%s: Rust JSON parses to a different message" % name)
        # Rust's JSON must be the canonical proto3 JSON, as Python writes it.
        expected = json_format.MessageToDict(original)
        if json.loads(rust_json) != expected:
            failures.append("%s: Rust JSON differs from canonical JSON\n  rust:   %s\n  python: %s"
                            % (name, rust_json, json.dumps(expected, sort_keys=True)))
    if failures:
        sys.exit("\n".join(failures[:20]) + "\n%d failures" % len(failures))
    print("verified %d fixtures" % len(index))


if __name__ == "__main__":
    {"emit": emit, "verify": verify}[sys.argv[1]](sys.argv[2])
