"""GraphQL calls from a worker to a subgraph, with failures sorted into transient and permanent.

Transient (worth a retry, then the dead-letter list): the subgraph cannot be reached, times out,
answers HTTP 5xx or ``INTERNAL_SERVER_ERROR``, or refuses the worker's principal (HTTP 401/403:
a configuration to fix, after which the dead letters are replayed). Everything else the subgraph
says is an answer.

A call made on behalf of a job's submitter carries that principal as the gateway would send it
(``principal_headers``: ``off``, ``trusted`` or ``signed``; a signature is made per call, bound
to the call's ``X-Request-ID``), so subgraphs that require the gateway's signed principal serve
the worker, with the submitter's object-level access.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Tracer

from wire.forwarding import PrincipalHeadersSettings
from wire.principal import PRINCIPAL_HEADER, SIGNATURE_HEADER, sign
from worker.tracing import outgoing_headers

__all__ = ["SubgraphCaller", "TransientSubgraphError"]

TRANSIENT_CODES = frozenset({"INTERNAL_SERVER_ERROR"})


class TransientSubgraphError(Exception):
    """A call that may succeed if tried again."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _refusal_code(response: httpx.Response) -> str:
    try:
        errors = response.json().get("errors") or [{}]
        return str((errors[0].get("extensions") or {}).get("code") or "SUBGRAPH_REFUSED")
    except (ValueError, AttributeError):
        return "SUBGRAPH_REFUSED"


class SubgraphCaller:
    """POSTs operations to subgraphs by name; URLs come from ``urls()`` at each call (they
    follow supergraph reloads)."""

    def __init__(
        self,
        urls: Callable[[], Mapping[str, str]],
        timeout_seconds: float,
        principal_headers: PrincipalHeadersSettings | None = None,
        tracer: Tracer | None = None,
    ) -> None:
        self._urls = urls
        #: a CLIENT span per call (``None``: tracing off)
        self._tracer = tracer
        self._http = httpx.AsyncClient(timeout=timeout_seconds)
        forwarding = principal_headers or PrincipalHeadersSettings()
        self._forward = forwarding.mode != "off"
        self._secret = forwarding.load_secret() if forwarding.mode == "signed" else None

    def _principal_headers(self, principal: str | None, request_id: str) -> dict[str, str]:
        if not self._forward or principal is None:
            return {}
        headers = {PRINCIPAL_HEADER: principal}
        if self._secret is not None:
            headers[SIGNATURE_HEADER] = sign(
                self._secret, principal, request_id, issued_at=int(time.time())
            )
        return headers

    async def call(
        self,
        subgraph: str,
        query: str,
        variables: Mapping[str, Any],
        headers: Mapping[str, str] | None = None,
        *,
        principal: str | None = None,
    ) -> dict[str, Any]:
        """The response body; raises :class:`TransientSubgraphError`. ``principal`` is the
        forwarded principal header value to send (signed when configured). The job's trace
        goes with the call (:mod:`worker.tracing`)."""
        if self._tracer is None:
            return await self._call(subgraph, query, variables, headers, principal)
        with self._tracer.start_as_current_span(
            f"call {subgraph}",
            kind=SpanKind.CLIENT,
            attributes={"ordergate.subgraph": subgraph, "http.request.method": "POST"},
        ):
            return await self._call(subgraph, query, variables, headers, principal)

    async def _call(
        self,
        subgraph: str,
        query: str,
        variables: Mapping[str, Any],
        headers: Mapping[str, str] | None,
        principal: str | None,
    ) -> dict[str, Any]:
        headers = dict(headers or {})
        headers.update(outgoing_headers())
        headers.update(self._principal_headers(principal, headers.get("x-request-id", "")))
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
        _note_status(response.status_code)
        if response.status_code in (401, 403):  # our credentials, not the row: retry, replay
            raise TransientSubgraphError(_refusal_code(response), f"{subgraph} refused the worker")
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


def _note_status(status: int) -> None:
    """The HTTP status on the current call's span (nothing without a recording span)."""
    span = trace.get_current_span()
    if span.is_recording():
        span.set_attribute("http.response.status_code", status)
