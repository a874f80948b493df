"""CSRF prevention as a stage: the HTTP-request hook refusing what a browser could send
without a preflight (400 ``CSRF_PREFLIGHT_REQUIRED``); the rule is :func:`csrf_violation`."""

from __future__ import annotations

from gateway.engine.types import GraphQLResult, RequestContext
from gateway.hardening.csrf import csrf_violation
from gateway.hardening.settings import CsrfSettings

__all__ = ["CsrfStage"]


class CsrfStage:
    """HTTP-request hook: run operations only after the CORS policy could approve them."""

    name = "csrf"

    def __init__(self, settings: CsrfSettings) -> None:
        self._settings = settings

    async def on_request(self, context: RequestContext) -> GraphQLResult | None:
        """The 400 refusal of a request a browser could have sent without preflight."""
        problem = csrf_violation(context.method, context.headers, self._settings)
        if problem is None:
            return None
        return GraphQLResult(errors=[problem.graphql_error()], status_code=problem.status)
