"""Distributed tracing every deployable shares: settings, the tracer, W3C Trace Context.

- :mod:`wire.tracing.settings`: :class:`TracingSettings` (off by default);
- :mod:`wire.tracing.provider`: :func:`build_tracing`, an app's own tracer provider (OTLP/HTTP);
- :mod:`wire.tracing.propagation`: ``traceparent``/``tracestate`` in and out.

docs/observability.md ("Tracing") and docs/adr/1110-1112 describe the whole.
"""

from wire.tracing.propagation import (
    TRACEPARENT,
    TRACESTATE,
    TraceHeaders,
    extract_context,
    inject_context,
    trace_headers,
    trace_id_of,
)
from wire.tracing.provider import Tracing, build_tracing
from wire.tracing.settings import TracingSettings
from wire.tracing.spans import step_span

__all__ = [
    "TRACEPARENT",
    "TRACESTATE",
    "TraceHeaders",
    "Tracing",
    "TracingSettings",
    "build_tracing",
    "extract_context",
    "inject_context",
    "step_span",
    "trace_headers",
    "trace_id_of",
]
