"""The request pipeline over one supergraph: the ``GraphQLService`` the HTTP edge calls.

Per operation (each entry of a batch on its own), after the edge has assigned the correlation
id, checked CSRF and authenticated the caller once for the HTTP request:

1. document: persisted id, APQ hash or raw text (``gateway.persisted``), per the caller's
   client profile;
2. parse under the limits, validate (cached per document key and operation name, with the
   authorization analysis), refuse a mutation over GET or from an anonymous caller, coerce
   variables;
3. field authorization: prune (or reject, or only report in dry run);
4. operation stages, in order: page sizes, idempotency (replays get the caller's current
   ``RateLimit`` fields), cost and budget (``gateway.limits``);
5. plan (cached per conditions, override labels and authorization outcome), execute with the
   subgraph headers, shape against the original operation (with ``http.deduplicate_inflight``,
   identical queries in flight share this step: ``gateway.pipeline.inflight``);
6. every error scrubbed on the way out.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping, Sequence

import structlog

from gateway.authz.authorizer import Authorizer, OperationAnalysis
from gateway.authz.outcome import AuthorizationOutcome, located_errors
from gateway.authz.settings import AuthorizationMode
from gateway.documents import PreparedOperation, mutation_refused, planning_failure
from gateway.engine import Engine
from gateway.persisted.errors import PersistedQueryError
from gateway.pipeline.inflight import InflightExecutions, inflight_key
from gateway.pipeline.runtime import GatewayRuntime
from gateway.pipeline.stages import Operation, OperationStage, chain
from gateway.planning.planner import PlanningError
from gateway.service import GraphQLRequest, GraphQLResult, RequestContext

__all__ = ["SupergraphPipeline"]

_log = structlog.get_logger(__name__)

#: HTTP status of an operation refused by authorization in ``reject`` mode
REJECTED_STATUS = 403


class SupergraphPipeline:
    """Runs requests through every stage over one supergraph (implements ``ServingEngine``)."""

    def __init__(
        self,
        engine: Engine,
        authorizer: Authorizer,
        runtime: GatewayRuntime,
        stages: Sequence[OperationStage] = (),
    ) -> None:
        self.engine = engine
        self.authorizer = authorizer
        self.stages = tuple(stages)
        self._runtime = runtime
        self._run_stages = chain(self.stages, self._plan_and_execute)
        #: identical queries in flight, when inbound deduplication is on
        self.inflight: InflightExecutions | None = (
            InflightExecutions() if runtime.settings.http.deduplicate_inflight else None
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
        result = await self._execute(request, context)
        return self._runtime.errors.finish(result)

    async def _execute(self, request: GraphQLRequest, context: RequestContext) -> GraphQLResult:
        runtime = self._runtime
        client_id = context.principal.client_id
        profile = runtime.clients.current.profile(client_id)
        try:
            document = await runtime.documents.resolve(
                query=request.query,
                extensions=request.extensions,
                document_id=request.document_id,
                profile=profile,
            )
        except PersistedQueryError as error:
            return error.to_result()
        engine = self.engine
        prepared = engine.prepare_document(document.key, document.query, request.operation_name)
        if isinstance(prepared, GraphQLResult):
            return prepared
        refused = mutation_refused(prepared, context) or runtime.anonymous_mutations.refused(
            prepared.kind, context.principal
        )
        if refused is not None:
            return refused
        variables = engine.coerce(prepared, request.variables)
        if isinstance(variables, GraphQLResult):
            return variables
        authorization = self._authorize(prepared, request, context)
        if authorization is not None and authorization.rejected:
            errors = located_errors(authorization.errors, None)
            return GraphQLResult(errors=errors, status_code=REJECTED_STATUS)
        operation = Operation(
            request, context, client_id, profile, document, prepared, variables, authorization
        )
        return await self._run_stages(operation)

    def _authorize(
        self, prepared: PreparedOperation, request: GraphQLRequest, context: RequestContext
    ) -> AuthorizationOutcome | None:
        analysis = prepared.authorization
        if analysis is None:
            analysis = prepared.authorization = self._analyze(prepared, request.operation_name)
        if not analysis.requirements:
            return None
        outcome = self.authorizer.authorize(analysis, context.principal)
        if outcome.mode is AuthorizationMode.DRY_RUN and outcome.unauthorized_paths:
            _log.info(
                "authorization dry run: selections would be removed",
                operation=request.operation_name,
                paths=[".".join(path) for path in outcome.unauthorized_paths],
                truncated=outcome.truncated,
            )
        return outcome

    def _analyze(
        self, prepared: PreparedOperation, operation_name: str | None
    ) -> OperationAnalysis:
        return self.authorizer.analyze(prepared.document, operation_name)

    async def _plan_and_execute(self, operation: Operation) -> GraphQLResult:
        engine = self.engine
        authorization = operation.authorization
        try:
            variant = engine.plan_for(operation.prepared, operation.variables, authorization)
        except PlanningError as error:
            return planning_failure(error)
        headers = self._runtime.subgraph_headers.build(operation.context)

        def run() -> Awaitable[GraphQLResult]:
            return engine.run(
                operation.prepared,
                variant,
                operation.variables,
                headers,
                authorization.errors if authorization is not None else (),
                request_id=operation.context.request_id,
            )

        inflight = self.inflight
        if inflight is not None:
            key = inflight_key(engine.supergraph_hash, operation, variant, headers)
            if key is not None:
                return await inflight.run(key, operation.context.request_id, run)
        return await run()
