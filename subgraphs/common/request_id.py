"""ASGI middleware: accept (or create) the request's ``X-Request-ID``, log with it, echo it.

The id is taken from the inbound ``X-Request-ID`` header when it is a sane token (at most 128
visible ASCII characters), otherwise a new UUID4 hex is generated. It is stored in
``scope["state"]["request_id"]``, bound to structlog's context variables for every log line of the
request, and returned in the response's ``X-Request-ID`` header.
"""

from __future__ import annotations

import re
import time
import uuid

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["REQUEST_ID_HEADER", "RequestIdMiddleware", "accept_request_id"]

REQUEST_ID_HEADER = "x-request-id"
_ACCEPTABLE = re.compile(r"^[\x21-\x7e]{1,128}$")

_logger = structlog.get_logger("ordergate.subgraph.http")


def accept_request_id(inbound: str | None) -> str:
    """The inbound id if acceptable, else a fresh one."""
    if inbound and _ACCEPTABLE.match(inbound):
        return inbound
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Binds the request id for logging and echoes it on the response."""

    def __init__(self, app: ASGIApp, *, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        inbound = next(
            (v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), None
        )
        request_id = accept_request_id(inbound)
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id, service=self.service):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                _logger.info(
                    "request",
                    method=scope.get("method"),
                    path=scope.get("path"),
                    status=status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 2),
                )
