"""Stages implement only the hooks they need; the pipeline calls each hook of each stage that
has it, in the list's order, and nothing else."""

from __future__ import annotations

from pathlib import Path

from gateway.engine.core import build_engine
from gateway.engine.types import GraphQLRequest, GraphQLResult, RequestContext
from gateway.pipeline import HeaderSource, Operation, Proceed, SupergraphPipeline

SDL = (
    Path(__file__).parents[2] / "integration" / "gateway" / "shop_supergraph.graphql"
).read_text()


class Operations:
    name = "operations"

    def __init__(self, calls: list[str]) -> None:
        self.calls = calls

    async def on_operation(self, operation: Operation, proceed: Proceed) -> GraphQLResult:
        self.calls.append(f"operation:{operation.prepared.kind.value}")
        return await proceed(operation)


class Responses:
    name = "responses"

    def __init__(self, calls: list[str]) -> None:
        self.calls = calls

    async def on_response(self, operation: Operation, result: GraphQLResult) -> GraphQLResult:
        self.calls.append(f"response:{result.status_code}")
        return result


class Headers:
    name = "headers"

    def fetch_headers(self) -> list[HeaderSource]:
        return [HeaderSource("x-tenant", lambda context: context.headers.get("x-tenant"))]


class Refuses:
    name = "refuses"

    async def on_document(self, operation: Operation) -> GraphQLResult | None:
        return GraphQLResult(
            errors=[{"message": "no", "extensions": {"code": "NO"}}], status_code=400
        )


async def test_each_hook_calls_only_the_stages_that_have_it() -> None:
    calls: list[str] = []
    pipeline = SupergraphPipeline(
        build_engine(SDL), [Headers(), Operations(calls), Responses(calls)]
    )
    result = await pipeline.execute(GraphQLRequest("{ __typename }"), RequestContext("r1"))
    assert result.data == {"__typename": "Query"}
    assert calls == ["operation:query", "response:200"]
    assert [source.name for source in pipeline.subgraph_headers.sources] == ["x-tenant"]
    await pipeline.aclose()


async def test_a_document_refusal_skips_the_operation_but_not_the_response_hooks() -> None:
    calls: list[str] = []
    pipeline = SupergraphPipeline(
        build_engine(SDL), [Refuses(), Operations(calls), Responses(calls)]
    )
    result = await pipeline.execute(GraphQLRequest("{ __typename }"), RequestContext("r2"))
    assert (result.status_code, result.errors) == (
        400,
        [{"message": "no", "extensions": {"code": "NO"}}],
    )
    assert calls == ["response:400"]
    await pipeline.aclose()


async def test_the_pipeline_with_no_stages_is_the_bare_engine() -> None:
    pipeline = SupergraphPipeline(build_engine(SDL))
    assert pipeline.subgraph_headers.build(RequestContext("r3")) is None
    ok = await pipeline.execute(GraphQLRequest("{ __typename }"), RequestContext("r3"))
    missing = await pipeline.execute(GraphQLRequest(None), RequestContext("r4"))
    wrong = await pipeline.execute(
        GraphQLRequest("query($s: Boolean!) { __typename @skip(if: $s) }", variables={"s": "x"}),
        RequestContext("r5"),
    )
    get = await pipeline.execute(
        GraphQLRequest("mutation { __typename }"), RequestContext("r6", allow_mutations=False)
    )
    assert ok.data == {"__typename": "Query"}
    assert (missing.status_code, missing.errors) == (
        400,
        [{"message": "The request has no query document.", "extensions": {"code": "BAD_REQUEST"}}],
    )
    assert wrong.status_code == 400 and wrong.errors
    assert wrong.errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert get.status_code == 405
    await pipeline.aclose()
