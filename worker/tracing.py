"""The worker's part of a trace: it continues the trace of the request that submitted the job.

The gateway stores the submitting request's ``traceparent``/``tracestate`` on the job
(:class:`wire.jobs.model.Job`). Per attempt at a chunk's rows the worker runs
:func:`continuing`:

- tracing on (``tracing.enabled`` of the worker; the embedded worker follows the gateway's
  ``observability.tracing``): a CONSUMER span ``import <kind>``, child of the submitting
  request's span, current while the rows' subgraph calls are made (each call is a CLIENT span
  whose context the subgraph receives);
- tracing off: no span; the job's trace headers are passed on unchanged to the subgraph calls.

Usage::

    with continuing(tracer, job, rows=len(rows), attempt=1):
        await handler.run(job, rows)        # SubgraphCaller adds outgoing_headers()
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import structlog
from opentelemetry.trace import SpanKind, Tracer

from wire.jobs.model import Job
from wire.tracing import (
    TRACEPARENT,
    TRACESTATE,
    TraceHeaders,
    extract_context,
    inject_context,
    trace_headers,
)

__all__ = ["continuing", "job_trace", "outgoing_headers"]

_PASSTHROUGH: ContextVar[TraceHeaders | None] = ContextVar("ordergate_job_trace", default=None)


def job_trace(job: Job) -> TraceHeaders | None:
    """The valid trace headers stored on ``job``, if any."""
    if job.traceparent is None:
        return None
    stored = {TRACEPARENT: job.traceparent}
    if job.tracestate:
        stored[TRACESTATE] = job.tracestate
    return trace_headers(stored)


@contextmanager
def continuing(tracer: Tracer | None, job: Job, *, rows: int, attempt: int) -> Iterator[None]:
    """The job's trace, current for the calls made inside (a span when ``tracer`` is given)."""
    incoming = job_trace(job)
    if tracer is None:
        if incoming is None:
            yield
            return
        token = _PASSTHROUGH.set(incoming)
        try:
            with structlog.contextvars.bound_contextvars(trace_id=incoming[TRACEPARENT][3:35]):
                yield
        finally:
            _PASSTHROUGH.reset(token)
        return
    with tracer.start_as_current_span(
        f"import {job.kind.value}",
        context=extract_context(incoming or {}),
        kind=SpanKind.CONSUMER,
        attributes={
            "ordergate.job.id": job.id,
            "ordergate.job.kind": job.kind.value,
            "ordergate.job.rows": rows,
            "ordergate.job.attempt": attempt,
        },
    ) as span:
        trace_id = format(span.get_span_context().trace_id, "032x")
        with structlog.contextvars.bound_contextvars(trace_id=trace_id):
            yield


def outgoing_headers() -> TraceHeaders:
    """``traceparent`` (and ``tracestate``) for a subgraph call: the current span's, or the
    job's unchanged with tracing off; empty when the job came without a trace."""
    headers: TraceHeaders = {}
    inject_context(headers)
    if headers:
        return headers
    passthrough = _PASSTHROUGH.get()
    return dict(passthrough) if passthrough is not None else {}
