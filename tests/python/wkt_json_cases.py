"""proto3 JSON edge cases of the well-known types, decided by Python's json_format.

Prints a JSON list of cases: {"type", "input", "ok", "canonical", "binary_hex"}; when
Python rejects the input, ok is false and Rust must reject it too.
"""
import json

from google.protobuf import any_pb2, duration_pb2, empty_pb2, field_mask_pb2, json_format
from google.protobuf import struct_pb2, timestamp_pb2, wrappers_pb2

CASES = {
    timestamp_pb2.Timestamp: [
        '"1970-01-01T00:00:00Z"', '"1969-12-31T23:59:59.999999999Z"', '"1960-06-15T10:20:30.123456Z"',
        '"1900-01-01T00:00:00.100Z"', '"0001-01-01T00:00:00Z"', '"9999-12-31T23:59:59.999999999Z"',
        '"2020-02-29T12:00:00.5+01:00"', '"2020-01-01T00:30:00-01:15"', '"2024-05-01T12:00:00.000001Z"',
        '"0000-12-31T23:59:59Z"', '"10000-01-01T00:00:00Z"', '"2021-02-29T00:00:00Z"',
        '"1970-01-01T00:00:00.1234567891Z"', '"1970-01-01T00:00:00"', '"1970-01-01 00:00:00Z"', '0',
    ],
    duration_pb2.Duration: [
        '"1.5s"', '"-1.5s"', '"-0.000000001s"', '"0s"', '"-0.5s"', '"315576000000s"', '"-315576000000s"',
        '"0.010s"', '"315576000001s"', '"1.0000000001s"', '"1"', '"1.5"', '"--1s"', '"1,5s"', '1',
    ],
    struct_pb2.Value: [
        '{"a":[1,2.5,null,true,"s",{"b":{}}]}', 'null', '"str"', '1e300', '-0.5', '[]', '9007199254740993',
    ],
    struct_pb2.Struct: ['{}', '{"k":null,"n":{"m":[{}]}}', '[]', '"x"'],
    struct_pb2.ListValue: ['[1,[2,[3]]]', '[]', '{}'],
    field_mask_pb2.FieldMask: ['"a.bC,dE"', '""', '"fooBar.bazQux"', '"a_b"'],
    wrappers_pb2.BoolValue: ['true', 'false', '"true"'],
    wrappers_pb2.StringValue: ['"x"', '""', '1'],
    wrappers_pb2.BytesValue: ['"AAEC"', '"-_8"', '"+/8="', '"AA"', '"!!"'],
    wrappers_pb2.DoubleValue: ['"NaN"', '"Infinity"', '"-Infinity"', '1.5', '-0', '"2.5"', '"abc"'],
    wrappers_pb2.FloatValue: ['1.5', '3.4028234e38', '1e39', '"-Infinity"'],
    wrappers_pb2.Int64Value: ['"9223372036854775807"', '"-9223372036854775808"', '9007199254740993', '"-1"',
                              '1.5', '"abc"', '"9223372036854775808"', '1e2'],
    wrappers_pb2.UInt64Value: ['"18446744073709551615"', '"18446744073709551616"', '-1', '"0"'],
    wrappers_pb2.Int32Value: ['2147483647', '2147483648', '"12"', '-2147483648', '1.0', '1.5'],
    wrappers_pb2.UInt32Value: ['4294967295', '4294967296', '-1'],
    empty_pb2.Empty: ['{}', '{"a":1}'],
    any_pb2.Any: [
        '{"@type":"type.googleapis.com/google.protobuf.Duration","value":"1.5s"}',
        '{"@type":"type.googleapis.com/google.protobuf.Struct","value":{"a":1}}',
        '{"@type":"type.googleapis.com/google.protobuf.Int64Value","value":"5"}',
        '{"@type":"type.googleapis.com/google.protobuf.Empty"}',
        '{"@type":"type.googleapis.com/google.protobuf.Timestamp","value":"1969-12-31T23:59:59Z"}',
        '{"value":"1s"}',
    ],
}


def main():
    out = []
    for cls, inputs in CASES.items():
        for text in inputs:
            case = {"type": cls.DESCRIPTOR.full_name, "input": text, "ok": False, "canonical": None, "binary_hex": None}
            try:
                msg = json_format.Parse(text, cls())
                case["canonical"] = json_format.MessageToJson(msg, indent=None)
                case["binary_hex"] = msg.SerializeToString(deterministic=True).hex()
                case["ok"] = True
            except (json_format.ParseError, ValueError) as e:
                case["error"] = str(e)
            out.append(case)
    print(json.dumps(out))


main()
