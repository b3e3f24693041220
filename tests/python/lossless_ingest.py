"""A newer Chaukas producer against the reference ingest server (tests/tests/chaukas_ingest_server.rs).

    lossless_ingest.py <http host:port> <grpc host:port> <descriptors.bin> <seed>

Builds a newer schema from the crates' descriptors at run time (lossless_differential.py:
fields of random types added to random messages, `Event` and `ToolCall` among them,
plus one known extra field on each, as in issue 13), then:

1. POSTs a binary `IngestEventRequest` (HTTP, `application/x-protobuf`) holding a
   `tool_call` event with every added field of `Event`, `ToolCall` and what they hold;
2. POSTs a binary `IngestEventBatchRequest` with two such events;
3. sends one over gRPC `IngestEvent` and one in an `IngestEventBatch`, to each of the
   two services (`ChaukasServerService`, `ChaukasClientService`);
4. reads all seven back over gRPC `QueryEvents` of both services, parsing the answers
   with the newer schema, and requires each to equal what was sent, field for field.
"""
import random
import sys
import urllib.request

import grpc
from google.protobuf import descriptor_pb2, message_factory
from google.protobuf.descriptor import FieldDescriptor as F

import lossless_differential as ld

TENANT = "tenant-lossless"


def newer(files, seed):
    # The two fields of the report, then random ones everywhere.
    for f in files.values():
        for m in f.message_type:
            if f.package == "chaukas.spec.common.v1" and m.name == "Event":
                m.field.add(name="newer_note", number=900, label=1, type=9)
            if f.package == "chaukas.spec.common.v1" and m.name == "ToolCall":
                m.field.add(name="newer_risk", number=901, label=1, type=1)
    return ld.newer_pool(files, seed)


def fill_added(rng, msg, depth=0):
    """Sets every added field of msg, and recurses into the known submessages set."""
    for f in msg.DESCRIPTOR.fields:
        if ld.is_added(f):
            one = type(msg)()
            # Reuse the differential filler on a scratch message, keeping only f.
            for _ in range(50):
                ld.fill(rng, one, depth + 1 if depth < 3 else 5)
                if f.is_repeated and len(getattr(one, f.name)) or (
                        not f.is_repeated and (f.type != F.TYPE_MESSAGE or one.HasField(f.name))
                        and getattr(one, f.name) not in ("", 0, False, b"")):
                    break
            if f.is_repeated:
                getattr(msg, f.name).MergeFrom(getattr(one, f.name))
            elif f.type == F.TYPE_MESSAGE:
                getattr(msg, f.name).CopyFrom(getattr(one, f.name))
            else:
                setattr(msg, f.name, getattr(one, f.name))
    for f, value in msg.ListFields():
        if f.type == F.TYPE_MESSAGE and not ld.is_added(f) and not f.is_repeated \
                and f.message_type.full_name not in ld.LEAVES:
            fill_added(rng, value, depth + 1)


def event(pool, rng, event_id):
    cls = message_factory.GetMessageClass(pool.FindMessageTypeByName("chaukas.spec.common.v1.Event"))
    e = cls()
    e.event_id = event_id
    e.tenant_id = TENANT
    e.project_id = "proj-lossless"
    e.session_id = "sess-lossless"
    e.timestamp.seconds = 1_700_000_000 + rng.randint(0, 1000)
    e.tool_call.id = "call-" + event_id
    e.tool_call.name = "lookup"
    e.tool_call.arguments.fields["q"].string_value = "rust"
    fill_added(rng, e)
    e.newer_note = "from a newer producer"
    e.tool_call.newer_risk = 0.75
    return e


def post(http, path, body):
    req = urllib.request.Request("http://%s%s" % (http, path), data=body, method="POST",
                                 headers={"Content-Type": "application/x-protobuf",
                                          "X-Chaukas-Tenant": TENANT})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status == 202, (path, r.status, r.read())


def main():
    http, grpc_addr, desc_path, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    pool = newer(ld.load_files(desc_path), seed)
    rng = random.Random(seed)
    cls = lambda name: message_factory.GetMessageClass(pool.FindMessageTypeByName(name))
    sent = {}

    one = event(pool, rng, "lossless-http-1")
    sent[one.event_id] = one
    req = cls("chaukas.spec.client.v1.IngestEventRequest")()
    req.event.CopyFrom(one)
    post(http, "/v1/events", req.SerializeToString())

    batch = cls("chaukas.spec.client.v1.IngestEventBatchRequest")()
    batch.event_batch.batch_id = "batch-lossless"
    for i in (2, 3):
        e = event(pool, rng, "lossless-batch-%d" % i)
        sent[e.event_id] = e
        batch.event_batch.events.add().CopyFrom(e)
    post(http, "/v1/events/batch", batch.SerializeToString())

    channel = grpc.insecure_channel(grpc_addr)
    meta = [("x-chaukas-tenant", TENANT)]
    raw = lambda path: channel.unary_unary(path, request_serializer=lambda b: b,
                                           response_deserializer=lambda b: b)
    grpc_sent = 0
    for package, service in (("chaukas.spec.server.v1", "ChaukasServerService"),
                             ("chaukas.spec.client.v1", "ChaukasClientService")):
        path = "/%s.%s/" % (package, service)
        g = event(pool, rng, "lossless-grpc-%s-event" % service)
        sent[g.event_id] = g
        ingest = cls(package + ".IngestEventRequest")()
        ingest.event.CopyFrom(g)
        answer = cls(package + ".IngestEventResponse").FromString(
            raw(path + "IngestEvent")(ingest.SerializeToString(), metadata=meta, timeout=30))
        if package.endswith("server.v1"):
            assert answer.status == "accepted", answer
        b = event(pool, rng, "lossless-grpc-%s-batch" % service)
        sent[b.event_id] = b
        batch = cls(package + ".IngestEventBatchRequest")()
        batch.event_batch.batch_id = "batch-grpc-" + service
        batch.event_batch.events.add().CopyFrom(b)
        answer = cls(package + ".IngestEventBatchResponse").FromString(
            raw(path + "IngestEventBatch")(batch.SerializeToString(), metadata=meta, timeout=30))
        if package.endswith("server.v1"):
            assert answer.accepted_count == 1, answer
        grpc_sent += 2
    assert grpc_sent == 4

    added = sorted(set(p for e in sent.values() for p in ld.added_paths(e)))
    assert "tool_call[0].newer_risk" in added and "newer_note" in added, added
    for service in ("chaukas.spec.server.v1.ChaukasServerService", "chaukas.spec.client.v1.ChaukasClientService"):
        package = service.rsplit(".", 1)[0]
        q = cls(package + ".QueryEventsRequest")()
        q.query.filter.tenant_id = TENANT
        q.query.page_size = 100
        body = raw("/%s/QueryEvents" % service)(q.SerializeToString(), metadata=meta, timeout=30)
        got = cls(package + ".QueryEventsResponse").FromString(body).response.events
        got = {e.event_id: e for e in got}
        assert sorted(got) == sorted(sent), (service, sorted(got))
        for event_id, e in sent.items():
            if got[event_id] != e:
                missing = sorted(set(ld.added_paths(e)) - set(ld.added_paths(got[event_id])))
                raise SystemExit("%s: %s came back without %s" % (service, event_id, missing or "(a known field differs)"))
    print("ok %d events read back over gRPC with all %d added fields (%s)"
          % (len(sent), len(added), ", ".join(added[:6]) + ", ..."))


if __name__ == "__main__":
    main()
