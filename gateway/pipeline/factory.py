"""Builds the pipeline for one supergraph (at start-up and on every hot reload)."""

from __future__ import annotations

from collections.abc import Callable

import structlog

from gateway.authz.authorizer import Authorizer
from gateway.engine import build_engine, options_from_settings
from gateway.limits.analyzer import CostAnalyzer
from gateway.limits.stage import CostStage
from gateway.pipeline.cost import CostBudgetStage
from gateway.pipeline.idempotency import IdempotencyStage
from gateway.pipeline.runtime import GatewayRuntime
from gateway.pipeline.serving import SupergraphPipeline
from gateway.pipeline.stages import OperationStage

__all__ = ["build_pipeline", "pipeline_factory"]

_log = structlog.get_logger(__name__)


def build_pipeline(sdl: str, runtime: GatewayRuntime) -> SupergraphPipeline:
    """The pipeline over ``sdl``: engine, authorizer and cost model of this supergraph, with
    the runtime's process-wide services. Raises when the supergraph cannot be served."""
    settings = runtime.settings
    engine = build_engine(sdl, options_from_settings(settings))
    authorizer = Authorizer.from_supergraph(
        sdl, engine.supergraph.api_schema, settings.authorization, runtime.policies
    )
    if authorizer.unknown_policies:
        _log.warning(
            "policies used by the supergraph are not configured; they deny",
            policies=sorted(authorizer.unknown_policies),
        )
    stages: list[OperationStage] = []
    if runtime.idempotency is not None:  # first: replays and refused keys cost nothing
        stages.append(IdempotencyStage(runtime.idempotency))
    if runtime.limiter is not None:
        analyzer = CostAnalyzer.from_sdl(sdl, settings.limits.cost)
        stages.append(CostBudgetStage(CostStage(analyzer, runtime.limiter, settings.limits)))
    return SupergraphPipeline(engine, authorizer, runtime, stages)


def pipeline_factory(runtime: GatewayRuntime) -> Callable[[str], SupergraphPipeline]:
    """The ``create_app`` engine factory serving every supergraph through the pipeline."""

    def build(sdl: str) -> SupergraphPipeline:
        return build_pipeline(sdl, runtime)

    return build
