"""The subgraph's part of a trace: a SERVER span per request, child of the caller's.

Usage (``create_subgraph_app``; only when ``settings.tracing.enabled``)::

    app = ServerSpanMiddleware(app, tracing.tracer)

The span continues the trace named by the incoming ``traceparent`` (the gateway's fetch span, or
an import worker's call), so the gateway's and the subgraph's spans form one trace; without one
it starts a trace of its own. It is named ``<METHOD> <path>`` and carries
``ordergate.subgraph``, ``http.request.method``, ``url.path`` and ``http.response.status_code``
(``ERROR`` from 500 up). Its trace id is bound to structlog's context (``trace_id``).
"""

from __future__ import annotations

import structlog
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wire.tracing import TRACEPARENT, TRACESTATE, extract_context

__all__ = ["ServerSpanMiddleware"]

_TRACE_HEADERS = (TRACEPARENT.encode("latin-1"), TRACESTATE.encode("latin-1"))


class ServerSpanMiddleware:
    """Pure ASGI middleware: one server span per HTTP request of subgraph ``service``."""

    def __init__(self, app: ASGIApp, tracer: Tracer, service: str) -> None:
        self.app = app
        self.tracer = tracer
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = {
            name.decode("latin-1"): value.decode("latin-1")
            for name, value in scope.get("headers", ())
            if name in _TRACE_HEADERS
        }
        parent = extract_context(incoming)
        method: str = scope.get("method", "GET")
        path: str = scope.get("path", "")
        span = self.tracer.start_span(
            f"{method} {path}",
            context=parent,
            kind=SpanKind.SERVER,
            attributes={
                "ordergate.subgraph": self.service,
                "http.request.method": method,
                "url.path": path,
            },
        )

        async def send_noting_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status = int(message["status"])
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    span.set_status(Status(StatusCode.ERROR))
            await send(message)

        trace_id = format(span.get_span_context().trace_id, "032x")
        token = otel_context.attach(trace.set_span_in_context(span, parent))
        try:
            with structlog.contextvars.bound_contextvars(trace_id=trace_id):
                await self.app(scope, receive, send_noting_status)
        except BaseException as error:
            span.set_status(Status(StatusCode.ERROR, type(error).__name__))
            raise
        finally:
            otel_context.detach(token)
            span.end()
