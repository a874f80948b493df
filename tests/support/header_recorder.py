"""A proxy in front of a subgraph that records the headers of every request it forwards.

It can also answer the first ``fail_first`` requests with HTTP 503 (a subgraph restarting), so
that the gateway retries, or hold requests until the test releases them (``holding``).
Everything else goes to the real subgraph with every header except the hop-by-hop ones.

Usage::

    proxy = RecordingProxy(stack.url("orders"), fail_first=1)
    async with live_server(proxy.app()) as base:
        ...   # point the gateway's subgraphs.urls.orders at f"{base}/graphql"
    proxy.headers[0]["traceparent"]
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

_HOP_BY_HOP = {"host", "content-length", "connection", "keep-alive", "transfer-encoding"}


@dataclass
class RecordingProxy:
    """Forwards ``POST /graphql`` to ``target``; records each request's headers (lower case)."""

    target: str
    fail_first: int = 0
    headers: list[dict[str, str]] = field(default_factory=list)
    #: while set, requests wait before they are forwarded until :meth:`release`
    holding: bool = False
    _released: asyncio.Event = field(default_factory=asyncio.Event)

    def release(self) -> None:
        """Let held requests (and later ones) through."""
        self._released.set()

    def app(self) -> Starlette:
        """The proxy as an ASGI app."""
        client = httpx.AsyncClient(timeout=30)

        async def graphql(request: Request) -> Response:
            body = await request.body()
            received = {name.lower(): value for name, value in request.headers.items()}
            self.headers.append(received)
            if len(self.headers) <= self.fail_first:
                return Response(b"restarting", status_code=503)
            if self.holding:
                await self._released.wait()
            forwarded = {k: v for k, v in received.items() if k not in _HOP_BY_HOP}
            upstream = await client.post(self.target, content=body, headers=forwarded)
            return Response(
                upstream.content,
                status_code=upstream.status_code,
                media_type=upstream.headers.get("content-type"),
            )

        @asynccontextmanager
        async def lifespan(_: Starlette) -> AsyncIterator[None]:
            try:
                yield
            finally:
                await client.aclose()

        return Starlette(routes=[Route("/graphql", graphql, methods=["POST"])], lifespan=lifespan)
