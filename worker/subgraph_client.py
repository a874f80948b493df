"""GraphQL calls from a worker to a subgraph, with failures sorted into transient and permanent.

Transient (worth a retry, then the dead-letter list): the subgraph cannot be reached, times out,
answers HTTP 5xx or ``INTERNAL_SERVER_ERROR``. Everything else the subgraph says is an answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import httpx

__all__ = ["SubgraphCaller", "TransientSubgraphError"]

TRANSIENT_CODES = frozenset({"INTERNAL_SERVER_ERROR"})


class TransientSubgraphError(Exception):
    """A call that may succeed if tried again."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class SubgraphCaller:
    """POSTs operations to subgraphs by name; URLs come from ``urls()`` at each call (they
    follow supergraph reloads)."""

    def __init__(self, urls: Callable[[], Mapping[str, str]], timeout_seconds: float) -> None:
        self._urls = urls
        self._http = httpx.AsyncClient(timeout=timeout_seconds)

    async def call(
        self,
        subgraph: str,
        query: str,
        variables: Mapping[str, Any],
        headers: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """The response body; raises :class:`TransientSubgraphError`."""
        url = self._urls().get(subgraph)
        if url is None:
            raise TransientSubgraphError("SUBGRAPH_UNKNOWN", f"no URL for subgraph {subgraph}")
        try:
            response = await self._http.post(
                url, json={"query": query, "variables": dict(variables)}, headers=headers
            )
        except httpx.TimeoutException as error:
            raise TransientSubgraphError("SUBREQUEST_TIMEOUT", f"{subgraph} timed out") from error
        except httpx.TransportError as error:
            raise TransientSubgraphError(
                "SUBREQUEST_HTTP_ERROR", f"{subgraph} unreachable: {type(error).__name__}"
            ) from error
        if response.status_code >= 500:
            raise TransientSubgraphError(
                "SUBREQUEST_HTTP_ERROR", f"{subgraph} answered HTTP {response.status_code}"
            )
        try:
            body: dict[str, Any] = response.json()
        except ValueError as error:
            raise TransientSubgraphError(
                "SUBREQUEST_HTTP_ERROR",
                f"{subgraph} answered no JSON (HTTP {response.status_code})",
            ) from error
        for entry in body.get("errors") or ():
            code = (entry.get("extensions") or {}).get("code")
            if code in TRANSIENT_CODES:
                raise TransientSubgraphError(str(code), str(entry.get("message")))
        return body

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()
