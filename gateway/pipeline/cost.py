"""The cost stage at the operation point: estimate and charge before, refund and report after.

Wraps :class:`gateway.limits.CostStage` (one per supergraph; the limiter is shared by all): an
operation above the client's maximum or beyond its budget is answered with the stage's error
(400 ``COST_ESTIMATED_TOO_EXPENSIVE``, 429 ``RATE_LIMITED``, ...) before any subgraph is called;
an executed one gets ``extensions.cost`` and the ``RateLimit`` headers. The estimate is made on
the document that will run: after authorization pruning, so nobody pays for fields removed
from their operation.
"""

from __future__ import annotations

from gateway.limits.errors import LimitError
from gateway.limits.stage import CostStage
from gateway.pipeline.stages import Operation, Proceed
from gateway.service import GraphQLResult

__all__ = ["CostBudgetStage"]


class CostBudgetStage:
    """:class:`~gateway.pipeline.stages.OperationStage` charging operations to client budgets."""

    name = "cost"

    def __init__(self, stage: CostStage) -> None:
        self._stage = stage

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
        try:
            ticket = await self._stage.admit(
                client_id=operation.client_id,
                budget=operation.profile.budget,
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
