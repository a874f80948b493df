"""The trace-context middleware: a server span continuing the incoming trace (on), the incoming
headers kept for passing on (off), the trace id in structlog's context and the scope either way.
"""

from __future__ import annotations

from typing import Any

import httpx
import structlog
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from gateway.observability.trace_context import current_trace_id, outgoing_trace_headers
from gateway.observability.tracing_edge import TraceContextMiddleware
from wire.tracing import Tracing, TracingSettings, build_tracing

INCOMING_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
INCOMING = f"00-{INCOMING_TRACE}-00f067aa0ba902b7-01"


async def what_the_request_sees(request: Request) -> JSONResponse:
    seen: dict[str, Any] = {
        "logged": structlog.contextvars.get_contextvars().get("trace_id"),
        "current": current_trace_id(),
        "outgoing": outgoing_trace_headers(),
        "state": getattr(request.state, "trace_id", None),
    }
    status = 503 if request.path_params["order_id"] == "down" else 200
    return JSONResponse(seen, status_code=status)


def app(tracing: Tracing | None) -> Starlette:
    return Starlette(
        routes=[Route("/orders/{order_id}", what_the_request_sees)],
        middleware=[Middleware(TraceContextMiddleware, tracer=tracing.tracer if tracing else None)],
    )


async def get(application: Starlette, path: str, headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        return await client.get(path, headers=headers)


async def test_off_an_incoming_traceparent_is_kept_as_it_came() -> None:
    application = app(None)
    headers = {"traceparent": INCOMING, "tracestate": "vendor=1"}
    seen = (await get(application, "/orders/1", headers)).json()
    assert seen == {
        "logged": INCOMING_TRACE,
        "current": INCOMING_TRACE,
        "outgoing": headers,
        "state": INCOMING_TRACE,
    }
    nothing = (await get(application, "/orders/1", {})).json()
    assert nothing == {"logged": None, "current": None, "outgoing": None, "state": None}
    broken = (await get(application, "/orders/1", {"traceparent": "00-broken"})).json()
    assert broken["current"] is None and broken["outgoing"] is None


async def test_on_a_server_span_continues_the_incoming_trace() -> None:
    exporter = InMemorySpanExporter()
    tracing = build_tracing(
        TracingSettings(enabled=True), default_service="edge-test", exporter=exporter
    )
    assert tracing is not None
    application = app(tracing)
    seen = (await get(application, "/orders/42", {"traceparent": INCOMING})).json()
    down = (await get(application, "/orders/down", {})).json()
    missing = await get(application, "/no/such/route/8e1f", {})
    tracing.shutdown()
    first, second, third = exporter.get_finished_spans()
    assert missing.status_code == 404 and third.name == "GET"  # no arbitrary path as a name
    assert first.name == "GET /orders/{order_id}" and first.kind is SpanKind.SERVER
    assert first.context is not None and first.parent is not None
    assert format(first.context.trace_id, "032x") == INCOMING_TRACE
    assert format(first.parent.span_id, "016x") == "00f067aa0ba902b7"
    assert first.attributes is not None and first.attributes["http.response.status_code"] == 200
    assert first.resource.attributes["service.name"] == "edge-test"
    assert seen["logged"] == seen["current"] == seen["state"] == INCOMING_TRACE
    parent = seen["outgoing"]["traceparent"].split("-")
    assert parent[1] == INCOMING_TRACE and parent[2] == format(first.context.span_id, "016x")
    # without a traceparent: a new trace, no parent; 5xx marks the span as an error
    assert second.parent is None and second.context is not None
    assert down["current"] == format(second.context.trace_id, "032x") != INCOMING_TRACE
    assert second.status.status_code is StatusCode.ERROR


def test_off_builds_nothing() -> None:
    assert build_tracing(TracingSettings(), default_service="x") is None
