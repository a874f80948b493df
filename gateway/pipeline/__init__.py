"""The request pipeline: the stages between the HTTP edge and the federation engine.

``GatewayRuntime`` holds what the process shares (authenticator, clients, persisted documents,
budgets); ``build_pipeline`` makes a :class:`SupergraphPipeline` per supergraph; features
attach at the operation point (:class:`OperationStage`) or the subgraph-fetch point
(:class:`HeaderSource`). See docs/pipeline.md.
"""

from gateway.pipeline.cost import CostBudgetStage
from gateway.pipeline.errors import ErrorPolicy
from gateway.pipeline.factory import build_pipeline, pipeline_factory
from gateway.pipeline.fetch_headers import HeaderSource, SubgraphHeaders, request_id_source
from gateway.pipeline.runtime import GatewayRuntime
from gateway.pipeline.serving import SupergraphPipeline
from gateway.pipeline.stages import Operation, OperationStage, Proceed, chain

__all__ = [
    "CostBudgetStage",
    "ErrorPolicy",
    "GatewayRuntime",
    "HeaderSource",
    "Operation",
    "OperationStage",
    "Proceed",
    "SubgraphHeaders",
    "SupergraphPipeline",
    "build_pipeline",
    "chain",
    "pipeline_factory",
    "request_id_source",
]
