"""Field authorization as a stage: the operation hook that prunes, rejects or reports.

The analysis of a document is made once and kept with the prepared operation; per request the
principal is checked against it. In ``reject`` mode an operation touching a field the caller
may not see is answered 403; otherwise the outcome (its pruned document, its errors) goes with
the operation: planning runs the pruned document, the response reports the removed fields, and
cost is estimated on what will run. See docs/authorization.md.
"""

from __future__ import annotations

import structlog

from gateway.authz.authorizer import Authorizer
from gateway.authz.outcome import AuthorizationOutcome, located_errors
from gateway.authz.settings import AuthorizationMode
from gateway.engine.types import GraphQLResult
from gateway.pipeline.stages import Operation, Proceed

__all__ = ["REJECTED_STATUS", "AuthorizationStage"]

_log = structlog.get_logger(__name__)

#: HTTP status of an operation refused by authorization in ``reject`` mode
REJECTED_STATUS = 403


class AuthorizationStage:
    """Operation hook: ``operation.authorization``, or the 403 of ``reject`` mode."""

    name = "authorization"

    def __init__(self, authorizer: Authorizer) -> None:
        self.authorizer = authorizer

    async def on_operation(self, operation: Operation, proceed: Proceed) -> GraphQLResult:
        """Authorize the operation for the caller, then proceed (or refuse)."""
        authorization = self._authorize(operation)
        if authorization is not None and authorization.rejected:
            errors = located_errors(authorization.errors, None)
            return GraphQLResult(errors=errors, status_code=REJECTED_STATUS)
        operation.authorization = authorization
        return await proceed(operation)

    def _authorize(self, operation: Operation) -> AuthorizationOutcome | None:
        prepared = operation.prepared
        analysis = prepared.authorization
        if analysis is None:
            analysis = prepared.authorization = self.authorizer.analyze(
                prepared.document, operation.request.operation_name
            )
        if not analysis.requirements:
            return None
        outcome = self.authorizer.authorize(analysis, operation.context.principal)
        if outcome.mode is AuthorizationMode.DRY_RUN and outcome.unauthorized_paths:
            _log.info(
                "authorization dry run: selections would be removed",
                operation=operation.request.operation_name,
                paths=[".".join(path) for path in outcome.unauthorized_paths],
                truncated=outcome.truncated,
            )
        return outcome
