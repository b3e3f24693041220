"""The Python side of tests/benches/codec.rs: the same messages, the same operations,
with the published chaukas packages and protobuf's upb runtime.

usage: bench_codec.py   (prints mean microseconds per operation)
"""
import timeit

from google.protobuf import json_format, struct_pb2, timestamp_pb2

from chaukas.spec.common.v1 import events_pb2


def payload(n):
    s = struct_pb2.Struct()
    for i in range(n):
        s.update({"key-%04d" % i: {"name": "item-%d" % i, "score": i * 0.5, "tags": ["a", "b", "c"]}})
    return s


def chaukas_event():
    e = events_pb2.Event(
        event_id="evt-0001", tenant_id="tenant-acme", session_id="session-42", span_id="span-7",
        type=events_pb2.EVENT_TYPE_TOOL_CALL_START,
        timestamp=timestamp_pb2.Timestamp(seconds=1_700_000_000, nanos=123_456_789),
        tags=["prod", "eu-west-1"])
    e.tool_call.id = "call-1"
    e.tool_call.name = "search"
    e.tool_call.arguments.CopyFrom(payload(50))
    return e


def measure(name, fn, size=None):
    n, total = timeit.Timer(fn).autorange()
    us = total / n * 1e6
    extra = " (%.0f MiB/s)" % (size / (us / 1e6) / 2**20) if size else ""
    print("%-28s %10.2f us%s" % (name, us, extra))


def main():
    event = chaukas_event()
    data = event.SerializeToString(deterministic=True)
    text = json_format.MessageToJson(event)
    print("chaukas_event: %d bytes encoded" % len(data))
    measure("chaukas_event/encode", lambda: event.SerializeToString(deterministic=True), len(data))
    measure("chaukas_event/decode", lambda: events_pb2.Event.FromString(data), len(data))
    measure("chaukas_event/to_json", lambda: json_format.MessageToJson(event))
    measure("chaukas_event/from_json", lambda: json_format.Parse(text, events_pb2.Event()))


main()
