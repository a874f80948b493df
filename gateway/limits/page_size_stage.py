"""The page-size stage (operation hook): refuses slicing arguments out of range.

Before idempotency and cost: an operation asking for ``first: 101`` where the maximum is
100 (or for a negative page) is answered 400 ``PAGE_SIZE_EXCEEDED`` / ``PAGE_SIZE_NEGATIVE``
before an idempotency key is claimed, a budget charged or a subgraph called. The check itself
lives in :mod:`gateway.limits.page_size`; it reads the operation as the client sent it (trusted
documents and APQ included) with its coerced variables.
"""

from __future__ import annotations

from gateway.engine.types import GraphQLResult
from gateway.limits.page_size import PageSizeLimits, page_size_refusal
from gateway.pipeline.stages import Operation, Proceed

__all__ = ["PageSizeStage"]


class PageSizeStage:
    """Operation hook enforcing page-size maximums."""

    name = "page-size"

    def __init__(self, limits: PageSizeLimits) -> None:
        self._limits = limits

    @property
    def limits(self) -> PageSizeLimits:
        """The check over this supergraph's ``@listSize`` model."""
        return self._limits

    async def on_operation(self, operation: Operation, proceed: Proceed) -> GraphQLResult:
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
