"""Anonymous callers run no mutation: refused before planning, whatever the schema says.

Field requirements (``@requiresScopes``, ``@policy``) already keep the anonymous caller away
from every Ordergate mutation; this guard holds even for a mutation someone forgot to guard.
It is the first operation hook, right after validation (before variables, authorization,
idempotency, cost and any subgraph call) and answers like authentication does: HTTP 401,
``WWW-Authenticate``, one error ``AUTHENTICATION_REQUIRED``. ``auth.anonymous_mutations:
true`` switches it off (only for schemas without credentials, e.g. the federation audit).
ADR 0906.
"""

from __future__ import annotations

from graphql import OperationType

from gateway.auth.errors import AuthErrorCode
from gateway.auth.principal import Principal
from gateway.auth.settings import AuthSettings
from gateway.engine.documents import error
from gateway.engine.types import GraphQLResult
from gateway.pipeline.stages import Operation, Proceed

__all__ = ["AnonymousMutationStage"]

MESSAGE = "Mutations need credentials: a bearer token or an API key"


class AnonymousMutationStage:
    """Operation hook refusing mutations of the anonymous principal (unless configured to)."""

    name = "anonymous-mutations"

    def __init__(self, settings: AuthSettings) -> None:
        self._allowed = settings.anonymous_mutations
        realm = settings.realm
        self._challenge = f'Bearer realm="{realm}", ApiKey realm="{realm}"'

    def refused(self, kind: OperationType, principal: Principal) -> GraphQLResult | None:
        """The 401 for an anonymous mutation, else ``None``."""
        if kind is not OperationType.MUTATION or principal.is_authenticated or self._allowed:
            return None
        return GraphQLResult(
            errors=[error(MESSAGE, str(AuthErrorCode.AUTHENTICATION_REQUIRED))],
            status_code=401,
            headers={"www-authenticate": self._challenge},
        )

    async def on_operation(self, operation: Operation, proceed: Proceed) -> GraphQLResult:
        """Refuse an anonymous mutation, else proceed."""
        refused = self.refused(operation.prepared.kind, operation.context.principal)
        if refused is not None:
            return refused
        return await proceed(operation)
