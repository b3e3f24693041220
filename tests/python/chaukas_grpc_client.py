"""A grpcio client (published chaukas stubs) calling the Rust reference server
(apps/chaukas-ingest-server) on both services.

usage: chaukas_grpc_client.py PORT
"""
import sys

import grpc

from chaukas.spec.client.v1 import client_pb2, client_pb2_grpc
from chaukas.spec.common.v1 import events_pb2, query_pb2
from chaukas.spec.server.v1 import server_pb2, server_pb2_grpc

import fill


def expect_error(call, code, details):
    try:
        call()
    except grpc.RpcError as e:
        assert e.code() == code, (e.code(), code)
        assert e.details() == details, (e.details(), details)
        return
    raise AssertionError("expected %s %r" % (code, details))


def main():
    channel = grpc.insecure_channel("127.0.0.1:%s" % sys.argv[1])
    grpc.channel_ready_future(channel).result(timeout=10)
    server = server_pb2_grpc.ChaukasServerServiceStub(channel)
    client = client_pb2_grpc.ChaukasClientServiceStub(channel)
    calls = 0

    # Realistic payloads: every content case of Event, with Struct metadata and Any.
    events = fill.variants(events_pb2.Event, [events_pb2.ToolCall])
    for i, e in enumerate(events):
        e.tenant_id = "tenant-py"
        e.event_id = "evt-%02d" % i

    server.Healthz(server_pb2.HealthzRequest())
    caps = server.GetCapabilities(server_pb2.GetCapabilitiesRequest()).capabilities
    assert caps.policy_decisions and caps.data_access_events and not caps.rbac and not caps.sso, caps
    calls += 2

    r = server.IngestEvent(server_pb2.IngestEventRequest(event=events[0]))
    assert r.event_id == "evt-00" and r.status == "accepted" and r.processed_at > 1_600_000_000_000, r
    calls += 1

    bad = events_pb2.Event(event_id="evt-no-tenant")
    batch = events_pb2.EventBatch(batch_id="batch-1", events=events[1:10] + [bad])
    r = server.IngestEventBatch(server_pb2.IngestEventBatchRequest(event_batch=batch))
    assert (r.batch_id, r.accepted_count, r.rejected_count, list(r.rejected_event_ids)) == \
        ("batch-1", 9, 1, ["evt-no-tenant"]), r
    calls += 1

    query = query_pb2.QueryRequest(filter=query_pb2.QueryFilter(tenant_id="tenant-py"))
    # The server answers in its (timestamp, arrival) order; compare by id.
    by_id = lambda es: sorted(es, key=lambda e: e.event_id)
    got = server.QueryEvents(server_pb2.QueryEventsRequest(query=query)).response.events
    assert by_id(got) == events[:10], "events came back different"
    calls += 1

    stats = server.GetEventStats(server_pb2.GetEventStatsRequest(tenant_id="tenant-py"))
    assert stats.total_events == 10, stats
    expected = {}
    for e in events[:10]:
        name = events_pb2.EventType.Name(e.type)
        expected[name] = expected.get(name, 0) + 1
    assert dict(stats.events_by_type) == expected, (dict(stats.events_by_type), expected)
    calls += 1

    expect_error(lambda: server.IngestEvent(server_pb2.IngestEventRequest()),
                 grpc.StatusCode.INVALID_ARGUMENT, "event is required")
    expect_error(lambda: server.IngestEvent(server_pb2.IngestEventRequest(event=events_pb2.Event(tenant_id="t"))),
                 grpc.StatusCode.INVALID_ARGUMENT, "event.event_id is required")
    calls += 2

    # The client service, on the same server.
    client.Healthz(client_pb2.HealthzRequest())
    assert client.GetCapabilities(client_pb2.GetCapabilitiesRequest()).capabilities == caps
    client.IngestEvent(client_pb2.IngestEventRequest(event=events[10]))
    client.IngestEventBatch(client_pb2.IngestEventBatchRequest(
        event_batch=events_pb2.EventBatch(events=events[11:])))
    got = client.QueryEvents(client_pb2.QueryEventsRequest(query=query)).response.events
    assert by_id(got) == events, "client service: events came back different"
    expect_error(lambda: client.IngestEventBatch(client_pb2.IngestEventBatchRequest(
        event_batch=events_pb2.EventBatch(events=[bad]))),
        grpc.StatusCode.INVALID_ARGUMENT,
        "accepted 0, rejected 1: events[0] \"evt-no-tenant\": event.tenant_id is required")
    calls += 6
    print("ok %d calls" % calls)


main()
