"""Newer-schema peer of the `Lossless` differential test (tests/tests/lossless_differential.rs).

    emit <dir> <descriptors.bin> <packages,...> <cases> <seed>
    verify <dir> <descriptors.bin> <seed>

`emit` loads the workspace's descriptors (what the Rust crates were generated from),
builds a *newer* schema at run time by adding fields of random types to random
messages at every depth (scalars, repeated and packed scalars, maps, new message
types, fields holding existing messages), and writes random messages of the newer
schema, for every message type of the given packages, at least one field added by the
newer schema set in each. For each case it also writes a patch: a change of one known
(old-schema) scalar field, at the top level or inside a singular submessage, encoded as
a message holding just that field, which the Rust side merges into its decoded message.

`verify` rebuilds the same newer schema (same seed), reads what Rust re-encoded, and
requires it to equal the original message with the patch merged in: every added field
at every depth, every known field, and the change.
"""
import json
import os
import random
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.descriptor import FieldDescriptor as F

# Leaves of Lossless (hand-written in Rust; their schema is frozen): never extended.
LEAVES = {"google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue"}
UNTOUCHED_FILES = {"google/protobuf/descriptor.proto", "google/protobuf/struct.proto"}

P = descriptor_pb2.FieldDescriptorProto
SCALARS = [
    P.TYPE_INT32, P.TYPE_INT64, P.TYPE_UINT32, P.TYPE_UINT64, P.TYPE_SINT32,
    P.TYPE_SINT64, P.TYPE_FIXED32, P.TYPE_FIXED64, P.TYPE_SFIXED32, P.TYPE_SFIXED64,
    P.TYPE_DOUBLE, P.TYPE_FLOAT, P.TYPE_BOOL, P.TYPE_STRING, P.TYPE_BYTES,
]
ADDED_PREFIX = "newer_"


def load_files(path):
    files = {}
    with open(path, "rb") as fh:
        data = fh.read()
    for f in descriptor_pb2.FileDescriptorSet.FromString(data).file:
        files.setdefault(f.name, f)
    return files


def used_numbers(msg):
    used = {f.number for f in msg.field}
    ranges = [(r.start, r.end) for r in msg.reserved_range]  # end exclusive
    ranges += [(r.start, r.end) for r in msg.extension_range]
    return used, ranges


def free_number(rng, msg):
    used, ranges = used_numbers(msg)
    while True:
        # Mostly small numbers, so added fields interleave with known ones.
        n = rng.choice([rng.randint(1, 40), rng.randint(1, 300), rng.randint(1, 5000)])
        if 19000 <= n <= 19999 or n in used or any(a <= n < b for a, b in ranges):
            continue
        return n


def add_field(rng, file, parent_path, msg, messages_in_file):
    """Adds one random field to `msg` (a DescriptorProto inside `file`)."""
    number = free_number(rng, msg)
    name = "%sf%d" % (ADDED_PREFIX, number)
    kind = rng.choice(["scalar"] * 6 + ["repeated", "packed", "map", "message", "existing"])
    fd = msg.field.add(name=name, number=number, label=P.LABEL_OPTIONAL)
    full_parent = ".%s%s" % ((file.package + ".") if file.package else "", ".".join(parent_path))
    if kind == "scalar":
        fd.type = rng.choice(SCALARS)
    elif kind == "repeated":
        fd.type = rng.choice([P.TYPE_STRING, P.TYPE_BYTES])
        fd.label = P.LABEL_REPEATED
    elif kind == "packed":
        fd.type = rng.choice([P.TYPE_INT32, P.TYPE_SINT64, P.TYPE_FIXED32, P.TYPE_DOUBLE, P.TYPE_BOOL])
        fd.label = P.LABEL_REPEATED
    elif kind == "map":
        entry_name = "NewerF%dEntry" % number
        entry = msg.nested_type.add(name=entry_name)
        entry.options.map_entry = True
        entry.field.add(name="key", number=1, label=P.LABEL_OPTIONAL,
                        type=rng.choice([P.TYPE_STRING, P.TYPE_INT32, P.TYPE_UINT64, P.TYPE_BOOL]))
        entry.field.add(name="value", number=2, label=P.LABEL_OPTIONAL,
                        type=rng.choice([P.TYPE_STRING, P.TYPE_INT64, P.TYPE_DOUBLE]))
        fd.label = P.LABEL_REPEATED
        fd.type = P.TYPE_MESSAGE
        fd.type_name = "%s.%s" % (full_parent, entry_name)
    elif kind == "message":
        # A message type only the newer schema has, with fields of its own.
        sub_name = "NewerM%d" % number
        sub = msg.nested_type.add(name=sub_name)
        for i, n in enumerate(rng.sample(range(1, 30), rng.randint(1, 3))):
            sub.field.add(name="x%d" % i, number=n, label=P.LABEL_OPTIONAL,
                          type=rng.choice(SCALARS))
        fd.type = P.TYPE_MESSAGE
        fd.type_name = "%s.%s" % (full_parent, sub_name)
        if rng.random() < 0.3:
            fd.label = P.LABEL_REPEATED
    else:
        # A field holding a message the older schema already knows (same file).
        fd.type = P.TYPE_MESSAGE
        fd.type_name = rng.choice(messages_in_file)


