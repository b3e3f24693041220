"""Peer side of tests/tests/wkt_struct_differential.rs: Python protobuf (upb) reads
every Chaukas Event the Rust side wrote and writes it back twice.

usage: struct_differential.py IN OUT

IN holds one base64 Event per line. For each, OUT gets one line:
`<deterministic bytes> <default bytes>` (both base64). Deterministic bytes sort map
keys, as Rust always does; default bytes are in upb's own map order (not sorted),
so Rust also decodes maps that arrive out of order.
"""
import base64
import sys

from chaukas.spec.common.v1 import events_pb2


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src) as f, open(dst, "w") as out:
        for line in f:
            event = events_pb2.Event.FromString(base64.b64decode(line))
            det = event.SerializeToString(deterministic=True)
            plain = event.SerializeToString()
            out.write("%s %s\n" % (base64.b64encode(det).decode(), base64.b64encode(plain).decode()))


main()
