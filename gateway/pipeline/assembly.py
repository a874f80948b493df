"""THE ordered list of stages, and the pipeline assembled from it.

Every feature exports its stage from its own package; this module is the one place that says
which stages run and in what order. Per hook the pipeline calls the stages that have it, in
this order (docs/pipeline.md shows the same list, and a test checks it):

==========================  ====================================  =======================
stage                       package                               hooks
==========================  ====================================  =======================
``csrf``                    ``gateway.hardening.csrf_stage``      request
``authentication``          ``gateway.auth.stage``                request
``request-id``              ``gateway.observability``             fetch
``trace-context``           ``gateway.observability``             fetch
``persisted-documents``     ``gateway.persisted.stage``           document
``anonymous-mutations``     ``gateway.auth.anonymous_mutations``  operation
``variables``               ``gateway.pipeline.variables``        operation
``authorization``           ``gateway.authz.stage``               operation
``page-size``               ``gateway.limits.page_size_stage``    operation
``principal-headers``       ``gateway.auth.principal_forwarding`` fetch
``replay-budget-headers``   ``gateway.limits.budget_stage``       response
``idempotency``             ``gateway.idempotency.stage``         operation, fetch
``cost``                    ``gateway.limits.budget_stage``       operation
``observability``           ``gateway.observability.stage``       operation, response
``errors``                  ``gateway.hardening.error_policy``    response
==========================  ====================================  =======================

The request hooks are process-wide (the HTTP edge and the ``/jobs`` API run them before any
supergraph is borrowed: :func:`request_stages`); the others belong to the pipeline of one
supergraph (:func:`build_pipeline`, at start-up and on every hot reload).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import structlog

from gateway.auth.anonymous_mutations import AnonymousMutationStage
from gateway.auth.stage import AuthenticationStage
from gateway.authz.authorizer import Authorizer
from gateway.authz.stage import AuthorizationStage
from gateway.engine.core import Engine, build_engine, options_from_settings
from gateway.hardening.csrf_stage import CsrfStage
from gateway.idempotency.stage import IdempotencyStage
from gateway.limits.analyzer import CostAnalyzer
from gateway.limits.budget_stage import CostBudgetStage, ReplayBudgetHeaders
from gateway.limits.model_builder import build_cost_model
from gateway.limits.page_size import PageSizeLimits
from gateway.limits.page_size_stage import PageSizeStage
from gateway.limits.stage import CostStage
from gateway.observability.request_id_stage import RequestIdStage
from gateway.observability.stage import ObservabilityStage
from gateway.observability.tracing_stage import TraceContextStage
from gateway.persisted.stage import PersistedDocumentsStage
from gateway.pipeline.runtime import GatewayRuntime
from gateway.pipeline.serving import SupergraphPipeline
from gateway.pipeline.stages import RequestHook, Stage, request_hooks
from gateway.pipeline.traced_stages import traced_request_hooks
from gateway.pipeline.variables import VariablesStage

__all__ = ["build_pipeline", "ordered_stages", "pipeline_factory", "request_stages"]

_log = structlog.get_logger(__name__)


def ordered_stages(
    runtime: GatewayRuntime, engine: Engine | None = None, *, csrf: bool = True
) -> list[Stage]:
    """The stages in order, as the runtime's settings switch them on, for the supergraph
    ``engine`` serves; without it only the process-wide stages (the HTTP-request hooks among
    them). The supergraph is parsed once, by the engine's loader: the authorizer and the cost
    model are built from its model."""
    settings = runtime.settings
    stages: list[Stage] = []
    if csrf and settings.hardening.csrf_prevention.enabled:
        stages.append(CsrfStage(settings.hardening.csrf_prevention))
    stages.append(AuthenticationStage(runtime.authenticator))
    if engine is None:
        return stages
    stages.append(RequestIdStage())
    stages.append(TraceContextStage(traced=runtime.tracer is not None))
    stages.append(PersistedDocumentsStage(runtime.clients, runtime.documents))
    stages.append(AnonymousMutationStage(settings.auth))
    stages.append(VariablesStage(engine))
    stages.append(AuthorizationStage(_authorizer(engine, runtime)))
    limits = settings.limits
    wanted = limits.enabled or limits.page_size.enabled
    model = build_cost_model(engine.supergraph) if wanted else None
    if model is not None and limits.page_size.enabled:  # nothing claimed or charged yet
        page_sizes = PageSizeLimits(model, limits.page_size)
        if unknown := page_sizes.unknown_overrides():
            _log.warning("limits.page_size.fields name no slicing argument", fields=unknown)
        stages.append(PageSizeStage(page_sizes))
    stages.append(runtime.principal_headers)
    if runtime.idempotency is not None:  # replays and refused keys cost nothing
        if runtime.limiter is not None:  # a replay reports the caller's bucket as it is now
            stages.append(ReplayBudgetHeaders(runtime.limiter, runtime.budget_accounts))
        forward = settings.idempotency.forward_to_subgraphs
        stages.append(
            IdempotencyStage(runtime.idempotency, forward_key=forward, metrics=runtime.metrics)
        )
    if model is not None and runtime.limiter is not None:
        analyzer = CostAnalyzer(model, limits.cost)
        cost = CostStage(analyzer, runtime.limiter, limits, metrics=runtime.metrics)
        stages.append(CostBudgetStage(cost, runtime.budget_accounts))
    observability = settings.observability
    if (
        runtime.metrics is not None
        or observability.access_log.enabled
        or observability.request_lookup.enabled  # the operations of request records
    ):
        stages.append(ObservabilityStage(runtime.metrics))  # the last operation hook
    stages.append(runtime.errors)
    return stages


def request_stages(runtime: GatewayRuntime, *, csrf: bool = True) -> tuple[RequestHook, ...]:
    """The HTTP-request hooks, in order: the GraphQL endpoint's, and the ``/jobs`` API's with
    ``csrf=False`` (its uploads are answered by media type, 415 for ``text/plain``, and its
    credentials are headers a cross-site form cannot send)."""
    hooks = request_hooks(ordered_stages(runtime, csrf=csrf))
    if runtime.tracer is not None:  # a span per hook run (tracing on only)
        return traced_request_hooks(hooks, runtime.tracer)
    return hooks


def _authorizer(engine: Engine, runtime: GatewayRuntime) -> Authorizer:
    settings = runtime.settings
    authorizer = Authorizer.from_supergraph(
        engine.supergraph, settings.authorization, runtime.policies
    )
    if authorizer.unknown_policies:
        _log.warning(
            "policies used by the supergraph are not configured; they deny",
            policies=sorted(authorizer.unknown_policies),
        )
    return authorizer


def build_pipeline(sdl: str, runtime: GatewayRuntime) -> SupergraphPipeline:
    """The pipeline over ``sdl``: the engine and the stages of :func:`ordered_stages`. Raises
    when the supergraph cannot be served."""
    settings = runtime.settings
    options = replace(options_from_settings(settings), tracer=runtime.tracer)
    engine = build_engine(sdl, options, observer=runtime.metrics)
    stages = ordered_stages(runtime, engine)
    return SupergraphPipeline(
        engine,
        stages,
        deduplicate_inflight=settings.http.deduplicate_inflight,
        tracer=runtime.tracer,
    )


def pipeline_factory(runtime: GatewayRuntime) -> Callable[[str], SupergraphPipeline]:
    """The ``create_app`` engine factory serving every supergraph through the pipeline."""

    def build(sdl: str) -> SupergraphPipeline:
        return build_pipeline(sdl, runtime)

    return build
