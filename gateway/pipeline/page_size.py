"""The page-size stage at the operation point: refuses slicing arguments out of range.

First among the operation stages: an operation asking for ``first: 101`` where the maximum is
100 (or for a negative page) is answered 400 ``PAGE_SIZE_EXCEEDED`` / ``PAGE_SIZE_NEGATIVE``
before an idempotency key is claimed, a budget charged or a subgraph called. The check itself
lives in :mod:`gateway.limits.page_size`; it reads the operation as the client sent it (trusted
documents and APQ included) with its coerced variables.
"""

from __future__ import annotations

from gateway.limits.page_size import PageSizeLimits, page_size_refusal
from gateway.pipeline.stages import Operation, Proceed
from gateway.service import GraphQLResult

__all__ = ["PageSizeStage"]


class PageSizeStage:
    """:class:`~gateway.pipeline.stages.OperationStage` enforcing page-size maximums."""

    name = "page_size"

    def __init__(self, limits: PageSizeLimits) -> None:
        self._limits = limits

    @property
    def limits(self) -> PageSizeLimits:
        """The check over this supergraph's ``@listSize`` model."""
        return self._limits

    async def __call__(self, operation: Operation, proceed: Proceed) -> GraphQLResult:
        """Refuse the operation when a slicing argument is out of range, else proceed."""
        prepared = operation.prepared
        violations = self._limits.check(
            operation.document.key,
            operation.request.operation_name,
            prepared.operation,
            prepared.fragments,
            operation.variables,
        )
        if violations:
            return page_size_refusal(violations)
        return await proceed(operation)
