"""The published chaukas-sdk, unchanged, against the Rust reference ingest server.

usage: chaukas_sdk_e2e.py GRPC_ADDR [--auth]

The SDK is configured the way its users configure it, from the environment:
CHAUKAS_ENDPOINT (http://HOST:PORT/v1), CHAUKAS_API_KEY, CHAUKAS_TENANT_ID,
CHAUKAS_PROJECT_ID. Events are built with its EventBuilder and sent with its
ChaukasClient over HTTP (binary protobuf): one alone (POST /v1/events), a batch
(POST /v1/events/batch), and the first one again (stored once). Then every event is
read back over gRPC with the published chaukas-spec-client stubs and compared field by
field. With --auth, a client holding a wrong key must get 401 and store nothing.

Prints `SENT <base64 Event>` per distinct event sent, then `ok <n> events`.
"""
import asyncio
import base64
import os
import sys

import grpc
from google.protobuf.json_format import MessageToDict

from chaukas.sdk import ChaukasClient, EventBuilder
from chaukas.spec.client.v1 import client_pb2, client_pb2_grpc
from chaukas.spec.common.v1 import query_pb2

TENANT = os.environ["CHAUKAS_TENANT_ID"]
API_KEY = os.environ["CHAUKAS_API_KEY"]


def build_events():
    """A realistic agent run, built with the SDK's own EventBuilder."""
    b = EventBuilder()
    session = "sess-e2e"
    start = b.create_session_start(session_id=session, metadata={"user": "ünïcode ✓", "attempt": 1})
    batch = [
        b.create_agent_start(agent_id="agent-1", agent_name="planner", role="planner",
                             instructions="Plan the trip", tools=["search", "book"]),
        b.create_input_received(content="What is the weather in Oslo?", agent_id="agent-1",
                                agent_name="planner", metadata={"channel": "chat"}),
        b.create_model_invocation_start(provider="openai", model="gpt-4o",
                                        messages=[{"role": "user", "content": "weather Oslo"}],
                                        agent_id="agent-1", temperature=0.2, max_tokens=256),
        b.create_tool_call_start(tool_name="search", arguments={"q": "Oslo", "limit": 3,
                                                                "filters": {"units": "metric"},
                                                                "langs": ["no", "en"], "x": None},
                                 call_id="call-1", agent_id="agent-1"),
        b.create_tool_call_end(tool_name="search", call_id="call-1", output={"temp_c": -3.5},
                               execution_time_ms=12.5, agent_id="agent-1"),
        b.create_model_invocation_end(provider="openai", model="gpt-4o", response_content="-3.5 °C",
                                      finish_reason="stop", prompt_tokens=11, completion_tokens=5,
                                      total_tokens=16, duration_ms=420.0, agent_id="agent-1"),
        b.create_policy_decision(policy_id="pii", outcome="allow", rule_ids=["r1", "r2"],
                                 rationale="no PII"),
        b.create_data_access(datasource="kb", document_ids=["d1"], chunk_ids=["c1", "c2"],
                             pii_categories=["email"]),
        b.create_error(error_message="rate limited", error_code="429", recoverable=True,
                       recovery_action="retry"),
        b.create_output_emitted(content="It is -3.5 °C in Oslo.", agent_id="agent-1"),
        b.create_session_end(session_id=session, metadata={"turns": 1}),
    ]
    return start, batch


async def send(start, batch):
    """Sends with the SDK's ChaukasClient; returns the (path, status) of each POST."""
    seen = []

    async def on_response(response):
        seen.append((response.request.url.path, response.status_code))

    # batch_size above what we send: nothing flushes until we ask.
    client = ChaukasClient(batch_size=1000)
    client._client.event_hooks = {"request": [], "response": [on_response]}
    await client.send_event(start)
    await client.flush()
    await client.send_events(batch)
    await client.flush()
    await client.send_event(start)  # a retry of an event already stored
    await client.flush()
    # The SDK re-queues what it failed to send: an empty queue means all were accepted.
    assert not client._events_queue, "the SDK kept %d unsent events" % len(client._events_queue)
    await client.close()
    return seen


async def send_with_wrong_key(event):
    seen = []

    async def on_response(response):
        seen.append((response.request.url.path, response.status_code))

    client = ChaukasClient(api_key="not-the-key", batch_size=1000)
    client._client.event_hooks = {"request": [], "response": [on_response]}
    await client.send_event(event)
    await client.flush()
    assert len(client._events_queue) == 1, "a refused event must stay queued in the SDK"
    client._events_queue.clear()  # so close() does not retry it
    await client.close()
    return seen


def read_back(grpc_addr):
    """Every event of the tenant, oldest first, paging through QueryEvents."""
    channel = grpc.insecure_channel(grpc_addr)
    grpc.channel_ready_future(channel).result(timeout=10)
    stub = client_pb2_grpc.ChaukasClientServiceStub(channel)
    metadata = [("authorization", "Bearer " + API_KEY), ("x-chaukas-tenant", TENANT)]
    events, token = [], ""
    for _ in range(50):
        query = query_pb2.QueryRequest(filter=query_pb2.QueryFilter(tenant_id=TENANT), page_size=4,
                                       page_token=token, order_by_time=query_pb2.SORT_ORDER_ASC)
        page = stub.QueryEvents(client_pb2.QueryEventsRequest(query=query), metadata=metadata,
                                timeout=10).response
        events.extend(page.events)
        token = page.next_page_token
        if not token:
            return events
    raise AssertionError("more than 50 pages")


def diff(a, b):
    da = MessageToDict(a, preserving_proto_field_name=True)
    db = MessageToDict(b, preserving_proto_field_name=True)
    return {k: (da.get(k), db.get(k)) for k in sorted(set(da) | set(db)) if da.get(k) != db.get(k)}


def main():
    grpc_addr = sys.argv[1]
    auth = "--auth" in sys.argv[2:]
    start, batch = build_events()
    sent = [start] + batch

    seen = asyncio.run(send(start, batch))
    assert seen == [("/v1/events", 202), ("/v1/events/batch", 202), ("/v1/events", 202)], seen
    if auth:
        stray = EventBuilder().create_system_event(message="must not be stored")
        refused = asyncio.run(send_with_wrong_key(stray))
        assert refused == [("/v1/events", 401)], refused

    got = read_back(grpc_addr)
    assert len(got) == len(sent), "sent %d events, read back %d" % (len(sent), len(got))
    by_id = {e.event_id: e for e in got}
    for e in sent:
        back = by_id.get(e.event_id)
        assert back is not None, "event %s was not stored" % e.event_id
        assert back == e, "event %s came back different: %r" % (e.event_id, diff(e, back))
    times = [(e.timestamp.seconds, e.timestamp.nanos) for e in got]
    assert times == sorted(times), "SORT_ORDER_ASC pages are not oldest first"

    for e in sent:
        print("SENT " + base64.b64encode(e.SerializeToString()).decode())
    print("ok %d events" % len(sent))


if __name__ == "__main__":
    main()
