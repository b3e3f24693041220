"""Peer side of tests/tests/map_bytes.rs: Python protobuf (upb) reads every message
the Rust side wrote and writes it back with `SerializeToString(deterministic=True)`.

usage: map_bytes.py DESCRIPTORS IN OUT

DESCRIPTORS is an encoded FileDescriptorSet (every crate's, concatenated). IN holds
one `<full message name> <base64 bytes>` per line; OUT gets, per line, the base64 of
Python's deterministic bytes of what it decoded.
"""
import base64
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory


def load_pool(path):
    with open(path, "rb") as fh:
        files = {}
        for f in descriptor_pb2.FileDescriptorSet.FromString(fh.read()).file:
            files.setdefault(f.name, f)
    pool = descriptor_pool.DescriptorPool()
    remaining = dict(files)
    while remaining:  # dependency order
        ready = [n for n in sorted(remaining) if all(d not in remaining for d in remaining[n].dependency)]
        if not ready:
            raise SystemExit("descriptor files with unresolved imports: %s" % sorted(remaining))
        for name in ready:
            pool.Add(remaining.pop(name))
    return pool


def main():
    pool = load_pool(sys.argv[1])
    classes = {}
    with open(sys.argv[2]) as src, open(sys.argv[3], "w") as out:
        for line in src:
            name, _, data = line.rstrip("\n").partition(" ")
            if name not in classes:
                classes[name] = message_factory.GetMessageClass(pool.FindMessageTypeByName(name))
            msg = classes[name].FromString(base64.b64decode(data))
            out.write(base64.b64encode(msg.SerializeToString(deterministic=True)).decode() + "\n")


main()
