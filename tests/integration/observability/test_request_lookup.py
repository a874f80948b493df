"""``GET /requests/{id}`` of a real gateway in front of the four real subgraphs over HTTP: a
GraphQL request (one subgraph unreachable) and a REST request, looked up by their
``X-Request-ID``, show the plan, a fetch timing per subgraph called, the status, the errors and
the variables redacted; only their own client reads them (docs/observability.md "Request
lookup"). ``production`` keeps the records in Redis, ``embedded`` in process."""

from __future__ import annotations

import asyncio
import socket
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import jwt
import yaml
from stack_gateway import WRITER_SCOPES, Deployment, serve_gateway

from gateway.auth import generate_api_key, hash_api_key
from gateway.auth.demo import DEMO_AUDIENCE, DEMO_ISSUER, demo_issuer_settings
from gateway.observability.lookup.query import READ_ANY_SCOPE
from gateway.settings import GatewaySettings

REPO = Path(__file__).resolve().parents[3]
ROUTES = REPO / "persisted_queries" / "rest-routes.yaml"
SECRET = "s3cret-search-Zq81"

LOOKUP_ORDERS = """
query LookupOrders($first: Int!, $search: String) {
  orders(first: $first) { edges { node { number lines { sku product { name } } } } }
  products(first: 1, search: $search) { edges { node { sku } } }
}"""


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/graphql"


class Keys:
    """Three API keys: the writer (client ``test-writer``), another client, an operator."""

    def __init__(self) -> None:
        self.writer = generate_api_key()
        self.other = generate_api_key()
        self.admin = generate_api_key()

    def file(self, directory: Path) -> Path:
        """The key file of the three."""
        entries = [
            {"id": "w", "hash": hash_api_key(self.writer), "client_id": "test-writer"},
            {"id": "o", "hash": hash_api_key(self.other), "client_id": "other-client"},
            {"id": "a", "hash": hash_api_key(self.admin), "client_id": "operations"},
        ]
        entries[0]["scopes"] = WRITER_SCOPES
        entries[1]["scopes"] = ["orders:read", "inventory:read"]
        entries[2]["scopes"] = [READ_ANY_SCOPE]
        path = directory / "lookup-api-keys.yaml"
        path.write_text(yaml.safe_dump({"keys": entries}), encoding="utf-8")
        return path


def _settings(
    deployment: Deployment, keys: Keys, store: str | None = None, **sections: Any
) -> GatewaySettings:
    """The deployment's settings with the three keys, the repository's REST routes and the
    lookup's records in Redis (production) or in process (embedded) unless ``store`` says."""
    store = store or ("redis" if deployment.uses_redis else "memory")
    auth = {"api_keys": {"file": str(keys.file(deployment.directory))}, **sections.pop("auth", {})}
    observability = {"request_lookup": {"store": store}, **sections.pop("observability", {})}
    return deployment.settings(
        auth=auth,
        observability=observability,
        rest={"routes_file": str(ROUTES)},
        **sections,
    )


async def _lookup(client: httpx.AsyncClient, request_id: str, key: str | None) -> httpx.Response:
    """The lookup, waiting (briefly) for the record written after the response went."""
    headers = {"x-api-key": key} if key is not None else {}
    for _ in range(100):
        answer = await client.get(f"/requests/{request_id}", headers=headers)
        if answer.status_code != 404:
            return answer
        await asyncio.sleep(0.01)
    return answer


