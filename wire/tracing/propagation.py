"""W3C Trace Context on the wire: reading and writing ``traceparent`` / ``tracestate``.

A propagator instance of our own is used (never OpenTelemetry's global one), so nothing here
depends on process-wide state. Header names are lower case, as ASGI and our fetch headers have
them.

Usage::

    context = extract_context({"traceparent": "00-4bf9...-00f0...-01"})
    headers: dict[str, str] = {}
    inject_context(headers)           # the current span's traceparent (and tracestate)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping

from opentelemetry.context import Context
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

__all__ = [
    "TRACEPARENT",
    "TRACESTATE",
    "TraceHeaders",
    "extract_context",
    "inject_context",
    "trace_headers",
    "trace_id_of",
]

TRACEPARENT = "traceparent"
TRACESTATE = "tracestate"
#: version 00 as W3C Trace Context defines it (a future version is read by its first fields)
_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$")
_PROPAGATOR = TraceContextTextMapPropagator()

#: the ``traceparent`` and, when given, ``tracestate`` of a request (what is passed on)
TraceHeaders = dict[str, str]


def trace_headers(headers: Mapping[str, str]) -> TraceHeaders | None:
    """The valid ``traceparent`` of ``headers`` (with their ``tracestate``), unchanged, or
    ``None``: an invalid traceparent is dropped with its tracestate, as W3C asks."""
    parent = headers.get(TRACEPARENT)
    if parent is None:
        return None
    match = _TRACEPARENT.match(parent.strip())
    if match is None:
        return None
    version, trace_id, span_id, _flags, rest = match.groups()
    if version == "ff" or (version == "00" and rest) or set(trace_id) == {"0"}:
        return None
    if set(span_id) == {"0"}:
        return None
    found = {TRACEPARENT: parent.strip()}
    state = headers.get(TRACESTATE)
    if state:
        found[TRACESTATE] = state
    return found


def trace_id_of(headers: Mapping[str, str]) -> str | None:
    """The trace id (32 hex digits) of valid trace headers."""
    valid = trace_headers(headers)
    return valid[TRACEPARENT].split("-")[1] if valid is not None else None


def extract_context(headers: Mapping[str, str]) -> Context:
    """An OpenTelemetry context whose parent is the remote span ``headers`` name (an empty
    context when they name none)."""
    return _PROPAGATOR.extract(headers)


def inject_context(carrier: MutableMapping[str, str], context: Context | None = None) -> None:
    """Write the ``traceparent`` (and ``tracestate``) of ``context``'s span (default: the
    current one) into ``carrier``; nothing when there is no valid span."""
    _PROPAGATOR.inject(carrier, context)
