"""The request pipeline over one supergraph: the ``GraphQLService`` the HTTP edge calls.

Per operation (each entry of a batch on its own), after the edge has run the HTTP-request
hooks once for the HTTP request:

1. the document hooks find the document (without one: the raw ``query``);
2. the engine prepares it (parse under the limits, validate; cached per document key and
   operation name) and a mutation over GET is refused (405);
3. the operation hooks run, in order, around plan and run (the engine's variable coercion is
   one of them: :class:`~gateway.pipeline.variables.VariablesStage`, added first when the list
   has none);
4. plan (cached per conditions, override labels and authorization outcome), run with the
   subgraph headers of the fetch hooks, shape against the original operation (with
   ``http.deduplicate_inflight``, identical queries in flight share this step:
   :mod:`gateway.pipeline.inflight`);
5. the response hooks see every result, refusals included.

``SupergraphPipeline(engine)`` with no stages is the bare engine: raw documents, the engine's
own checks, no authentication, authorization, limits or error scrubbing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Mapping, Sequence

from opentelemetry.trace import Tracer

from gateway.engine.core import Engine
from gateway.engine.documents import document_key, mutation_refused, planning_failure, request_error
from gateway.engine.types import GraphQLRequest, GraphQLResult, RequestContext
from gateway.execution.trail import TRAIL, ExecutionTrail
from gateway.persisted.documents import ResolvedDocument
from gateway.pipeline.fetch_headers import SubgraphHeaders
from gateway.pipeline.inflight import InflightExecutions, inflight_key
from gateway.pipeline.stages import (
    Operation,
    chain,
    document_hooks,
    fetch_hooks,
    operation_hooks,
    response_hooks,
)
from gateway.pipeline.traced_stages import (
    name_operation_span,
    traced_document_hooks,
    traced_operation_hooks,
    traced_response_hooks,
)
from gateway.pipeline.variables import VariablesStage
from gateway.planning.planner import PlanningError

__all__ = ["SupergraphPipeline"]


class SupergraphPipeline:
    """Runs requests through the stages over one supergraph (implements ``ServingEngine``)."""

    def __init__(
        self,
        engine: Engine,
        stages: Sequence[object] = (),
        *,
        deduplicate_inflight: bool = False,
        tracer: Tracer | None = None,
    ) -> None:
        self.engine = engine
        self.stages = tuple(stages)
        self._documents = document_hooks(self.stages)
        operations = operation_hooks(self.stages)
        if not any(isinstance(stage, VariablesStage) for stage in operations):
            operations = (VariablesStage(engine), *operations)
        self._responses = response_hooks(self.stages)
        #: spans of the operation, its hooks, plan and run (``None``: tracing off, no span work)
        self._tracer = tracer
        last = self._plan_and_execute
        if tracer is not None:
            self._documents = traced_document_hooks(self._documents, tracer)
            operations = traced_operation_hooks(operations, tracer)
            self._responses = traced_response_hooks(self._responses, tracer)
            last = self._plan_and_execute_traced
        self._run_stages = chain(operations, last)
        #: the headers of every subgraph fetch, from the stages' fetch hooks
        self.subgraph_headers = SubgraphHeaders(
            [source for stage in fetch_hooks(self.stages) for source in stage.fetch_headers()]
        )
        #: identical queries in flight, when inbound deduplication is on
        self.inflight: InflightExecutions | None = (
            InflightExecutions() if deduplicate_inflight else None
        )

    @property
    def supergraph_hash(self) -> str:
        """The SHA-256 of the supergraph SDL served."""
        return self.engine.supergraph_hash

    @property
    def subgraph_urls(self) -> Mapping[str, str]:
        """Subgraph name -> URL, as the engine calls them."""
        return self.engine.subgraph_urls

    async def aclose(self) -> None:
        """Close the engine's subgraph connections (process-wide services stay open)."""
        await self.engine.aclose()

    async def execute(self, request: GraphQLRequest, context: RequestContext) -> GraphQLResult:
        """Run one operation through the pipeline; client mistakes become errors, never raise."""
        if self._tracer is not None:
            return await self._execute_traced(self._tracer, request, context)
        operation = Operation(request, context)
        result = await self._execute(operation)
        for stage in self._responses:
            result = await stage.on_response(operation, result)
        return result

    async def _execute_traced(
        self, tracer: Tracer, request: GraphQLRequest, context: RequestContext
    ) -> GraphQLResult:
        """:meth:`execute` inside a ``graphql.operation`` span (renamed ``<type> <name>``)."""
        with tracer.start_as_current_span("graphql.operation") as span:
            operation = Operation(request, context)
            result = await self._execute(operation)
            for stage in self._responses:
                result = await stage.on_response(operation, result)
            name_operation_span(span, operation, result)
            return result

    async def _execute(self, operation: Operation) -> GraphQLResult:
        request = operation.request
        if self._documents:
            for stage in self._documents:
                refused = await stage.on_document(operation)
                if refused is not None:
                    return refused
        elif request.trusted_document is not None:
            operation.document = request.trusted_document
        else:
            query = request.query
            if query is None:
                return request_error("The request has no query document.", "BAD_REQUEST")
            operation.document = ResolvedDocument(query, document_key(query), "raw")
        document = operation.document
        prepared = self.engine.prepare(document.key, document.query, request.operation_name)
        if isinstance(prepared, GraphQLResult):
            return prepared
        refused = mutation_refused(prepared, operation.context)
        if refused is not None:
            return refused
        operation.prepared = prepared
        return await self._run_stages(operation)

    async def _plan_and_execute(self, operation: Operation) -> GraphQLResult:
        engine = self.engine
        authorization = operation.authorization
        try:
            variant = engine.plan(operation.prepared, operation.variables, authorization)
        except PlanningError as error:
            return planning_failure(error)
        headers = self.subgraph_headers.build(operation.context)
        trail = operation.context.attributes.get(TRAIL)
        if isinstance(trail, ExecutionTrail):  # the request lookup is on
            definitions = operation.prepared.operation.variable_definitions or ()
            trail.planned(variant.planned.plan, definitions, operation.variables)
        else:
            trail = None

        def run() -> Awaitable[GraphQLResult]:
            return engine.run(
                operation.prepared,
                variant,
                operation.variables,
                headers,
                authorization.errors if authorization is not None else (),
                request_id=operation.context.request_id,
                trail=trail,
            )

        inflight = self.inflight
        if inflight is not None:
            key = inflight_key(engine.supergraph_hash, operation, variant, headers)
            if key is not None:
                return await inflight.run(key, operation.context.request_id, run)
        return await run()

    async def _plan_and_execute_traced(self, operation: Operation) -> GraphQLResult:
        """:meth:`_plan_and_execute` with the plan in a ``graphql.plan`` span (its attribute
        ``ordergate.plan.cached``) and the run in ``graphql.execute``."""
        tracer = self._tracer
        assert tracer is not None
        engine = self.engine
        with tracer.start_as_current_span("graphql.plan") as span:
            built = engine.plans_built
            # a planning error comes again below, where it becomes the result
            with contextlib.suppress(PlanningError):
                engine.plan(operation.prepared, operation.variables, operation.authorization)
            span.set_attribute("ordergate.plan.cached", engine.plans_built == built)
        with tracer.start_as_current_span("graphql.execute"):
            return await self._plan_and_execute(operation)