def walk_messages(file):
    """(path of names, DescriptorProto) of every message of a file, map entries excluded."""
    out = []

    def rec(path, m):
        if m.options.map_entry:
            return
        out.append((path + [m.name], m))
        for n in list(m.nested_type):
            rec(path + [m.name], n)

    for m in file.message_type:
        rec([], m)
    return out


def newer_pool(files, seed):
    rng = random.Random(seed)
    files = dict(files)
    pool = descriptor_pool.DescriptorPool()
    for name in sorted(files):
        file = descriptor_pb2.FileDescriptorProto()
        file.CopyFrom(files[name])
        if name not in UNTOUCHED_FILES:
            msgs = walk_messages(file)
            full = lambda path: ".%s%s" % ((file.package + ".") if file.package else "", ".".join(path))
            names = [full(p) for p, _ in msgs if full(p)[1:] not in LEAVES]
            for path, m in msgs:
                if full(path)[1:] in LEAVES:
                    continue
                # Most messages get fields; some get none, so both kinds nest (a
                # message with no message fields always gets one: it can be a case).
                entries = {n.name for n in m.nested_type if n.options.map_entry}
                least = 0 if any(
                    f.type == P.TYPE_MESSAGE and f.type_name[1:] not in LEAVES
                    and f.type_name.rsplit(".", 1)[-1] not in entries for f in m.field) else 1
                for _ in range(max(least, rng.choice([0, 1, 1, 2, 3]))):
                    add_field(rng, file, path, m, names)
        files[name] = file
    remaining = dict(files)
    while remaining:  # dependency order
        progressed = False
        for name in sorted(remaining):
            f = remaining[name]
            if all(d not in remaining for d in f.dependency):
                pool.Add(f)
                del remaining[name]
                progressed = True
        if not progressed:
            raise SystemExit("descriptor files with unresolved imports: %s" % sorted(remaining))
    return pool


def is_added(f):
    return f.name.startswith(ADDED_PREFIX) or f.containing_type.name.startswith("NewerM")


def rand_scalar(rng, f):
    t = f.type
    if t == F.TYPE_STRING:
        return rng.choice(["", "a", "ünï ✓", "x" * rng.randint(1, 40)]) + str(rng.randint(1, 10**6))
    if t == F.TYPE_BYTES:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 12)))
    if t == F.TYPE_BOOL:
        return True
    if t in (F.TYPE_INT32, F.TYPE_SINT32, F.TYPE_SFIXED32):
        return rng.choice([1, -1, 2**31 - 1, -2**31, rng.randint(-10**6, 10**6) or 3])
    if t in (F.TYPE_UINT32, F.TYPE_FIXED32):
        return rng.choice([1, 2**32 - 1, rng.randint(1, 10**6)])
    if t in (F.TYPE_INT64, F.TYPE_SINT64, F.TYPE_SFIXED64):
        return rng.choice([1, -1, 2**63 - 1, -2**63, rng.randint(-2**40, 2**40) or 5])
    if t in (F.TYPE_UINT64, F.TYPE_FIXED64):
        return rng.choice([1, 2**64 - 1, rng.randint(1, 2**50)])
    if t in (F.TYPE_DOUBLE, F.TYPE_FLOAT):
        return rng.choice([0.5, -2.25, 1e10, 3.0, -0.125])  # exact in float and double
    if t == F.TYPE_ENUM:
        values = [v.number for v in f.enum_type.values if v.number != 0] or [0]
        return rng.choice(values)
    raise TypeError(f.full_name)


