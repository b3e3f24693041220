"""Compares the workspace's Chaukas descriptors with the published packages' own.

usage: chaukas_descriptors.py OURS.binpb
Every file of the packages (DESCRIPTOR.CopyToProto) must exist in OURS at the same
path and agree on package, imports, messages (fields: name, number, type, type name,
label, oneof, json name, proto3 optional; nested types; oneofs; map entries), enums,
services and methods. Only file-level language options (go_package) and comments are
ignored: they are not part of the wire or JSON contract.
"""
import sys

from google.protobuf import descriptor_pb2

from chaukas.spec.common.v1 import events_pb2, query_pb2
from chaukas.spec.client.v1 import client_pb2
from chaukas.spec.server.v1 import server_pb2

MODULES = [events_pb2, query_pb2, client_pb2, server_pb2]


def normalized(fdp):
    fdp = descriptor_pb2.FileDescriptorProto.FromString(fdp.SerializeToString())
    fdp.ClearField("options")
    fdp.ClearField("source_code_info")
    return fdp


def diff(path, a, b, out):
    """Field-by-field differences between two messages of the same type."""
    if a == b:
        return
    for field in a.DESCRIPTOR.fields:
        va, vb = getattr(a, field.name), getattr(b, field.name)
        where = "%s.%s" % (path, field.name)
        if field.message_type is not None and field.is_repeated:
            if len(va) != len(vb):
                out.append("%s: %d vs %d entries (%s vs %s)" % (
                    where, len(va), len(vb), [getattr(x, "name", "?") for x in va], [getattr(x, "name", "?") for x in vb]))
            for i, (xa, xb) in enumerate(zip(va, vb)):
                diff("%s[%s]" % (where, getattr(xa, "name", i)), xa, xb, out)
        elif field.message_type is not None:
            diff(where, va, vb, out)
        elif va != vb:
            out.append("%s: published %r, ours %r" % (where, va, vb))


def main():
    ours = descriptor_pb2.FileDescriptorSet.FromString(open(sys.argv[1], "rb").read())
    ours_by_name = {f.name: f for f in ours.file}
    problems = []
    for module in MODULES:
        published = descriptor_pb2.FileDescriptorProto()
        module.DESCRIPTOR.CopyToProto(published)
        if published.name not in ours_by_name:
            problems.append("missing file %s (ours: %s)" % (published.name, sorted(ours_by_name)))
            continue
        diff(published.name, normalized(published), normalized(ours_by_name[published.name]), problems)
    if problems:
        sys.exit("\n".join(problems))
    print("descriptors equal for %d files" % len(MODULES))


main()
