"""The trace context as a stage: with tracing off, its fetch hook passes an incoming
``traceparent``/``tracestate`` on to every subgraph, unchanged.

With tracing on the hook adds nothing: every subgraph attempt has its own span, and the traced
transport sends that span as the parent (:mod:`gateway.execution.fetch_trace`), which a header
computed once per operation could not do.

Both headers are ``vary=False``: they describe the call, not what the subgraph answers, so they
never keep identical in-flight queries from sharing a subgraph call. A shared call is one HTTP
call and carries the trace of the request that started it, exactly as it carries that
request's ``X-Request-ID``; marking them ``vary`` would end deduplication for every traced
client, since each request has a trace of its own (docs/adr/1111).
"""

from __future__ import annotations

from gateway.engine.types import RequestContext
from gateway.pipeline.fetch_headers import HeaderSource
from wire.tracing import TRACEPARENT, TRACESTATE, trace_headers

__all__ = ["TraceContextStage"]


class TraceContextStage:
    """Fetch hook: the incoming trace headers on every subgraph fetch (tracing off)."""

    name = "trace-context"

    def __init__(self, *, traced: bool) -> None:
        self._traced = traced

    def fetch_headers(self) -> list[HeaderSource]:
        """``traceparent`` and ``tracestate`` as they came in (nothing when tracing is on)."""
        if self._traced:
            return []
        return [HeaderSource(TRACEPARENT, _traceparent), HeaderSource(TRACESTATE, _tracestate)]


def _traceparent(context: RequestContext) -> str | None:
    if TRACEPARENT not in context.headers:
        return None
    valid = trace_headers(context.headers)
    return valid[TRACEPARENT] if valid is not None else None


def _tracestate(context: RequestContext) -> str | None:
    if TRACESTATE not in context.headers:
        return None
    valid = trace_headers(context.headers)
    return valid.get(TRACESTATE) if valid is not None else None
