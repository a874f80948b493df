"""The benchmark query over real HTTP subgraphs: one inventory call fewer, the same response.

Fetch merging (ADR 0205) plans the nested products' ``inStock`` into the later inventory fetch
for their ``shippingEstimate``. The same query planned without merging is the reference.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from bench_subgraphs import BenchCalls, build_bench_subgraphs
from live_server import live_server

import gateway.planning.planner as planner_module
from gateway.engine.core import EngineOptions, build_engine
from gateway.engine.types import GraphQLRequest, RequestContext
from gateway.pipeline import SupergraphPipeline
from gateway.planning._groups import FetchGroup

BENCH = Path(__file__).parents[3] / "bench"
SUPERGRAPH = (BENCH / "supergraph.graphql").read_text()
QUERY = json.loads((BENCH / "kit" / "query.json").read_text())["query"]

pytestmark = pytest.mark.asyncio(loop_scope="module")


class Stand:
    """The running benchmark subgraphs."""

    def __init__(self, urls: dict[str, str], calls: BenchCalls) -> None:
        self.urls, self.calls = urls, calls

    async def run(self) -> tuple[dict[str, Any], dict[str, int]]:
        """The benchmark query's data and the calls it made, per subgraph (no dedup)."""
        self.calls.reset()
        engine = build_engine(
            SUPERGRAPH, EngineOptions(subgraph_urls=self.urls, dedupe_inflight=False)
        )
        try:
            result = await SupergraphPipeline(engine).execute(
                GraphQLRequest(query=QUERY), RequestContext("bench")
            )
        finally:
            await engine.aclose()
        assert result.errors is None, result.errors
        assert isinstance(result.data, dict)
        return result.data, dict(self.calls.by_subgraph)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def stand() -> AsyncIterator[Stand]:
    calls = BenchCalls()
    async with AsyncExitStack() as stack:
        urls = {
            name: await stack.enter_async_context(live_server(app)) + "/graphql"
            for name, app in build_bench_subgraphs(calls).items()
        }
        yield Stand(urls, calls)


def _no_merging(groups: list[FetchGroup]) -> list[FetchGroup]:
    return groups


async def test_the_benchmark_query_makes_seven_calls(stand: Stand) -> None:
    _, calls = await stand.run()
    assert calls == {"accounts": 2, "products": 2, "reviews": 1, "inventory": 2}


async def test_merging_saves_one_inventory_call_and_changes_nothing_in_the_response(
    stand: Stand, monkeypatch: pytest.MonkeyPatch
) -> None:
    merged_data, merged_calls = await stand.run()
    monkeypatch.setattr(planner_module, "merge_fetch_groups", _no_merging)
    plain_data, plain_calls = await stand.run()
    assert plain_calls == {**merged_calls, "inventory": merged_calls["inventory"] + 1}
    assert merged_data == plain_data


async def test_the_merged_fetch_answers_both_fields_of_nested_products(stand: Stand) -> None:
    data, _ = await stand.run()
    nested = data["users"][0]["reviews"][0]["product"]
    # product "1": price 899, weight 100 -> shippingEstimate 50 needs the products' fields
    assert nested == {
        "inStock": True,
        "name": "Table",
        "price": 899,
        "shippingEstimate": 50,
        "upc": "1",
        "weight": 100,
        "reviews": nested["reviews"],
    }
    deepest = data["topProducts"][1]["reviews"][0]["author"]["reviews"][0]["product"]
    assert (deepest["upc"], deepest["inStock"], deepest["shippingEstimate"]) == ("1", True, 50)
