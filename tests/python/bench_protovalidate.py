"""Python protovalidate on one SRE fact of the Kafka bench's shape: the reference
runtime's cost per check, for scale (README, Benchmarks). Not a test, not in CI:

    PYTHONPATH=tests/python target/interop-venv/bin/python tests/python/bench_protovalidate.py
"""
import time

import protoc_stubs

protoc_stubs.load(["ameide_core_proto/sre"])

import protovalidate  # noqa: E402
from ameide_core_proto.sre.core.v1 import facts_pb2, sre_pb2  # noqa: E402


def fact():
    f = facts_pb2.SreDomainFact()
    m = f.meta
    m.message_id = "0190f1c2-0000-7000-8000-000000000000"
    m.schema_version = "v1.0.0"
    m.tenant_id = "acme"
    m.occurred_at.seconds = 1700000000
    m.producer = "urn:ameide:bench"
    m.correlation_id = "flow-1"
    m.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    f.subject.aggregate_type = "Incident"
    f.subject.aggregate_id = "inc-1"
    f.subject.aggregate_version = 1
    incident = f.incident_created.incident
    incident.incident_id = "inc-1"
    incident.title = "checkout latency above SLO"
    incident.description = "a longer run of plain words " * 4
    incident.severity = sre_pb2.SEVERITY_HIGH
    r = incident.affected_resources.add()
    r.type, r.id, r.namespace, r.cluster, r.environment = "Deployment", "checkout", "shop", "eu-1", "prod"
    f.incident_created.aggregate_version = 1
    return f


def main():
    f = fact()
    validator = protovalidate.Validator()
    assert not validator.collect_violations(f), "the fact keeps the contract"
    rounds, n = [], 20000
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(n):
            validator.collect_violations(f)
        rounds.append((time.perf_counter() - t) / n * 1e6)
    rounds.sort()
    print("Python protovalidate: median %.2f us per check (range %.2f-%.2f, 5 rounds of %d)"
          % (rounds[2], rounds[0], rounds[-1], n))


main()
