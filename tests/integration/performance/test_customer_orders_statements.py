"""The CustomerOrders query (bench scenario 2) through the real gateway issues a number of SQL
statements per subgraph that does not grow with the number of orders: every list is read by a
batched DataLoader, never one statement per order, line or payment.

Statements are counted with SQLAlchemy's ``before_cursor_execute`` event on each served
subgraph's engine, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from order_stack import OrderStack, rows
from sqlalchemy import event
from stack_gateway import Deployment, serve_gateway

from subgraphs.common.app import runtime_of

QUERY = (Path(__file__).parents[3] / "bench" / "queries" / "customer-orders.graphql").read_text(
    encoding="utf-8"
)


@contextmanager
def counting_statements(stack: OrderStack) -> Iterator[Counter[str]]:
    """``subgraph -> statements executed`` while the block runs."""
    counts: Counter[str] = Counter()
    listeners = []
    for served in stack.group.served:
        assert served.app is not None
        engine = runtime_of(served.app).database.engine.sync_engine  # type: ignore[arg-type]

        def count(*_: Any, name: str = served.name) -> None:
            counts[name] += 1

        event.listen(engine, "before_cursor_execute", count)
        listeners.append((engine, count))
    try:
        yield counts
    finally:
        for engine, listener in listeners:
            event.remove(engine, "before_cursor_execute", listener)


async def busiest_customer(stack: OrderStack) -> tuple[str, int]:
    """The customer with the most orders, and how many."""
    found = await rows(
        stack.database_urls["orders"],
        "SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id ORDER BY n DESC",
    )
    return str(found[0]["customer_id"]), int(found[0]["n"])


async def run(client: httpx.AsyncClient, customer_id: str, first: int) -> dict[str, Any]:
    response = await client.post(
        "/graphql",
        json={
            "query": QUERY,
            "operationName": "CustomerOrders",
            "variables": {"customerId": customer_id, "first": first},
        },
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body


#: statements per subgraph for one CustomerOrders request: one per DataLoader batch the query
#: reaches (and a page's count), whatever the number of orders, lines, payments and shipments
STATEMENT_BOUNDS = {"orders": 7, "inventory": 6, "payments": 2, "shipments": 4}


async def test_customer_orders_statements_do_not_grow_with_the_orders(
    order_stack: OrderStack, tmp_path: Path
) -> None:
    customer_id, orders = await busiest_customer(order_stack)
    assert orders >= 3, "the seed gives some customer several orders"
    deployment = Deployment("embedded", order_stack, tmp_path)
    settings = deployment.settings(authorization={"mode": "dry_run"})  # as bench scenario 2
    async with serve_gateway(settings) as (client, _):
        await run(client, customer_id, orders)  # warm: plans, prepared statements
        with counting_statements(order_stack) as one_order:
            small = await run(client, customer_id, 1)
        with counting_statements(order_stack) as all_orders:
            large = await run(client, customer_id, orders)
    assert len(small["data"]["customer"]["orders"]["edges"]) == 1
    edges = large["data"]["customer"]["orders"]["edges"]
    assert len(edges) == orders
    lines = sum(len(edge["node"]["lines"]) for edge in edges)
    # one statement per line (product, stock, availability) would break every bound
    assert lines > max(STATEMENT_BOUNDS.values()), lines
    assert set(all_orders) == set(STATEMENT_BOUNDS)
    for name, bound in STATEMENT_BOUNDS.items():
        assert one_order[name] <= all_orders[name] <= bound, (name, one_order, all_orders)
