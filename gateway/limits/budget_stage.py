"""The cost stage (operation hook): estimate and charge before, refund and report after.

Wraps :class:`gateway.limits.CostStage` (one per supergraph; the limiter is shared by all): an
operation above the caller's maximum or beyond its budget is answered with the stage's error
(400 ``COST_ESTIMATED_TOO_EXPENSIVE``, 429 ``RATE_LIMITED``, ...) before any subgraph is called;
an executed one gets ``extensions.cost`` and the ``RateLimit`` headers. The estimate is made on
the document that will run: after authorization pruning, so nobody pays for fields removed
from their operation.

The bucket is the caller's :class:`~gateway.limits.accounts.BudgetAccount`: a listed client's
own, or one per unidentified caller (API key, token subject, client address).

:class:`ReplayBudgetHeaders` (response hook): a replayed response costs nothing and its body
stays byte for byte the original, but it carries the ``RateLimit`` fields of the caller's
bucket as it is now. The settlement stays in the operation hook (not the response hook): the
idempotency stage, outside it, stores the settled result (``extensions.cost`` included).
"""

from __future__ import annotations

from gateway.engine.types import GraphQLResult
from gateway.idempotency import REPLAYED_HEADER
from gateway.limits.accounts import BudgetAccount, BudgetAccounts
from gateway.limits.errors import LimitError
from gateway.limits.limiter import BudgetLimiter
from gateway.limits.stage import CostStage
from gateway.pipeline.stages import Operation, Proceed

__all__ = ["CostBudgetStage", "ReplayBudgetHeaders", "account_of"]


def account_of(accounts: BudgetAccounts, operation: Operation) -> BudgetAccount:
    """The bucket and budget that pay for ``operation``."""
    context, profile = operation.context, operation.profile
    return accounts.account(
        client_name=profile.name if profile is not None else None,
        client_budget=profile.budget if profile is not None else None,
        principal=context.principal,
        peer=context.peer,
        headers=context.headers,
    )


class CostBudgetStage:
    """Operation hook charging operations to budgets."""

    name = "cost"

    def __init__(self, stage: CostStage, accounts: BudgetAccounts | None = None) -> None:
        self._stage = stage
        self._accounts = accounts or BudgetAccounts()

    @property
    def stage(self) -> CostStage:
        """The wrapped cost stage (its analyzer holds the supergraph's cost model)."""
        return self._stage

    async def on_operation(self, operation: Operation, proceed: Proceed) -> GraphQLResult:
        """Admit, run the rest of the pipeline, then settle the actual cost."""
        document, key = operation.prepared.document, operation.document.key
        authorization = operation.authorization
        if (
            authorization is not None
            and authorization.document is not None
            and authorization.document is not document
        ):  # charge what will run
            document, key = authorization.document, f"{key}:{authorization.key.digest}"
        account = account_of(self._accounts, operation)
        try:
            ticket = await self._stage.admit(
                client_id=account.bucket,
                budget=account.policy,
                document_key=key,
                document=document,
                operation_name=operation.request.operation_name,
                variables=operation.variables,
            )
        except LimitError as error:
            return error.to_result()
        result = await proceed(operation)
        await self._stage.complete(ticket, result)
        return result


class ReplayBudgetHeaders:
    """Response hook adding the current ``RateLimit`` fields to idempotent replays."""

    name = "replay-budget-headers"

    def __init__(self, limiter: BudgetLimiter, accounts: BudgetAccounts) -> None:
        self._limiter = limiter
        self._accounts = accounts

    async def on_response(self, operation: Operation, result: GraphQLResult) -> GraphQLResult:
        """On a replay, peek at the caller's bucket (charging nothing)."""
        if REPLAYED_HEADER in result.headers:
            account = account_of(self._accounts, operation)
            result.headers.update(
                await self._limiter.current_headers(account.bucket, account.policy)
            )
        return result
