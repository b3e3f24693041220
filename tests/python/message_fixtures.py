"""Message fixtures for a set of message classes, and verification of what Rust made
of them. Shared by the per-domain scripts (chaukas_messages.py, domain_messages.py).

emit(out, classes, prefix, any_types): for every class, variants that together set
every field, oneof case and enum value (fill.py), written as deterministic binary,
camelCase JSON and snake_case JSON, plus index.json; fails if any field or enum value
of the `prefix` packages is never exercised.
verify(out, classes, any_types): Rust's re-encodings must decode to the original
message, and Rust's JSON must equal Python's canonical JSON.
"""
import json
import os
import sys

from google.protobuf import json_format

import fill


def fixtures(classes, any_types):
    for cls in classes:
        for i, msg in enumerate(fill.variants(cls, any_types)):
            yield "%s.%d" % (cls.DESCRIPTOR.full_name, i), msg
        # The empty message must round-trip too.
        yield "%s.empty" % cls.DESCRIPTOR.full_name, cls()


def emit(out, classes, prefix, any_types=()):
    index = []
    all_msgs = []
    for name, msg in fixtures(classes, any_types):
        all_msgs.append(msg)
        with open(os.path.join(out, name + ".bin"), "wb") as f:
            f.write(msg.SerializeToString(deterministic=True))
        with open(os.path.join(out, name + ".json"), "w") as f:
            f.write(json_format.MessageToJson(msg))
        with open(os.path.join(out, name + ".snake.json"), "w") as f:
            f.write(json_format.MessageToJson(msg, preserving_proto_field_name=True))
        index.append({"name": name, "type": msg.DESCRIPTOR.full_name})
    fields, enums = fill.coverage_gaps(all_msgs, prefix)
    if fields or enums:
        sys.exit("fixtures miss fields %s and enum values %s" % (fields, enums))
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
    print("emitted %d fixtures" % len(index))


def verify(out, classes, any_types=()):
    by_name = dict(fixtures(classes, any_types))
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
        expected = json_format.MessageToDict(original)
        if json.loads(rust_json) != expected:
            failures.append("%s: Rust JSON differs from canonical JSON\n  rust:   %s\n  python: %s"
                            % (name, rust_json, json.dumps(expected, sort_keys=True)))
    if failures:
        sys.exit("\n".join(failures[:20]) + "\n%d failures" % len(failures))
    print("verified %d fixtures" % len(index))


def classes_of(modules):
    """Message classes of generated `_pb2` modules, nested ones included (map entries
    excluded), in declaration order."""
    from google.protobuf import message_factory

    def walk(desc):
        if desc.GetOptions().map_entry:
            return
        yield message_factory.GetMessageClass(desc)
        for nested in desc.nested_types:
            yield from walk(nested)

    for module in modules:
        for desc in module.DESCRIPTOR.message_types_by_name.values():
            yield from walk(desc)
