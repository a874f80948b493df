"""Trace context at the HTTP edge, for every route (``/graphql``, ``/jobs``, REST, health).

Usage (``create_app``; inside :class:`RequestIdMiddleware`)::

    app = TraceContextMiddleware(app, tracer)      # tracer None: tracing off

Tracing on: one SERVER span per HTTP request, named ``<METHOD> <route>`` (path parameters
shown as ``{name}``; ``<METHOD>`` alone when no route matched), child of the incoming
``traceparent`` when there is a valid one (its trace id kept), current for everything the
request does; ``http.response.status_code`` and an ``ERROR`` status from 500 up. Tracing off:
no span; a valid incoming ``traceparent``/``tracestate`` is kept as they are, to be passed on
to subgraphs and import jobs.

Either way the request's trace id, when it has one, is bound to structlog's context
(``trace_id`` on every log line of the request) and is in the scope's state (``trace_id``).
"""

from __future__ import annotations

import structlog
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.observability.trace_context import enter_passthrough, leave_passthrough
from wire.tracing import TRACEPARENT, TRACESTATE, extract_context, trace_headers

__all__ = ["TraceContextMiddleware"]

_TRACEPARENT_BYTES = TRACEPARENT.encode("latin-1")
_TRACE_HEADERS = (_TRACEPARENT_BYTES, TRACESTATE.encode("latin-1"))


def _incoming(scope: Scope) -> dict[str, str]:
    """The raw trace headers of the request (names lower case, as ASGI gives them)."""
    found: dict[str, str] = {}
    for name, value in scope.get("headers", ()):
        if name in _TRACE_HEADERS:
            found[name.decode("latin-1")] = value.decode("latin-1")
    return found


def _span_name(method: str, scope: Scope) -> str:
    """``<METHOD> <route>``: the path with its path parameters' values replaced by their names;
    just ``<METHOD>`` when no route matched (a 404 must not name a span by an arbitrary path)."""
    if "endpoint" not in scope:
        return method
    return f"{method} {_route(scope)}"


def _route(scope: Scope) -> str:
    """The path with the values of its path parameters replaced by their names."""
    path: str = scope.get("path", "")
    params = scope.get("path_params") or {}
    for name, value in params.items():
        text = str(value)
        if text:
            path = path.replace(f"/{text}", f"/{{{name}}}", 1)
    return path


class TraceContextMiddleware:
    """Pure ASGI middleware: the request's trace (a server span when ``tracer`` is given)."""

    def __init__(self, app: ASGIApp, tracer: Tracer | None = None) -> None:
        self.app = app
        self.tracer = tracer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.tracer is None:
            await self._passthrough(scope, receive, send)
        else:
            await self._traced(self.tracer, scope, receive, send)

    async def _passthrough(self, scope: Scope, receive: Receive, send: Send) -> None:
        incoming = _incoming(scope)
        valid = trace_headers(incoming) if incoming else None
        if valid is None:
            await self.app(scope, receive, send)
            return
        trace_id = valid[TRACEPARENT].split("-")[1]
        scope.setdefault("state", {})["trace_id"] = trace_id
        token = enter_passthrough(valid)
        try:
            with structlog.contextvars.bound_contextvars(trace_id=trace_id):
                await self.app(scope, receive, send)
        finally:
            leave_passthrough(token)

    async def _traced(self, tracer: Tracer, scope: Scope, receive: Receive, send: Send) -> None:
        method: str = scope.get("method", "GET")
        parent = extract_context(_incoming(scope))
        span = tracer.start_span(
            method,
            context=parent,
            kind=SpanKind.SERVER,
            attributes={"http.request.method": method, "url.path": scope.get("path", "")},
        )
        trace_id = format(span.get_span_context().trace_id, "032x")
        scope.setdefault("state", {})["trace_id"] = trace_id

        async def send_noting_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status = int(message["status"])
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    span.set_status(Status(StatusCode.ERROR))
            await send(message)

        token = otel_context.attach(trace.set_span_in_context(span, parent))
        try:
            with structlog.contextvars.bound_contextvars(trace_id=trace_id):
                await self.app(scope, receive, send_noting_status)
        except BaseException as error:
            span.set_status(Status(StatusCode.ERROR, type(error).__name__))
            raise
        finally:
            otel_context.detach(token)
            span.update_name(_span_name(method, scope))
            span.end()
