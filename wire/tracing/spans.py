"""Small helpers for the spans of optional tracing (``tracer`` may be ``None``)."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from opentelemetry.trace import Span, Tracer

__all__ = ["step_span"]

_NOTHING: AbstractContextManager[None] = nullcontext()


def step_span(tracer: Tracer | None, name: str) -> AbstractContextManager[Span | None]:
    """A span named ``name`` around a step when ``tracer`` is given, else a shared no-op."""
    if tracer is None:
        return _NOTHING
    return tracer.start_as_current_span(name)
