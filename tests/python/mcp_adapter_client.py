"""The official MCP Python SDK (`mcp`, pinned) against the Rust MCP adapter and the
reference SRE backend, over Streamable HTTP, with tokens this script signs itself.

    mcp_adapter_client.py keys DIR
        write DIR/jwks.json (an RSA and an EC P-256 public key), the private keys, and
        DIR/seed.json (the backend's seed: written with protobuf's json_format)
    mcp_adapter_client.py run DIR MCP_URL GRPC_ADDR DEAD_MCP_URL
        every check of the adapter (tools, queries, the incident flow and its facts,
        errors, security); DEAD_MCP_URL is an adapter whose backend is down
    mcp_adapter_client.py bench DIR MCP_URL N
        N tool calls of sre.getIncident, printing the round-trip latency per call
    mcp_adapter_client.py token DIR [TENANT]
        print a valid token (tenant acme, or the tenantId claim TENANT exactly as given,
        scope mcp:tools) for other clients

Every check raises on failure; `run` prints one `ok <check>` line per passed check.
"""
import asyncio
import base64
import hashlib
import hmac
import json
import pathlib
import sys
import time

import grpc
import httpx2
import jsonschema
import jwt
import protovalidate
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from google.protobuf import json_format
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from mcp import Client, MCPError
from mcp.client.streamable_http import streamable_http_client

import protoc_stubs

_STUBS = []


def stubs():
    """Compiles proto/ameide_core_proto/sre once (protoc from grpcio-tools)."""
    if not _STUBS:
        _STUBS.append(protoc_stubs.load(["ameide_core_proto/sre"]))


ISSUER = "https://idp.example.test/realms/ameide"
AUDIENCE = "ameide-mcp-adapter"
ALLOWED_ORIGIN = "http://allowed.example.test"
TENANT_A, TENANT_B = "acme", "globex"
ROOT = pathlib.Path(__file__).resolve().parents[2]


def pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def keys(d):
    d = pathlib.Path(d)
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwks = {"keys": []}
    for kid, alg, key, algorithm in [("rsa-1", "RS256", rsa_key, RSAAlgorithm), ("ec-1", "ES256", ec_key, ECAlgorithm)]:
        jwk = algorithm.to_jwk(key.public_key(), as_dict=True)
        jwk.update(kid=kid, alg=alg, use="sig")
        jwks["keys"].append(jwk)
    (d / "jwks.json").write_text(json.dumps(jwks))
    for name, key in [("rsa", rsa_key), ("ec", ec_key), ("stranger", stranger)]:
        (d / f"{name}.pem").write_bytes(pem(key))
    (d / "seed.json").write_text(json.dumps(seed()))


def seed():
    """Tenant A has one or two of every aggregate; tenant B has none. Written by Python's
    json_format, read by the Rust crates' serde."""
    stubs()
    from google.protobuf import timestamp_pb2
    from ameide_core_proto.sre.core.v1 import (alert_pb2, health_pb2, incident_pb2, postmortem_pb2,
                                               runbook_pb2, service_pb2, slo_pb2, sre_pb2)

    def js(message):
        return json_format.MessageToDict(message)

    return {TENANT_A: {
        "incidents": [js(incident_pb2.Incident(incident_id="inc-old", title="Disk full on db-1",
                                               status=sre_pb2.INCIDENT_STATUS_OPEN, severity=sre_pb2.SEVERITY_LOW))],
        "alerts": [js(alert_pb2.Alert(alert_id="alert-1", name="HighErrorRate", status=sre_pb2.ALERT_STATUS_FIRING,
                                      labels={"service": "api"})),
                   js(alert_pb2.Alert(alert_id="alert-2", name="DiskFull", status=sre_pb2.ALERT_STATUS_RESOLVED))],
        "runbooks": [js(runbook_pb2.Runbook(runbook_id="rb-1", title="Restart api")),
                     js(runbook_pb2.Runbook(runbook_id="rb-2", title="Grow disk"))],
        "slos": [js(slo_pb2.SLO(slo_id="slo-1", name="api availability", target=99.9))],
        "fleetStates": [
            js(health_pb2.FleetState(fleetstate_id="fs-old", environment_id="prod", cluster_id="eu-1",
                                     total_applications=10, healthy_count=7,
                                     timestamp=timestamp_pb2.Timestamp(seconds=1_700_000_000))),
            js(health_pb2.FleetState(fleetstate_id="fs-new", environment_id="prod", cluster_id="eu-1",
                                     total_applications=10, healthy_count=9,
                                     timestamp=timestamp_pb2.Timestamp(seconds=1_700_000_600)))],
        "services": [js(service_pb2.Service(service_id="svc-api", name="api", owner_team="core"))],
        "postmortems": [js(postmortem_pb2.Postmortem(postmortem_id="pm-1", incident_id="inc-old",
                                                     title="Disk full"))],
    }}


