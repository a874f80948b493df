"""Stage hooks inside spans, when tracing is on: ``stage <name> <hook>`` around each hook run.

The pipeline wraps its hooks once, when it is assembled, and only with a tracer: with tracing
off the hooks run unwrapped and nothing here is called (docs/adr/1111). An operation hook's span
holds the rest of the pipeline (``proceed``) as the hook does: the spans nest in stage order.

Usage::

    hooks = traced_operation_hooks(operation_hooks(stages), tracer)
"""

from __future__ import annotations

from collections.abc import Sequence

from opentelemetry.trace import Span, Tracer

from gateway.engine.types import GraphQLResult, RequestContext
from gateway.pipeline.stages import (
    DocumentHook,
    Operation,
    OperationHook,
    Proceed,
    RequestHook,
    ResponseHook,
)

__all__ = [
    "name_operation_span",
    "traced_document_hooks",
    "traced_operation_hooks",
    "traced_request_hooks",
    "traced_response_hooks",
]


def _attributes(name: str, hook: str) -> dict[str, str]:
    return {"ordergate.stage": name, "ordergate.stage.hook": hook}


class _TracedRequestHook:
    def __init__(self, stage: RequestHook, tracer: Tracer) -> None:
        self.name = stage.name
        self._stage, self._tracer = stage, tracer
        self._span = f"stage {stage.name} request"

    async def on_request(self, context: RequestContext) -> GraphQLResult | None:
        with self._tracer.start_as_current_span(
            self._span, attributes=_attributes(self.name, "request")
        ):
            return await self._stage.on_request(context)


class _TracedDocumentHook:
    def __init__(self, stage: DocumentHook, tracer: Tracer) -> None:
        self.name = stage.name
        self._stage, self._tracer = stage, tracer
        self._span = f"stage {stage.name} document"

    async def on_document(self, operation: Operation) -> GraphQLResult | None:
        with self._tracer.start_as_current_span(
            self._span, attributes=_attributes(self.name, "document")
        ):
            return await self._stage.on_document(operation)


class _TracedOperationHook:
    def __init__(self, stage: OperationHook, tracer: Tracer) -> None:
        self.name = stage.name
        self._stage, self._tracer = stage, tracer
        self._span = f"stage {stage.name} operation"

    async def on_operation(self, operation: Operation, proceed: Proceed) -> GraphQLResult:
        with self._tracer.start_as_current_span(
            self._span, attributes=_attributes(self.name, "operation")
        ) as span:
            result = await self._stage.on_operation(operation, proceed)
            span.set_attribute("ordergate.status_code", result.status_code)
            return result


class _TracedResponseHook:
    def __init__(self, stage: ResponseHook, tracer: Tracer) -> None:
        self.name = stage.name
        self._stage, self._tracer = stage, tracer
        self._span = f"stage {stage.name} response"

    async def on_response(self, operation: Operation, result: GraphQLResult) -> GraphQLResult:
        with self._tracer.start_as_current_span(
            self._span, attributes=_attributes(self.name, "response")
        ):
            return await self._stage.on_response(operation, result)


def traced_request_hooks(stages: Sequence[RequestHook], tracer: Tracer) -> tuple[RequestHook, ...]:
    """``stages`` with each ``on_request`` inside a span."""
    return tuple(_TracedRequestHook(stage, tracer) for stage in stages)


def traced_document_hooks(
    stages: Sequence[DocumentHook], tracer: Tracer
) -> tuple[DocumentHook, ...]:
    """``stages`` with each ``on_document`` inside a span."""
    return tuple(_TracedDocumentHook(stage, tracer) for stage in stages)


def traced_operation_hooks(
    stages: Sequence[OperationHook], tracer: Tracer
) -> tuple[OperationHook, ...]:
    """``stages`` with each ``on_operation`` inside a span."""
    return tuple(_TracedOperationHook(stage, tracer) for stage in stages)


def traced_response_hooks(
    stages: Sequence[ResponseHook], tracer: Tracer
) -> tuple[ResponseHook, ...]:
    """``stages`` with each ``on_response`` inside a span."""
    return tuple(_TracedResponseHook(stage, tracer) for stage in stages)


def name_operation_span(span: Span, operation: Operation, result: GraphQLResult) -> None:
    """Name the operation's span ``<type> <name>`` (``graphql.operation.type``/``.name``, as
    OpenTelemetry's GraphQL conventions do) once it is known, and note the result's status.
    The document itself is never recorded (it may hold literals a caller considers secret)."""
    span.set_attribute("ordergate.status_code", result.status_code)
    prepared = getattr(operation, "prepared", None)
    if prepared is None:
        return
    kind = prepared.kind.value
    name = prepared.operation.name.value if prepared.operation.name is not None else None
    span.set_attribute("graphql.operation.type", kind)
    if name is not None:
        span.set_attribute("graphql.operation.name", name)
    span.update_name(f"{kind} {name}" if name else kind)
