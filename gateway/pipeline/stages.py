"""The operation point: features that run around the execution of one authorized operation.

An :class:`OperationStage` receives the :class:`Operation` (resolved, validated, coerced and
authorized) and the rest of the pipeline as ``proceed``; it may refuse (return a result without
calling ``proceed``), replay (return a stored result), or act before and after. Stages are
chained once per supergraph, in order: page sizes (refuse slicing arguments out of range before
anything is claimed or charged), the RateLimit fields of replays, idempotency (claim a key
before, store the result after, replay a stored one; before cost, so that replays and refused
keys cost nothing), then cost and budget.

Usage::

    class Audit:
        name = "audit"

        async def __call__(self, operation: Operation, proceed: Proceed) -> GraphQLResult:
            result = await proceed(operation)
            log(operation.request.operation_name, result.status_code)
            return result
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from gateway.authz.outcome import AuthorizationOutcome
from gateway.documents import PreparedOperation
from gateway.persisted.clients import ClientProfile
from gateway.persisted.documents import ResolvedDocument
from gateway.service import GraphQLRequest, GraphQLResult, RequestContext

__all__ = ["Operation", "OperationStage", "Proceed", "chain"]


@dataclass(slots=True)
class Operation:
    """One GraphQL operation on its way through the pipeline (one entry of a batch)."""

    request: GraphQLRequest
    context: RequestContext
    #: the caller's client id (``None``: anonymous bucket and the clients file's defaults)
    client_id: str | None
    profile: ClientProfile
    document: ResolvedDocument
    prepared: PreparedOperation
    #: variable values coerced to the operation's types
    variables: dict[str, Any]
    #: ``None`` when the operation touches no authorization requirement
    authorization: AuthorizationOutcome | None


#: the rest of the pipeline, from the next stage to the shaped response
Proceed = Callable[[Operation], Awaitable[GraphQLResult]]


class OperationStage(Protocol):
    """A feature attached at the operation point."""

    #: a short name for logs and metrics
    name: str

    async def __call__(self, operation: Operation, proceed: Proceed) -> GraphQLResult:
        """Run around ``proceed``; never raise for client mistakes (return a result)."""
        ...


def chain(stages: Sequence[OperationStage], last: Proceed) -> Proceed:
    """``stages`` wrapped around ``last``, first stage outermost (built once, not per request)."""
    handler = last
    for stage in reversed(stages):
        handler = partial(stage, proceed=handler)
    return handler
