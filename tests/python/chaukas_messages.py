"""Chaukas message fixtures from the published packages (chaukas-spec-client/server
1.0.5), and verification of what Rust made of them.

usage: chaukas_messages.py emit|verify DIR
"""
import sys

from chaukas.spec.common.v1 import events_pb2, query_pb2
from chaukas.spec.client.v1 import client_pb2
from chaukas.spec.server.v1 import server_pb2

import message_fixtures

CLASSES = list(message_fixtures.classes_of([events_pb2, query_pb2, client_pb2, server_pb2]))
# Message types an Any may carry in the fixtures (registered on the Rust side too).
ANY_TYPES = [events_pb2.ToolCall, events_pb2.ErrorInfo]

if __name__ == "__main__":
    command, out = sys.argv[1], sys.argv[2]
    if command == "emit":
        message_fixtures.emit(out, CLASSES, "chaukas.spec.", ANY_TYPES)
    else:
        message_fixtures.verify(out, CLASSES, ANY_TYPES)
