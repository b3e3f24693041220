"""Deterministic, complete test messages built by reflection over descriptors.

`variants(cls)` returns messages of type `cls` that together set every field, every
oneof case and every non-zero enum value of the message and of every message reachable
from it, so a round trip through another implementation exercises all of the schema.
"""
from google.protobuf import any_pb2, duration_pb2, message_factory, struct_pb2, timestamp_pb2
from google.protobuf.descriptor import FieldDescriptor as F

WKT_TIMESTAMP = "google.protobuf.Timestamp"
WKT_STRUCT = "google.protobuf.Struct"
WKT_ANY = "google.protobuf.Any"
WKT_DURATION = "google.protobuf.Duration"
WKT_VALUE = "google.protobuf.Value"


def variant_count(desc, seen=None):
    """How many variants cover every oneof case and enum value reachable from desc."""
    seen = seen or set()
    if desc.full_name in seen or desc.full_name.startswith("google.protobuf."):
        return 1
    seen = seen | {desc.full_name}
    n = 1
    for oneof in desc.oneofs:
        n = max(n, len(oneof.fields))
    for f in desc.fields:
        if f.type == F.TYPE_ENUM:
            n = max(n, len(f.enum_type.values))
        elif f.type == F.TYPE_MESSAGE:
            n = max(n, variant_count(f.message_type, seen))
    return n


def make_struct(k):
    s = struct_pb2.Struct()
    s.update({
        "zeta": k + 0.5,
        "alpha": "ünïcode ✓ %d" % k,
        "mid": [1, "two", None, True, {"deep": {"x": -k}}],
        "flag": k % 2 == 0,
        "nothing": None,
    })
    return s


def make_timestamp(k):
    # Alternate before and after 1970, with and without nanos.
    secs = [1_700_000_000, -86_400 * 365 * 20 - 1, 0, 253_402_300_799][k % 4]
    nanos = [0, 500_000_000, 120_000, 1][k % 4]
    return timestamp_pb2.Timestamp(seconds=secs, nanos=nanos)


def make_any(k, any_types):
    a = any_pb2.Any()
    if k % 2 == 0 or not any_types:
        a.Pack(make_timestamp(k))
    else:
        cls = any_types[k % len(any_types)]
        a.Pack(fill(cls(), k, depth=3))
    return a


def scalar(f, k):
    n = f.number
    t = f.type
    if t == F.TYPE_STRING:
        return "%s-%d%s" % (f.name, k, " ✓" if k % 3 == 0 else "")
    if t == F.TYPE_BYTES:
        return bytes([(n + k + i) % 256 for i in range(5)])
    if t == F.TYPE_BOOL:
        return True
    if t in (F.TYPE_INT32, F.TYPE_SINT32, F.TYPE_SFIXED32):
        return (n * 1000 + k + 1) * (-1 if k % 2 else 1)
    if t in (F.TYPE_UINT32, F.TYPE_FIXED32):
        return n * 1000 + k + 1
    if t in (F.TYPE_INT64, F.TYPE_SINT64, F.TYPE_SFIXED64):
        return (2 ** 53 + n * 7 + k) * (-1 if k % 2 else 1)
    if t in (F.TYPE_UINT64, F.TYPE_FIXED64):
        return 2 ** 63 + n + k
    if t == F.TYPE_DOUBLE:
        return n + k * 0.25 + 0.125
    if t == F.TYPE_FLOAT:
        return float(n) + 0.5
    if t == F.TYPE_ENUM:
        values = [v.number for v in f.enum_type.values if v.number != 0] or [0]
        return values[k % len(values)]
    raise TypeError(f.full_name)


def set_message_field(msg, f, k, depth, any_types):
    name = f.message_type.full_name
    if name == WKT_TIMESTAMP:
        return make_timestamp(k)
    if name == WKT_DURATION:
        return duration_pb2.Duration(seconds=-(k + 1), nanos=-250_000_000)
    if name == WKT_STRUCT:
        return make_struct(k)
    if name == WKT_ANY:
        return make_any(k, any_types)
    if name == WKT_VALUE:
        v = struct_pb2.Value()
        v.struct_value.CopyFrom(make_struct(k))
        return v
    return fill(message_factory.GetMessageClass(f.message_type)(), k, depth + 1, any_types)


def fill(msg, k, depth=0, any_types=()):
    desc = msg.DESCRIPTOR
    for f in desc.fields:
        if f.containing_oneof is not None:
            cases = f.containing_oneof.fields
            if cases[k % len(cases)] is not f:
                continue
        if depth > 3 and f.type == F.TYPE_MESSAGE:
            continue
        field = getattr(msg, f.name)
        if f.message_type is not None and f.message_type.GetOptions().map_entry:
            key_f = f.message_type.fields_by_name["key"]
            val_f = f.message_type.fields_by_name["value"]
            for i, key in enumerate(["zeta", "alpha", "mid"]):
                kk = key if key_f.type == F.TYPE_STRING else scalar(key_f, k + i)
                if val_f.type == F.TYPE_MESSAGE:
                    field[kk].CopyFrom(set_message_field(msg, val_f, k + i, depth, any_types))
                else:
                    field[kk] = scalar(val_f, k + i)
        elif f.is_repeated:
            for i in range(2):
                if f.type == F.TYPE_MESSAGE:
                    field.add().CopyFrom(set_message_field(msg, f, k + i, depth, any_types))
                else:
                    field.append(scalar(f, k + i))
        elif f.type == F.TYPE_MESSAGE:
            getattr(msg, f.name).CopyFrom(set_message_field(msg, f, k, depth, any_types))
        else:
            setattr(msg, f.name, scalar(f, k))
    return msg


def variants(cls, any_types=()):
    return [fill(cls(), k, 0, any_types) for k in range(variant_count(cls.DESCRIPTOR))]


def coverage_gaps(messages, package_prefix):
    """Fields (incl. oneof cases) and non-zero enum values declared in messages of
    `package_prefix` reachable from `messages`, that no message in `messages` sets."""
    declared_msgs, declared_fields, declared_enums = set(), set(), set()
    seen_fields, seen_enums = set(), set()

    def declare(desc):
        if desc.full_name in declared_msgs or not desc.full_name.startswith(package_prefix):
            return
        declared_msgs.add(desc.full_name)
        for f in desc.fields:
            declared_fields.add(f.full_name)
            if f.type == F.TYPE_ENUM:
                for v in f.enum_type.values:
                    if v.number != 0:
                        declared_enums.add("%s=%d" % (f.enum_type.full_name, v.number))
            if f.type == F.TYPE_MESSAGE and not f.message_type.GetOptions().map_entry:
                declare(f.message_type)

    def walk(msg):
        for f, value in msg.ListFields():
            seen_fields.add(f.full_name)
            is_map = f.type == F.TYPE_MESSAGE and f.message_type.GetOptions().map_entry
            if is_map:
                continue
            items = list(value) if f.is_repeated else [value]
            for item in items:
                if f.type == F.TYPE_ENUM:
                    seen_enums.add("%s=%d" % (f.enum_type.full_name, item))
                elif f.type == F.TYPE_MESSAGE:
                    walk(item)

    for m in messages:
        declare(m.DESCRIPTOR)
        walk(m)
    return sorted(declared_fields - seen_fields), sorted(declared_enums - seen_enums)
