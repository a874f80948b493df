"""``GET /requests/{id}``: a request's record, for its own client only (JSON).

The caller is authenticated by the same HTTP-request stages as ``/jobs``
(``request_stages(runtime, csrf=False)``). Answers: 200 with the record; 404
``REQUEST_NOT_FOUND`` when there is none, it expired, or it is another caller's (its existence
is not revealed); 401 ``AUTHENTICATION_REQUIRED`` without credentials; a stage's own refusal
(``INVALID_API_KEY``, ``TOKEN_EXPIRED``, ...) as it made it; 503 ``REQUEST_LOOKUP_UNAVAILABLE``
when the store cannot be read (Redis down). Errors are problem documents
(``application/problem+json``) as the job API's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import orjson
import structlog
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.auth.errors import AuthErrorCode
from gateway.engine.types import RequestContext
from gateway.observability.lookup.query import lookup_request
from gateway.observability.lookup.store import LookupStore
from gateway.pipeline.stages import RequestHook
from gateway.problems import PROBLEM_JSON, problem_document

__all__ = ["LookupEndpoint", "lookup_routes"]

_log = structlog.get_logger("gateway.request_lookup")
_JSON = "application/json"
_NO_STORE = {"cache-control": "no-store"}


def _problem(
    status: int,
    code: str,
    detail: str,
    request: Request,
    headers: Mapping[str, str] | None = None,
) -> Response:
    request_id = getattr(request.state, "request_id", None)
    body = problem_document(status, code, detail, request_id)
    body["requestId"] = request_id  # as the job API's problems
    return Response(orjson.dumps(body), status, dict(headers or {}), media_type=PROBLEM_JSON)


class LookupEndpoint:
    """Answers ``GET /requests/{request_id}`` from ``store``."""

    def __init__(self, store: LookupStore, stages: Sequence[RequestHook], realm: str) -> None:
        self.store = store
        self._stages = tuple(stages)
        self._challenge = f'Bearer realm="{realm}", ApiKey realm="{realm}"'

    async def serve(self, request: Request) -> Response:
        """The record, or a problem document."""
        context = RequestContext(
            request_id=getattr(request.state, "request_id", None) or "",
            headers={name.lower(): value for name, value in request.headers.items()},
            method=request.method,
            peer=request.client.host if request.client else None,
            attributes={"transport": "lookup"},
        )
        for stage in self._stages:
            refused = await stage.on_request(context)
            if refused is not None:
                error = (refused.errors or [{}])[0]
                code = str((error.get("extensions") or {}).get("code", "BAD_REQUEST"))
                detail = str(error.get("message", ""))
                return _problem(refused.status_code, code, detail, request, refused.headers)
        principal = context.principal
        if not principal.is_authenticated:
            return _problem(
                401,
                str(AuthErrorCode.AUTHENTICATION_REQUIRED),
                "Request lookups need credentials: a bearer token or an API key",
                request,
                {"www-authenticate": self._challenge},
            )
        try:
            record = await lookup_request(self.store, request.path_params["request_id"], principal)
        except Exception as error:  # the store is down (Redis): say so, nothing more
            _log.warning("request lookup failed", error=type(error).__name__)
            return _problem(
                503, "REQUEST_LOOKUP_UNAVAILABLE", "Request records cannot be read now", request
            )
        if record is None:
            return _problem(
                404, "REQUEST_NOT_FOUND", "No record of this request for this caller", request
            )
        return Response(orjson.dumps(record), headers=_NO_STORE, media_type=_JSON)


def lookup_routes(endpoint: LookupEndpoint | None) -> list[Route]:
    """``GET /requests/{request_id}`` when the request lookup is on."""
    if endpoint is None:
        return []
    return [Route("/requests/{request_id}", endpoint.serve, methods=["GET"])]
