"""Normalized wire facts of an encoded FileDescriptorSet, one per line, sorted.

usage: wire_facts.py SET.binpb PACKAGE_PREFIX [--strip-enum-prefix]
Lines: `message M`, `field M = N [repeated |optional ]TYPE name[ oneof=O]`,
`mapentry M key=K value=V`, `reserved M A..B`, `enum E = N NAME`, `service S`,
`rpc /pkg.S/M [stream ]IN -> [stream ]OUT`. With --strip-enum-prefix an enum value
loses its ENUM_NAME_ prefix (binary-compatible names compare equal).
"""
import re
import sys

from google.protobuf import descriptor_pb2 as d

TYPES = {v: k[len("TYPE_"):].lower() for k, v in d.FieldDescriptorProto.Type.items()}


def screaming(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


def type_of(field):
    if field.type in (d.FieldDescriptorProto.TYPE_MESSAGE, d.FieldDescriptorProto.TYPE_ENUM):
        return field.type_name.lstrip(".")
    return TYPES[field.type]


def facts(fds, prefix, strip):
    out = []

    def enum(e, scope):
        name = scope + "." + e.name
        pre = screaming(e.name) + "_"
        for v in e.value:
            value = v.name[len(pre):] if strip and v.name.startswith(pre) else v.name
            out.append("enum %s = %d %s" % (name, v.number, value))

    def message(m, scope):
        name = scope + "." + m.name
        if m.options.map_entry:
            out.append("mapentry %s key=%s value=%s" % (name, type_of(m.field[0]), type_of(m.field[1])))
            return
        out.append("message %s" % name)
        for f in m.field:
            label = ""
            if f.proto3_optional:
                label = "optional "
            elif f.label == d.FieldDescriptorProto.LABEL_REPEATED:
                label = "repeated "
            elif f.label == d.FieldDescriptorProto.LABEL_REQUIRED:
                label = "required "
            oneof = ""
            if f.HasField("oneof_index") and not f.proto3_optional:
                oneof = " oneof=" + m.oneof_decl[f.oneof_index].name
            out.append("field %s = %d %s%s %s%s" % (name, f.number, label, type_of(f), f.name, oneof))
        for r in m.reserved_range:
            out.append("reserved %s %d..%d" % (name, r.start, r.end - 1))
        for e in m.enum_type:
            enum(e, name)
        for n in m.nested_type:
            message(n, name)

    for f in fds.file:
        if not f.package.startswith(prefix):
            continue
        for e in f.enum_type:
            enum(e, f.package)
        for m in f.message_type:
            message(m, f.package)
        for s in f.service:
            out.append("service %s.%s" % (f.package, s.name))
            for r in s.method:
                out.append("rpc /%s.%s/%s %s%s -> %s%s" % (
                    f.package, s.name, r.name, "stream " if r.client_streaming else "", r.input_type.lstrip("."),
                    "stream " if r.server_streaming else "", r.output_type.lstrip(".")))
    return sorted(set(out))


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as fh:
        fds = d.FileDescriptorSet.FromString(fh.read())
    print("\n".join(facts(fds, sys.argv[2], "--strip-enum-prefix" in sys.argv)))
