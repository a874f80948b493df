"""The GraphQL engine: the :class:`~gateway.service.GraphQLService` over one supergraph.

Per distinct document (keyed by supergraph hash, document hash and operation name) the engine
parses, validates and prepares the operation once, and plans it once per combination of the
``@skip``/``@include`` variables it uses (and of progressive-override labels), all kept in a
bounded LRU. Per request only the cache lookup, variable coercion, the fetches, the merge, the
projection into the response shape and the serialization remain.

Usage::

    engine = build_engine(Path("supergraph.graphql").read_text(), EngineOptions())
    result = await engine.execute(GraphQLRequest(query="{ me { id } }"), RequestContext("r1"))
    await engine.aclose()
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    execute,
    parse,
    validate,
)
from graphql.execution.values import get_variable_values

from gateway.execution.executor import Executor
from gateway.execution.shape import ObjectShape, compile_shape, project
from gateway.execution.transport import AiohttpTransport, SubgraphTransport
from gateway.planning.cache import LRUCache
from gateway.planning.operation import condition_variables
from gateway.planning.planner import PlannedOperation, PlanningError, plan_operation
from gateway.service import GraphQLRequest, GraphQLResult, RequestContext
from gateway.settings import GatewaySettings
from gateway.supergraph.loader import load_supergraph
from gateway.supergraph.model import Supergraph

__all__ = [
    "Engine",
    "EngineOptions",
    "PlanVariant",
    "PreparedOperation",
    "build_engine",
    "options_from_settings",
]

_PERCENT = re.compile(r"^percent\((\d+(?:\.\d+)?)\)$")


@dataclass(frozen=True, slots=True)
class EngineOptions:
    """How the engine runs; every field has a safe default."""

    #: seconds to wait for one subgraph response before giving up on that fetch
    subgraph_timeout: float = 30.0
    #: hide subgraph internals (URLs, exception details, stack traces) from clients
    mask_subgraph_errors: bool = True
    #: how many distinct (document, operation name) entries stay parsed, validated and planned
    plan_cache_size: int = 1000
    #: subgraph name -> URL, replacing the URLs written in the supergraph
    subgraph_urls: Mapping[str, str] = field(default_factory=dict)
    #: share one subgraph call between identical in-flight queries (never mutations)
    dedupe_inflight: bool = True
    #: answer ``__schema``/``__type`` introspection of the API schema
    introspection: bool = True
    #: progressive ``@override`` labels that are on (``percent(N)`` labels are drawn per request)
    override_labels: frozenset[str] = frozenset()
    #: keep-alive connections per subgraph
    max_connections_per_subgraph: int = 100
    #: "Did you mean ...?" suggestions in validation errors (off in production)
    field_suggestions: bool = True

    def __post_init__(self) -> None:
        if self.subgraph_timeout <= 0:
            raise ValueError("subgraph_timeout must be positive")
        if self.plan_cache_size < 1:
            raise ValueError("plan_cache_size must be at least 1")


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


def _error(message: str, code: str, **extra: Any) -> dict[str, Any]:
    return {"message": message, **extra, "extensions": {"code": code}}


def _formatted(error: GraphQLError, code: str) -> dict[str, Any]:
    formatted: dict[str, Any] = dict(error.formatted)
    formatted["extensions"] = {**(formatted.get("extensions") or {}), "code": code}
    return formatted


def _request_error(message: str, code: str, status: int = 400) -> GraphQLResult:
    return GraphQLResult(data=None, errors=[_error(message, code)], status_code=status)


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


class Engine:
    """Executes GraphQL requests over one supergraph (implements ``GraphQLService``)."""

    def __init__(
        self,
        supergraph: Supergraph,
        options: EngineOptions,
        transport: SubgraphTransport | None = None,
    ) -> None:
        self.supergraph = supergraph
        self.options = options
        urls = {sub.name: sub.url for sub in supergraph.subgraphs.values()}
        urls.update(options.subgraph_urls)
        self.transport: SubgraphTransport = transport or AiohttpTransport(
            urls,
            timeout_seconds=options.subgraph_timeout,
            max_connections=options.max_connections_per_subgraph,
        )
        abstract = frozenset(name for name, t in supergraph.types.items() if t.is_abstract)
        self.executor = Executor(
            self.transport,
            abstract_types=abstract,
            mask_errors=options.mask_subgraph_errors,
            dedupe_inflight=options.dedupe_inflight,
        )
        self._cache: LRUCache[tuple[str, str | None], PreparedOperation | GraphQLResult] = LRUCache(
            options.plan_cache_size
        )
        self._urls = urls
        self._labels = sorted(
            {
                info.override_label
                for type_def in supergraph.types.values()
                for field_def in type_def.fields.values()
                for info in (field_def.graphs or {}).values()
                if info.override_label
            }
        )

    @property
    def supergraph_hash(self) -> str:
        """The SHA-256 of the supergraph SDL this engine serves."""
        return self.supergraph.sdl_hash

    @property
    def subgraph_urls(self) -> Mapping[str, str]:
        """Subgraph name -> URL, as the engine calls them (overrides applied)."""
        return dict(self._urls)

    # -------------------------------------------------------------- documents
    def prepare(self, request: GraphQLRequest) -> PreparedOperation | GraphQLResult:
        """Parse and validate (once per distinct document): the operation, or a request error."""
        query = request.query
        if query is None or not query.strip():
            return _request_error("The request has no query document.", "BAD_REQUEST")
        key = (hashlib.sha256(query.encode()).hexdigest(), request.operation_name)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._prepare(query, request.operation_name)
            self._cache.put(key, cached)
        return cached

    def _prepare(self, query: str, operation_name: str | None) -> PreparedOperation | GraphQLResult:
        try:
            document = parse(query)
        except GraphQLError as exc:
            return GraphQLResult(
                errors=[_formatted(exc, "GRAPHQL_PARSE_FAILED")],
                status_code=400,
            )
        errors = validate(
            self.supergraph.api_schema,
            document,
            hide_suggestions=not self.options.field_suggestions,
        )
        if errors:
            return GraphQLResult(
                errors=[_formatted(e, "GRAPHQL_VALIDATION_FAILED") for e in errors],
                status_code=400,
            )
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if operation_name is None:
            if len(operations) != 1:
                return _request_error(
                    "Must provide operation name if query contains multiple operations.",
                    "OPERATION_RESOLUTION_FAILURE",
                )
            operation = operations[0]
        else:
            matching = [o for o in operations if o.name and o.name.value == operation_name]
            if not matching:
                return _request_error(
                    f'Unknown operation named "{operation_name}".', "OPERATION_RESOLUTION_FAILURE"
                )
            operation = matching[0]
        if operation.operation == OperationType.SUBSCRIPTION:
            return _request_error("Subscriptions are not supported.", "BAD_REQUEST")
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

    def plan_for(self, prepared: PreparedOperation, variables: Mapping[str, Any]) -> PlanVariant:
        """The plan and shape for these variable values (planned once per combination)."""
        conditions = tuple(bool(variables.get(name)) for name in prepared.condition_variables)
        labels = frozenset(label for label in self._labels if self._label_on(label))
        signature = (conditions, labels)
        variant = prepared.variants.get(signature)
        if variant is None:
            planned = plan_operation(
                self.supergraph,
                prepared.operation,
                prepared.fragments,
                conditions=dict(zip(prepared.condition_variables, conditions, strict=True)),
                active_labels=labels,
            )
            shape = compile_shape(
                self.supergraph.api_schema, planned.root_type, planned.selections, root=True
            )
            variant = prepared.variants[signature] = PlanVariant(planned, shape)
        return variant

    def _label_on(self, label: str) -> bool:
        match = _PERCENT.match(label)
        if match is not None:
            return random.random() * 100 < float(match.group(1))
        return label in self.options.override_labels

    # -------------------------------------------------------------- execution
    async def execute(self, request: GraphQLRequest, context: RequestContext) -> GraphQLResult:
        """Run ``request``: client mistakes become errors in the result, never exceptions."""
        prepared = self.prepare(request)
        if isinstance(prepared, GraphQLResult):
            return prepared
        if prepared.kind == OperationType.MUTATION and not context.allow_mutations:
            return _request_error(
                "Mutations cannot be sent with GET.", "METHOD_NOT_ALLOWED", status=405
            )
        coerced = get_variable_values(
            self.supergraph.api_schema,
            prepared.operation.variable_definitions or (),
            dict(request.variables or {}),
        )
        if isinstance(coerced, list):
            return GraphQLResult(
                errors=[_formatted(e, "BAD_USER_INPUT") for e in coerced],
                status_code=400,
            )
        variables: dict[str, Any] = coerced.coerced
        try:
            variant = self.plan_for(prepared, variables)
        except PlanningError as exc:
            return GraphQLResult(errors=[_error(str(exc), exc.code)], status_code=200)
        result = await self.executor.execute(variant.planned.plan, variables)
        data = result.data
        errors = result.errors
        if prepared.introspection is not None:
            self._introspect(prepared.introspection, variables, data, errors)
        shaped = project(data, variant.shape, errors)
        return GraphQLResult(data=shaped, errors=errors or None)

    def _introspect(
        self,
        document: DocumentNode,
        variables: Mapping[str, Any],
        data: dict[str, Any],
        errors: list[dict[str, Any]],
    ) -> None:
        if not self.options.introspection:
            errors.append(_error("Introspection is disabled.", "INTROSPECTION_DISABLED"))
            return
        outcome = execute(self.supergraph.api_schema, document, variable_values=dict(variables))
        if not isinstance(outcome, ExecutionResult):  # introspection is synchronous
            raise TypeError("introspection unexpectedly asynchronous")
        data.update(outcome.data or {})
        errors.extend(_formatted(e, "INTERNAL_SERVER_ERROR") for e in outcome.errors or ())

    async def aclose(self) -> None:
        """Close the subgraph connections."""
        await self.transport.aclose()


def options_from_settings(settings: GatewaySettings) -> EngineOptions:
    """The engine options the gateway's typed settings ask for."""
    return EngineOptions(
        subgraph_timeout=settings.subgraphs.timeout_seconds,
        mask_subgraph_errors=not settings.subgraphs.expose_errors,
        plan_cache_size=settings.plan_cache_size,
        subgraph_urls=dict(settings.subgraphs.urls),
        dedupe_inflight=settings.subgraphs.deduplicate_inflight,
        introspection=not settings.production,
        field_suggestions=not settings.production,
    )


def build_engine(supergraph_sdl: str, options: EngineOptions | None = None) -> Engine:
    """Load ``supergraph_sdl`` and return an engine over it (no I/O until the first request)."""
    return Engine(load_supergraph(supergraph_sdl), options or EngineOptions())