class Tokens:
    def __init__(self, d):
        d = pathlib.Path(d)
        self.keys = {name: (d / f"{name}.pem").read_bytes() for name in ["rsa", "ec", "stranger"]}

    def make(self, tenant=TENANT_A, alg="RS256", key=None, kid=None, scope="mcp:tools openid", sub="agent-7",
             **claims):
        now = int(time.time())
        body = {"iss": ISSUER, "aud": [AUDIENCE, "account"], "sub": sub, "tenantId": tenant, "scope": scope,
                "iat": now, "nbf": now - 5, "exp": now + 600}
        body.update(claims)
        body = {k: v for k, v in body.items() if v is not None}
        key = key or ("ec" if alg == "ES256" else "rsa")
        kid = kid or ("ec-1" if alg == "ES256" else "rsa-1")
        return jwt.encode(body, self.keys[key], algorithm=alg, headers={"kid": kid})


    def _claims(self):
        now = int(time.time())
        return {"iss": ISSUER, "aud": AUDIENCE, "sub": "mallory", "tenantId": TENANT_A, "scope": "mcp:tools",
                "iat": now, "exp": now + 600}

    def hs256_with_public_key(self):
        """An HS256 token whose HMAC key is the RSA public key's PEM (a verifier that lets
        the token pick the algorithm would accept it)."""
        public = serialization.load_pem_private_key(self.keys["rsa"], None).public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        head = b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}).encode())
        body = b64url(json.dumps(self._claims()).encode())
        mac = hmac.new(public, f"{head}.{body}".encode(), hashlib.sha256).digest()
        return f"{head}.{body}.{b64url(mac)}"

    def unsigned(self):
        head = b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
        return f"{head}.{b64url(json.dumps(self._claims()).encode())}."


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def connect(url, token=None, headers=None):
    h = dict(headers or {})
    if token:
        h["Authorization"] = f"Bearer {token}"
    return Client(streamable_http_client(url, http_client=httpx2.AsyncClient(headers=h, timeout=30)))


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def ok(name):
    print(f"ok {name}", flush=True)


