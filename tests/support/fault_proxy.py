"""A proxy in front of a subgraph that fails (HTTP 503), slows down or holds chosen requests.

Used to make a row "poison" (every attempt fails until the test heals the proxy) and to slow a
job down so that a worker can be killed in the middle of it. Everything else is forwarded to the
real subgraph unchanged. A held request (its body contains a ``hold`` marker) waits until the
test calls :meth:`FaultProxy.release`: a request kept in flight for as long as a test needs,
without timing.
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


@dataclass
class FaultProxy:
    """Forwards ``POST /graphql`` to ``target``; fails bodies containing a ``poison`` marker."""

    target: str
    poison: set[str] = field(default_factory=set)
    delay_seconds: float = 0.0
    failures: int = 0
    forwarded: int = 0
    hold: set[str] = field(default_factory=set)
    held: int = 0
    _released: asyncio.Event = field(default_factory=asyncio.Event)

    def heal(self) -> None:
        """Stop failing anything."""
        self.poison.clear()

    def release(self) -> None:
        """Let the held requests (and later ones) through."""
        self._released.set()

    def app(self) -> Starlette:
        """The proxy as an ASGI app."""
        client = httpx.AsyncClient(timeout=30)

        async def graphql(request: Request) -> Response:
            body = await request.body()
            if any(marker.encode() in body for marker in self.poison):
                self.failures += 1
                return Response(b"upstream flapping", status_code=503)
            if any(marker.encode() in body for marker in self.hold):
                self.held += 1
                await self._released.wait()
            if self.delay_seconds:
                await asyncio.sleep(self.delay_seconds)
            headers = {
                name: value
                for name, value in request.headers.items()
                if name.lower() in {"content-type", "idempotency-key", "x-request-id"}
            }
            upstream = await client.post(self.target, content=body, headers=headers)
            self.forwarded += 1
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
