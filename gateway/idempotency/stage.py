"""The idempotency stage: its operation hook runs mutations once per key, its fetch hook
forwards the ``Idempotency-Key`` to subgraphs (``idempotency.forward_to_subgraphs``).

The operation hook runs before cost and budget: a replay is the stored
response exactly as the first request received it (its ``extensions.cost`` included) and
costs no budget, and a refused key (reused, in flight) is answered before anything is charged.
See docs/idempotency-and-jobs.md and ADR 0701.
"""

from __future__ import annotations

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, OperationType, SelectionNode

from gateway.engine.documents import PreparedOperation
from gateway.engine.types import GraphQLResult
from gateway.idempotency.graphql import MutationIdempotency, OperationCall
from gateway.idempotency.graphql import forwarded_key as _forwarded_key
from gateway.idempotency.guard import REPLAYED_HEADER
from gateway.idempotency.keys import IDEMPOTENCY_KEY_HEADER
from gateway.observability.metrics import GatewayMetrics
from gateway.pipeline.fetch_headers import HeaderSource
from gateway.pipeline.stages import Operation, Proceed

__all__ = ["IdempotencyStage", "idempotency_key_source", "root_fields"]


def root_fields(prepared: PreparedOperation) -> frozenset[str]:
    """The names of the operation's root fields (through fragments at the root)."""
    names: set[str] = set()
    pending: list[SelectionNode] = list(prepared.operation.selection_set.selections)
    seen: set[str] = set()
    while pending:
        selection = pending.pop()
        if isinstance(selection, FieldNode):
            names.add(selection.name.value)
        elif isinstance(selection, InlineFragmentNode):
            pending.extend(selection.selection_set.selections)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            seen.add(selection.name.value)
            fragment = prepared.fragments.get(selection.name.value)
            if fragment is not None:
                pending.extend(fragment.selection_set.selections)
    return frozenset(names)


def idempotency_key_source() -> HeaderSource:
    """``Idempotency-Key`` on subgraph fetches while a keyed mutation runs (it varies the
    answer, so no two requests share a fetch over it; mutations are never shared anyway)."""
    return HeaderSource(IDEMPOTENCY_KEY_HEADER, _forwarded_key, vary=True)


class IdempotencyStage:
    """Operation hook running mutations once per key; fetch hook forwarding the key."""

    name = "idempotency"

    def __init__(
        self,
        logic: MutationIdempotency,
        *,
        forward_key: bool = False,
        metrics: GatewayMetrics | None = None,
    ) -> None:
        self._logic = logic
        self._forward_key = forward_key
        self._metrics = metrics

    def fetch_headers(self) -> list[HeaderSource]:
        """``Idempotency-Key`` when forwarding to subgraphs is on."""
        return [idempotency_key_source()] if self._forward_key else []

    async def on_operation(self, operation: Operation, proceed: Proceed) -> GraphQLResult:
        """Claim, replay or refuse; store what ran."""
        prepared = operation.prepared
        if prepared.kind != OperationType.MUTATION:  # the hot path: queries pass straight on
            return await proceed(operation)
        call = OperationCall(
            is_mutation=True,
            root_fields=root_fields(prepared),
            document_key=operation.document.key,
            operation_name=operation.request.operation_name,
            variables=operation.variables,
        )

        async def execute() -> GraphQLResult:
            return await proceed(operation)

        context = operation.context
        result = await self._logic.run(call, context, context.principal, execute)
        if self._metrics is not None and result.headers.get(REPLAYED_HEADER) == "true":
            self._metrics.replayed()
        return result