class Checks:
    def __init__(self, d, url, grpc_addr, dead_url):
        self.d = pathlib.Path(d)
        self.url = url
        self.base = url.rsplit("/mcp", 1)[0]
        self.grpc_addr = grpc_addr
        self.dead_url = dead_url
        self.tokens = Tokens(d)
        self.catalog = json.loads((ROOT / "docs/generated/mcp-tool-catalog.json").read_text())
        self.schemas = {t["name"]: t for c in self.catalog["capabilities"] for t in c["tools"]}

    async def call(self, client, name, args, error=None):
        """Calls a tool; checks `isError` and, for results, the output schema (the client
        validates too). Returns structuredContent or the error text."""
        result = await client.call_tool(name, args)
        if error is None:
            check(not result.is_error, f"{name}({args}) failed: {result.content}")
            data = result.structured_content
            jsonschema.validate(data, self.schemas[name]["outputSchema"])
            check(json.loads(result.content[0].text) == data, f"{name}: text is the structured JSON")
            return data
        check(result.is_error, f"{name}({args}) should fail with {error}: {result}")
        text = result.content[0].text
        check(error in text, f"{name}({args}): {text!r} lacks {error!r}")
        return text

    async def list_tools_equals_catalog(self):
        async with connect(self.url, self.tokens.make(alg="ES256")) as client:
            tools = (await client.list_tools()).tools
        check(len(tools) == len(self.schemas) == 18, f"{len(tools)} tools")
        for tool in tools:
            want = self.schemas[tool.name]
            check(tool.description == want["description"], tool.name)
            check(tool.input_schema == want["inputSchema"], f"{tool.name} inputSchema")
            check(tool.output_schema == want["outputSchema"], f"{tool.name} outputSchema")
            hints = want["hints"]
            a = tool.annotations
            check((a.read_only_hint, a.destructive_hint, a.idempotent_hint, a.open_world_hint) ==
                  (hints["readOnlyHint"], hints["destructiveHint"], hints["idempotentHint"], hints["openWorldHint"]),
                  f"{tool.name} hints")
        check(sorted(t.name for t in tools) == sorted(self.schemas), "names")
        served = httpx2.get(self.base + "/.well-known/mcp-tools.json").json()
        check(served == self.catalog, "the served catalog is the committed one")
        ok("list_tools equals the catalog (18 tools, ES256 token)")

    async def queries(self):
        async with connect(self.url, self.tokens.make()) as a, connect(self.url, self.tokens.make(TENANT_B)) as b:
            cases = [
                ("sre.getIncident", {"incidentId": "inc-old"}, lambda r: r["incident"]["title"] == "Disk full on db-1"),
                ("sre.listOpenIncidents", {}, lambda r: [i["incidentId"] for i in r["incidents"]] == ["inc-old"]),
                ("sre.getAlert", {"alertId": "alert-1"}, lambda r: r["alert"]["labels"] == {"service": "api"}),
                ("sre.listActiveAlerts", {}, lambda r: [x["alertId"] for x in r["alerts"]] == ["alert-1"]),
                ("sre.getRunbook", {"runbookId": "rb-2"}, lambda r: r["runbook"]["title"] == "Grow disk"),
                ("sre.listRunbooks", {}, lambda r: [x["runbookId"] for x in r["runbooks"]] == ["rb-1", "rb-2"]),
                ("sre.getSlo", {"sloId": "slo-1"}, lambda r: r["slo"]["target"] == 99.9),
                ("sre.listSlos", {}, lambda r: len(r["slos"]) == 1),
                ("sre.getCurrentFleetState", {"environmentId": "prod", "clusterId": "eu-1"},
                 lambda r: r["fleetState"]["fleetstateId"] == "fs-new"),
                ("sre.getService", {"serviceId": "svc-api"}, lambda r: r["service"]["ownerTeam"] == "core"),
                ("sre.listServices", {}, lambda r: [s["serviceId"] for s in r["services"]] == ["svc-api"]),
                ("sre.getPostmortem", {"postmortemId": "pm-1"}, lambda r: r["postmortem"]["incidentId"] == "inc-old"),
                ("sre.listPostmortemsByIncident", {"incidentId": "inc-old"},
                 lambda r: [p["postmortemId"] for p in r["postmortems"]] == ["pm-1"]),
            ]
            queries = {n for n, t in self.schemas.items() if t["cqrs_side"] == "query"}
            check({c[0] for c in cases} == queries, f"every query tool has a case: {queries ^ {c[0] for c in cases}}")
            for name, args, expect in cases:
                got = await self.call(a, name, args)
                check(expect(got), f"{name}({args}) with results: {got}")
                # Without results: tenant B has nothing (a get is NOT_FOUND, a list is empty).
                if name.split(".")[1].startswith("get"):
                    await self.call(b, name, args, error="NOT_FOUND")
                else:
                    got = await self.call(b, name, args)
                    check(all(not v for k, v in got.items()), f"{name} for tenant B: {got}")
            # A list without results for tenant A too, and paging.
            got = await self.call(a, "sre.listPostmortemsByIncident", {"incidentId": "inc-none"})
            check(got.get("postmortems", []) == [], got)
            first = await self.call(a, "sre.listRunbooks", {"pageSize": 1})
            second = await self.call(a, "sre.listRunbooks", {"pageSize": 1, "pageToken": first["nextPageToken"]})
            check([first["runbooks"][0]["runbookId"], second["runbooks"][0]["runbookId"]] == ["rb-1", "rb-2"]
                  and not second.get("nextPageToken"), "paging")
        ok(f"every query tool ({len(cases)}) with and without results")

    def grpc_stub(self):
        stubs()
        from ameide_core_proto.sre.core.v1 import query_pb2, query_pb2_grpc
        return query_pb2, query_pb2_grpc.IncidentServiceStub(grpc.insecure_channel(self.grpc_addr))

    def facts(self):
        stubs()
        from ameide_core_proto.sre.core.v1 import facts_pb2
        data = (self.d / "facts.log").read_bytes()
        out, at = [], 0
        deserialize = ProtobufDeserializer(facts_pb2.SreDomainFact, {"use.deprecated.format": False})
        while at < len(data):
            n = int.from_bytes(data[at:at + 4], "big")
            out.append(deserialize(data[at + 4:at + 4 + n],
                                   SerializationContext("sre.domain.facts.v1", MessageField.VALUE)))
            at += 4 + n
        return out

    async def incident_flow(self):
        stubs()
        from ameide_core_proto.sre.core.v1 import sre_pb2
        before = len(self.facts())
        async with connect(self.url, self.tokens.make()) as client:
            created = await self.call(client, "sre.createIncident",
                                      {"incident": {"title": "API 5xx", "severity": "SEVERITY_HIGH"}})
            iid = created["incident"]["incidentId"]
            check(iid.startswith("inc-") and created["incident"]["status"] == "INCIDENT_STATUS_OPEN", created)

            async def status():
                return (await self.call(client, "sre.getIncident", {"incidentId": iid}))["incident"]

            check((await status())["status"] == "INCIDENT_STATUS_OPEN", "open")
            await self.call(client, "sre.acknowledgeIncident", {"incidentId": iid, "note": "looking"})
            check((await status())["status"] == "INCIDENT_STATUS_ACKNOWLEDGED", "acknowledged")
            await self.call(client, "sre.assignIncident",
                            {"incidentId": iid, "assignee": {"kind": "ACTOR_KIND_HUMAN", "id": "bob"}})
            check((await status())["assignedTo"] == {"kind": "ACTOR_KIND_HUMAN", "id": "bob"}, "assigned")
            await self.call(client, "sre.addIncidentTimelineEntry",
                            {"incidentId": iid, "entry": {"kind": "INCIDENT_TIMELINE_ENTRY_KIND_NOTE",
                                                          "text": "rolled back"}})
            check([e["text"] for e in (await status())["timeline"]] == ["rolled back"], "timeline")
            # Resolving an acknowledged incident skips steps: a tool error naming the state.
            await self.call(client, "sre.resolveIncident", {"incidentId": iid, "resolution": "rollback"},
                            error="FAILED_PRECONDITION: Incident cannot go from INCIDENT_STATUS_ACKNOWLEDGED "
                                  "to INCIDENT_STATUS_RESOLVED")
            # The intermediate moves are not tools (default-deny): the operator makes them over gRPC.
            with_error = None
            try:
                await client.call_tool("sre.transitionIncidentStatus", {"incidentId": iid})
            except MCPError as e:
                with_error = e
            check(with_error is not None and "unknown tool" in with_error.message, "transition is not a tool")
            pb, stub = self.grpc_stub()
            for to in [sre_pb2.INCIDENT_STATUS_INVESTIGATING, sre_pb2.INCIDENT_STATUS_MITIGATING]:
                stub.TransitionIncidentStatus(pb.TransitionIncidentStatusRequest(tenant_id=TENANT_A, incident_id=iid,
                                                                                 status=to),
                                              metadata=[("x-tenant-id", TENANT_A), ("x-actor-id", "operator")])
            check((await status())["status"] == "INCIDENT_STATUS_MITIGATING", "mitigating")
            resolved = await self.call(client, "sre.resolveIncident", {"incidentId": iid, "resolution": "rollback"})
            check(resolved["incident"]["status"] == "INCIDENT_STATUS_RESOLVED", resolved)
            check((await status())["status"] == "INCIDENT_STATUS_RESOLVED", "resolved")
        facts = [f for f in self.facts()[before:] if f.subject.aggregate_id == iid]
        kinds = [f.WhichOneof("fact") for f in facts]
        check(kinds == ["incident_created", "incident_acknowledged", "incident_assigned",
                        "incident_timeline_entry_added", "incident_status_changed", "incident_status_changed",
                        "incident_resolved"], kinds)
        check([f.subject.aggregate_version for f in facts] == list(range(1, 8)), "versions")
        check(all(f.meta.tenant_id == TENANT_A and f.meta.schema_version for f in facts), "tenant on every fact")
        # Every fact the backend emitted keeps the contract, as Python protovalidate reads it.
        for f in facts:
            found = protovalidate.collect_violations(f)
            check(not found, f"fact breaks the contract: {[v.proto.rule_id for v in found]}")
        by_mcp = [f for f in facts if f.meta.actor.id == "agent-7"]
        check(len(by_mcp) == 5 and all(f.meta.actor.kind == sre_pb2.ACTOR_KIND_AGENT for f in by_mcp), "actors")
        check(facts[2].incident_assigned.assignee.id == "bob", "assigned fact")
        check(facts[6].incident_resolved.previous_status == sre_pb2.INCIDENT_STATUS_MITIGATING
              and facts[6].incident_resolved.resolution == "rollback", "resolved fact")
        ok("createIncident, acknowledge, assign, resolve: every step read back and every fact in the log")
        return iid

    async def errors(self):
        async with connect(self.url, self.tokens.make()) as client:
            await self.call(client, "sre.getIncident", {"incidentId": "inc-missing"},
                            error='NOT_FOUND: incident "inc-missing" does not exist')
            await self.call(client, "sre.acknowledgeIncident", {"incidentId": "inc-missing"}, error="NOT_FOUND")
            await self.call(client, "sre.createIncident", {"incident": {"title": "x", "severity": "SEVERITY_HUGE"}},
                            error="incident.severity")
            await self.call(client, "sre.getIncident", {"incidentId": 42}, error="incidentId")
            await self.call(client, "sre.getIncident", {"incidentID": "inc-old"}, error="incidentID")
            await self.call(client, "sre.createIncident", {"incident": {"title": " ", "severity": "SEVERITY_LOW"}},
                            error="INVALID_ARGUMENT: incident.title")
        ok("errors: unknown incident, invalid transition (above), bad arguments name the field")

    async def contract(self):
        """Arguments that break the contract's buf.validate rules: the schema says so before
        the call, and the call is a tool error listing every violation (text and
        structuredContent), not a crash and not a backend lookup."""
        schema = self.schemas["sre.getCurrentFleetState"]["inputSchema"]
        check(schema.get("required") == ["environmentId", "clusterId"], f"required: {schema.get('required')}")
        try:
            jsonschema.validate({}, schema)
            check(False, "{} passes the inputSchema")
        except jsonschema.ValidationError as e:
            check("required" in e.message, e.message)
        create = self.schemas["sre.createIncident"]["inputSchema"]
        severities = create["properties"]["incident"]["properties"]["severity"]["enum"]
        check("SEVERITY_UNSPECIFIED" not in severities and "SEVERITY_LOW" in severities, severities)
        async with connect(self.url, self.tokens.make()) as client:
            result = await client.call_tool("sre.getCurrentFleetState", {})
            check(result.is_error, f"{{}} should be refused: {result}")
            found = {(v["field"], v["rule"]) for v in result.structured_content["violations"]}
            check(found == {("environment_id", "required"), ("cluster_id", "required")}, found)
            text = result.content[0].text
            check("environment_id: value is required [required]" in text, text)
            result = await client.call_tool("sre.listRunbooks", {"pageSize": 5000, "pageToken": "x" * 2000})
            found = {(v["field"], v["rule"], v["message"]) for v in result.structured_content["violations"]}
            check(result.is_error and found == {
                ("page_size", "int32.gte_lte", "must be greater than or equal to 0 and less than or equal to 1000"),
                ("page_token", "string.max_len", "must be at most 1024 characters")}, found)
            result = await client.call_tool("sre.createIncident", {"incident": {"title": "x"}})
            found = {(v["field"], v["rule"]) for v in result.structured_content["violations"]}
            check(result.is_error and found == {("incident.severity", "enum.not_in")}, found)
        ok("contract: required arguments in the schema; violations are tool errors naming every field")

    def post(self, token=None, body=None, headers=None):
        h = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
        if token:
            h["Authorization"] = f"Bearer {token}"
        h.update(headers or {})
        body = body if body is not None else json.dumps(
            {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}).encode()
        return httpx2.post(self.url, content=body, headers=h, timeout=30)

    async def security(self, iid):
        t = self.tokens
        prm_url = f'{self.base}/.well-known/oauth-protected-resource'
        refused = {
            "no token": None,
            "bad signature": t.make(key="stranger"),
            "wrong audience": t.make(aud="someone-else"),
            "wrong issuer": t.make(iss="https://evil.example.test"),
            "expired": t.make(exp=int(time.time()) - 3600, nbf=int(time.time()) - 7200),
            "not yet valid": t.make(nbf=int(time.time()) + 3600),
            "no tenant": t.make(tenantId=None),
            "garbage": "not.a.jwt",
            "HS256 keyed with the public key (algorithm confusion)": t.hs256_with_public_key(),
            "alg none": t.unsigned(),
        }
        for what, token in refused.items():
            r = self.post(token)
            check(r.status_code == 401, f"{what}: {r.status_code}")
            www = r.headers.get("www-authenticate", "")
            check(www.startswith(f'Bearer resource_metadata="{prm_url}"'), f"{what}: {www}")
        # The MCP client itself sees the 401 too.
        failed = False
        try:
            async with connect(self.url) as client:
                await client.list_tools()
        except Exception:
            failed = True
        check(failed, "the client without a token fails")
        ok("no token, bad signature, wrong audience, wrong issuer, expired: 401 with WWW-Authenticate")

        async with connect(self.url, t.make(scope="openid profile")) as client:
            for call in [client.list_tools(), client.call_tool("sre.getIncident", {"incidentId": "inc-old"})]:
                try:
                    await call
                    raise AssertionError("a token without mcp:tools was served")
                except MCPError as e:
                    check((e.code, e.message) == (-32001, "insufficient_scope"), f"{e.code} {e.message}")
        ok("missing scope: -32001 insufficient_scope")

        good = t.make()
        check(self.post(good, headers={"Origin": "http://evil.example.test"}).status_code == 403, "bad origin")
        check(self.post(good, headers={"Origin": ALLOWED_ORIGIN}).status_code == 200, "allowed origin")
        check(self.post(good).status_code == 200, "no origin")
        ok("disallowed Origin: 403 (allowed and missing Origin pass)")

        big = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                          "params": {"name": "sre.getIncident", "arguments": {"incidentId": "x" * (2 << 20)}}})
        r = self.post(good, body=big.encode())
        check(r.status_code == 413, f"oversized body: {r.status_code}")
        ok("oversized body: 413")

        facts_before = len(self.facts())
        async with connect(self.url, t.make(TENANT_B, sub="intruder")) as b, connect(self.url, t.make()) as a:
            before = await self.call(a, "sre.getIncident", {"incidentId": iid})
            await self.call(b, "sre.getIncident", {"incidentId": iid}, error="NOT_FOUND")
            await self.call(b, "sre.acknowledgeIncident", {"incidentId": "inc-old"}, error="NOT_FOUND")
            await self.call(b, "sre.addIncidentTimelineEntry", {"incidentId": iid, "entry": {"text": "pwned"}},
                            error="NOT_FOUND")
            await self.call(b, "sre.getIncident", {"incidentId": iid, "tenantId": TENANT_A},
                            error='tenantId: filled from the caller\'s token (tenant "globex")')
            await self.call(b, "sre.createIncident", {"tenantId": TENANT_A, "incident": {"title": "x"}},
                            error="tenantId")
            listed = await self.call(b, "sre.listOpenIncidents", {})
            check(not listed.get("incidents"), f"tenant B lists {listed}")
            after = await self.call(a, "sre.getIncident", {"incidentId": iid})
            check(before == after, "tenant A's incident unchanged")
        check(len(self.facts()) == facts_before, "no fact from tenant B's attempts")
        ok("a tenant-B token cannot read or change tenant A's incidents")

        prm = httpx2.get(prm_url).json()
        check(prm == {"resource": self.url, "authorization_servers": [ISSUER],
                      "scopes_supported": ["mcp:tools", "mcp:resources", "openid", "profile"],
                      "bearer_methods_supported": ["header"]}, prm)
        ok("the Protected Resource Metadata document")

    async def unavailable(self):
        async with connect(self.dead_url, self.tokens.make()) as client:
            try:
                await client.call_tool("sre.getIncident", {"incidentId": "inc-old"})
                raise AssertionError("a call with the backend down succeeded")
            except MCPError as e:
                check(e.code == -32603 and "UNAVAILABLE" in e.message, f"{e.code} {e.message}")
        ok("backend down: UNAVAILABLE is a JSON-RPC error")


