"""Correlation ids: accept ``X-Request-ID`` (or generate one), log it, echo it, forward it.

Usage::

    app = RequestIdMiddleware(app)

The id is bound to structlog's context variables for the duration of the request, so every log
line carries it, and :func:`current_request_id` returns it to code that forwards it to subgraphs.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["REQUEST_ID_HEADER", "RequestIdMiddleware", "current_request_id"]

REQUEST_ID_HEADER = "x-request-id"
_HEADER_BYTES = REQUEST_ID_HEADER.encode("latin-1")
_ACCEPTABLE = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_current: ContextVar[str | None] = ContextVar("ordergate_request_id", default=None)


def current_request_id() -> str | None:
    """The correlation id of the request being handled, if any."""
    return _current.get()


def _incoming_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == _HEADER_BYTES:
            candidate: str = value.decode("latin-1")
            if _ACCEPTABLE.fullmatch(candidate):
                return candidate
            break
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Pure ASGI middleware: one correlation id per HTTP request, echoed on the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        header = (_HEADER_BYTES, request_id.encode("latin-1"))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", ()) if h[0].lower() != _HEADER_BYTES]
                headers.append(header)
                message["headers"] = headers
            await send(message)

        token = _current.set(request_id)
        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                _current.reset(token)
