"""The Python half of `cargo xtask bench`: protobuf's upb runtime on the very bytes the
Rust benchmark wrote.

usage: bench_upb.py DIR [SECONDS]

Reads DIR/rust.json (the payload list the Rust side wrote, with each payload's Python
module and class), DIR/<name>.bin and DIR/<name>.json, and writes DIR/upb.json with
ns per operation: decode the bytes, encode the decoded message, MessageToJson and
Parse. Each time is the best batch mean after warm-up (the Rust side's rule). Before
timing, it checks that Python's deterministic bytes equal the Rust bytes, so both
sides measure the same message.
"""
import importlib
import json
import pathlib
import struct
import sys
import time

from google.protobuf import json_format
from google.protobuf.internal import api_implementation

import protoc_stubs


def measure(fn, budget):
    fn()
    iters = 1
    while True:
        start = time.perf_counter()
        for _ in range(iters):
            fn()
        if time.perf_counter() - start >= 0.005:
            break
        iters *= 2
    best = float("inf")
    deadline = time.perf_counter() + budget
    batches = 0
    while batches < 5 or time.perf_counter() < deadline:
        start = time.perf_counter()
        for _ in range(iters):
            fn()
        best = min(best, (time.perf_counter() - start) / iters * 1e9)
        batches += 1
    return best


def frame(schema_id, payload):
    # Confluent wire format: magic 0, big-endian schema id, message indexes [0] as the
    # single byte 0 (what confluent-kafka's ProtobufSerializer writes for index [0]).
    return b"\x00" + struct.pack(">I", schema_id) + b"\x00" + payload


def main():
    out = pathlib.Path(sys.argv[1])
    budget = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
    if api_implementation.Type() != "upb":
        raise SystemExit("protobuf runtime is %s, not upb" % api_implementation.Type())
    protoc_stubs.load(["ameide_core_proto/sre", "aios"])
    results = {}
    for p in json.loads((out / "rust.json").read_text()):
        cls = getattr(importlib.import_module(p["module"]), p["class"])
        data = (out / (p["name"] + ".bin")).read_bytes()
        text = (out / (p["name"] + ".json")).read_text()
        if p["framed"]:
            header, body = data[:6], data[6:]
            if header[0] != 0 or header[5] != 0:
                raise SystemExit("%s: not a frame with index [0]" % p["name"])
            (schema_id,) = struct.unpack(">I", header[1:5])
            msg = cls.FromString(body)
            decode = lambda: cls.FromString(memoryview(data)[6:])
            encode = lambda: frame(schema_id, msg.SerializeToString())
        else:
            body = data
            msg = cls.FromString(data)
            decode = lambda: cls.FromString(data)
            encode = lambda: msg.SerializeToString()
        if msg.SerializeToString(deterministic=True) != body:
            raise SystemExit("%s: Python's deterministic bytes differ from Rust's" % p["name"])
        if json_format.Parse(text, cls()) != msg:
            raise SystemExit("%s: Rust's JSON parses to another message" % p["name"])
        results[p["name"]] = {
            "encode": measure(encode, budget),
            "decode": measure(decode, budget),
            "to_json": measure(lambda: json_format.MessageToJson(msg, indent=None), budget),
            "from_json": measure(lambda: json_format.Parse(text, cls()), budget),
        }
        print("%-28s encode %9.0f ns  decode %9.0f ns" % (p["name"], results[p["name"]]["encode"], results[p["name"]]["decode"]),
              file=sys.stderr)
    (out / "upb.json").write_text(json.dumps(results, indent=2))


main()
