"""CSRF prevention: run an operation only if a browser would have preflighted the request.

A browser sends a cross-origin GET, HEAD or POST without asking the server first (a "simple"
request) when its ``Content-Type`` is absent or one of ``text/plain``,
``application/x-www-form-urlencoded``, ``multipart/form-data`` and it adds no custom header.
Such a request is refused, so an operation only ever runs after the CORS policy approved it
(the rule of Apollo Server's ``csrfPrevention``).

Two ways to use it, both pure:

- :func:`csrf_violation` for the HTTP edge, per request carrying operations::

      problem = csrf_violation(method, headers, settings.hardening.csrf_prevention)
      if problem: respond 400 with {"errors": [problem.graphql_error()]}

- :class:`CsrfPreventionMiddleware`, an ASGI middleware for the GraphQL path; a ``GET`` without
  a query string (the GraphiQL page) passes untouched.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.hardening.errors import HardeningError, HardeningErrorCode
from gateway.hardening.settings import CsrfSettings

__all__ = ["SIMPLE_CONTENT_TYPES", "CsrfPreventionMiddleware", "csrf_violation"]

SIMPLE_CONTENT_TYPES = frozenset(
    {"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"}
)
#: methods a browser may send cross-origin without a preflight
_SIMPLE_METHODS = frozenset({"GET", "HEAD", "POST"})
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MEDIA_TYPE = re.compile(rf"^{_TOKEN}/{_TOKEN}$")


def _requires_preflight(content_type: str | None) -> bool:
    """Whether a browser must preflight this Content-Type; unparseable values do not count."""
    if content_type is None:
        return False
    essence = content_type.split(";", 1)[0].strip().lower()
    if not _MEDIA_TYPE.match(essence):
        return False
    return essence not in SIMPLE_CONTENT_TYPES


def csrf_violation(
    method: str, headers: Mapping[str, str], settings: CsrfSettings
) -> HardeningError | None:
    """The refusal of a request that a browser could have sent without preflight, or ``None``.

    ``headers`` has lower-cased names. The request passes when its method always preflights,
    its ``Content-Type`` is not a simple one, or it carries one of ``required_headers``.
    """
    if not settings.enabled or method.upper() not in _SIMPLE_METHODS:
        return None
    if _requires_preflight(headers.get("content-type")):
        return None
    if any(headers.get(name) is not None for name in settings.required_headers):
        return None
    return HardeningError(
        HardeningErrorCode.CSRF_PREFLIGHT_REQUIRED,
        "This operation has been blocked as a potential cross-site request forgery. Send a "
        f"Content-Type other than {', '.join(sorted(SIMPLE_CONTENT_TYPES))}, or one of the "
        f"headers {', '.join(settings.required_headers)}",
    )


class CsrfPreventionMiddleware:
    """ASGI middleware applying :func:`csrf_violation` to requests on ``paths``."""

    def __init__(
        self, app: ASGIApp, settings: CsrfSettings, paths: Collection[str] = ("/graphql",)
    ) -> None:
        self._app = app
        self._settings = settings
        self._paths = frozenset(paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self._paths:
            await self._app(scope, receive, send)
            return
        method: str = scope["method"]
        if method in ("GET", "HEAD") and not scope.get("query_string"):
            await self._app(scope, receive, send)  # a page load, not an operation
            return
        problem = csrf_violation(method, _headers(scope), self._settings)
        if problem is None:
            await self._app(scope, receive, send)
            return
        error: dict[str, Any] = problem.graphql_error()
        request_id = scope.get("state", {}).get("request_id")
        if request_id:
            error["extensions"]["requestId"] = request_id
        body = orjson.dumps({"errors": [error]})
        await send(
            {
                "type": "http.response.start",
                "status": problem.status,
                "headers": [
                    (b"content-type", b"application/json; charset=utf-8"),
                    (b"content-length", str(len(body)).encode("latin-1")),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _headers(scope: Scope) -> dict[str, str]:
    """Header names lower-cased; repeated headers joined with ", " (the Fetch standard)."""
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope["headers"]:
        name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers
