"""The GraphQL engine: the :class:`~gateway.engine.types.GraphQLService` over one supergraph.

Per distinct document (keyed by supergraph hash, document hash and operation name) the engine
parses (under the hardening limits), validates and prepares the operation once, and plans it
once per combination of the ``@skip``/``@include`` variables it uses, of progressive-override
labels and of authorization outcomes, all kept in a bounded LRU. Per request only the cache
lookup, variable coercion, the fetches, the merge, the projection into the response shape and
the serialization remain.

The engine has no front door of its own: the request pipeline (``gateway.pipeline``) calls
its steps one by one, :meth:`Engine.prepare`, :meth:`Engine.coerce`, :meth:`Engine.plan` and
:meth:`Engine.run`, with the stages in between. To run a request without any stage::

    engine = build_engine(Path("supergraph.graphql").read_text(), EngineOptions())
    pipeline = SupergraphPipeline(engine)          # gateway.pipeline, no stages
    result = await pipeline.execute(GraphQLRequest(query="{ me { id } }"), RequestContext("r1"))
    await pipeline.aclose()
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from graphql import DocumentNode, ExecutionResult, execute
from opentelemetry.trace import Tracer

from gateway.authz.outcome import AuthorizationOutcome, located_errors
from gateway.engine.documents import (
    PlanVariant,
    PreparedOperation,
    coerce_variables,
    formatted_error,
    operation_of,
    prepare_operation,
    request_error,
)
from gateway.engine.types import GraphQLResult
from gateway.execution.errors import ErrorMasking
from gateway.execution.executor import Executor
from gateway.execution.fetch_trace import TracedTransport
from gateway.execution.headers import FetchHeaders
from gateway.execution.lean_transport import LeanTransport
from gateway.execution.observer import EngineObserver
from gateway.execution.resilience import Resilience
from gateway.execution.settings import (
    DEFAULT_PASSTHROUGH_ERROR_CODES,
    CircuitBreakerSettings,
    RetrySettings,
)
from gateway.execution.shape import compile_shape, project
from gateway.execution.trail import ExecutionTrail
from gateway.execution.transport import AiohttpTransport, SubgraphTransport
from gateway.hardening.settings import HardeningSettings
from gateway.hardening.validation import policy_for, validation_policy
from gateway.planning.cache import LRUCache
from gateway.planning.operation import normalize_selections
from gateway.planning.planner import plan_operation
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
#: plans kept per document (combinations of conditions, labels and authorization outcomes)
_MAX_VARIANTS = 256


@dataclass(frozen=True, slots=True)
class EngineOptions:
    """How the engine runs; every field has a safe default."""

    #: seconds to wait for one subgraph response before giving up on that fetch
    subgraph_timeout: float = 30.0
    #: hide subgraph internals from clients: messages of codes not in
    #: ``passthrough_error_codes`` replaced, URLs, exception details, stack traces dropped
    mask_subgraph_errors: bool = True
    #: codes whose subgraph error messages reach clients when masking
    passthrough_error_codes: tuple[str, ...] = DEFAULT_PASSTHROUGH_ERROR_CODES
    #: retries of query fetches after connection errors and HTTP 502/503/504
    subgraph_retry: RetrySettings = field(default_factory=RetrySettings)
    #: a circuit breaker per subgraph
    circuit_breaker: CircuitBreakerSettings = field(default_factory=CircuitBreakerSettings)
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
    #: the subgraph HTTP client: ``aiohttp`` or ``lean`` (:mod:`gateway.execution.lean_transport`)
    subgraph_transport: Literal["aiohttp", "lean"] = "aiohttp"
    #: "Did you mean ...?" suggestions in validation errors (off in production)
    field_suggestions: bool = True
    #: document size, token, depth, alias and root-field limits, checked before validation
    hardening: HardeningSettings = field(default_factory=HardeningSettings)
    #: OpenTelemetry tracer of the parse, validate and subgraph fetch spans (``None``: tracing
    #: off, nothing of it runs; docs/adr/1111)
    tracer: Tracer | None = None

    def __post_init__(self) -> None:
        if self.subgraph_timeout <= 0:
            raise ValueError("subgraph_timeout must be positive")
        if self.plan_cache_size < 1:
            raise ValueError("plan_cache_size must be at least 1")


class Engine:
    """Executes GraphQL requests over one supergraph (implements ``GraphQLService``)."""

    def __init__(
        self,
        supergraph: Supergraph,
        options: EngineOptions,
        transport: SubgraphTransport | None = None,
        *,
        observer: EngineObserver | None = None,
    ) -> None:
        self.supergraph = supergraph
        #: metrics: the plan cache, subgraph fetches, retries, circuits (``None``: none)
        self.observer = observer
        self.options = options
        urls = {sub.name: sub.url for sub in supergraph.subgraphs.values()}
        urls.update(options.subgraph_urls)
        client = LeanTransport if options.subgraph_transport == "lean" else AiohttpTransport
        self.transport: SubgraphTransport = transport or client(
            urls,
            timeout_seconds=options.subgraph_timeout,
            max_connections=options.max_connections_per_subgraph,
        )
        if options.tracer is not None:  # a span per subgraph attempt, its traceparent sent
            self.transport = TracedTransport(self.transport, options.tracer)
        abstract = frozenset(name for name, t in supergraph.types.items() if t.is_abstract)
        #: retries, retry budgets and circuit breakers of the subgraph calls
        self.resilience = Resilience(
            self.transport,
            timeout_seconds=options.subgraph_timeout,
            retry=options.subgraph_retry,
            breaker=options.circuit_breaker,
            observer=observer,
        )
        self.executor = Executor(
            self.transport,
            abstract_types=abstract,
            masking=ErrorMasking(
                mask=options.mask_subgraph_errors, passthrough=options.passthrough_error_codes
            ),
            resilience=self.resilience,
            dedupe_inflight=options.dedupe_inflight,
        )
        self._cache: LRUCache[tuple[str, str | None], PreparedOperation | GraphQLResult] = LRUCache(
            options.plan_cache_size
        )
        self.validation = policy_for(
            introspection=options.introspection, suggestions=options.field_suggestions
        )
        #: how many plans this engine has built (a plan cache miss each)
        self.plans_built = 0
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
    def prepare(
        self, key: str, query: str, operation_name: str | None
    ) -> PreparedOperation | GraphQLResult:
        """Parse under the hardening limits and validate (once per distinct document and
        operation name): the operation, or a request error. ``key`` is the SHA-256 of
        ``query`` (:func:`gateway.engine.documents.document_key`)."""
        cached = self._cache.get((key, operation_name))
        if cached is None:
            if not query.strip():
                return request_error("The request has no query document.", "BAD_REQUEST")
            cached = self._prepare(query, operation_name)
            if isinstance(cached, PreparedOperation):
                cached.key = key
            self._cache.put((key, operation_name), cached)
        return cached

    def _prepare(self, query: str, operation_name: str | None) -> PreparedOperation | GraphQLResult:
        return prepare_operation(
            query,
            operation_name,
            self.supergraph.api_schema,
            self.options.hardening,
            self.validation,
            tracer=self.options.tracer,
        )

    def coerce(
        self, prepared: PreparedOperation, variables: Mapping[str, Any] | None
    ) -> dict[str, Any] | GraphQLResult:
        """The variable values coerced to the operation's types, or a ``BAD_USER_INPUT`` error."""
        return coerce_variables(self.supergraph.api_schema, prepared, variables)

    def plan(
        self,
        prepared: PreparedOperation,
        variables: Mapping[str, Any],
        authorization: AuthorizationOutcome | None = None,
    ) -> PlanVariant:
        """The plan and shape for these variable values (planned once per combination).

        With an ``authorization`` outcome that removed selections, its pruned document is
        planned (once per outcome key) while the response shape stays the original
        operation's, so removed fields come back null with normal null propagation.
        """
        conditions = tuple(bool(variables.get(name)) for name in prepared.condition_variables)
        labels = frozenset(label for label in self._labels if self._label_on(label))
        signature: tuple[Any, ...] = (conditions, labels)
        pruned: DocumentNode | None = None
        if authorization is not None:
            document = authorization.document
            if document is not None and document is not prepared.document:
                pruned = document
                signature = (conditions, labels, authorization.key)
        variants = prepared.variants
        variant = variants.get(signature)
        if self.observer is not None:
            self.observer.plan_cache(variant is not None)
        if variant is None:
            if len(variants) >= _MAX_VARIANTS:  # the oldest combination goes first
                del variants[next(iter(variants))]
            variant = variants[signature] = self._plan(
                prepared,
                dict(zip(prepared.condition_variables, conditions, strict=True)),
                labels,
                pruned,
            )
        return variant

    def _plan(
        self,
        prepared: PreparedOperation,
        conditions: dict[str, bool],
        labels: frozenset[str],
        pruned: DocumentNode | None,
    ) -> PlanVariant:
        operation, fragments = prepared.operation, prepared.fragments
        if pruned is not None:
            operation, fragments = operation_of(pruned, prepared.operation)
        planned = plan_operation(
            self.supergraph, operation, fragments, conditions=conditions, active_labels=labels
        )
        self.plans_built += 1
        selections = planned.selections
        if pruned is not None:
            selections = normalize_selections(
                prepared.operation.selection_set, prepared.fragments, conditions
            )
        shape = compile_shape(self.supergraph.api_schema, planned.root_type, selections, root=True)
        return PlanVariant(planned, shape)

    def _label_on(self, label: str) -> bool:
        match = _PERCENT.match(label)
        if match is not None:
            return random.random() * 100 < float(match.group(1))
        return label in self.options.override_labels

    # -------------------------------------------------------------- execution
    async def run(
        self,
        prepared: PreparedOperation,
        variant: PlanVariant,
        variables: Mapping[str, Any],
        headers: FetchHeaders | None = None,
        field_errors: tuple[dict[str, Any], ...] = (),
        *,
        request_id: str | None = None,
        trail: ExecutionTrail | None = None,
    ) -> GraphQLResult:
        """Execute a planned variant and shape the response.

        ``field_errors`` (authorization removals, static ``"@"`` paths) are reported at their
        concrete paths in the merged data, before null propagation so that the nulls they
        explain add no error of their own. ``request_id`` is named in masked subgraph errors;
        ``trail`` notes the plan's fetches (the request lookup).
        """
        result = await self.executor.execute(
            variant.planned.plan, variables, headers, request_id, trail
        )
        data = result.data
        errors = result.errors
        if prepared.introspection is not None:
            self._introspect(prepared.introspection, variables, data, errors)
        if not field_errors:
            shaped = project(data, variant.shape, errors)
            return GraphQLResult(data=shaped, errors=errors or None)
        removed = located_errors(field_errors, data)
        errors.extend(removed)
        before = len(errors)
        shaped = project(data, variant.shape, errors)
        if len(errors) > before:  # nulls inside a removed selection are explained already
            errors[before:] = _unexplained(errors[before:], removed)
        return GraphQLResult(data=shaped, errors=errors or None)

    def _introspect(
        self,
        document: DocumentNode,
        variables: Mapping[str, Any],
        data: dict[str, Any],
        errors: list[dict[str, Any]],
    ) -> None:
        # with introspection off, validation has refused the document already
        outcome = execute(self.supergraph.api_schema, document, variable_values=dict(variables))
        if not isinstance(outcome, ExecutionResult):  # introspection is synchronous
            raise TypeError("introspection unexpectedly asynchronous")
        data.update(outcome.data or {})
        errors.extend(formatted_error(e, "INTERNAL_SERVER_ERROR") for e in outcome.errors or ())

    async def aclose(self) -> None:
        """Close the subgraph connections."""
        await self.transport.aclose()


