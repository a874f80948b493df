"""GraphQL-over-HTTP request decoding: GET query strings and POST JSON bodies into requests.

Pure functions, no I/O. Problems raise :class:`HttpRequestError`, which carries the HTTP status
and a stable error code; the endpoint turns it into the spec's error shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from gateway.engine.types import GraphQLRequest

__all__ = [
    "GRAPHQL_RESPONSE_JSON",
    "JSON",
    "DecodedBody",
    "HttpRequestError",
    "decode_get",
    "decode_post",
    "negotiate_response_type",
]

JSON = "application/json"
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


@dataclass
class HttpRequestError(Exception):
    """A request that cannot be turned into GraphQL operations."""

    status: int
    code: str
    message: str
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class DecodedBody:
    """The operations of one HTTP request; ``batched`` when the client sent a JSON array."""

    requests: tuple[GraphQLRequest, ...]
    batched: bool


def negotiate_response_type(accept: str | None) -> str:
    """The response media type for an ``Accept`` header (``application/json`` by default)."""
    if not accept:
        return JSON
    offered = [part.split(";", 1)[0].strip().lower() for part in accept.split(",")]
    if GRAPHQL_RESPONSE_JSON in offered:
        return GRAPHQL_RESPONSE_JSON
    if any(kind in (JSON, "application/*", "*/*") for kind in offered):
        return JSON
    raise HttpRequestError(
        406,
        "NOT_ACCEPTABLE",
        f"Accept must allow {GRAPHQL_RESPONSE_JSON} or {JSON}",
    )


def _json_parameter(raw: str | None, name: str) -> Mapping[str, Any] | None:
    if raw is None or raw == "":
        return None
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise HttpRequestError(400, "BAD_REQUEST", f"'{name}' is not valid JSON: {exc}") from exc
    return _optional_object(value, name)


def _optional_object(value: Any, name: str) -> Mapping[str, Any] | None:
    if value is None or isinstance(value, dict):
        return value
    raise HttpRequestError(400, "BAD_REQUEST", f"'{name}' must be a JSON object")


def _optional_string(value: Any, name: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise HttpRequestError(400, "BAD_REQUEST", f"'{name}' must be a string")


def _request_from_object(body: Any) -> GraphQLRequest:
    if not isinstance(body, dict):
        raise HttpRequestError(400, "BAD_REQUEST", "The request body must be a JSON object")
    return GraphQLRequest(
        query=_optional_string(body.get("query"), "query"),
        operation_name=_optional_string(body.get("operationName"), "operationName"),
        variables=_optional_object(body.get("variables"), "variables"),
        extensions=_optional_object(body.get("extensions"), "extensions"),
        document_id=_optional_string(body.get("documentId"), "documentId"),
    )


def decode_get(params: Mapping[str, str]) -> GraphQLRequest:
    """The operation of a GET request from its query-string parameters."""
    return GraphQLRequest(
        query=params.get("query"),
        operation_name=params.get("operationName") or None,
        variables=_json_parameter(params.get("variables"), "variables"),
        extensions=_json_parameter(params.get("extensions"), "extensions"),
        document_id=params.get("documentId") or None,
    )


def decode_post(content_type: str | None, body: bytes, max_batch_size: int) -> DecodedBody:
    """The operations of a POST request; only JSON bodies are accepted (415 otherwise)."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type != JSON:
        raise HttpRequestError(
            415, "UNSUPPORTED_MEDIA_TYPE", f"POST bodies must be {JSON}, not '{media_type}'"
        )
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise HttpRequestError(400, "BAD_REQUEST", f"The body is not valid JSON: {exc}") from exc
    if isinstance(parsed, list):
        if max_batch_size == 0:
            raise HttpRequestError(400, "BATCHING_DISABLED", "Batched requests are not accepted")
        if not parsed:
            raise HttpRequestError(400, "BAD_REQUEST", "A batch must hold at least one operation")
        if len(parsed) > max_batch_size:
            raise HttpRequestError(
                400,
                "BATCH_LIMIT_EXCEEDED",
                f"A batch may hold at most {max_batch_size} operations, not {len(parsed)}",
            )
        return DecodedBody(tuple(_request_from_object(item) for item in parsed), batched=True)
    return DecodedBody((_request_from_object(parsed),), batched=False)
