"""The reference side of tests/tests/validate_differential.rs: Python protovalidate
(the package Python and Go services of the contract run) on the same bytes.

Reads JSON lines `{"type": full name, "b64": encoded message}` on stdin and writes,
per line, the JSON list of violations `collect_violations` finds: rule id, message,
for_key, the field path's elements and the rule path's elements, exactly as
`buf.validate.Violation` carries them.
"""
import base64
import json
import sys

import protoc_stubs

protoc_stubs.load(["ameide_core_proto/sre"])

import protovalidate  # noqa: E402
from google.protobuf import message_factory, symbol_database  # noqa: E402
from buf.validate import validate_pb2  # noqa: E402
import importlib  # noqa: E402
import pathlib  # noqa: E402

# Import every generated module so the default pool knows every message.
for path in sorted(pathlib.Path(protoc_stubs.PROTO).rglob("*.proto")):
    rel = path.relative_to(protoc_stubs.PROTO)
    if rel.parts[0] in ("ameide_core_proto", "buf"):
        importlib.import_module(".".join(rel.with_suffix("").parts) + "_pb2")

pool = symbol_database.Default().pool
classes = {}


def opt(element, name):
    return getattr(element, name) if element.HasField(name) else None


def field_element(e):
    kind = e.WhichOneof("subscript")
    return [
        e.field_name,
        opt(e, "field_number"),
        opt(e, "field_type"),
        opt(e, "key_type"),
        opt(e, "value_type"),
        kind,
        getattr(e, kind) if kind else None,
    ]


def main():
    validator = protovalidate.Validator()
    out = []
    for line in sys.stdin:
        case = json.loads(line)
        name = case["type"]
        if name not in classes:
            classes[name] = message_factory.GetMessageClass(pool.FindMessageTypeByName(name))
        message = classes[name].FromString(base64.b64decode(case["b64"]))
        found = []
        for v in validator.collect_violations(message):
            p = validate_pb2.Violation.FromString(v.proto.to_binary())
            found.append(
                {
                    "rule_id": p.rule_id,
                    "message": p.message,
                    "for_key": p.for_key,
                    "field": [field_element(e) for e in p.field.elements],
                    "rule": [[e.field_name, e.field_number, e.field_type] for e in p.rule.elements],
                }
            )
        out.append(json.dumps(found, ensure_ascii=False))
    sys.stdout.write("\n".join(out) + "\n")


main()
