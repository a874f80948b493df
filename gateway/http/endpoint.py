"""The GraphQL endpoint: a pure ASGI app implementing GraphQL over HTTP.

GET runs queries only (a mutation over GET is refused with 405 by the engine, which knows the
operation type); POST takes ``application/json`` bodies, single or batched. A browser GET without
a query gets GraphiQL. Every error carries the request's correlation id in
``extensions.requestId``.

Once per HTTP request, before the body is read: the method is checked, then the HTTP-request
hooks of the stages run in order (``gateway.pipeline.assembly``: CSRF prevention, 400
``CSRF_PREFLIGHT_REQUIRED``; authentication, 401/503 with ``WWW-Authenticate``); the principal
they set then goes with every entry of a batch.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from typing import Any
from urllib.parse import parse_qsl

import orjson
import structlog
from starlette.types import Receive, Scope, Send

from gateway.engine.slot import EngineSlot, NoEngineError
from gateway.engine.types import GraphQLResult, RequestContext
from gateway.http.batch import batch_status_and_headers
from gateway.http.body import BodyTooLargeError, ClientDisconnectedError, read_body
from gateway.http.graphiql import wants_html
from gateway.http.graphql_request import (
    JSON,
    DecodedBody,
    HttpRequestError,
    decode_get,
    decode_post,
    negotiate_response_type,
)
from gateway.observability.observation import (
    OBSERVATION,
    note_results,
    observe_context,
)
from gateway.pipeline.stages import RequestHook
from gateway.settings import HttpSettings
from webui import HtmlPage

__all__ = ["GraphQLEndpoint", "run_request_hooks"]

_log = structlog.get_logger(__name__)
_METHODS = ("GET", "POST")


async def run_request_hooks(
    stages: Sequence[RequestHook], context: RequestContext
) -> GraphQLResult | None:
    """Run the HTTP-request hooks in order: the first refusal, or ``None``."""
    for stage in stages:
        refused = await stage.on_request(context)
        if refused is not None:
            return refused
    return None


def _with_request_id(
    result: GraphQLResult, request_id: str, trace_id: str | None = None
) -> dict[str, Any]:
    """The payload with the correlation id on every error (results may be cached and shared:
    nothing in them is changed). A replayed result keeps the id of the request that made it.
    ``trace_id`` (the request's trace, docs/adr/1112) goes in ``extensions.traceId``."""
    request_id = result.request_id or request_id
    payload = result.to_payload()
    errors = payload.get("errors")
    if errors:
        payload["errors"] = [
            {**error, "extensions": {**(error.get("extensions") or {}), "requestId": request_id}}
            for error in errors
        ]
    if trace_id is not None:
        payload["extensions"] = {**(payload.get("extensions") or {}), "traceId": trace_id}
    return payload


def _serialize(result: GraphQLResult, request_id: str, trace_id: str | None = None) -> bytes:
    return orjson.dumps(_with_request_id(result, request_id, trace_id))


def _trace_id(scope: Scope) -> str | None:
    """The request's trace id (set by the trace-context middleware), if it belongs to one."""
    state = scope.get("state")
    return state.get("trace_id") if state else None


def _peer(scope: Scope) -> str | None:
    """The TCP peer's host (uvicorn runs without proxy-header rewriting: this is the socket)."""
    client = scope.get("client")
    return str(client[0]) if client else None


def _entry(context: RequestContext) -> dict[str, Any]:
    """The attributes a batch entry starts with: only the request's observation."""
    observation = context.attributes.get(OBSERVATION)
    return {} if observation is None else {OBSERVATION: observation}


def _error_result(status: int, code: str, message: str) -> GraphQLResult:
    return GraphQLResult(
        errors=[{"message": message, "extensions": {"code": code}}], status_code=status
    )


class GraphQLEndpoint:
    """ASGI app for ``/graphql`` over the engine currently in ``slot``."""

    def __init__(
        self,
        slot: EngineSlot,
        settings: HttpSettings,
        graphiql: HtmlPage | None,
        *,
        stages: Sequence[RequestHook] = (),
    ):
        self._slot = slot
        self._settings = settings
        self._graphiql = graphiql
        self._stages = tuple(stages)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id: str = scope.get("state", {}).get("request_id") or uuid.uuid4().hex
        headers = {
            name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]
        }
        method: str = scope["method"]
        media_type = JSON
        try:
            if method == "GET" and self._graphiql is not None:
                params = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
                if "query" not in params and wants_html(headers.get("accept")):
                    page = self._graphiql
                    html_type = "text/html; charset=utf-8"
                    await _send(send, page.status, page.body, html_type, page.headers)
                    return
            media_type = negotiate_response_type(headers.get("accept"))
            if method not in _METHODS:
                raise HttpRequestError(
                    405, "METHOD_NOT_ALLOWED", f"{method} is not allowed", {"allow": "GET, POST"}
                )
            context = RequestContext(
                request_id=request_id,
                headers=headers,
                allow_mutations=method == "POST",
                method=method,
                peer=_peer(scope),
            )
            observe_context(scope, context)  # metrics and the access line (observability)
            refused = await run_request_hooks(self._stages, context)
            if refused is not None:
                note_results(scope, (refused,), edge=True)
                await self._respond(send, refused, request_id, media_type, _trace_id(scope))
                return
            decoded = await self._decode(scope, receive, method, headers)
        except HttpRequestError as problem:
            result = _error_result(problem.status, problem.code, problem.message)
            result.headers.update(problem.headers)
            note_results(scope, (result,), edge=True)
            await self._respond(send, result, request_id, media_type, _trace_id(scope))
            return
        except ClientDisconnectedError:
            return

        results = []
        for index, request in enumerate(decoded.requests):
            # each entry of a batch has its own context (its attributes are per operation)
            entry = context if index == 0 else replace(context, attributes=_entry(context))
            results.append(await self._execute(request, entry))
        note_results(scope, results)
        trace_id = _trace_id(scope)
        if decoded.batched:
            body = orjson.dumps(
                [_with_request_id(result, request_id, trace_id) for result in results]
            )
            status, batch_headers = batch_status_and_headers(results)
            await _send(send, status, body, _content_type(media_type), batch_headers)
        else:
            await self._respond(send, results[0], request_id, media_type, trace_id)

    async def _decode(
        self, scope: Scope, receive: Receive, method: str, headers: dict[str, str]
    ) -> DecodedBody:
        if method == "GET":
            params = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
            return DecodedBody((decode_get(params),), batched=False)
        limit = self._settings.max_request_bytes
        try:
            body = await read_body(receive, limit, headers.get("content-length"))
        except BodyTooLargeError as error:
            raise HttpRequestError(413, "PAYLOAD_TOO_LARGE", str(error)) from None
        return decode_post(headers.get("content-type"), body, self._settings.max_batch_size)

    async def _execute(self, request: Any, context: RequestContext) -> GraphQLResult:
        try:
            async with self._slot.borrow() as engine:
                result = await engine.execute(request, context)
        except NoEngineError:
            return _error_result(503, "SUPERGRAPH_NOT_LOADED", "The gateway has no supergraph yet")
        except Exception:
            _log.exception("unexpected error while executing an operation")
            return _error_result(500, "INTERNAL_SERVER_ERROR", "Internal server error")
        if result.status_code == 405:
            result.headers.setdefault("allow", "POST")
        return result

    async def _respond(
        self,
        send: Send,
        result: GraphQLResult,
        request_id: str,
        media_type: str,
        trace_id: str | None = None,
    ) -> None:
        shared = result.shared_body
        if shared is None or trace_id is not None:  # each request names its own trace
            body = _serialize(result, request_id, trace_id)
        else:  # a shared execution (inbound deduplication): serialized once for all
            body = shared.body_for(result, partial(_serialize, result, request_id))
        await _send(send, result.status_code, body, _content_type(media_type), result.headers)


def _content_type(media_type: str) -> str:
    return f"{media_type}; charset=utf-8"


async def _send(
    send: Send,
    status: int,
    body: bytes,
    content_type: str,
    extra_headers: dict[str, str] | None = None,
) -> None:
    raw_headers = [
        (b"content-type", content_type.encode("latin-1")),
        (b"content-length", str(len(body)).encode("latin-1")),
    ]
    if extra_headers:
        raw_headers.extend(
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in extra_headers.items()
        )
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})
