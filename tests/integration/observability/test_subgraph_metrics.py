"""``GET /metrics`` of each real subgraph (SQLite and PostgreSQL): requests by status class,
resolver errors by code and the database pool's connections, after real HTTP requests."""

from __future__ import annotations

import httpx
from metrics_scrape import scrape
from order_stack import OrderStack

from subgraphs.registry import SUBGRAPH_NAMES

MISSING_ORDER = "00000000-0000-0000-0000-000000000000"


def _base(graphql_url: str) -> str:
    return graphql_url.removesuffix("/graphql")


async def test_every_subgraph_serves_its_metrics(order_stack: OrderStack) -> None:
    async with httpx.AsyncClient(timeout=30) as client:
        for name in SUBGRAPH_NAMES:
            answer = await client.post(order_stack.url(name), json={"query": "{ __typename }"})
            assert answer.status_code == 200
            metrics = await scrape(client, f"{_base(order_stack.url(name))}/metrics")
            count = "ordergate_subgraph_requests_duration_seconds_count"
            assert metrics.value(count, subgraph=name, status_class="2xx") == 1, name
            pool = metrics.series("ordergate_subgraph_db_pool_connections")
            assert sorted(series["state"] for series in pool) == ["idle", "in_use"]
            assert {series["subgraph"] for series in pool} == {name}


async def test_resolver_errors_are_counted_by_code_and_the_pool_is_shown(
    order_stack: OrderStack,
) -> None:
    orders = order_stack.url("orders")
    async with httpx.AsyncClient(timeout=30) as client:
        listed = await client.post(orders, json={"query": "{ orders(first: 3) { totalCount } }"})
        missing = await client.post(
            orders,
            json={"query": f'mutation {{ cancelOrder(orderId: "{MISSING_ORDER}") {{ id }} }}'},
        )
        invalid = await client.post(orders, json={"query": "{ orders(first: 3) { nope } }"})
        metrics = await scrape(client, f"{_base(orders)}/metrics")
    assert "errors" not in listed.json(), listed.json()
    code = missing.json()["errors"][0]["extensions"]["code"]
    assert code == "NOT_FOUND"
    invalid_code = invalid.json()["errors"][0]["extensions"]["code"]
    assert invalid_code == "GRAPHQL_VALIDATION_FAILED"
    errors = "ordergate_subgraph_resolver_errors_total"
    assert metrics.value(errors, subgraph="orders", code=code) == 1
    assert metrics.value(errors, subgraph="orders", code=invalid_code) == 1
    assert metrics.value(errors) == 2
    # the listing read the database: its connection went back to the pool, idle
    pool = "ordergate_subgraph_db_pool_connections"
    assert metrics.value(pool, subgraph="orders", state="idle") >= 1
    assert metrics.value(pool, subgraph="orders", state="in_use") == 0