async def test_a_graphql_request_with_a_failing_subgraph_is_looked_up_by_its_client(
    deployment: Deployment,
) -> None:
    keys = Keys()
    settings = _settings(deployment, keys, subgraphs={"urls": {"inventory": _closed_port_url()}})
    request_id = f"lookup-{uuid.uuid4().hex}"
    async with serve_gateway(settings) as (client, _):
        answered = await client.post(
            "/graphql",
            json={"query": LOOKUP_ORDERS, "variables": {"first": 2, "search": SECRET}},
            headers={"x-api-key": keys.writer, "x-request-id": request_id},
        )
        own = await _lookup(client, request_id, keys.writer)
        other = await client.get(f"/requests/{request_id}", headers={"x-api-key": keys.other})
        anonymous = await client.get(f"/requests/{request_id}")
        admin = await client.get(f"/requests/{request_id}", headers={"x-api-key": keys.admin})
        unknown = await client.get("/requests/no-such-request", headers={"x-api-key": keys.writer})
    assert answered.status_code == 200
    assert answered.headers["x-request-id"] == request_id
    assert own.status_code == 200, own.text
    record = own.json()
    assert record["requestId"] == request_id
    assert (record["transport"], record["status"], record["client"]) == (
        "graphql",
        200,
        "test-writer",
    )
    assert record["operations"][0]["name"] == "LookupOrders"
    assert len(record["operations"][0]["documentHash"]) == 64
    (plan,) = record["plans"]
    assert plan["queryPlan"].startswith("QueryPlan {")
    assert 'Fetch(service: "orders")' in plan["queryPlan"]
    assert 'service: "inventory"' in plan["queryPlan"]
    assert plan["variableTypes"] == {"first": "Int!", "search": "String"}
    assert plan["variables"] == {"first": "<int>", "search": "<string>"}
    outcomes = {(fetch["subgraph"], fetch["outcome"]) for fetch in record["fetches"]}
    assert ("orders", "ok") in outcomes
    assert ("inventory", "connection_error") in outcomes
    for fetch in record["fetches"]:
        assert fetch["startMs"] >= 0 and fetch["durationMs"] >= 0 and fetch["attempts"] >= 1
    # the errors as the client saw them: the same messages, codes and paths
    seen = [
        {"message": error["message"], "code": error["extensions"]["code"], "path": error["path"]}
        for error in answered.json()["errors"]
        if "path" in error
    ]
    assert seen and all(error in record["errors"] for error in seen)
    assert set(record["errorCodes"]) == {e["extensions"]["code"] for e in answered.json()["errors"]}
    assert SECRET not in own.text and SECRET not in answered.text
    # nobody else learns the record exists; the operator reads it
    assert other.status_code == 404 and other.json()["code"] == "REQUEST_NOT_FOUND"
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "AUTHENTICATION_REQUIRED"
    assert "www-authenticate" in anonymous.headers
    assert admin.status_code == 200 and admin.json()["requestId"] == request_id
    assert unknown.status_code == 404 and unknown.json() | {"instance": ""} == other.json() | {
        "instance": "",
        "requestId": unknown.json()["requestId"],
    }


async def test_a_rest_request_is_looked_up_with_its_plan_and_fetch(
    deployment: Deployment,
) -> None:
    keys = Keys()
    settings = _settings(deployment, keys)
    request_id = f"lookup-rest-{uuid.uuid4().hex}"
    async with serve_gateway(settings) as (client, _):
        listed = await client.post(
            "/graphql",
            json={"query": "{ orders(first: 1) { edges { node { id } } } }"},
            headers={"x-api-key": keys.writer},
        )
        order_id = listed.json()["data"]["orders"]["edges"][0]["node"]["id"]
        found = await client.get(
            f"/api/v1/orders/{order_id}",
            headers={"x-api-key": keys.writer, "x-request-id": request_id},
        )
        own = await _lookup(client, request_id, keys.writer)
        other = await client.get(f"/requests/{request_id}", headers={"x-api-key": keys.other})
    assert found.status_code == 200, found.text
    assert own.status_code == 200, own.text
    record = own.json()
    assert (record["transport"], record["status"], record["method"]) == ("rest", 200, "GET")
    assert record["path"] == f"/api/v1/orders/{order_id}"
    (plan,) = record["plans"]
    assert 'Fetch(service: "orders")' in plan["queryPlan"]
    assert all(value.startswith("<") for value in plan["variables"].values())
    assert order_id not in str(plan["variables"])
    assert [fetch["outcome"] for fetch in record["fetches"]] and all(
        fetch["outcome"] == "ok" for fetch in record["fetches"]
    )
    assert "orders" in {fetch["subgraph"] for fetch in record["fetches"]}
    assert record["errors"] == [] and record["errorCodes"] == []
    assert other.status_code == 404


