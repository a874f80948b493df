"""A route's GraphQL result -> the REST response: the root field unwrapped, or a problem.

- success: the root field's value (no ``data`` envelope); ``201`` with ``Location`` filled from
  the result's top-level fields, ``204`` without a body, pagination routes as
  ``{"items": [...nodes], "nextCursor": ...}`` with ``Link: <...>; rel="next"``;
- a null root field of a by-id route (``not_found_on_null``): 404 ``NOT_FOUND``;
- errors: RFC 9457 ``application/problem+json`` (:func:`problem`), the status from the error
  codes (:mod:`gateway.rest.statuses`); data next to errors follows the route's ``partial``
  policy: ``fail`` answers the errors' status, ``warn`` answers 200 and adds a ``warnings``
  member to an object body (a body that is not an object fails instead).

``ETag``/``If-None-Match`` and ``Cache-Control`` are applied by the endpoint (:func:`etag_of`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, urlencode

import orjson

from gateway.engine.types import GraphQLResult
from gateway.problems import PROBLEM_JSON, problem_document
from gateway.rest.compile import CompiledRoute
from gateway.rest.statuses import INTERNAL, status_of_errors

__all__ = [
    "JSON_TYPE",
    "PROBLEM_TYPE",
    "RestResponse",
    "etag_of",
    "problem",
    "problem_from_errors",
    "response_from_result",
]

JSON_TYPE = "application/json"
PROBLEM_TYPE = PROBLEM_JSON
_LOCATION_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
#: result headers that describe the GraphQL response, not the REST one
_DROPPED_HEADERS = frozenset({"content-type", "content-length", "allow"})


@dataclass(slots=True)
class RestResponse:
    """What the endpoint sends: status, body (``None``: no body) and headers."""

    status: int
    body: bytes | None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = JSON_TYPE
    #: an error response (``Cache-Control: no-store``)
    is_problem: bool = False


def _error_entry(error: Mapping[str, Any]) -> dict[str, Any]:
    extensions = error.get("extensions")
    code = extensions.get("code") if isinstance(extensions, Mapping) else None
    entry: dict[str, Any] = {"message": error.get("message", "")}
    if error.get("path") is not None:
        entry["path"] = error["path"]
    entry["code"] = code if isinstance(code, str) else INTERNAL
    return entry


def problem(
    status: int,
    code: str,
    detail: str,
    request_id: str,
    *,
    errors: Sequence[Mapping[str, Any]] = (),
    headers: Mapping[str, str] | None = None,
) -> RestResponse:
    """An RFC 9457 problem: ``type``, ``title``, ``status``, ``detail``, ``instance`` (the
    correlation id), ``code`` and the GraphQL ``errors`` (``message``, ``path``, ``code``)."""
    body = problem_document(status, code, detail, request_id)
    if errors:
        body["errors"] = [_error_entry(error) for error in errors]
    return RestResponse(
        status,
        orjson.dumps(body),
        dict(headers or {}),
        content_type=PROBLEM_TYPE,
        is_problem=True,
    )


def problem_from_errors(
    errors: Sequence[Mapping[str, Any]],
    request_id: str,
    headers: Mapping[str, str] | None = None,
) -> RestResponse:
    """The problem answering GraphQL ``errors`` (a code outside the table: 500, no internals)."""
    status, code = status_of_errors(errors)
    if code == INTERNAL and status == 500:
        return problem(500, INTERNAL, "Internal server error", request_id, headers=headers)
    first = next(
        (e for e in errors if _error_entry(e)["code"] == code), errors[0] if errors else {}
    )
    detail = str(first.get("message") or HTTPStatus(status).phrase)
    return problem(status, code, detail, request_id, errors=errors, headers=headers)


def _passed_headers(result: GraphQLResult) -> dict[str, str]:
    return {
        name.lower(): value
        for name, value in result.headers.items()
        if name.lower() not in _DROPPED_HEADERS
    }


def response_from_result(
    route: CompiledRoute,
    result: GraphQLResult,
    request_id: str,
    query: Sequence[tuple[str, str]],
    path: str,
) -> RestResponse:
    """The REST response to ``result`` of ``route``; ``query`` and ``path`` (the request's)
    build a pagination route's next link. ``request_id`` is the current correlation id (a
    replayed result keeps the one of the request that made it)."""
    request_id = result.request_id or request_id
    headers = _passed_headers(result)
    errors = result.errors or []
    data = result.data
    if data is None or route.root_key not in data:
        if not errors:
            return problem(500, INTERNAL, "Internal server error", request_id, headers=headers)
        return problem_from_errors(errors, request_id, headers)
    value = data[route.root_key]
    if value is None:
        if errors:
            return problem_from_errors(errors, request_id, headers)
        if route.spec.null_is_not_found:
            return problem(
                404, "NOT_FOUND", "The resource does not exist", request_id, headers=headers
            )
    elif errors and route.spec.partial == "fail":
        return problem_from_errors(errors, request_id, headers)
    body: Any = value
    if route.spec.pagination is not None and isinstance(value, dict):
        body, next_cursor = _page(value)
        if next_cursor is not None:
            cursor_parameter = route.spec.pagination.cursor_parameter
            headers["link"] = (
                f'<{_next_url(path, query, cursor_parameter, next_cursor)}>; rel="next"'
            )
    if errors:  # partial == "warn"
        if not isinstance(body, dict):
            return problem_from_errors(errors, request_id, headers)
        body = {**body, "warnings": [_error_entry(error) for error in errors]}
    status = route.spec.status
    if status in (201, 202) and route.spec.location is not None and isinstance(value, dict):
        headers["location"] = _location(route.spec.location, value)
    if status == 204:
        return RestResponse(204, None, headers)
    return RestResponse(status, orjson.dumps(body), headers)


def _page(connection: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
    edges = connection.get("edges") or []
    items = [edge.get("node") for edge in edges if isinstance(edge, Mapping)]
    page_info = connection.get("pageInfo") or {}
    cursor = page_info.get("endCursor") if page_info.get("hasNextPage") else None
    return {"items": items, "nextCursor": cursor}, cursor


def _next_url(
    path: str, query: Iterable[tuple[str, str]], cursor_parameter: str, cursor: str
) -> str:
    kept = [(key, value) for key, value in query if key != cursor_parameter]
    kept.append((cursor_parameter, cursor))
    return f"{quote(path)}?{urlencode(kept)}"


def _location(template: str, value: Mapping[str, Any]) -> str:
    def field_value(found: re.Match[str]) -> str:
        return quote(str(value.get(found.group(1), "")), safe="")

    return _LOCATION_FIELD.sub(field_value, template)


def etag_of(body: bytes) -> str:
    """A strong entity tag of a body: its SHA-256 (so it changes with every byte of it)."""
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'
