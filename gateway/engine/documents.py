"""Operations ready to plan: parsed under the hardening limits, validated, selected, and the
request errors of the steps before planning.

The engine caches what :func:`prepare_operation` returns per (document key, operation name);
a :class:`PreparedOperation` then carries its plan variants and its authorization analysis.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)
from graphql.execution.values import get_variable_values
from opentelemetry.trace import Tracer

from gateway.authz.authorizer import OperationAnalysis
from gateway.engine.types import GraphQLResult, RequestContext
from gateway.execution.shape import ObjectShape
from gateway.hardening.errors import HardeningError
from gateway.hardening.limits import operation_limit_violations, parse_with_limits
from gateway.hardening.settings import HardeningSettings
from gateway.hardening.validation import ValidationPolicy, validate_operation
from gateway.planning.operation import condition_variables
from gateway.planning.planner import PlannedOperation, PlanningError
from wire.tracing import step_span

__all__ = [
    "PlanVariant",
    "PreparedOperation",
    "coerce_variables",
    "document_key",
    "error",
    "formatted_error",
    "mutation_refused",
    "operation_of",
    "planning_failure",
    "prepare_operation",
    "request_error",
]


@dataclass(slots=True)
class PlanVariant:
    """The plan and response shape for one combination of condition values and labels."""

    planned: PlannedOperation
    shape: ObjectShape


@dataclass(slots=True)
class PreparedOperation:
    """A parsed, validated operation; stages (auth pruning, cost) may read it."""

    document: DocumentNode
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]
    kind: OperationType
    condition_variables: tuple[str, ...]
    introspection: DocumentNode | None
    variants: dict[tuple[Any, ...], PlanVariant] = field(default_factory=dict)
    #: the document's key (SHA-256 of its text) in the engine's cache
    key: str = ""
    #: the authorization analysis, made once by the pipeline and kept with the document
    authorization: OperationAnalysis | None = None


def error(message: str, code: str, **extra: Any) -> dict[str, Any]:
    """A response error with ``extensions.code``."""
    return {"message": message, **extra, "extensions": {"code": code}}


def formatted_error(exc: GraphQLError, code: str) -> dict[str, Any]:
    """``exc`` as a response error; a code the error already carries wins over ``code``."""
    formatted: dict[str, Any] = dict(exc.formatted)
    formatted["extensions"] = {"code": code, **(formatted.get("extensions") or {})}
    return formatted


def request_error(message: str, code: str, status: int = 400) -> GraphQLResult:
    """The response to a request that cannot run (no data)."""
    return GraphQLResult(data=None, errors=[error(message, code)], status_code=status)


def prepare_operation(
    query: str,
    operation_name: str | None,
    schema: GraphQLSchema,
    limits: HardeningSettings,
    validation: ValidationPolicy,
    *,
    tracer: Tracer | None = None,
) -> PreparedOperation | GraphQLResult:
    """Parse under the limits, check the operation limits, validate, select the operation.

    With a ``tracer`` (tracing on), parsing and validation are the spans ``graphql.parse`` and
    ``graphql.validate`` (made only here, on a cache miss of the engine).
    """
    try:
        with step_span(tracer, "graphql.parse"):
            document = parse_with_limits(query, limits)
    except HardeningError as exc:
        return GraphQLResult(errors=[exc.graphql_error()], status_code=exc.status)
    except GraphQLSyntaxError as exc:
        return GraphQLResult(errors=[formatted_error(exc, "GRAPHQL_PARSE_FAILED")], status_code=400)
    violations = operation_limit_violations(document, operation_name, limits)
    if violations:
        return GraphQLResult(errors=[v.graphql_error() for v in violations], status_code=400)
    with step_span(tracer, "graphql.validate"):
        errors = validate_operation(schema, document, validation)
    if errors:
        return GraphQLResult(
            errors=[formatted_error(e, "GRAPHQL_VALIDATION_FAILED") for e in errors],
            status_code=400,
        )
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        if len(operations) != 1:
            return request_error(
                "Must provide operation name if query contains multiple operations.",
                "OPERATION_RESOLUTION_FAILURE",
            )
        operation = operations[0]
    else:
        matching = [o for o in operations if o.name and o.name.value == operation_name]
        if not matching:
            return request_error(
                f'Unknown operation named "{operation_name}".', "OPERATION_RESOLUTION_FAILURE"
            )
        operation = matching[0]
    if operation.operation == OperationType.SUBSCRIPTION:
        return request_error("Subscriptions are not supported.", "BAD_REQUEST")
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return PreparedOperation(
        document=document,
        operation=operation,
        fragments=fragments,
        kind=operation.operation,
        condition_variables=condition_variables(operation, fragments),
        introspection=_introspection_document(operation, fragments),
    )


def _introspection_document(
    operation: OperationDefinitionNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> DocumentNode | None:
    kept = [
        s
        for s in operation.selection_set.selections
        if isinstance(s, FieldNode) and s.name.value in ("__schema", "__type")
    ]
    if not kept:
        return None
    only = OperationDefinitionNode(
        operation=operation.operation,
        name=operation.name,
        variable_definitions=operation.variable_definitions,
        directives=operation.directives,
        selection_set=SelectionSetNode(selections=tuple(kept)),
    )
    return DocumentNode(definitions=(only, *fragments.values()))


def coerce_variables(
    schema: GraphQLSchema, prepared: PreparedOperation, variables: Mapping[str, Any] | None
) -> dict[str, Any] | GraphQLResult:
    """The variable values coerced to the operation's types, or a ``BAD_USER_INPUT`` error."""
    coerced = get_variable_values(
        schema, prepared.operation.variable_definitions or (), dict(variables or {})
    )
    if isinstance(coerced, list):
        return GraphQLResult(
            errors=[formatted_error(e, "BAD_USER_INPUT") for e in coerced], status_code=400
        )
    values: dict[str, Any] = coerced.coerced
    return values


def operation_of(
    document: DocumentNode, original: OperationDefinitionNode
) -> tuple[OperationDefinitionNode, dict[str, FragmentDefinitionNode]]:
    """The operation of a pruned ``document`` matching ``original``, and its fragments."""
    name = original.name.value if original.name else None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    operation = next(
        (o for o in operations if (o.name.value if o.name else None) == name), operations[0]
    )
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return operation, fragments


def mutation_refused(prepared: PreparedOperation, context: RequestContext) -> GraphQLResult | None:
    """The 405 for a mutation sent where mutations are not allowed (GET), else ``None``."""
    if prepared.kind == OperationType.MUTATION and not context.allow_mutations:
        return request_error("Mutations cannot be sent with GET.", "METHOD_NOT_ALLOWED", status=405)
    return None


def planning_failure(exc: PlanningError) -> GraphQLResult:
    """The response for an operation the planner could not plan (200, no data)."""
    return GraphQLResult(errors=[error(str(exc), exc.code)], status_code=200)


def document_key(query: str) -> str:
    """The key of a document in the engine's caches: the SHA-256 of its text (hex)."""
    return hashlib.sha256(query.encode()).hexdigest()
