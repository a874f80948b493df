"""The cost stage at the operation point: estimate and charge before, refund and report after.

Wraps :class:`gateway.limits.CostStage` (one per supergraph; the limiter is shared by all): an
operation above the caller's maximum or beyond its budget is answered with the stage's error
(400 ``COST_ESTIMATED_TOO_EXPENSIVE``, 429 ``RATE_LIMITED``, ...) before any subgraph is called;
an executed one gets ``extensions.cost`` and the ``RateLimit`` headers. The estimate is made on
the document that will run: after authorization pruning, so nobody pays for fields removed
from their operation.

The bucket is the caller's :class:`~gateway.limits.accounts.BudgetAccount`: a listed client's
own, or one per unidentified caller (API key, token subject, client address).

:class:`ReplayBudgetHeaders` runs before the idempotency stage: a replayed response costs
nothing and its body stays byte for byte the original, but it carries the ``RateLimit`` fields
of the caller's bucket as it is now.
"""

from __future__ import annotations

from gateway.idempotency import REPLAYED_HEADER
from gateway.limits.accounts import BudgetAccount, BudgetAccounts
from gateway.limits.errors import LimitError
from gateway.limits.limiter import BudgetLimiter
from gateway.limits.stage import CostStage
from gateway.pipeline.stages import Operation, Proceed
from gateway.service import GraphQLResult

__all__ = ["CostBudgetStage", "ReplayBudgetHeaders", "account_of"]


def account_of(accounts: BudgetAccounts, operation: Operation) -> BudgetAccount:
    """The bucket and budget that pay for ``operation``."""
    context = operation.context
    return accounts.account(
        client_name=operation.profile.name,
        client_budget=operation.profile.budget,
        principal=context.principal,
        peer=context.peer,
        headers=context.headers,
    )


class CostBudgetStage:
    """:class:`~gateway.pipeline.stages.OperationStage` charging operations to budgets."""

    name = "cost"

    def __init__(self, stage: CostStage, accounts: BudgetAccounts | None = None) -> None:
        self._stage = stage
        self._accounts = accounts or BudgetAccounts()

    @property
    def stage(self) -> CostStage:
        """The wrapped cost stage (its analyzer holds the supergraph's cost model)."""
        return self._stage

    async def __call__(self, operation: Operation, proceed: Proceed) -> GraphQLResult:
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
    """:class:`~gateway.pipeline.stages.OperationStage` adding the current ``RateLimit``
    fields to idempotent replays (placed before the idempotency stage)."""

    name = "replay-budget-headers"

    def __init__(self, limiter: BudgetLimiter, accounts: BudgetAccounts) -> None:
        self._limiter = limiter
        self._accounts = accounts

    async def __call__(self, operation: Operation, proceed: Proceed) -> GraphQLResult:
        """Proceed; on a replay, peek at the caller's bucket (charging nothing)."""
        result = await proceed(operation)
        if REPLAYED_HEADER in result.headers:
            account = account_of(self._accounts, operation)
            result.headers.update(
                await self._limiter.current_headers(account.bucket, account.policy)
            )
        return result
