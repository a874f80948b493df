"""Subgraph transport: one pooled keep-alive HTTP client per subgraph.

aiohttp's client was chosen over httpx by measurement (see docs/adr/0203): it costs far less
CPU per call, which dominates the gateway's own time on entity-heavy plans.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import aiohttp
import orjson
from yarl import URL

__all__ = [
    "AiohttpTransport",
    "SubgraphFailure",
    "SubgraphTransport",
    "decode_response",
    "failed_status",
    "timed_out",
]


@dataclass(slots=True)
class SubgraphFailure(Exception):  # noqa: N818 - a failure, not a programming error
    """A subgraph call that produced no GraphQL response (network, HTTP status, timeout, JSON)."""

    service: str
    code: str
    detail: str

    def __str__(self) -> str:
        return f"{self.service}: {self.detail}"


class SubgraphTransport(Protocol):
    """Sends one GraphQL request to a subgraph and returns its decoded JSON body."""

    async def send(
        self,
        service: str,
        body: bytes,
        headers: Mapping[str, str] | None = None,
    ) -> bytes:
        """POST ``body`` (a JSON GraphQL request) to ``service``; the raw response body.

        Raises :class:`SubgraphFailure` when no response body arrives.
        """
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


#: sent with every subgraph call; ``Accept-Encoding: identity``: subgraphs are near, and
#: decompressing costs the gateway more CPU than the bytes cost the network
_SESSION_HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/json",
    "Accept-Encoding": "identity",
    "User-Agent": "ordergate",
}


class AiohttpTransport:
    """A :class:`SubgraphTransport` with one aiohttp session (connection pool) per subgraph."""

    def __init__(
        self,
        urls: Mapping[str, str],
        *,
        timeout_seconds: float,
        max_connections: int = 100,
    ) -> None:
        self._urls = dict(urls)
        #: parsed once: aiohttp parses a ``str`` URL on every call
        self._parsed = {service: URL(url) for service, url in self._urls.items()}
        self._timeout = timeout_seconds
        self._max_connections = max_connections
        self._sessions: dict[str, aiohttp.ClientSession] = {}

    def _session(self, service: str) -> aiohttp.ClientSession:
        session = self._sessions.get(service)
        if session is None or session.closed:
            session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(
                    limit=self._max_connections, keepalive_timeout=30, ttl_dns_cache=300
                ),
                timeout=aiohttp.ClientTimeout(total=self._timeout),
                json_serialize=lambda value: orjson.dumps(value).decode(),
                # set once per session; every header aiohttp would add otherwise is given, so
                # no call takes its per-request ``skip_auto_headers`` path (a copy and a sort)
                headers=_SESSION_HEADERS,
            )
            self._sessions[service] = session
        return session

    async def send(
        self,
        service: str,
        body: bytes,
        headers: Mapping[str, str] | None = None,
    ) -> bytes:
        """POST ``body`` to the subgraph ``service`` and return the response body."""
        url = self._parsed.get(service)
        if url is None:
            raise SubgraphFailure(service, "SUBREQUEST_HTTP_ERROR", "no URL for this subgraph")
        try:
            async with self._session(service).post(
                url, data=body, headers=headers or None
            ) as response:
                payload = await response.read()
                status = response.status
        except TimeoutError as exc:
            raise timed_out(service, self._timeout) from exc
        except aiohttp.ClientError as exc:
            raise SubgraphFailure(service, "SUBREQUEST_HTTP_ERROR", f"{url}: {exc}") from exc
        if status >= 400 and not payload.lstrip().startswith(b"{"):
            raise failed_status(service, url, status)
        return payload

    async def aclose(self) -> None:
        """Close every session."""
        sessions, self._sessions = list(self._sessions.values()), {}
        await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)


def timed_out(service: str, timeout_seconds: float) -> SubgraphFailure:
    """The failure of a call to ``service`` that got no response within its timeout."""
    message = f"no response within {timeout_seconds:g}s"
    return SubgraphFailure(service, "SUBREQUEST_TIMEOUT", message)


def failed_status(service: str, url: object, status: int) -> SubgraphFailure:
    """The failure of an error status whose body is no GraphQL response (a JSON body with
    ``errors`` is passed on: the subgraph answered)."""
    return SubgraphFailure(service, "SUBREQUEST_HTTP_ERROR", f"{url}: HTTP {status}")


def decode_response(service: str, payload: bytes) -> dict[str, Any]:
    """Decode a subgraph response body; raise :class:`SubgraphFailure` unless it is GraphQL."""
    try:
        decoded = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise SubgraphFailure(service, "SUBREQUEST_HTTP_ERROR", "response is not JSON") from exc
    if not isinstance(decoded, dict) or ("data" not in decoded and "errors" not in decoded):
        raise SubgraphFailure(service, "SUBREQUEST_HTTP_ERROR", "not a GraphQL response")
    return decoded
