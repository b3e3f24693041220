"""Issue 12 row 3: what Python protobuf sends for `Event(type=3)` (an enum number the
schema does not know: proto3 enums are open), as an `IngestEventRequest`.

Prints the request's bytes as hex, then Python's proto3 JSON of the event (upb writes
the unknown number as a number).
"""

import sys

from google.protobuf import json_format

from chaukas.spec.common.v1 import events_pb2
from chaukas.spec.server.v1 import server_pb2


def main() -> None:
    event = events_pb2.Event(event_id="py-enum", tenant_id="t-py-enum", type=3, severity=77)
    request = server_pb2.IngestEventRequest(event=event)
    print(request.SerializeToString(deterministic=True).hex())
    print(json_format.MessageToJson(event, indent=None))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
