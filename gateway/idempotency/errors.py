"""Refusals of the idempotency stage, each with a stable code and an HTTP status."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from gateway.engine.types import GraphQLResult

__all__ = ["IdempotencyError", "IdempotencyErrorCode"]


class IdempotencyErrorCode(StrEnum):
    """Stable ``extensions.code`` values of the idempotency stage."""

    #: the header is empty, longer than 255 characters or not a structured-field string
    IDEMPOTENCY_KEY_INVALID = "IDEMPOTENCY_KEY_INVALID"
    #: the mutation or client requires a key and none was sent (HTTP 400)
    IDEMPOTENCY_KEY_REQUIRED = "IDEMPOTENCY_KEY_REQUIRED"
    #: the key was used before for another operation or other variables (HTTP 422)
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    #: the first request with this key is still running (HTTP 409, ``Retry-After``)
    IDEMPOTENCY_KEY_IN_FLIGHT = "IDEMPOTENCY_KEY_IN_FLIGHT"
    #: the record store cannot be reached (HTTP 503; nothing was executed)
    IDEMPOTENCY_UNAVAILABLE = "IDEMPOTENCY_UNAVAILABLE"


_STATUS = {
    IdempotencyErrorCode.IDEMPOTENCY_KEY_INVALID: 400,
    IdempotencyErrorCode.IDEMPOTENCY_KEY_REQUIRED: 400,
    IdempotencyErrorCode.IDEMPOTENCY_KEY_REUSED: 422,
    IdempotencyErrorCode.IDEMPOTENCY_KEY_IN_FLIGHT: 409,
    IdempotencyErrorCode.IDEMPOTENCY_UNAVAILABLE: 503,
}


class IdempotencyError(Exception):
    """A request the idempotency stage answered itself; nothing was executed."""

    def __init__(
        self,
        code: IdempotencyErrorCode,
        message: str,
        *,
        retry_after_seconds: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after_seconds = retry_after_seconds

    @property
    def status(self) -> int:
        """The HTTP status of the refusal."""
        return _STATUS[self.code]

    def headers(self) -> dict[str, str]:
        """Response headers (``Retry-After`` for a key still in flight)."""
        if self.retry_after_seconds is None:
            return {}
        return {"retry-after": str(self.retry_after_seconds)}

    def graphql_error(self) -> dict[str, Any]:
        """The error in the GraphQL response shape."""
        return {"message": self.message, "extensions": {"code": str(self.code)}}

    def to_result(self) -> GraphQLResult:
        """The whole GraphQL response for a request this error stopped."""
        return GraphQLResult(
            errors=[self.graphql_error()], status_code=self.status, headers=self.headers()
        )

    def __repr__(self) -> str:
        return f"IdempotencyError({self.code!s}, {self.message!r})"