async def run(d, url, grpc_addr, dead_url):
    c = Checks(d, url, grpc_addr, dead_url)
    await c.list_tools_equals_catalog()
    await c.queries()
    iid = await c.incident_flow()
    await c.errors()
    await c.contract()
    await c.security(iid)
    await c.unavailable()


async def bench(d, url, n):
    tokens = Tokens(d)
    async with connect(url, tokens.make()) as client:
        for _ in range(20):  # warm up
            await client.call_tool("sre.getIncident", {"incidentId": "inc-old"})
        samples = []
        for _ in range(n):
            start = time.perf_counter()
            result = await client.call_tool("sre.getIncident", {"incidentId": "inc-old"})
            samples.append(time.perf_counter() - start)
            if result.is_error:
                raise AssertionError(result.content)
    samples.sort()
    print(json.dumps({"calls": n, "p50_ms": samples[n // 2] * 1e3, "p90_ms": samples[n * 9 // 10] * 1e3,
                      "p99_ms": samples[min(n - 1, n * 99 // 100)] * 1e3, "min_ms": samples[0] * 1e3}))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "keys":
        keys(*args)
    elif cmd == "run":
        asyncio.run(run(*args))
    elif cmd == "token":
        # token DIR [TENANT]: a valid token (tenant acme unless TENANT is given, as is).
        print(Tokens(args[0]).make(*args[1:2]))
    elif cmd == "bench":
        asyncio.run(bench(args[0], args[1], int(args[2])))
    else:
        raise SystemExit(__doc__)
