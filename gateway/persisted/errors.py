"""Errors of the persisted-documents stage, each with a stable code and an HTTP status."""

from __future__ import annotations

from typing import Any

from gateway.engine.types import GraphQLResult

__all__ = [
    "DONT_CACHE",
    "PersistedQueryError",
    "hash_mismatch",
    "not_found",
    "not_in_list",
    "not_supported",
    "persisted_only",
]

#: a response that must not be cached (the same request may succeed once the query is sent)
DONT_CACHE = "private, no-cache, must-revalidate"


class PersistedQueryError(Exception):
    """A request whose document cannot be resolved; :meth:`to_result` is the response."""

    def __init__(
        self, code: str, message: str, status: int = 400, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.headers: dict[str, str] = headers or {}

    def to_graphql_error(self) -> dict[str, Any]:
        """The error in the GraphQL response shape."""
        return {"message": self.message, "extensions": {"code": self.code}}

    def to_result(self) -> GraphQLResult:
        """The whole response for a request this error stopped (nothing was executed)."""
        return GraphQLResult(
            errors=[self.to_graphql_error()], status_code=self.status, headers=dict(self.headers)
        )


def not_found() -> PersistedQueryError:
    """An APQ hash the store does not know: the client should send the query along (HTTP 200,
    never cached, as Apollo clients expect)."""
    return PersistedQueryError(
        "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound", 200, {"Cache-Control": DONT_CACHE}
    )


def hash_mismatch(what: str = "provided sha does not match query") -> PersistedQueryError:
    """A hash (or document id) sent with a query it does not identify; nothing is stored."""
    return PersistedQueryError("PERSISTED_QUERY_HASH_MISMATCH", what)


def not_in_list() -> PersistedQueryError:
    """A document id (or hash) that is not in this client's manifests."""
    return PersistedQueryError(
        "PERSISTED_QUERY_NOT_IN_LIST", "The persisted document is not in this client's list"
    )


def persisted_only() -> PersistedQueryError:
    """A raw document from a client that may only send persisted ones."""
    return PersistedQueryError(
        "PERSISTED_QUERY_ONLY", "This client may only send persisted documents (by id or hash)"
    )


def not_supported() -> PersistedQueryError:
    """Automatic persisted queries are turned off."""
    return PersistedQueryError("PERSISTED_QUERY_NOT_SUPPORTED", "PersistedQueryNotSupported")
