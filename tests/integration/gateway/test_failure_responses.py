"""Spec-correct responses when subgraphs fail: re-pathed errors, partial data, masking, nulls."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from shop_deployment import Shop

from gateway.engine.types import GraphQLRequest, GraphQLResult, RequestContext
from gateway.pipeline import SupergraphPipeline

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def run(shop: Shop, query: str, **options: Any) -> GraphQLResult:
    engine = shop.engine(**options)
    try:
        return await SupergraphPipeline(engine).execute(
            GraphQLRequest(query=query), RequestContext("t")
        )
    finally:
        await engine.aclose()


async def test_subgraph_error_is_repathed_to_the_client_alias(shop: Shop) -> None:
    result = await run(shop, "{ tops: topProducts(first: 2) { upc oops: flaky } }")
    assert result.status_code == 200
    assert result.data == {"tops": [{"upc": "p1", "oops": None}, {"upc": "p2", "oops": None}]}
    assert result.errors is not None
    paths = sorted(tuple(e["path"]) for e in result.errors)
    assert paths == [("tops", 0, "oops"), ("tops", 1, "oops")]
    for error in result.errors:
        # FLAKY is no client-facing code: its message is replaced (ADR 0206)
        assert error["message"] == "Internal error in subgraph inventory; reference t"
        assert error["extensions"]["code"] == "FLAKY"
        assert error["extensions"]["serviceName"] == "inventory"
        assert "exception" not in error["extensions"]  # masked by default


async def test_unmasked_errors_keep_subgraph_details(shop: Shop) -> None:
    result = await run(shop, '{ product(upc: "p1") { flaky } }', mask_subgraph_errors=False)
    assert result.errors is not None
    assert result.errors[0]["extensions"]["exception"] == {"stacktrace": ["at flaky()"]}


async def test_partial_data_when_a_subgraph_is_down(shop: Shop, closed_port_url: str) -> None:
    result = await run(
        shop,
        "{ me { id email } topProducts(first: 1) { upc name } }",
        subgraph_urls={"accounts": closed_port_url},
    )
    assert result.data == {"me": None, "topProducts": [{"upc": "p1", "name": "Table"}]}
    assert result.errors is not None
    error = result.errors[0]
    assert error["extensions"] == {"code": "SUBREQUEST_HTTP_ERROR", "serviceName": "accounts"}
    assert error["message"] == "Could not fetch from subgraph accounts"
    assert closed_port_url not in str(result.errors)  # no URL leaks when masked


async def test_unmasked_transport_error_names_the_url(shop: Shop, closed_port_url: str) -> None:
    result = await run(
        shop,
        "{ me { id } }",
        subgraph_urls={"accounts": closed_port_url},
        mask_subgraph_errors=False,
    )
    assert result.errors is not None
    assert closed_port_url in result.errors[0]["message"]


async def test_failed_entity_fetch_nulls_nullable_fields_only(
    shop: Shop, closed_port_url: str
) -> None:
    result = await run(
        shop,
        "{ reviews { body author { name email } } }",
        subgraph_urls={"accounts": closed_port_url},
    )
    assert result.data is not None
    assert result.data["reviews"][0] == {"body": "Great", "author": {"name": "Ada", "email": None}}
    assert result.errors is not None
    assert result.errors[0]["extensions"]["serviceName"] == "accounts"


async def test_null_propagates_to_the_nearest_nullable_parent(
    shop: Shop, closed_port_url: str
) -> None:
    # inStock is Boolean! inside [Product!]! under a non-null root field: data becomes null
    result = await run(
        shop,
        "{ topProducts(first: 1) { upc inStock } }",
        subgraph_urls={"inventory": closed_port_url},
    )
    assert result.data is None
    assert result.errors is not None
    assert result.errors[0]["extensions"]["code"] == "SUBREQUEST_HTTP_ERROR"
    # the same failure below a nullable field only nulls that field
    result = await run(
        shop,
        '{ product(upc: "p1") { upc inStock } }',
        subgraph_urls={"inventory": closed_port_url},
    )
    assert result.data == {"product": None}


async def test_timeout_gives_partial_data(shop: Shop) -> None:
    result = await run(shop, '{ product(upc: "p1") { name slow } }', subgraph_timeout=1.5)
    assert result.data == {"product": {"name": "Table", "slow": None}}
    assert result.errors is not None
    assert result.errors[0]["extensions"] == {
        "code": "SUBREQUEST_TIMEOUT",
        "serviceName": "inventory",
    }


async def test_identical_inflight_queries_share_one_subgraph_call(shop: Shop) -> None:
    engine = shop.engine()
    before = shop.state.counter_calls
    try:
        results = await asyncio.gather(
            *(
                SupergraphPipeline(engine).execute(
                    GraphQLRequest(query="{ counter }"), RequestContext(str(i))
                )
                for i in range(3)
            )
        )
    finally:
        await engine.aclose()
    assert shop.state.counter_calls == before + 1
    assert {r.data["counter"] for r in results if r.data} == {before + 1}


async def test_inflight_dedup_can_be_turned_off(shop: Shop) -> None:
    engine = shop.engine(dedupe_inflight=False)
    before = shop.state.counter_calls
    try:
        await asyncio.gather(
            *(
                SupergraphPipeline(engine).execute(
                    GraphQLRequest(query="{ counter }"), RequestContext("x")
                )
                for _ in "ab"
            )
        )
    finally:
        await engine.aclose()
    assert shop.state.counter_calls == before + 2


async def test_request_errors(shop: Shop) -> None:
    parse_error = await run(shop, "{ topProducts { ")
    assert parse_error.status_code == 400
    assert parse_error.errors is not None
    assert parse_error.errors[0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    bad_variable = await run(shop, "query($n: Int!) { topProducts(first: $n) { upc } }")
    assert bad_variable.status_code == 400
    assert bad_variable.errors is not None
    assert bad_variable.errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    engine = shop.engine()
    refused = await SupergraphPipeline(engine).execute(
        GraphQLRequest(query='mutation { record(entry: "x") }'),
        RequestContext("t", allow_mutations=False),
    )
    await engine.aclose()
    assert refused.status_code == 405
