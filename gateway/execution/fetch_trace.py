"""Subgraph fetch spans: one CLIENT span per HTTP attempt, its ``traceparent`` on the wire.

:class:`TracedTransport` wraps the engine's :class:`SubgraphTransport` only when tracing is on
(``EngineOptions.tracer``); off, the engine uses the bare transport and none of this runs. Each
attempt (the first send and every retry the :class:`~gateway.execution.resilience.Resilience`
makes) gets its own span, ``fetch <subgraph>``, child of the span current at the fetch (the
plan's execution), and the subgraph receives that span as its parent in ``traceparent``: the
subgraph's server span is the child of the very call that reached it (docs/adr/1111).

The span carries ``ordergate.subgraph``, ``http.request.method``, ``http.response.status_code``
(the status the transport saw, also when the body was a GraphQL error), and from the second
attempt on ``http.request.resend_count`` (the retry number). A failed attempt has status
``ERROR`` and ``error.type`` (``SUBREQUEST_HTTP_ERROR``, ``SUBREQUEST_TIMEOUT``).

A call shared by in-flight deduplication is one HTTP call: it belongs to the trace of the
request that started it (as its ``X-Request-ID`` does), the others wait for its answer.
"""

from __future__ import annotations

from collections.abc import Mapping

from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer

from gateway.execution.fetch_status import current_resend, listen_status, stop_listening
from gateway.execution.transport import SubgraphFailure, SubgraphTransport
from wire.tracing import inject_context

__all__ = ["TracedTransport"]


class TracedTransport:
    """A :class:`SubgraphTransport` that records a span per attempt and sends its context."""

    def __init__(self, inner: SubgraphTransport, tracer: Tracer) -> None:
        self.inner = inner
        self._tracer = tracer

    async def send(
        self, service: str, body: bytes, headers: Mapping[str, str] | None = None
    ) -> bytes:
        """Send through the wrapped transport inside a ``fetch <service>`` span."""
        attributes: dict[str, str | int] = {
            "ordergate.subgraph": service,
            "http.request.method": "POST",
        }
        resend = current_resend()
        if resend:
            attributes["http.request.resend_count"] = resend
        with self._tracer.start_as_current_span(
            f"fetch {service}",
            kind=SpanKind.CLIENT,
            attributes=attributes,
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            carrier = dict(headers) if headers else {}
            inject_context(carrier)
            box = [0]
            token = listen_status(box)
            try:
                payload = await self.inner.send(service, body, carrier)
            except SubgraphFailure as failure:
                status = failure.status or box[0]
                if status:
                    span.set_attribute("http.response.status_code", status)
                span.set_attribute("error.type", failure.code)
                span.set_status(Status(StatusCode.ERROR, failure.code))
                raise
            finally:
                stop_listening(token)
            if box[0]:
                span.set_attribute("http.response.status_code", box[0])
            return payload

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self.inner.aclose()
