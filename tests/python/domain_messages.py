"""Fixtures for the workspace's own contracts, from Python modules that the real protoc
(grpcio-tools) generated from our proto/ tree — a second compiler and a second runtime.

usage: domain_messages.py emit|verify DIR PROTO_PREFIX
  PROTO_PREFIX: a folder under proto/, e.g. `aumos` or `ameide_core_proto/sre`.
Every top-level message of every file under it is exercised.
"""
import importlib
import pathlib
import sys

import message_fixtures
import protoc_stubs


def modules(prefix):
    root = protoc_stubs.PROTO
    for path in sorted((root / prefix).rglob("*.proto")):
        rel = path.relative_to(root).with_suffix("")
        yield importlib.import_module(".".join(rel.parts[:-1] + (rel.parts[-1] + "_pb2",)))


if __name__ == "__main__":
    command, out, prefix = sys.argv[1], sys.argv[2], sys.argv[3]
    protoc_stubs.load([prefix])
    mods = list(modules(prefix))
    classes = list(message_fixtures.classes_of(mods))
    package_prefix = mods[0].DESCRIPTOR.package.split(".")[0] + "."
    if command == "emit":
        message_fixtures.emit(out, classes, package_prefix)
    else:
        message_fixtures.verify(out, classes)
