"""Validates the generated JSON Schemas against what the crates and Python write.

usage: mcp_schemas.py DIR CASES
  DIR/schemas.json: {full message name: [schema, ...]} (every JsonSchema, and the
    inputSchema of tool requests), from the Rust crates;
  DIR/<name>.rust.jsonl: JSON lines written by the Rust crates' serde for <name>.
A name ending in `#input` is a tool request's inputSchema, which carries the
request's buf.validate rules: its lines, and the Python messages checked against it,
are only the instances that keep the rules (Python protovalidate decides for Python's).

Each schema is checked against the draft 2020-12 metaschema; each Rust line and CASES
random messages written by Python `json_format` (protoc-generated modules of our
proto/) must validate against every schema of their message. Any failure is printed
to stderr (message, instance, JSON path, reason) and exits 1.
"""
import json
import math
import pathlib
import random
import sys

from jsonschema import Draft202012Validator
from google.protobuf import json_format, message_factory, symbol_database
from google.protobuf.descriptor import FieldDescriptor as F

import protoc_stubs
import protovalidate

INT32 = (-2 ** 31, 2 ** 31 - 1)
PIECES = ["a", "Z", "0", " ", '"', "\\", "/", "é", "✓", "\n", "\U0001d11e", "-"]


def random_string(rng):
    return "".join(rng.choice(PIECES) for _ in range(rng.randrange(8)))


def random_float(rng):
    k = rng.randrange(10)
    return [math.nan, math.inf, -math.inf, 0.0][k] if k < 4 else (rng.random() - 0.5) * 10 ** rng.randrange(-5, 12)


def random_json(rng, depth):
    k = rng.randrange(4 if depth > 3 else 6)
    if k == 0:
        return None
    if k == 1:
        return (rng.random() - 0.5) * 1e6
    if k == 2:
        return random_string(rng)
    if k == 3:
        return rng.random() < 0.5
    if k == 4:
        return {random_string(rng): random_json(rng, depth + 1) for _ in range(rng.randrange(3))}
    return [random_json(rng, depth + 1) for _ in range(rng.randrange(3))]


def scalar(rng, f):
    t = f.type
    if t in (F.TYPE_DOUBLE, F.TYPE_FLOAT):
        v = random_float(rng)
        if t == F.TYPE_FLOAT and math.isfinite(v) and abs(v) > 3.4e38:
            v = 1.5
        return v
    if t in (F.TYPE_INT32, F.TYPE_SINT32, F.TYPE_SFIXED32):
        return rng.randint(*INT32)
    if t in (F.TYPE_UINT32, F.TYPE_FIXED32):
        return rng.randint(0, 2 ** 32 - 1)
    if t in (F.TYPE_INT64, F.TYPE_SINT64, F.TYPE_SFIXED64):
        return rng.randint(-2 ** 63, 2 ** 63 - 1)
    if t in (F.TYPE_UINT64, F.TYPE_FIXED64):
        return rng.randint(0, 2 ** 64 - 1)
    if t == F.TYPE_BOOL:
        return rng.random() < 0.5
    if t == F.TYPE_STRING:
        return random_string(rng)
    if t == F.TYPE_BYTES:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(7)))
    if t == F.TYPE_ENUM:
        return rng.choice([v.number for v in f.enum_type.values])
    raise TypeError(f.full_name)


def fill_wkt(rng, msg, depth):
    name = msg.DESCRIPTOR.full_name
    if name == "google.protobuf.Timestamp":
        msg.seconds = rng.randint(-62_135_596_800, 253_402_300_799)
        msg.nanos = rng.randrange(1_000_000_000)
    elif name == "google.protobuf.Duration":
        msg.seconds = rng.randint(-315_576_000_000, 315_576_000_000)
        nanos = rng.randrange(1_000_000_000)
        msg.nanos = -nanos if msg.seconds < 0 else nanos
    elif name == "google.protobuf.Struct":
        msg.update({random_string(rng): random_json(rng, depth) for _ in range(rng.randrange(3))})
    elif name == "google.protobuf.Value":
        v = random_json(rng, depth)
        if v is None:
            msg.null_value = 0
        else:
            json_format.ParseDict(v, msg)
    else:
        return False
    return True


