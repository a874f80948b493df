"""The REST endpoint: a pure ASGI app serving the routes of the route file under their prefix.

Each call runs THROUGH the pipeline as a persisted operation with bound variables, exactly as
a GraphQL request does (same authentication, rights, cost budgets and rate limits,
idempotency, error scrubbing, correlation id):

1. the supergraph is borrowed once for the whole call; its routes are compiled once per
   supergraph (:class:`~gateway.rest.catalog.RouteCatalogs`, hot-reload safe);
2. method and path -> a route (404 ``ROUTE_NOT_FOUND``, 405 with ``Allow``, 410 after the
   route's sunset);
3. the HTTP-request hooks run (authentication: 401 with ``WWW-Authenticate``); the endpoint
   takes them with ``csrf=False`` because every body must be ``application/json`` (415
   otherwise, whatever the method), which a cross-site form cannot send, and credentials are
   headers a form cannot set;
4. a route requiring an ``Idempotency-Key`` refuses a call without one (400), before anything
   runs (an anonymous caller gets the pipeline's 401 for anonymous mutations first); the body
   is read (413 above ``http.max_request_bytes``) and parsed (400 ``INVALID_JSON``); the
   values are bound (400 ``INVALID_PARAMETER`` naming the parameter);
5. ``pipeline.execute(GraphQLRequest(trusted_document=route.document, ...))``: the route's
   document is vouched for by the gateway, so it runs for every client (also ``safelist``
   clients whose manifests do not list it);
6. the result becomes the response (:mod:`gateway.rest.responses`); GET successes get an
   ``ETag`` (304 on ``If-None-Match``), ``Cache-Control`` (the route's, default
   ``private, no-cache``) and ``Vary`` on the credential headers; errors ``no-store``.

docs/rest.md describes the contract.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import parse_qsl

import orjson
import structlog
from starlette.types import Receive, Scope, Send

from gateway.auth.anonymous_mutations import AnonymousMutationStage
from gateway.engine.slot import EngineSlot, NoEngineError
from gateway.engine.types import GraphQLRequest, GraphQLResult, RequestContext
from gateway.http.body import BodyTooLargeError, ClientDisconnectedError, read_body
from gateway.http.endpoint import run_request_hooks
from gateway.idempotency.keys import IDEMPOTENCY_KEY_HEADER
from gateway.observability.observation import note_codes, note_results, observe_context
from gateway.pipeline.serving import SupergraphPipeline
from gateway.pipeline.stages import RequestHook
from gateway.problems import ProblemError
from gateway.rest.bindings import (
    MISSING,
    BindingError,
    RawValues,
    bind_variables,
    name_parameters,
)
from gateway.rest.catalog import RouteCatalogs
from gateway.rest.compile import CompiledRoute
from gateway.rest.responses import (
    RestResponse,
    etag_of,
    problem,
    problem_from_errors,
    response_from_result,
)
from gateway.rest.router import MethodNotAllowed, match_route
from gateway.rest.versioning import deprecation_headers, is_sunset

__all__ = ["RestEndpoint"]

_log = structlog.get_logger(__name__)

#: ``Cache-Control`` of a GET success when the route names none: any cache must revalidate
DEFAULT_CACHE_CONTROL = "private, no-cache"


class _RequestError(ProblemError):
    """A call refused before it reached the pipeline."""


class _ClientGoneError(Exception):
    """The client went away before its body arrived."""


def _headers_of(scope: Scope) -> dict[str, str]:
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def _is_json(content_type: str | None) -> bool:
    if content_type is None:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def _etag_matches(if_none_match: str | None, etag: str) -> bool:
    if if_none_match is None:
        return False
    tags = [tag.strip() for tag in if_none_match.split(",")]
    return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)


class RestEndpoint:
    """ASGI app for the REST routes over the supergraph currently in ``slot``."""

    def __init__(
        self,
        slot: EngineSlot,
        catalogs: RouteCatalogs,
        *,
        stages: Sequence[RequestHook] = (),
        anonymous: AnonymousMutationStage | None = None,
        max_body_bytes: int = 1_048_576,
        credential_headers: Sequence[str] = ("Authorization", "X-API-Key"),
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._slot = slot
        self._catalogs = catalogs
        self._stages = tuple(stages)
        self._anonymous = anonymous
        self._max_body_bytes = max_body_bytes
        self._vary = ", ".join(credential_headers)
        self._clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request_id: str = scope.get("state", {}).get("request_id") or uuid.uuid4().hex
        try:
            response = await self._handle(scope, receive, request_id)
        except _ClientGoneError:
            return
        await _send(send, response, self._vary)

    async def _handle(self, scope: Scope, receive: Receive, request_id: str) -> RestResponse:
        try:
            async with self._slot.borrow() as pipeline:
                if not isinstance(pipeline, SupergraphPipeline):
                    raise _RequestError(404, "ROUTE_NOT_FOUND", "REST routes are not served")
                return await self._serve(pipeline, scope, receive, request_id)
        except NoEngineError:
            return problem(
                503, "SUPERGRAPH_NOT_LOADED", "The gateway has no supergraph yet", request_id
            )
        except _RequestError as refused:
            note_codes(scope, (refused.code,))  # metrics and the access line (observability)
            return problem(
                refused.status, refused.code, refused.detail, request_id, headers=refused.headers
            )
        except _ClientGoneError:
            raise
        except Exception:
            _log.exception("unexpected error while serving a REST route")
            return problem(500, "INTERNAL_SERVER_ERROR", "Internal server error", request_id)

    async def _serve(
        self, pipeline: SupergraphPipeline, scope: Scope, receive: Receive, request_id: str
    ) -> RestResponse:
        method: str = scope["method"]
        path: str = scope["path"]
        engine = pipeline.engine
        catalog = self._catalogs.for_supergraph(
            engine.supergraph_hash, engine.supergraph.api_schema
        )
        found = match_route(catalog.routes, method, path)
        if found is None:
            raise _RequestError(404, "ROUTE_NOT_FOUND", f"No route {method} {path}")
        if isinstance(found, MethodNotAllowed):
            raise _RequestError(
                405,
                "METHOD_NOT_ALLOWED",
                f"{method} is not allowed on {path}",
                {"allow": found.allow_header},
            )
        route = found.route
        version_headers = deprecation_headers(route.spec)
        if is_sunset(route.spec, self._clock()):
            raise _RequestError(
                410, "ROUTE_SUNSET", f"{method} {route.path} was retired", version_headers
            )
        headers = _headers_of(scope)
        if route.spec.idempotency_mode == "none":
            headers.pop(IDEMPOTENCY_KEY_HEADER, None)  # documented: ignored on such routes
        client = scope.get("client")
        context = RequestContext(
            request_id=request_id,
            headers=headers,
            allow_mutations=method != "GET",
            method=method,
            peer=str(client[0]) if client else None,
            attributes={"transport": "rest"},
        )
        observe_context(scope, context)  # metrics and the access line (observability)
        refused = await run_request_hooks(self._stages, context)
        if refused is not None:
            note_results(scope, (refused,), edge=True)
            return self._finish(route, _refusal(refused, request_id), version_headers)
        if route.spec.idempotency_mode == "required" and IDEMPOTENCY_KEY_HEADER not in headers:
            # as on GraphQL, an anonymous mutation is refused (401) before its key is asked for
            if self._anonymous is not None:
                anonymous = self._anonymous.refused(route.operation_type, context.principal)
                if anonymous is not None:
                    return self._finish(route, _refusal(anonymous, request_id), version_headers)
            raise _RequestError(
                400,
                "IDEMPOTENCY_KEY_REQUIRED",
                f"{method} {route.path} requires an Idempotency-Key header",
                version_headers,
            )
        try:
            body = await self._body(method, headers, receive)
        except _RequestError as refused_body:
            refused_body.headers.update(version_headers)
            raise
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        try:
            variables = bind_variables(route, RawValues(found.path_params, query, headers, body))
        except BindingError as error:
            raise _RequestError(400, "INVALID_PARAMETER", error.message, version_headers) from None
        request = GraphQLRequest(
            query=None,
            operation_name=route.operation_name,
            variables=variables,
            trusted_document=route.document,
        )
        result = await pipeline.execute(request, context)
        note_results(scope, (result,))
        if _is_coercion_refusal(result):
            errors = result.errors or []
            detail = name_parameters(route, str(errors[0].get("message", "")))
            raise _RequestError(400, "INVALID_PARAMETER", detail, version_headers)
        response = response_from_result(route, result, request_id, query, path)
        if method == "GET" and response.status == 200 and response.body is not None:
            etag = etag_of(response.body)
            response.headers["etag"] = etag
            if _etag_matches(headers.get("if-none-match"), etag):
                response = RestResponse(304, None, {**response.headers})
        return self._finish(route, response, version_headers)

    def _finish(
        self, route: CompiledRoute, response: RestResponse, version_headers: Mapping[str, str]
    ) -> RestResponse:
        headers = response.headers
        for name, value in version_headers.items():
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        if response.is_problem:
            return response  # ``no-store``: see _send
        if route.method == "GET":
            headers["cache-control"] = route.spec.cache_control or DEFAULT_CACHE_CONTROL
        else:
            headers["cache-control"] = "no-store"
        return response

    async def _body(self, method: str, headers: Mapping[str, str], receive: Receive) -> object:
        """The parsed JSON body (:data:`MISSING` when there is none)."""
        content_type = headers.get("content-type")
        if method == "GET":
            return MISSING
        if content_type is not None and not _is_json(content_type):
            raise _RequestError(
                415,
                "UNSUPPORTED_MEDIA_TYPE",
                f"Request bodies must be application/json, not '{content_type}'",
            )
        try:
            raw = await read_body(receive, self._max_body_bytes, headers.get("content-length"))
        except BodyTooLargeError as error:
            raise _RequestError(413, "PAYLOAD_TOO_LARGE", str(error)) from None
        except ClientDisconnectedError:
            raise _ClientGoneError from None
        if not raw.strip():
            return MISSING
        if content_type is None:
            raise _RequestError(
                415, "UNSUPPORTED_MEDIA_TYPE", "Request bodies must be application/json"
            )
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            raise _RequestError(
                400, "INVALID_JSON", f"The body is not valid JSON: {error}"
            ) from None


def _is_coercion_refusal(result: GraphQLResult) -> bool:
    """The engine refused the variables (400 ``BAD_USER_INPUT`` before execution)."""
    return (
        result.status_code == 400
        and result.data is None
        and bool(result.errors)
        and all(
            (error.get("extensions") or {}).get("code") == "BAD_USER_INPUT"
            for error in result.errors or ()
        )
    )


def _refusal(result: GraphQLResult, request_id: str) -> RestResponse:
    """The problem for a refusal of the HTTP-request hooks (its status and headers kept)."""
    response = problem_from_errors(result.errors or [], request_id, result.headers)
    if result.status_code >= 400 and response.status != result.status_code:
        # the hook's own status wins (it knows: 401 vs 503 of authentication)
        body = orjson.loads(response.body or b"{}")
        body["status"] = result.status_code
        response = RestResponse(
            result.status_code,
            orjson.dumps(body),
            response.headers,
            response.content_type,
            is_problem=True,
        )
    return response


async def _send(send: Send, response: RestResponse, vary: str) -> None:
    headers: list[tuple[bytes, bytes]] = []
    if response.body is not None:
        headers.append((b"content-type", response.content_type.encode("latin-1")))
        headers.append((b"content-length", str(len(response.body)).encode("latin-1")))
    elif response.status != 304:
        headers.append((b"content-length", b"0"))
    headers.append((b"vary", vary.encode("latin-1")))
    extra = dict(response.headers)
    if response.is_problem:
        extra["cache-control"] = "no-store"
    headers.extend(
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in extra.items()
        if name.lower() != "vary"
    )
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body or b""})
