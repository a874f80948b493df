"""Errors of the cost and rate-limit stages, each with a stable code and an HTTP status.

:meth:`LimitError.to_result` turns one into the :class:`~gateway.engine.types.GraphQLResult` the
edge sends back (the request never reached a subgraph).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gateway.engine.types import GraphQLResult

__all__ = [
    "COST_ESTIMATED_TOO_EXPENSIVE",
    "COST_QUERY_PARSE_FAILURE",
    "RATE_LIMITED",
    "CostAnalysisError",
    "CostModelError",
    "CostTooExpensiveError",
    "LimitError",
    "RateLimitedError",
]

COST_ESTIMATED_TOO_EXPENSIVE = "COST_ESTIMATED_TOO_EXPENSIVE"
COST_QUERY_PARSE_FAILURE = "COST_QUERY_PARSE_FAILURE"
RATE_LIMITED = "RATE_LIMITED"


class CostModelError(ValueError):
    """A schema whose cost directives cannot be read (the supergraph is then refused)."""


class LimitError(Exception):
    """A request refused by the cost or rate-limit stage."""

    code: str = "LIMIT_ERROR"
    status: int = 400

    def __init__(
        self,
        message: str,
        *,
        extensions: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        response_extensions: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        #: extra ``extensions`` of the GraphQL error (besides ``code``)
        self.extensions: dict[str, Any] = dict(extensions or {})
        #: HTTP headers of the response
        self.headers: dict[str, str] = dict(headers or {})
        #: top-level response ``extensions`` (``cost``)
        self.response_extensions: dict[str, Any] = dict(response_extensions or {})

    def to_graphql_error(self) -> dict[str, Any]:
        """The error in the GraphQL response shape."""
        return {"message": self.message, "extensions": {"code": self.code, **self.extensions}}

    def to_result(self) -> GraphQLResult:
        """The whole response for a request this error stopped."""
        return GraphQLResult(
            errors=[self.to_graphql_error()],
            extensions=self.response_extensions or None,
            status_code=self.status,
            headers=dict(self.headers),
        )


class CostAnalysisError(LimitError):
    """The operation cannot be costed (for example ``requireOneSlicingArgument`` is violated)."""

    code = COST_QUERY_PARSE_FAILURE


class CostTooExpensiveError(LimitError):
    """The estimated cost is above the client's per-operation maximum."""

    code = COST_ESTIMATED_TOO_EXPENSIVE


class RateLimitedError(LimitError):
    """The client's budget cannot pay for the operation now (HTTP 429, ``Retry-After``)."""

    code = RATE_LIMITED
    status = 429
