"""Builds the pipeline for one supergraph (at start-up and on every hot reload)."""

from __future__ import annotations

from collections.abc import Callable

import structlog

from gateway.authz.authorizer import Authorizer
from gateway.engine import build_engine, options_from_settings
from gateway.limits.analyzer import CostAnalyzer
from gateway.limits.model_builder import build_cost_model
from gateway.limits.page_size import PageSizeLimits
from gateway.limits.stage import CostStage
from gateway.pipeline.cost import CostBudgetStage, ReplayBudgetHeaders
from gateway.pipeline.idempotency import IdempotencyStage
from gateway.pipeline.page_size import PageSizeStage
from gateway.pipeline.runtime import GatewayRuntime
from gateway.pipeline.serving import SupergraphPipeline
from gateway.pipeline.stages import OperationStage

__all__ = ["build_pipeline", "pipeline_factory"]

_log = structlog.get_logger(__name__)


def build_pipeline(sdl: str, runtime: GatewayRuntime) -> SupergraphPipeline:
    """The pipeline over ``sdl``: engine, authorizer and cost model of this supergraph, with
    the runtime's process-wide services. Raises when the supergraph cannot be served.

    The SDL is parsed once, by the engine's supergraph loader; the authorizer and the cost
    model are built from that model."""
    settings = runtime.settings
    engine = build_engine(sdl, options_from_settings(settings))
    supergraph = engine.supergraph
    authorizer = Authorizer.from_supergraph(supergraph, settings.authorization, runtime.policies)
    if authorizer.unknown_policies:
        _log.warning(
            "policies used by the supergraph are not configured; they deny",
            policies=sorted(authorizer.unknown_policies),
        )
    limits = settings.limits
    wanted = limits.enabled or limits.page_size.enabled
    model = build_cost_model(supergraph) if wanted else None
    stages: list[OperationStage] = []
    if model is not None and limits.page_size.enabled:  # first: nothing claimed or charged
        page_sizes = PageSizeLimits(model, limits.page_size)
        if unknown := page_sizes.unknown_overrides():
            _log.warning("limits.page_size.fields name no slicing argument", fields=unknown)
        stages.append(PageSizeStage(page_sizes))
    if runtime.idempotency is not None:  # replays and refused keys cost nothing
        if runtime.limiter is not None:  # a replay reports the caller's bucket as it is now
            stages.append(ReplayBudgetHeaders(runtime.limiter, runtime.budget_accounts))
        stages.append(IdempotencyStage(runtime.idempotency))
    if model is not None and runtime.limiter is not None:
        analyzer = CostAnalyzer(model, limits.cost)
        stage = CostStage(analyzer, runtime.limiter, limits)
        stages.append(CostBudgetStage(stage, runtime.budget_accounts))
    return SupergraphPipeline(engine, authorizer, runtime, stages)


def pipeline_factory(runtime: GatewayRuntime) -> Callable[[str], SupergraphPipeline]:
    """The ``create_app`` engine factory serving every supergraph through the pipeline."""

    def build(sdl: str) -> SupergraphPipeline:
        return build_pipeline(sdl, runtime)

    return build
