"""Hardening refusals: one stable code per limit."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

__all__ = ["HardeningError", "HardeningErrorCode"]


class HardeningErrorCode(StrEnum):
    """Stable ``extensions.code`` values of hardening refusals."""

    DOCUMENT_TOO_LARGE = "DOCUMENT_TOO_LARGE"
    MAX_TOKENS_EXCEEDED = "MAX_TOKENS_EXCEEDED"
    MAX_DEPTH_EXCEEDED = "MAX_DEPTH_EXCEEDED"
    MAX_ALIASES_EXCEEDED = "MAX_ALIASES_EXCEEDED"
    MAX_ROOT_FIELDS_EXCEEDED = "MAX_ROOT_FIELDS_EXCEEDED"
    MAX_FIELDS_EXCEEDED = "MAX_FIELDS_EXCEEDED"
    INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"
    CSRF_PREFLIGHT_REQUIRED = "CSRF_PREFLIGHT_REQUIRED"


class HardeningError(Exception):
    """An operation (or request) refused by a hardening rule; it never executed (HTTP 400)."""

    def __init__(self, code: HardeningErrorCode, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    def graphql_error(self) -> dict[str, Any]:
        """The error in the GraphQL response shape."""
        return {"message": self.message, "extensions": {"code": str(self.code)}}

    def __repr__(self) -> str:
        return f"HardeningError({self.code!s}, {self.message!r})"