def _unexplained(
    violations: list[dict[str, Any]], removed: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The null violations not inside a selection that authorization removed."""
    prefixes = [error["path"] for error in removed if error.get("path")]
    return [
        violation
        for violation in violations
        if not any(violation["path"][: len(prefix)] == prefix for prefix in prefixes)
    ]


def options_from_settings(settings: GatewaySettings) -> EngineOptions:
    """The engine options the gateway's typed settings ask for.

    Introspection and field suggestions follow the hardening validation policy (production
    mode turns both off unless ``hardening`` says otherwise): the engine validates with the
    same rules (:func:`gateway.hardening.policy_for`).
    """
    policy = validation_policy(settings.hardening, production=settings.production)
    return EngineOptions(
        subgraph_timeout=settings.subgraphs.timeout_seconds,
        mask_subgraph_errors=not settings.subgraphs.expose_errors,
        passthrough_error_codes=settings.subgraphs.passthrough_error_codes,
        subgraph_retry=settings.subgraphs.retry,
        circuit_breaker=settings.subgraphs.circuit_breaker,
        plan_cache_size=settings.plan_cache_size,
        subgraph_urls=dict(settings.subgraphs.urls),
        dedupe_inflight=settings.subgraphs.deduplicate_inflight,
        subgraph_transport=settings.subgraphs.transport,
        introspection=policy.introspection,
        field_suggestions=not policy.hide_suggestions,
        hardening=settings.hardening,
    )


def build_engine(
    supergraph_sdl: str,
    options: EngineOptions | None = None,
    *,
    observer: EngineObserver | None = None,
) -> Engine:
    """Load ``supergraph_sdl`` and return an engine over it (no I/O until the first request);
    ``observer`` gets its metrics."""
    return Engine(load_supergraph(supergraph_sdl), options or EngineOptions(), observer=observer)
