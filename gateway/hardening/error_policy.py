"""Error scrubbing as a stage: its response hook cleans every error leaving the gateway.

Internal extensions (stack traces, exceptions) are dropped from every error, subgraph errors
included, unless ``subgraphs.expose_errors`` is on (never in production), and "Did you mean
...?" hints are removed when suggestions are off. Results may be cached and shared (a document
that failed validation), so they are never changed in place: a scrubbed copy is returned.
"""

from __future__ import annotations

from typing import Any

from gateway.engine.types import GraphQLResult
from gateway.hardening.error_scrubbing import scrub_error, strip_suggestions

__all__ = ["ErrorPolicy"]


class ErrorPolicy:
    """How errors are cleaned before they leave the gateway (the last response hook)."""

    name = "errors"

    def __init__(self, *, hide_suggestions: bool, expose_internals: bool = False) -> None:
        self.hide_suggestions = hide_suggestions
        self.expose_internals = expose_internals

    def scrub(self, error: dict[str, Any]) -> dict[str, Any]:
        """One error, cleaned (always a new dict)."""
        if not self.expose_internals:
            return scrub_error(error, hide_suggestions=self.hide_suggestions)
        cleaned = dict(error)
        message = cleaned.get("message")
        if self.hide_suggestions and isinstance(message, str):
            cleaned["message"] = strip_suggestions(message)
        return cleaned

    def finish(self, result: GraphQLResult) -> GraphQLResult:
        """``result`` with its errors cleaned (a copy when there are errors)."""
        if not result.errors:
            return result
        return GraphQLResult(
            data=result.data,
            errors=[self.scrub(error) for error in result.errors],
            extensions=result.extensions,
            status_code=result.status_code,
            headers=dict(result.headers),
            request_id=result.request_id,
        )

    async def on_response(self, operation: object, result: GraphQLResult) -> GraphQLResult:
        """Response hook: :meth:`finish`."""
        return self.finish(result)
