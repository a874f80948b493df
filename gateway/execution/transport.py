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

from gateway.execution.fetch_status import note_status

__all__ = [
    "RETRYABLE_STATUSES",
    "AiohttpTransport",
    "SubgraphFailure",
    "SubgraphTransport",
    "connection_failed",
    "decode_response",
    "failed_status",
    "timed_out",
]


#: how long an idle pooled connection to a subgraph is kept: below the 5 s after which uvicorn
#: and Node close idle keep-alive connections, so the gateway never sends a request (a mutation
#: is not retried) on a connection the subgraph is closing at that moment (ECONNRESET -> 502)
IDLE_CONNECTION_SECONDS = 4.0


@dataclass(slots=True)
class SubgraphFailure(Exception):  # noqa: N818 - a failure, not a programming error
    """A subgraph call that produced no GraphQL response (network, HTTP status, timeout, JSON).

    ``detail`` may name the URL: it is logged, never shown to clients (ADR 0206).
    """

    service: str
    code: str
    detail: str
    #: a connection error or HTTP 502/503/504: a query may be sent again (ADR 0207)
    retryable: bool = False
    #: the HTTP status, when the failure is one
    status: int = 0

    def __str__(self) -> str:
        return f"{self.service}: {self.detail}"

    @property
    def unhealthy(self) -> bool:
        """Whether the failure says the subgraph is down or overloaded (connection error,
        timeout, HTTP 5xx): what a circuit breaker counts (ADR 0208)."""
        return self.retryable or self.status >= 500 or self.code == "SUBREQUEST_TIMEOUT"


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


#: statuses that mean "not serving now": always a failure, and worth retrying a query
RETRYABLE_STATUSES = frozenset({502, 503, 504})

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
                    limit=self._max_connections,
                    keepalive_timeout=IDLE_CONNECTION_SECONDS,
                    ttl_dns_cache=300,
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
            note_status(status)
        except TimeoutError as exc:
            raise timed_out(service, self._timeout) from exc
        except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError) as exc:
            raise connection_failed(service, url, exc) from exc
        except aiohttp.ClientError as exc:
            raise SubgraphFailure(service, "SUBREQUEST_HTTP_ERROR", f"{url}: {exc}") from exc
        if status >= 400 and (
            status in RETRYABLE_STATUSES or not payload.lstrip().startswith(b"{")
        ):
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
    ``errors`` is passed on: the subgraph answered), or of 502/503/504, whatever the body:
    the subgraph, or a proxy in front of it, is not serving."""
    return SubgraphFailure(
        service,
        "SUBREQUEST_HTTP_ERROR",
        f"{url}: HTTP {status}",
        retryable=status in RETRYABLE_STATUSES,
        status=status,
    )


def connection_failed(service: str, url: object, exc: BaseException) -> SubgraphFailure:
    """The failure of a call whose connection could not be made or broke before the whole
    response arrived (refused, reset, closed, unknown host)."""
    return SubgraphFailure(service, "SUBREQUEST_HTTP_ERROR", f"{url}: {exc}", retryable=True)


def decode_response(service: str, payload: bytes) -> dict[str, Any]:
    """Decode a subgraph response body; raise :class:`SubgraphFailure` unless it is GraphQL."""
    try:
        decoded = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise SubgraphFailure(service, "SUBREQUEST_HTTP_ERROR", "response is not JSON") from exc
    if not isinstance(decoded, dict) or ("data" not in decoded and "errors" not in decoded):
        raise SubgraphFailure(service, "SUBREQUEST_HTTP_ERROR", "not a GraphQL response")
    return decoded
