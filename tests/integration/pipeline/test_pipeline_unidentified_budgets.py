"""Callers the clients file does not list: one enforced bucket each, over real HTTP.

Anonymous callers are told apart by their real TCP peer (the client sockets bind 127.0.0.2,
127.0.0.3, ... on the loopback), unlisted API keys per key, unlisted tokens per subject; against
the in-process and the Redis bucket stores.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from live_server import live_server
from pipeline_support import (
    Credentials,
    StoreChoice,
    Subgraphs,
    error_codes,
    gateway_settings,
    merged,
    write_clients,
)
from redis.asyncio import Redis

from gateway.app import create_app
from gateway.process.workers import _SERVER_OPTIONS
from gateway.settings import GatewaySettings

pytestmark = pytest.mark.asyncio(loop_scope="module")

#: no defaults.budget: unidentified callers run on limits.unidentified.budget
CLIENTS = """
version: 1
defaults:
  mode: allow-all
clients:
  acme:
    mode: safelist
    budget: {capacity: 40, refill_per_second: 0.01, max_operation_cost: 30, mode: enforce}
"""
#: three orders exist: this costs 3 and nothing is refunded
THREE_ORDERS = {"query": "{ orders(first: 3) { id } }"}
CANCEL = {"query": 'mutation { cancelOrder(id: "o2") { id number } }'}
#: refill so slow that no test sees a whole unit come back (the default budget must refill)
REFILL = 0.0001


def _settings(
    tmp_path: Path,
    subgraphs: Subgraphs,
    credentials: Credentials,
    store: StoreChoice,
    capacity: int = 10,
    **unidentified: Any,
) -> GatewaySettings:
    write_clients(tmp_path, CLIENTS)
    budget = {"capacity": capacity, "refill_per_second": REFILL, "max_operation_cost": capacity}
    sections = merged(
        store.sections,
        {
            "auth": credentials.auth_settings(),
            "limits": {"unidentified": {"budget": budget, **unidentified}},
        },
    )
    if store.kind == "redis":
        sections = merged(sections, {"idempotency": {"store": "redis"}})
    return gateway_settings(tmp_path, subgraphs.urls, **sections)


class _Clients:
    """HTTP clients of one gateway, each from its own loopback address."""

    def __init__(self, url: str, stack: AsyncExitStack) -> None:
        self._url = url
        self._stack = stack
        self._clients: dict[str, httpx.AsyncClient] = {}

    async def from_address(self, address: str) -> httpx.AsyncClient:
        if address not in self._clients:
            transport = httpx.AsyncHTTPTransport(local_address=address)
            client = httpx.AsyncClient(base_url=self._url, transport=transport, timeout=10)
            self._clients[address] = await self._stack.enter_async_context(client)
        return self._clients[address]


@asynccontextmanager
async def _gateway(settings: GatewaySettings) -> AsyncIterator[_Clients]:
    async with AsyncExitStack() as stack:
        url = await stack.enter_async_context(live_server(create_app(settings)))
        yield _Clients(url, stack)


async def _drain(client: httpx.AsyncClient, **kwargs: Any) -> list[httpx.Response]:
    """Send THREE_ORDERS until refused (at most 10 times)."""
    responses = []
    for _ in range(10):
        response = await client.post("/graphql", json=THREE_ORDERS, **kwargs)
        responses.append(response)
        if response.status_code != 200:
            break
    return responses


def _available(response: httpx.Response) -> Any:
    return response.json()["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]


async def test_one_anonymous_flood_drains_only_its_own_bucket(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path, store: StoreChoice
) -> None:
    stranger_key = {"x-api-key": credentials.add_api_key("stranger-1", "stranger", [])}
    token = credentials.bearer("user-9")
    settings = _settings(tmp_path, subgraphs, credentials, store)
    async with _gateway(settings) as clients:
        attacker = await clients.from_address("127.0.0.2")
        flood = await _drain(attacker)
        calls_after_flood = subgraphs.log.total()
        refused_again = await attacker.post("/graphql", json=THREE_ORDERS)
        neighbour = await (await clients.from_address("127.0.0.3")).post(
            "/graphql", json=THREE_ORDERS
        )
        # an unlisted key and an unlisted token from the attacker's own address: their own buckets
        keyed = await attacker.post("/graphql", json=THREE_ORDERS, headers=stranger_key)
        tokened = await attacker.post("/graphql", json=THREE_ORDERS, headers=token)
    assert [r.status_code for r in flood] == [200, 200, 200, 429]  # 10 units: 3 x 3, then 1 left
    assert [_available(r) for r in flood[:3]] == [7, 4, 1]
    refused = flood[-1]
    assert refused_again.status_code == 429
    assert subgraphs.log.total() == calls_after_flood + 3  # the refusal called no subgraph
    assert error_codes(refused.json()) == ["RATE_LIMITED"]
    error = refused.json()["errors"][0]
    assert re.fullmatch(
        r"Rate limited: the operation costs 3 and 1(\.0+)? of the budget are available",
        error["message"],
    )
    assert error["extensions"]["cost.estimated"] == 3
    retry_after = int(refused.headers["retry-after"])
    assert retry_after == error["extensions"]["retryAfterSeconds"]
    assert 19_000 < retry_after <= 20_000  # 2 units missing at 0.0001 per second
    assert refused.headers["ratelimit-policy"] == '"cost";q=10;w=100000'
    assert refused.headers["ratelimit"].startswith('"cost";r=1;t=')
    assert "requestId" in error["extensions"]
    for served in (neighbour, keyed, tokened):
        assert served.status_code == 200, served.text
        assert len(served.json()["data"]["orders"]) == 3
        assert _available(served) == 7  # a full bucket of its own, minus this operation
        assert served.headers["ratelimit"].startswith('"cost";r=7;')


async def test_a_forwarded_for_header_is_believed_only_from_trusted_proxies(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path, store: StoreChoice
) -> None:
    settings = _settings(tmp_path, subgraphs, credentials, store)
    async with _gateway(settings) as clients:
        attacker = await clients.from_address("127.0.0.4")
        statuses = []
        for n in range(5):  # a new X-Forwarded-For each time: still one bucket, the peer's
            spoofed = {"x-forwarded-for": f"198.51.100.{n}"}
            response = await attacker.post("/graphql", json=THREE_ORDERS, headers=spoofed)
            statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 429, 429]

    trusting = _settings(tmp_path, subgraphs, credentials, store, trusted_proxies=["127.0.0.5/32"])
    async with _gateway(trusting) as clients:
        proxy = await clients.from_address("127.0.0.5")
        # the proxy appends the address it saw; whatever the client wrote before is not read
        forged = [{"x-forwarded-for": f"9.9.9.{n}, 203.0.113.50"} for n in range(4)]
        one_client = [
            (await proxy.post("/graphql", json=THREE_ORDERS, headers=headers)).status_code
            for headers in forged
        ]
        other = await proxy.post(
            "/graphql", json=THREE_ORDERS, headers={"x-forwarded-for": "203.0.113.51"}
        )
    assert one_client == [200, 200, 200, 429]
    assert other.status_code == 200 and _available(other) == 7


async def test_served_as_in_production_uvicorn_does_not_believe_the_header_either(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    """uvicorn alone would take X-Forwarded-For from 127.0.0.1 (its default trusted proxy);
    the gateway's server options turn that off, so this module's setting is the only one."""
    settings = _settings(tmp_path, subgraphs, credentials, StoreChoice("memory", {}))
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, **_SERVER_OPTIONS)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            assert not task.done(), "the server stopped before it started"
            await asyncio.sleep(0.005)
        port = server.servers[0].sockets[0].getsockname()[1]
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            statuses = [
                (
                    await client.post(
                        "/graphql",
                        json=THREE_ORDERS,
                        headers={"x-forwarded-for": f"198.51.100.{n}"},
                    )
                ).status_code
                for n in range(4)
            ]
    finally:
        server.should_exit = True
        await task
    assert statuses == [200, 200, 200, 429]


@pytest.mark.redis
async def test_unidentified_buckets_expire_in_redis(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path, redis_url: str
) -> None:
    prefix = f"ordergate-test:unidentified:{tmp_path.name}"
    store = StoreChoice(
        "redis",
        {
            "redis": {"url": redis_url, "key_prefix": prefix},
            "limits": {"store": "redis"},
        },
    )
    settings = _settings(tmp_path, subgraphs, credentials, store)
    redis = Redis.from_url(redis_url)
    try:
        async with _gateway(settings) as clients:
            for address in ("127.0.0.6", "127.0.0.7"):
                client = await clients.from_address(address)
                assert (await client.post("/graphql", json=THREE_ORDERS)).status_code == 200
        keys = sorted(k.decode() for k in await redis.keys(f"{prefix}:bucket:*"))
        assert keys == [f"{prefix}:bucket:~ip:127.0.0.6", f"{prefix}:bucket:~ip:127.0.0.7"]
        for key in keys:
            # gone once full again: 3 units at 0.0001/s is 30000 s, plus a second of slack
            assert 0 < await redis.pttl(key) <= 30_001_000
    finally:
        leftovers = await redis.keys(f"{prefix}:*")
        if leftovers:
            await redis.delete(*leftovers)
        await redis.aclose()


async def test_an_idempotent_replay_carries_the_current_ratelimit_fields(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path, store: StoreChoice
) -> None:
    token = credentials.bearer("user-replay")
    settings = _settings(tmp_path, subgraphs, credentials, store, capacity=100)
    cancelled_before = len(subgraphs.log.cancelled)
    async with _gateway(settings) as clients:
        client = await clients.from_address("127.0.0.8")
        headers = {**token, "idempotency-key": "cancel-o2-once"}
        first = await client.post("/graphql", json=CANCEL, headers=headers)
        replay = await client.post("/graphql", json=CANCEL, headers=headers)
        # the same caller spends 3 more: a second replay reports the bucket as it is now
        spent = await client.post("/graphql", json=THREE_ORDERS, headers=token)
        replay_after = await client.post("/graphql", json=CANCEL, headers=headers)
    assert len(subgraphs.log.cancelled) == cancelled_before + 1  # executed once
    assert first.status_code == replay.status_code == 200
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.content == first.content  # the body is the original, byte for byte
    # a mutation costs 10 + 1 (the order): 89 left after the first request; replays are free
    assert first.headers["ratelimit-policy"] == '"cost";q=100;w=1000000'
    assert first.headers["ratelimit"].startswith('"cost";r=89;')
    assert replay.headers["ratelimit-policy"] == '"cost";q=100;w=1000000'
    assert replay.headers["ratelimit"].startswith('"cost";r=89;')
    assert spent.headers["ratelimit"].startswith('"cost";r=86;')
    assert replay_after.headers["idempotent-replayed"] == "true"
    assert replay_after.headers["ratelimit"].startswith('"cost";r=86;')
