"""The trace of the request being handled: its id, and the headers that carry it onwards.

Set for every route by :class:`~gateway.observability.tracing_edge.TraceContextMiddleware`:
with tracing on, the request's server span is OpenTelemetry's current span; with tracing off,
only a valid incoming ``traceparent`` (and its ``tracestate``) is kept, unchanged, to be passed
on (W3C Trace Context asks every participant to propagate it).

- :func:`current_trace_id`: for logs and ``extensions.traceId``;
- :func:`outgoing_trace_headers`: for messages the request sends on (import jobs).
"""

from __future__ import annotations

from contextvars import ContextVar, Token

from opentelemetry import trace

from wire.tracing import TRACEPARENT, TraceHeaders, inject_context

__all__ = ["current_trace_id", "enter_passthrough", "leave_passthrough", "outgoing_trace_headers"]

#: the valid incoming trace headers of a request served with tracing off
_PASSTHROUGH: ContextVar[TraceHeaders | None] = ContextVar("ordergate_trace_headers", default=None)


def enter_passthrough(headers: TraceHeaders) -> Token[TraceHeaders | None]:
    """Keep ``headers`` (valid, incoming) for the request being handled (tracing off)."""
    return _PASSTHROUGH.set(headers)


def leave_passthrough(token: Token[TraceHeaders | None]) -> None:
    """Undo :func:`enter_passthrough`."""
    _PASSTHROUGH.reset(token)


def current_trace_id() -> str | None:
    """The trace id (32 hex digits) of the request being handled: its server span's with
    tracing on, the incoming one's with tracing off; ``None`` when it belongs to no trace."""
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        return format(context.trace_id, "032x")
    passthrough = _PASSTHROUGH.get()
    if passthrough is not None:
        return passthrough[TRACEPARENT].split("-")[1]
    return None


def outgoing_trace_headers() -> TraceHeaders | None:
    """``traceparent`` (and ``tracestate``) for a message sent on behalf of this request: the
    current span with tracing on, the incoming headers unchanged with tracing off."""
    headers: TraceHeaders = {}
    inject_context(headers)
    if headers:
        return headers
    passthrough = _PASSTHROUGH.get()
    return dict(passthrough) if passthrough is not None else None
