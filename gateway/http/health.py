"""Liveness and readiness: ``/health`` says the process runs, ``/ready`` that it can serve.

Ready means a supergraph is loaded and every subgraph it names answers ``{ __typename }``.
"""

from __future__ import annotations

import asyncio

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateway.engine_slot import EngineSlot

__all__ = ["ReadinessProbe", "health"]

_TYPENAME_QUERY = {"query": "{ __typename }"}


async def health(_: Request) -> Response:
    """Liveness: the process is up and its event loop answers."""
    return JSONResponse({"status": "ok"})


class ReadinessProbe:
    """Starlette endpoint checking the loaded supergraph and its subgraphs."""

    def __init__(self, slot: EngineSlot, timeout_seconds: float = 2.0) -> None:
        self._slot = slot
        self._client: httpx.AsyncClient | None = None
        self._timeout = timeout_seconds

    def bind(self, client: httpx.AsyncClient) -> None:
        """Use ``client`` (owned by the app's lifespan) for the subgraph checks."""
        self._client = client

    async def _check(self, url: str) -> str:
        if self._client is None:
            return "not started"
        try:
            response = await self._client.post(url, json=_TYPENAME_QUERY, timeout=self._timeout)
        except httpx.HTTPError as exc:
            return f"unreachable: {type(exc).__name__}"
        return "ok" if response.status_code == 200 else f"HTTP {response.status_code}"

    async def endpoint(self, _: Request) -> Response:
        """Readiness: 200 when the supergraph is loaded and every subgraph answers, else 503."""
        engine = self._slot.engine
        if engine is None:
            return JSONResponse({"status": "unavailable", "reason": "no supergraph"}, 503)
        names = list(engine.subgraph_urls)
        outcomes = await asyncio.gather(*(self._check(engine.subgraph_urls[n]) for n in names))
        subgraphs = dict(zip(names, outcomes, strict=True))
        ready = all(outcome == "ok" for outcome in outcomes)
        body = {
            "status": "ready" if ready else "unavailable",
            "supergraph": engine.supergraph_hash,
            "subgraphs": subgraphs,
        }
        return JSONResponse(body, 200 if ready else 503)
