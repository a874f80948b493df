"""Liveness and readiness: ``/health`` says the process runs, ``/ready`` that it can serve.

Ready means the process is not shutting down, a supergraph is loaded and every subgraph it names
answers ``{ __typename }`` (signed with the readiness principal when subgraphs require one, see
:mod:`gateway.http.readiness_principal`). The public body names each subgraph with a stable
outcome (``ok``, ``timeout``, ``unreachable``, ``http_<status>``, ``invalid_response``); the
subgraph's URL and the error's detail go to the log only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import structlog
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateway.engine.slot import EngineSlot
from gateway.http.readiness_principal import ProbeHeaders

__all__ = ["ReadinessProbe", "health"]

_TYPENAME_QUERY = {"query": "{ __typename }"}
_log = structlog.get_logger(__name__)


def _no_headers() -> dict[str, str]:
    return {}


def _never() -> bool:
    return False


async def health(_: Request) -> Response:
    """Liveness: the process is up and its event loop answers."""
    return JSONResponse({"status": "ok"})


class ReadinessProbe:
    """Starlette endpoint checking the loaded supergraph and its subgraphs.

    ``headers`` makes the headers of each probe request (the readiness principal);
    ``draining`` says the process is shutting down: then ``/ready`` is 503 at once.
    """

    def __init__(
        self,
        slot: EngineSlot,
        timeout_seconds: float = 2.0,
        *,
        headers: ProbeHeaders = _no_headers,
        draining: Callable[[], bool] = _never,
    ) -> None:
        self._slot = slot
        self._client: httpx.AsyncClient | None = None
        self._timeout = timeout_seconds
        self._headers = headers
        self._draining = draining

    def bind(self, client: httpx.AsyncClient) -> None:
        """Use ``client`` (owned by the app's lifespan) for the subgraph checks."""
        self._client = client

    async def _check(self, name: str, url: str) -> str:
        if self._client is None:
            return "not_started"
        try:
            response = await self._client.post(
                url, json=_TYPENAME_QUERY, headers=self._headers(), timeout=self._timeout
            )
        except httpx.TimeoutException as exc:
            _log.warning("subgraph not ready", subgraph=name, url=url, error=repr(exc))
            return "timeout"
        except httpx.HTTPError as exc:
            _log.warning("subgraph not ready", subgraph=name, url=url, error=repr(exc))
            return "unreachable"
        if response.status_code != 200:
            _log.warning(
                "subgraph not ready",
                subgraph=name,
                url=url,
                status=response.status_code,
                body=response.text[:500],
            )
            return f"http_{response.status_code}"
        try:
            typename = response.json()["data"]["__typename"]
        except (ValueError, KeyError, TypeError):
            typename = None
        if not isinstance(typename, str):
            _log.warning("subgraph not ready", subgraph=name, url=url, body=response.text[:500])
            return "invalid_response"
        return "ok"

    async def endpoint(self, _: Request) -> Response:
        """Readiness: 200 when serving, the supergraph is loaded and every subgraph answers,
        else 503."""
        if self._draining():
            return JSONResponse({"status": "unavailable", "reason": "shutting down"}, 503)
        engine = self._slot.engine
        if engine is None:
            return JSONResponse({"status": "unavailable", "reason": "no supergraph"}, 503)
        urls = dict(engine.subgraph_urls)
        outcomes = await asyncio.gather(*(self._check(name, url) for name, url in urls.items()))
        subgraphs = dict(zip(urls, outcomes, strict=True))
        ready = all(outcome == "ok" for outcome in outcomes)
        body = {
            "status": "ready" if ready else "unavailable",
            "supergraph": engine.supergraph_hash,
            "subgraphs": subgraphs,
        }
        return JSONResponse(body, 200 if ready else 503)
