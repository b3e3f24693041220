"""A gRPC reflection client (grpcio-reflection) against the Rust reference ingest server.

usage: chaukas_reflection_client.py GRPC_ADDR

Lists the services, resolves chaukas.spec.common.v1.Event and the server service from
reflection alone, checks them against the published packages' descriptors, and decodes
a published Event with the reflected type. Prints `service <name>` per service, then
`ok reflection`.
"""
import sys

import grpc
from google.protobuf import descriptor_pool, message_factory
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)

from chaukas.spec.common.v1 import events_pb2
from chaukas.spec.server.v1 import server_pb2

EXPECTED_SERVICES = {
    "chaukas.spec.client.v1.ChaukasClientService",
    "chaukas.spec.server.v1.ChaukasServerService",
    "grpc.health.v1.Health",
}


def shape(message_descriptor):
    """Name, number, type, cardinality, presence, types and oneof of every field."""
    return sorted(
        (f.name, f.number, f.type, f.is_repeated, f.has_presence, f.message_type and f.message_type.full_name,
         f.enum_type and f.enum_type.full_name, f.containing_oneof and f.containing_oneof.name)
        for f in message_descriptor.fields
    )


def main():
    channel = grpc.insecure_channel(sys.argv[1])
    grpc.channel_ready_future(channel).result(timeout=10)
    db = ProtoReflectionDescriptorDatabase(channel)
    services = set(db.get_services())
    missing = EXPECTED_SERVICES - services
    assert not missing, "reflection does not list %s (it lists %s)" % (missing, services)

    pool = descriptor_pool.DescriptorPool(db)
    event = pool.FindMessageTypeByName("chaukas.spec.common.v1.Event")
    assert shape(event) == shape(events_pb2.Event.DESCRIPTOR), "reflected Event differs"
    assert event.fields_by_name["extensions"].message_type.full_name == "google.protobuf.Any"

    service = pool.FindServiceByName("chaukas.spec.server.v1.ChaukasServerService")
    published = server_pb2.DESCRIPTOR.services_by_name["ChaukasServerService"]
    methods = [(m.name, m.input_type.full_name, m.output_type.full_name) for m in service.methods]
    expected = [(m.name, m.input_type.full_name, m.output_type.full_name) for m in published.methods]
    assert methods == expected, (methods, expected)

    # The reflected type decodes what the published one encodes.
    Reflected = message_factory.GetMessageClass(event)
    sent = events_pb2.Event(event_id="evt-r", tenant_id="t", tags=["a", "ü"],
                            type=events_pb2.EVENT_TYPE_TOOL_CALL_START)
    sent.tool_call.name = "search"
    sent.tool_call.arguments.update({"q": "Oslo"})
    got = Reflected.FromString(sent.SerializeToString())
    assert got.event_id == "evt-r" and list(got.tags) == ["a", "ü"], got
    assert got.tool_call.arguments["q"] == "Oslo", got
    assert got.SerializeToString(deterministic=True) == sent.SerializeToString(deterministic=True)

    for name in sorted(services):
        print("service " + name)
    print("ok reflection")


if __name__ == "__main__":
    main()
