"""The GraphQL edge of error handling: stable ``extensions.code`` on every error.

Add :class:`DomainErrorFormatter` to a subgraph schema's extensions::

    schema = SubgraphSchema(query=Query, mutation=Mutation, extensions=[DomainErrorFormatter])

After an operation it rewrites each error of the result:

- a :class:`~subgraphs.common.errors.DomainError` keeps its message and gets its ``code`` and
  details in ``extensions``;
- a document the server could not parse or validate gets ``GRAPHQL_PARSE_FAILED`` or
  ``GRAPHQL_VALIDATION_FAILED``; a variable or argument value that does not fit its type gets
  ``BAD_USER_INPUT``;
- anything else (a bug, a lost database) is masked as ``INTERNAL_SERVER_ERROR`` with a generic
  message and logged with its traceback.

Every error also carries ``extensions.requestId`` (the request's ``X-Request-ID``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import structlog
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from subgraphs.common.errors import DomainError, ErrorCode
from subgraphs.common.metrics import SubgraphMetrics

__all__ = ["INTERNAL_ERROR_MESSAGE", "DomainErrorFormatter", "format_error"]

INTERNAL_ERROR_MESSAGE = "Internal server error"

_logger = structlog.get_logger("ordergate.subgraph.errors")

_INPUT_MESSAGE_PREFIXES = ("Variable '$", "Argument '", "Int cannot represent", "Expected value")


def _code_for_graphql_error(error: GraphQLError) -> ErrorCode | None:
    """The code of an error graphql-core raised itself, or ``None`` if it is not one of those."""
    if error.message.startswith("Syntax Error"):
        return ErrorCode.GRAPHQL_PARSE_FAILED
    if error.message.startswith(_INPUT_MESSAGE_PREFIXES):
        return ErrorCode.BAD_USER_INPUT
    if error.path is None:
        return ErrorCode.GRAPHQL_VALIDATION_FAILED
    return None


def _rebuild(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


def format_error(error: GraphQLError, request_id: str | None) -> GraphQLError:
    """``error`` as the client may see it, with a stable code and the request id."""
    original = error.original_error
    base: dict[str, Any] = {"requestId": request_id} if request_id else {}
    if isinstance(original, DomainError):
        _logger.info("domain_error", code=original.code.value, message=original.message)
        extensions = {"code": original.code.value, **original.details, **base}
        return _rebuild(error, original.message, extensions)
    if original is None or isinstance(original, GraphQLError):
        code = _code_for_graphql_error(error)
        if code is not None:
            existing = dict(error.extensions or {})
            return _rebuild(error, error.message, {**existing, "code": code.value, **base})
    _logger.error(
        "internal_error",
        message=error.message,
        path=error.path,
        exc_info=original if isinstance(original, BaseException) else None,
    )
    return _rebuild(
        error, INTERNAL_ERROR_MESSAGE, {"code": ErrorCode.INTERNAL_SERVER_ERROR.value, **base}
    )


class DomainErrorFormatter(SchemaExtension):
    """Rewrites every error of an operation's result with a stable ``extensions.code``."""

    def on_operation(self) -> Iterator[None]:
        """Let the operation run, then rewrite its errors."""
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if not errors:
            return
        context = self.execution_context.context
        request_id = getattr(context, "request_id", None)
        formatted = [format_error(error, request_id) for error in errors]
        result.errors = formatted  # type: ignore[union-attr]
        metrics = getattr(context, "metrics", None)
        if isinstance(metrics, SubgraphMetrics):  # resolver errors by code
            metrics.errors(str((error.extensions or {}).get("code")) for error in formatted)
