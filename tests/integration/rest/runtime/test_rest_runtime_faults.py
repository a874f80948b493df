"""REST while things go wrong behind the gateway (real gateway and subgraphs, SQLite): a create
held in flight answers a retry with the same key 409 (then the first one finishes and later
retries replay it); an unreachable subgraph is 502 without internals; a client's operation cost
ceiling is 422. No timing: the held request waits for an event the test sets."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from live_server import live_server
from rest_runtime_stack import OPEN_CLIENTS, StackFactory
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

_HOP_BY_HOP = {"host", "content-length", "connection", "transfer-encoding"}


@dataclass
class HoldingProxy:
    """Forwards every request with all its headers (the signed principal among them) to
    ``target``; a body containing ``hold`` waits until :meth:`release`."""

    hold: str
    target: str = ""
    held: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)

    def release(self) -> None:
        """Let the held request through."""
        self.released.set()

    def app(self, client: httpx.AsyncClient) -> Starlette:
        """The proxy as an ASGI app."""

        async def forward(request: Request) -> Response:
            body = await request.body()
            if self.hold.encode() in body:
                self.held.set()
                await self.released.wait()
            headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
            upstream = await client.post(self.target, content=body, headers=headers)
            return Response(
                upstream.content,
                status_code=upstream.status_code,
                media_type=upstream.headers.get("content-type"),
            )

        return Starlette(routes=[Route("/graphql", forward, methods=["POST"])])


@asynccontextmanager
async def holding_proxy(hold: str) -> AsyncIterator[tuple[HoldingProxy, str]]:
    """A served :class:`HoldingProxy` and its GraphQL URL (the target is set later)."""
    proxy = HoldingProxy(hold)
    async with (
        httpx.AsyncClient(timeout=30) as client,
        live_server(proxy.app(client), lifespan="off") as base,
    ):
        try:
            yield proxy, f"{base}/graphql"
        finally:
            proxy.release()


async def test_a_retry_while_the_create_runs_is_409_then_it_replays(
    stack_with: StackFactory,
) -> None:
    async with holding_proxy("createOrder") as (proxy, proxy_url):
        subgraphs = {"timeout_seconds": 30, "urls": {"orders": proxy_url}}
        async with stack_with(subgraphs=subgraphs) as stack:
            proxy.target = stack.subgraph_urls["orders"]
            before = await stack.order_count()
            headers = {**stack.writer, "Idempotency-Key": f"in-flight-{uuid.uuid4()}"}
            first = asyncio.create_task(
                stack.http.post("/api/v1/orders", json=stack.create_body(), headers=headers)
            )
            await proxy.held.wait()
            retry = await stack.http.post(
                "/api/v1/orders", json=stack.create_body(), headers=headers
            )
            proxy.release()
            created = await first
            replay = await stack.http.post(
                "/api/v1/orders", json=stack.create_body(), headers=headers
            )
            after = await stack.order_count()
    assert retry.status_code == 409, retry.text
    assert retry.json()["code"] == "IDEMPOTENCY_KEY_IN_FLIGHT"
    assert int(retry.headers["retry-after"]) >= 1
    assert created.status_code == 201, created.text
    assert replay.status_code == 201
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.content == created.content
    assert after == before + 1


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_an_unreachable_subgraph_is_502_without_internals(
    stack_with: StackFactory,
) -> None:
    dead = f"http://127.0.0.1:{_closed_port()}/graphql"
    subgraphs = {"timeout_seconds": 10, "urls": {"orders": dead}}
    async with stack_with(subgraphs=subgraphs) as stack:
        response = await stack.http.get(f"/api/v1/orders/{uuid.uuid4()}", headers=stack.writer)
    assert response.status_code == 502, response.text
    problem = response.json()
    assert problem["code"] == "SUBREQUEST_HTTP_ERROR"
    assert problem["type"] == "https://ordergate.dev/problems/subrequest-http-error"
    assert "127.0.0.1" not in response.text
    assert str(dead) not in response.text


async def test_an_operation_above_the_clients_cost_ceiling_is_422(
    stack_with: StackFactory,
) -> None:
    budget = {"capacity": 1000, "refill_per_second": 10, "max_operation_cost": 5, "mode": "enforce"}
    clients: dict[str, Any] = {**OPEN_CLIENTS, "clients": {"rest-writer": {"budget": budget}}}
    async with stack_with(clients=clients) as stack:
        response = await stack.http.get(
            "/api/v1/orders", params={"limit": 50}, headers=stack.writer
        )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "COST_ESTIMATED_TOO_EXPENSIVE"