def fill(rng, msg, depth=0):
    if fill_wkt(rng, msg, depth):
        return msg
    desc = msg.DESCRIPTOR
    done = set()
    for f in desc.fields:
        oneof = f.containing_oneof
        if oneof is not None and not (f.has_presence and len(oneof.fields) == 1 and oneof.name.startswith("_")):
            if oneof.name in done:
                continue
            done.add(oneof.name)
            members = list(oneof.fields)
            pick = rng.randrange(len(members) + 1)
            if pick == len(members):
                continue
            f = members[pick]
            set_field(rng, msg, f, depth)
            continue
        if rng.randrange(4) == 0:
            continue
        set_field(rng, msg, f, depth)
    return msg


def set_field(rng, msg, f, depth):
    is_map = f.message_type is not None and f.message_type.GetOptions().map_entry
    if f.type == F.TYPE_MESSAGE and depth > 4 and not is_map:
        return
    field = getattr(msg, f.name)
    if is_map:
        key_f = f.message_type.fields_by_name["key"]
        val_f = f.message_type.fields_by_name["value"]
        for _ in range(rng.randrange(3)):
            key = scalar(rng, key_f)
            if val_f.type == F.TYPE_MESSAGE:
                fill(rng, field[key], depth + 1)
            else:
                field[key] = scalar(rng, val_f)
    elif f.is_repeated:
        for _ in range(rng.randrange(3)):
            if f.type == F.TYPE_MESSAGE:
                fill(rng, field.add(), depth + 1)
            else:
                field.append(scalar(rng, f))
    elif f.type == F.TYPE_MESSAGE:
        sub = message_factory.GetMessageClass(f.message_type)()
        fill(rng, sub, depth + 1)
        getattr(msg, f.name).CopyFrom(sub)
        getattr(msg, f.name).SetInParent()
    else:
        setattr(msg, f.name, scalar(rng, f))


def failures(validators, name, origin, instance):
    out = []
    for i, v in enumerate(validators):
        for error in v.iter_errors(instance):
            out.append("%s (%s instance, schema %d): %s: %s\n  instance: %s" % (
                name, origin, i, error.json_path, error.message, json.dumps(instance)[:400]))
    return out


def main():
    directory, cases = pathlib.Path(sys.argv[1]), int(sys.argv[2])
    schemas = json.loads((directory / "schemas.json").read_text())
    if cases:
        protoc_stubs.load(["ameide_core_proto/sre", "aumos"])
        import importlib
        for path in sorted((protoc_stubs.PROTO / "ameide_core_proto/sre").rglob("*.proto")) + \
                sorted((protoc_stubs.PROTO / "aumos").rglob("*.proto")):
            rel = path.relative_to(protoc_stubs.PROTO).with_suffix("")
            importlib.import_module(".".join(rel.parts[:-1] + (rel.parts[-1] + "_pb2",)))
    db = symbol_database.Default()
    rng = random.Random(1400)
    errors, rust, python, count = [], 0, 0, 0
    for name, group in sorted(schemas.items()):
        for schema in group:
            Draft202012Validator.check_schema(schema)  # raises on an invalid schema
            count += 1
        validators = [Draft202012Validator(s, format_checker=Draft202012Validator.FORMAT_CHECKER) for s in group]
        lines = (directory / (name + ".rust.jsonl")).read_text().splitlines()
        for line in lines:
            errors += failures(validators, name, "Rust", json.loads(line))
            rust += 1
        if cases:
            input_schema = name.endswith("#input")
            message_name = name[: -len("#input")] if input_schema else name
            cls = message_factory.GetMessageClass(db.pool.FindMessageTypeByName(message_name))
            kept = 0
            for _ in range(cases * (50 if input_schema else 1)):
                if kept == cases:
                    break
                msg = fill(rng, cls())
                if input_schema and protovalidate.collect_violations(msg):
                    continue
                kept += 1
                text = json_format.MessageToJson(msg)
                errors += failures(validators, name, "Python", json.loads(text))
                python += 1
            if kept < 10:
                errors.append("%s: only %d Python instances keep the rules" % (name, kept))
    if errors:
        sys.stderr.write("%d validation failures:\n%s\n" % (len(errors), "\n".join(errors[:40])))
        sys.exit(1)
    print("validated %d schemas of %d messages: %d Rust and %d Python instances" % (count, len(schemas), rust, python))


if __name__ == "__main__":
    main()