def fill(rng, msg, depth, p=0.7):
    """Sets random fields of msg (of the newer schema); returns how many added fields it set."""
    desc = msg.DESCRIPTOR
    added = 0
    chosen_oneof = {}
    for o in desc.oneofs:
        chosen_oneof[o.name] = rng.choice(list(o.fields))
    for f in desc.fields:
        o = f.containing_oneof
        if o is not None and chosen_oneof[o.name] is not f:
            continue
        want = is_added(f) or rng.random() < p
        if not want:
            continue
        if f.type == F.TYPE_MESSAGE and depth >= 5:
            continue
        field = getattr(msg, f.name)
        n = 0
        if f.message_type is not None and f.message_type.GetOptions().map_entry:
            key_f = f.message_type.fields_by_name["key"]
            val_f = f.message_type.fields_by_name["value"]
            for _ in range(rng.randint(1, 3)):
                key = rand_scalar(rng, key_f)
                if val_f.type == F.TYPE_MESSAGE:
                    n += fill(rng, field[key], depth + 1)
                else:
                    field[key] = rand_scalar(rng, val_f)
        elif f.is_repeated:
            for _ in range(rng.randint(1, 3)):
                if f.type == F.TYPE_MESSAGE:
                    n += fill(rng, field.add(), depth + 1)
                else:
                    field.append(rand_scalar(rng, f))
        elif f.type == F.TYPE_MESSAGE:
            sub = getattr(msg, f.name)
            n += fill(rng, sub, depth + 1)
            sub.SetInParent()
        else:
            setattr(msg, f.name, rand_scalar(rng, f))
        if is_added(f):
            n += 1
        added += n
    return added


def change_targets(msg, path=()):
    """(path of field descriptors) of known singular scalar fields the patch may change:
    at the top level, or inside a set singular submessage that has another known field
    set. A submessage whose only known field changes looks replaced, and loses its
    unknown fields by design (common_eventing::lossless); its ancestors only need the
    path's field present."""
    out = []
    desc = msg.DESCRIPTOR
    known_set = [f for f, _ in msg.ListFields() if not is_added(f)]
    if path == () or len(known_set) >= 2:
        for f in desc.fields:
            if (is_added(f) or f.is_repeated or f.containing_oneof is not None
                    or f.type in (F.TYPE_MESSAGE, F.TYPE_GROUP)):
                continue
            out.append(path + (f,))
    for f, value in msg.ListFields():
        if (f.type == F.TYPE_MESSAGE and not f.is_repeated and not is_added(f)
                and f.containing_oneof is None and f.message_type.full_name not in LEAVES):
            out.extend(change_targets(value, path + (f,)))
    return out


def make_patch(rng, cls, msg):
    targets = change_targets(msg)
    if not targets:
        return None
    path = rng.choice(targets)
    current = msg
    for f in path[:-1]:
        current = getattr(current, f.name)
    old = getattr(current, path[-1].name)
    for _ in range(20):
        new = rand_scalar(rng, path[-1])
        if new != old and new not in ("", 0, False, b""):
            break
    else:
        return None
    patch = cls()
    sub = patch
    for f in path[:-1]:
        sub = getattr(sub, f.name)
    setattr(sub, path[-1].name, new)
    return patch, ".".join(f.name for f in path)


