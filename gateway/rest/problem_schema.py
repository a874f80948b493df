"""The error side of the REST contract in OpenAPI: the RFC 9457 ``Problem`` schema, one
reusable response per error status, and the headers they carry.

A REST error is ``application/problem+json``: ``type``, ``title``, ``status``, ``detail``,
``instance`` (the request's correlation id), ``code`` (the GraphQL ``extensions.code`` that
decided the status) and ``errors`` (each GraphQL error: ``message``, ``path``, ``code``).
:func:`error_responses` says which statuses a route can answer.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "PROBLEM_RESPONSES",
    "RESPONSE_BY_STATUS",
    "error_responses",
    "problem_components",
    "standard_headers",
]

PROBLEM_MEDIA_TYPE = "application/problem+json"

_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def problem_components() -> dict[str, dict[str, Any]]:
    """The ``Problem`` and ``ProblemError`` schemas."""
    return {
        "Problem": {
            "type": "object",
            "description": "An RFC 9457 problem document.",
            "properties": {
                "type": {
                    "type": "string",
                    "format": "uri-reference",
                    "description": "Identifies the kind of problem (`about:blank` when only "
                    "the status says it).",
                },
                "title": {"type": "string", "description": "A short summary of the kind."},
                "status": {
                    "type": "integer",
                    "minimum": 400,
                    "maximum": 599,
                    "description": "The HTTP status.",
                },
                "detail": {"type": "string", "description": "What happened, for a person."},
                "instance": {
                    "type": "string",
                    "description": "The request's correlation id (`X-Request-ID`).",
                },
                "code": {
                    "type": "string",
                    "description": "The GraphQL `extensions.code` that decided the status.",
                },
                "errors": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/ProblemError"},
                    "description": "Every GraphQL error of the operation.",
                },
            },
            "required": ["type", "title", "status"],
        },
        "ProblemError": {
            "type": "object",
            "properties": {
                "message": {"type": "string"},
                "path": {
                    "type": ["array", "null"],
                    "items": {"type": ["string", "integer"]},
                    "description": "Where in the GraphQL response the error happened.",
                },
                "code": {"type": ["string", "null"], "description": "`extensions.code`."},
            },
            "required": ["message"],
        },
    }


def standard_headers() -> dict[str, dict[str, Any]]:
    """Headers several responses share: the correlation id and the rate-limit fields."""
    return {
        "X-Request-ID": {
            "description": "The correlation id: the caller's `X-Request-ID` or a new one.",
            "schema": {"type": "string"},
        },
        "Retry-After": {
            "description": "Seconds until the request fits the budget again.",
            "schema": {"type": "integer", "minimum": 0},
        },
        "RateLimit": {
            "description": 'The remaining budget: `"cost";r=<units>;t=<seconds>` (IETF '
            "RateLimit fields).",
            "schema": {"type": "string"},
        },
        "RateLimit-Policy": {
            "description": 'The budget: `"cost";q=<quota>;w=<seconds>`.',
            "schema": {"type": "string"},
        },
    }


def _problem(description: str, status: int, code: str, **extra: Any) -> dict[str, Any]:
    example = {
        "type": "about:blank",
        "title": description,
        "status": status,
        "detail": description + ".",
        "instance": "3f1c2a9e6f5b4d7c",
        "code": code,
        "errors": [{"message": description + ".", "path": None, "code": code}],
    }
    response: dict[str, Any] = {
        "description": description,
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
        "content": {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_REF, "example": example}},
    }
    response["headers"].update(extra.get("headers", {}))
    return response


#: response component name -> the response
PROBLEM_RESPONSES: dict[str, dict[str, Any]] = {
    "BadRequest": _problem(
        "Bad request: a parameter or the body is missing or invalid", 400, "BAD_USER_INPUT"
    ),
    "Unauthorized": _problem(
        "Unauthenticated: no credentials, or they are not valid",
        401,
        "UNAUTHENTICATED",
        headers={
            "WWW-Authenticate": {
                "description": "The accepted authentication schemes.",
                "schema": {"type": "string"},
            }
        },
    ),
    "Forbidden": _problem("Forbidden: the caller lacks a right this route needs", 403, "FORBIDDEN"),
    "NotFound": _problem("Not found (or not visible to the caller)", 404, "NOT_FOUND"),
    "Conflict": _problem(
        "Conflict: the resource's state or version forbids it, or the idempotency key is in use",
        409,
        "CONFLICT",
    ),
    "Gone": _problem("Gone: the route is past its sunset", 410, "GONE"),
    "PayloadTooLarge": _problem(
        "Payload too large: the body exceeds the gateway's limit", 413, "PAYLOAD_TOO_LARGE"
    ),
    "UnsupportedMediaType": _problem(
        "Unsupported media type: send application/json", 415, "UNSUPPORTED_MEDIA_TYPE"
    ),
    "UnprocessableContent": _problem(
        "Unprocessable: a domain rule refused it, the idempotency "
        "key was used for another request, or it costs too much",
        422,
        "UNPROCESSABLE",
    ),
    "TooManyRequests": _problem(
        "Too many requests: the client's budget is spent",
        429,
        "RATE_LIMITED",
        headers={
            "Retry-After": {"$ref": "#/components/headers/Retry-After"},
            "RateLimit": {"$ref": "#/components/headers/RateLimit"},
            "RateLimit-Policy": {"$ref": "#/components/headers/RateLimit-Policy"},
        },
    ),
    "BadGateway": _problem(
        "Bad gateway: a service behind the gateway failed", 502, "SUBGRAPH_ERROR"
    ),
    "ServiceUnavailable": _problem(
        "Service unavailable: something the gateway depends on is down; retry later",
        503,
        "SUBGRAPH_CIRCUIT_OPEN",
    ),
    "GatewayTimeout": _problem(
        "Gateway timeout: a service behind the gateway did not answer in time",
        504,
        "SUBGRAPH_TIMEOUT",
    ),
}

#: HTTP status -> the response component name
RESPONSE_BY_STATUS: dict[str, str] = {
    str(response["content"][PROBLEM_MEDIA_TYPE]["example"]["status"]): name
    for name, response in PROBLEM_RESPONSES.items()
}


def error_responses(*, body: bool, mutation: bool, idempotent: bool, sunset: bool) -> list[str]:
    """The error statuses a route can answer, in order (``body``: the method takes one, so
    its size and media type are checked)."""
    codes = ["400", "401", "403", "404"]
    if mutation or idempotent:
        codes.append("409")
    if sunset:
        codes.append("410")
    if body:
        codes.extend(["413", "415"])
    codes.extend(["422", "429", "502", "503", "504"])
    return codes
