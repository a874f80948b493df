"""The ``observability`` stage: what each operation was, and the refusals by code.

Its operation hook is the last one (after cost and budget): an operation that reaches it will
be planned and run; one that does not was refused by a stage before it (or by the document
hook, parsing or validation). Its response hook, before error scrubbing, then

- counts a refusal's error codes in ``ordergate_gateway_rejections_total`` (an idempotent
  replay is no refusal: it is counted as a replay by the idempotency stage);
- notes the operation (name, document hash, trusted or not) on the request's observation,
  for the request histogram's ``operation`` label and the access line
  (:mod:`gateway.observability.observation`).
"""

from __future__ import annotations

from gateway.engine.types import GraphQLResult
from gateway.idempotency.guard import REPLAYED_HEADER
from gateway.observability.metrics import GatewayMetrics
from gateway.observability.observation import (
    OBSERVATION,
    OperationNote,
    RequestObservation,
    error_codes,
)
from gateway.pipeline.stages import Operation, Proceed

__all__ = ["ObservabilityStage"]

#: set on the operation's context attributes when it passed every operation hook
_ADMITTED = "ordergate.observability.admitted"


class ObservabilityStage:
    """Operation hook (last): marks admitted operations; response hook: notes and counts."""

    name = "observability"

    def __init__(self, metrics: GatewayMetrics | None) -> None:
        self._metrics = metrics

    async def on_operation(self, operation: Operation, proceed: Proceed) -> GraphQLResult:
        """Mark the operation as admitted, run it."""
        operation.context.attributes[_ADMITTED] = True
        return await proceed(operation)

    async def on_response(self, operation: Operation, result: GraphQLResult) -> GraphQLResult:
        """Count a refusal's codes; note the operation on the request's observation."""
        attributes = operation.context.attributes
        admitted = attributes.pop(_ADMITTED, False)
        metrics = self._metrics
        if (
            metrics is not None
            and not admitted
            and result.errors
            and REPLAYED_HEADER not in result.headers
        ):
            for code in error_codes((result,)):
                metrics.rejected(code)
        observation = attributes.get(OBSERVATION)
        if isinstance(observation, RequestObservation):
            observation.operations.append(_note(operation))
        return result


def _note(operation: Operation) -> OperationNote:
    name = operation.request.operation_name
    prepared = getattr(operation, "prepared", None)
    if prepared is not None and prepared.operation.name is not None:
        name = prepared.operation.name.value
    document = getattr(operation, "document", None)
    if document is None:
        return OperationNote(name, None, trusted=False)
    return OperationNote(name, document.key, trusted=document.source == "trusted")
