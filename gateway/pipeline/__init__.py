"""The request pipeline: the stages between the HTTP edge and the federation engine.

A feature joins the request path as a :class:`Stage` with named hooks (HTTP request,
document, operation, subgraph fetch, response; see :mod:`gateway.pipeline.stages`), exported
from its own package; :mod:`gateway.pipeline.assembly` holds the one ordered list and builds a
:class:`SupergraphPipeline` per supergraph over the process-wide services of
:class:`~gateway.pipeline.runtime.GatewayRuntime`. ``SupergraphPipeline(engine)`` with no
stages is the bare engine. See docs/pipeline.md.
"""

from gateway.pipeline.fetch_headers import HeaderSource, SubgraphHeaders, request_id_source
from gateway.pipeline.serving import SupergraphPipeline
from gateway.pipeline.stages import (
    DocumentHook,
    FetchHook,
    Operation,
    OperationHook,
    Proceed,
    RequestHook,
    ResponseHook,
    Stage,
    chain,
    document_hooks,
    fetch_hooks,
    operation_hooks,
    request_hooks,
    response_hooks,
)

__all__ = [
    "DocumentHook",
    "FetchHook",
    "HeaderSource",
    "Operation",
    "OperationHook",
    "Proceed",
    "RequestHook",
    "ResponseHook",
    "Stage",
    "SubgraphHeaders",
    "SupergraphPipeline",
    "chain",
    "document_hooks",
    "fetch_hooks",
    "operation_hooks",
    "request_hooks",
    "request_id_source",
    "response_hooks",
]
