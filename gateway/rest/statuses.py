"""THE table from an error's ``extensions.code`` to the HTTP status of a REST response.

Every code the gateway's pipeline or a subgraph can put in a response is listed here on
purpose (a unit test walks the codes in the source and fails on one that is missing); a code
that is not listed answers 500 without internals. docs/rest.md shows the same table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["INTERNAL", "STATUS_BY_CODE", "status_for", "status_of_errors"]

#: the code and status of anything not in the table
INTERNAL = "INTERNAL_SERVER_ERROR"

_AUTHENTICATION = (
    "UNAUTHENTICATED",
    "AUTHENTICATION_REQUIRED",
    "INVALID_CREDENTIALS",
    "INVALID_TOKEN",
    "INVALID_SIGNATURE",
    "ALGORITHM_NOT_ALLOWED",
    "TOKEN_EXPIRED",
    "TOKEN_NOT_YET_VALID",
    "INVALID_ISSUER",
    "INVALID_AUDIENCE",
    "MISSING_CLAIM",
    "INVALID_CLAIM",
    "INVALID_API_KEY",
)
#: domain rules the request broke given the current state: retrying the same request later,
#: after the state changed, may succeed
_CONFLICTS = (
    "ILLEGAL_STATE_TRANSITION",
    "ORDER_NOT_EDITABLE",
    "VERSION_CONFLICT",
    "INSUFFICIENT_STOCK",
    "IDEMPOTENCY_KEY_IN_FLIGHT",
)
#: the request is well formed but breaks an input rule: it will never succeed as it is
_UNPROCESSABLE = (
    "BAD_USER_INPUT",
    "UNKNOWN_SKU",
    "CURRENCY_MISMATCH",
    "AMOUNT_EXCEEDS_AUTHORIZED",
    "AMOUNT_EXCEEDS_CAPTURED",
    "PAYMENT_DECLINED",
    "IDEMPOTENCY_KEY_REUSED",
    "COST_ESTIMATED_TOO_EXPENSIVE",
)
#: the request itself is malformed (the REST layer's own refusals among them)
_BAD_REQUEST = (
    "BAD_REQUEST",
    "INVALID_PARAMETER",
    "INVALID_JSON",
    "PAGE_SIZE_EXCEEDED",
    "PAGE_SIZE_NEGATIVE",
    "IDEMPOTENCY_KEY_REQUIRED",
    "IDEMPOTENCY_KEY_INVALID",
    "CSRF_PREFLIGHT_REQUIRED",
    "BATCHING_DISABLED",
    "BATCH_LIMIT_EXCEEDED",
)
#: the gateway's own route or configuration is at fault (a reviewed route document refused by
#: the hardening limits, a planning failure): the caller cannot fix it
_SERVER = (
    INTERNAL,
    "QUERY_PLANNING_FAILED",
    "COST_QUERY_PARSE_FAILURE",
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "OPERATION_RESOLUTION_FAILURE",
    "DOCUMENT_TOO_LARGE",
    "MAX_TOKENS_EXCEEDED",
    "MAX_DEPTH_EXCEEDED",
    "MAX_FIELDS_EXCEEDED",
    "MAX_ALIASES_EXCEEDED",
    "MAX_ROOT_FIELDS_EXCEEDED",
    "INTROSPECTION_DISABLED",
    "PERSISTED_QUERY_NOT_FOUND",
    "PERSISTED_QUERY_NOT_SUPPORTED",
    "PERSISTED_QUERY_NOT_IN_LIST",
    "PERSISTED_QUERY_ONLY",
    "PERSISTED_QUERY_HASH_MISMATCH",
    "PERSISTED_QUERY_VERSION_NOT_SUPPORTED",
)
#: a subgraph failed or answered something the gateway cannot use
_BAD_GATEWAY = (
    "SUBREQUEST_HTTP_ERROR",
    "DOWNSTREAM_SERVICE_ERROR",
    "RESPONSE_VALIDATION_FAILED",
    "PRINCIPAL_REQUIRED",
    "INVALID_PRINCIPAL",
    "INVALID_PRINCIPAL_SIGNATURE",
    "PRINCIPAL_SIGNATURE_EXPIRED",
)
#: something the gateway depends on is down right now: retry later
_UNAVAILABLE = (
    "AUTHENTICATION_UNAVAILABLE",
    "IDEMPOTENCY_UNAVAILABLE",
    "RATE_LIMIT_UNAVAILABLE",
    "SUPERGRAPH_NOT_LOADED",
    "SUBGRAPH_CIRCUIT_OPEN",
)


def _all(status: int, codes: Iterable[str]) -> dict[str, int]:
    return dict.fromkeys(codes, status)


#: ``extensions.code`` -> HTTP status
STATUS_BY_CODE: Mapping[str, int] = {
    **_all(400, _BAD_REQUEST),
    **_all(401, _AUTHENTICATION),
    **_all(403, ("FORBIDDEN", "UNAUTHORIZED_FIELD_OR_TYPE", "INSUFFICIENT_SCOPE")),
    **_all(404, ("NOT_FOUND", "ROUTE_NOT_FOUND")),
    "METHOD_NOT_ALLOWED": 405,
    "NOT_ACCEPTABLE": 406,
    **_all(409, _CONFLICTS),
    "ROUTE_SUNSET": 410,
    "PAYLOAD_TOO_LARGE": 413,
    "UNSUPPORTED_MEDIA_TYPE": 415,
    **_all(422, _UNPROCESSABLE),
    "RATE_LIMITED": 429,
    **_all(500, _SERVER),
    **_all(502, _BAD_GATEWAY),
    **_all(503, _UNAVAILABLE),
    "SUBREQUEST_TIMEOUT": 504,
}


def status_for(code: str | None) -> int:
    """The HTTP status of one error code (500 for a code not in the table)."""
    if code is None:
        return 500
    return STATUS_BY_CODE.get(code, 500)


def _code(error: Mapping[str, object]) -> str | None:
    extensions = error.get("extensions")
    if isinstance(extensions, Mapping):
        code = extensions.get("code")
        if isinstance(code, str):
            return code
    return None


def status_of_errors(errors: Iterable[Mapping[str, object]]) -> tuple[int, str]:
    """The status and code a list of GraphQL errors answers with: the first error's whose code
    is in the table, else 500 ``INTERNAL_SERVER_ERROR``."""
    for error in errors:
        code = _code(error)
        if code is not None and code in STATUS_BY_CODE:
            return STATUS_BY_CODE[code], code
    return 500, INTERNAL
