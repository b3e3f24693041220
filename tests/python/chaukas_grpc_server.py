"""A grpcio server (published chaukas stubs) for the Rust tonic client tests.

Prints `PORT <n>` once listening; serves until its standard input closes.
"""
import sys
from concurrent import futures

import grpc

from chaukas.spec.client.v1 import client_pb2, client_pb2_grpc
from chaukas.spec.common.v1 import events_pb2, query_pb2
from chaukas.spec.server.v1 import server_pb2, server_pb2_grpc

STORE = []


def query(request):
    tenant = request.query.filter.tenant_id
    matching = [e for e in STORE if not tenant or e.tenant_id == tenant]
    size = request.query.page_size or len(matching)
    return query_pb2.QueryResponse(events=matching[:size], next_page_token="more" if size < len(matching) else "")


class Server(server_pb2_grpc.ChaukasServerServiceServicer):
    def Healthz(self, request, context):
        return server_pb2.HealthzResponse()

    def GetCapabilities(self, request, context):
        return server_pb2.GetCapabilitiesResponse(
            capabilities=query_pb2.Capabilities(worm_retention=True, audit_proofs=True, sso=True))

    def IngestEvent(self, request, context):
        if request.event.tenant_id == "blocked":
            context.abort(grpc.StatusCode.PERMISSION_DENIED, "tenant blocked may not ingest (ünïcode)")
        STORE.append(request.event)
        return server_pb2.IngestEventResponse(event_id=request.event.event_id, status="stored-by-python",
                                              processed_at=1_700_000_000_000 + len(STORE))

    def IngestEventBatch(self, request, context):
        ok = [e for e in request.event_batch.events if e.tenant_id]
        bad = [e.event_id for e in request.event_batch.events if not e.tenant_id]
        STORE.extend(ok)
        return server_pb2.IngestEventBatchResponse(batch_id=request.event_batch.batch_id, accepted_count=len(ok),
                                                   rejected_count=len(bad), rejected_event_ids=bad)

    def QueryEvents(self, request, context):
        return server_pb2.QueryEventsResponse(response=query(request))

    def GetEventStats(self, request, context):
        r = server_pb2.GetEventStatsResponse()
        for e in STORE:
            if e.tenant_id == request.tenant_id:
                r.total_events += 1
                name = events_pb2.EventType.Name(e.type)
                r.events_by_type[name] = r.events_by_type[name] + 1
        r.total_sessions = len({e.session_id for e in STORE if e.tenant_id == request.tenant_id})
        return r


class Client(client_pb2_grpc.ChaukasClientServiceServicer):
    def Healthz(self, request, context):
        return client_pb2.HealthzResponse()

    def QueryEvents(self, request, context):
        return client_pb2.QueryEventsResponse(response=query(request))

    def IngestEvent(self, request, context):
        STORE.append(request.event)
        return client_pb2.IngestEventResponse()


def main():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    server_pb2_grpc.add_ChaukasServerServiceServicer_to_server(Server(), server)
    client_pb2_grpc.add_ChaukasClientServiceServicer_to_server(Client(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print("PORT %d" % port, flush=True)
    sys.stdin.read()
    server.stop(grace=1)


main()