def case_types(pool, files, packages):
    out = []
    for name in sorted(files):
        fd = files[name]
        if fd.package not in packages or name in UNTOUCHED_FILES:
            continue
        for path, _ in walk_messages(fd):
            full = "%s.%s" % (fd.package, ".".join(path))
            if full in LEAVES:
                continue
            out.append(full)
    return out


def emit(out_dir, desc_path, packages, cases, seed):
    files = load_files(desc_path)
    pool = newer_pool(files, seed)
    types = case_types(pool, files, set(packages.split(",")))
    rng = random.Random(seed + 1)
    index = []
    for i in range(max(cases, len(types))):
        type_name = types[i % len(types)]
        cls = message_factory.GetMessageClass(pool.FindMessageTypeByName(type_name))
        for attempt in range(100):
            msg = cls()
            added = fill(rng, msg, 0)
            patch = make_patch(rng, cls, msg)
            if added and (patch or (attempt >= 50 and not change_targets(msg))):
                break
        else:
            raise SystemExit("%s: no case with an added field and a known field to change" % type_name)
        # A message with no known scalar field at all (an empty request) changes nothing.
        patch_msg, changed = patch or (cls(), "")
        name = "case%04d" % i
        with open(os.path.join(out_dir, name + ".bin"), "wb") as fh:
            fh.write(msg.SerializeToString())
        with open(os.path.join(out_dir, name + ".patch"), "wb") as fh:
            fh.write(patch_msg.SerializeToString())
        index.append({"name": name, "type": type_name, "changed": changed, "added": added})
    with open(os.path.join(out_dir, "index.json"), "w") as fh:
        json.dump(index, fh, indent=1)
    nested = sum(1 for e in index if "." in e["changed"])
    unchanged = sorted({e["type"] for e in index if not e["changed"]})
    print("emitted %d cases of %d types (seed %d): %d added fields set, %d nested changes; "
          "types with no known scalar field to change: %s"
          % (len(index), len(types), seed, sum(e["added"] for e in index), nested, unchanged))


def added_paths(msg, prefix=""):
    """Every added field set anywhere in msg, as paths (for the failure message)."""
    out = []
    for f, value in msg.ListFields():
        p = prefix + f.name
        if is_added(f):
            out.append(p)
        if f.type == F.TYPE_MESSAGE:
            if f.message_type.GetOptions().map_entry:
                items = list(value.values()) if f.message_type.fields_by_name["value"].type == F.TYPE_MESSAGE else []
            else:
                items = list(value) if f.is_repeated else [value]
            for i, item in enumerate(items):
                out.extend(added_paths(item, "%s[%d]." % (p, i)))
    return out


def verify(out_dir, desc_path, seed):
    files = load_files(desc_path)
    pool = newer_pool(files, seed)
    with open(os.path.join(out_dir, "index.json")) as fh:
        index = json.load(fh)
    failures = []
    for entry in index:
        cls = message_factory.GetMessageClass(pool.FindMessageTypeByName(entry["type"]))
        read = lambda suffix: open(os.path.join(out_dir, entry["name"] + suffix), "rb").read()
        expected = cls.FromString(read(".bin"))
        expected.MergeFromString(read(".patch"))
        got = cls.FromString(read(".rust.bin"))
        if cls.FromString(read(".plain.bin")) == expected:
            failures.append("%s (%s): plain prost lost nothing, so the case proves nothing"
                            % (entry["name"], entry["type"]))
        if got != expected:
            want = set(added_paths(expected))
            have = set(added_paths(got))
            failures.append("%s (%s, changed %s): missing added fields %s%s" % (
                entry["name"], entry["type"], entry["changed"], sorted(want - have)[:8],
                "" if want - have else " (a known field or the change differs)"))
    if failures:
        print("\n".join(failures[:20]))
        raise SystemExit("%d of %d cases lost data (seed %d)" % (len(failures), len(index), seed))
    print("verified %d cases: every added field and every change read back (seed %d)" % (len(index), seed))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "emit":
        emit(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
    elif cmd == "verify":
        verify(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        raise SystemExit(__doc__)