async def test_a_redis_nobody_listens_on_fails_no_request(deployment: Deployment) -> None:
    keys = Keys()
    dead_redis = _closed_port_url().replace("http://", "redis://").removesuffix("/graphql")
    # every other store in process: only the lookup's records go to the dead server
    settings = _settings(
        deployment,
        keys,
        store="redis",
        redis={"url": dead_redis},
        idempotency={"store": "memory"},
        limits={"store": "memory"},
        jobs={"backend": "memory"},
    )
    request_id = f"lookup-dead-{uuid.uuid4().hex}"
    async with serve_gateway(settings) as (client, app):
        answered = await client.post(
            "/graphql",
            json={"query": "{ orders(first: 1) { totalCount } }"},
            headers={"x-api-key": keys.writer, "x-request-id": request_id},
        )
        writer = app.state.request_lookup.writer
        await writer.drain()
        lookup = await client.get(f"/requests/{request_id}", headers={"x-api-key": keys.writer})
    assert answered.status_code == 200 and "errors" not in answered.json()
    assert writer.failed == 1
    assert lookup.status_code == 503 and lookup.json()["code"] == "REQUEST_LOOKUP_UNAVAILABLE"
    assert dead_redis.rsplit(":", 1)[-1] not in lookup.text


def _token(secret: bytes, subject: str, scopes: str) -> str:
    now = int(time.time())
    claims = {
        "iss": DEMO_ISSUER,
        "aud": DEMO_AUDIENCE,
        "sub": subject,
        "scope": scopes,
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


async def test_a_token_reads_the_records_of_its_own_subject(deployment: Deployment) -> None:
    secret = b"jwt-hs256-secret-for-the-request-lookup-tests-0123456789"
    secret_file = deployment.directory / "jwt.secret"
    secret_file.write_bytes(secret)
    keys = Keys()
    issuer = demo_issuer_settings(secret_file).model_dump(mode="json")
    settings = _settings(deployment, keys, auth={"issuers": [issuer]})
    alice = _token(secret, "alice", "orders:read")
    bob = _token(secret, "bob", "orders:read")
    operator = _token(secret, "ops-1", READ_ANY_SCOPE)
    request_id = f"lookup-jwt-{uuid.uuid4().hex}"
    async with serve_gateway(settings) as (client, _):
        answered = await client.post(
            "/graphql",
            json={"query": "query Count { orders(first: 1) { totalCount } }"},
            headers={"authorization": f"Bearer {alice}", "x-request-id": request_id},
        )
        own = await client.get(
            f"/requests/{request_id}", headers={"authorization": f"Bearer {alice}"}
        )
        for _ in range(100):  # the record is written just after the response went
            if own.status_code != 404:
                break
            await asyncio.sleep(0.01)
            own = await client.get(
                f"/requests/{request_id}", headers={"authorization": f"Bearer {alice}"}
            )
        other = await client.get(
            f"/requests/{request_id}", headers={"authorization": f"Bearer {bob}"}
        )
        same_name_key = await client.get(
            f"/requests/{request_id}", headers={"x-api-key": keys.writer}
        )
        admin = await client.get(
            f"/requests/{request_id}", headers={"authorization": f"Bearer {operator}"}
        )
        expired = await client.get(
            f"/requests/{request_id}", headers={"authorization": "Bearer not-a-token"}
        )
    assert answered.status_code == 200
    assert own.status_code == 200 and own.json()["subject"] == "alice"
    assert other.status_code == 404 and same_name_key.status_code == 404
    assert admin.status_code == 200 and admin.json()["requestId"] == request_id
    assert expired.status_code == 401 and expired.json()["code"] != "REQUEST_NOT_FOUND"


async def test_records_are_kept_with_metrics_and_access_log_off(deployment: Deployment) -> None:
    keys = Keys()
    settings = _settings(
        deployment,
        keys,
        observability={"metrics": {"enabled": False}, "access_log": {"enabled": False}},
    )
    request_id = f"lookup-quiet-{uuid.uuid4().hex}"
    async with serve_gateway(settings) as (client, _):
        answered = await client.post(
            "/graphql",
            json={"query": "query Quiet { orders(first: 1) { totalCount } }"},
            headers={"x-api-key": keys.writer, "x-request-id": request_id},
        )
        own = await _lookup(client, request_id, keys.writer)
        metrics = await client.get("/metrics")
    assert answered.status_code == 200 and metrics.status_code == 404
    assert own.status_code == 200
    assert own.json()["operations"][0]["name"] == "Quiet"
    assert [fetch["subgraph"] for fetch in own.json()["fetches"]] == ["orders"]
