"""Orders queries, pagination and ``_entities`` over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event
from subgraph_harness import OrdersFixture, database_of

from subgraphs.common.db import utc_now
from subgraphs.orders.models import Order, OrderLine

ADDRESS = {"line1": "1 Main St", "city": "Springfield", "postalCode": "12345", "country": "US"}


async def insert_orders(
    fx: OrdersFixture, count: int, *, customers: list[str] | None = None
) -> list[str]:
    """Insert ``count`` orders with two lines each, alternating customers; newest last."""
    owners = [uuid.UUID(c) for c in customers or [fx.customer_id, fx.other_customer_id]]
    start = utc_now() - timedelta(days=1)
    ids = []
    async with database_of(fx.client).write_sessions() as session:
        for index in range(count):
            order_id = uuid.uuid4()
            ids.append(str(order_id))
            placed = start + timedelta(minutes=index)
            order = Order(
                id=order_id,
                number=200_000 + index,
                customer_id=owners[index % len(owners)],
                channel=["WEB", "MOBILE", "MARKETPLACE", "B2B"][index % 4],
                status=["PENDING", "CONFIRMED"][index % 2],
                currency="USD",
                subtotal_amount=3_750,
                shipping_amount=799,
                tax_amount=300,
                total_amount=4_849,
                ship_line1="1 Main St",
                ship_city="Springfield",
                ship_postal_code="12345",
                ship_country="US",
                placed_at=placed,
                updated_at=placed,
                lines=[
                    OrderLine(
                        id=uuid.uuid4(),
                        line_number=1,
                        sku="SKU-MUG",
                        product_name="Enamel mug",
                        quantity=3,
                        fulfilled_quantity=0,
                        unit_price_amount=1_250,
                    ),
                    OrderLine(
                        id=uuid.uuid4(),
                        line_number=2,
                        sku="SKU-LAMP",
                        product_name="Desk lamp",
                        quantity=1,
                        fulfilled_quantity=0,
                        unit_price_amount=0,
                    ),
                ],
            )
            session.add(order)
        await session.commit()
    return ids


@contextmanager
def counting_statements(fx: OrdersFixture) -> Iterator[list[str]]:
    """Collect every SQL statement the subgraph sends while the block runs."""
    statements: list[str] = []
    engine = database_of(fx.client).engine.sync_engine

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        if not statement.startswith("BEGIN"):  # SQLite's explicit BEGIN is not a query
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


DEEP_ORDERS = """
query($first: Int!) {
  orders(first: $first) {
    totalCount
    edges { node { id number customer { id name email }
                   lines { id sku quantity product { sku name } } } }
  }
}
"""


async def run_deep_query(fx: OrdersFixture, first: int) -> tuple[int, int]:
    with counting_statements(fx) as statements:
        data = (await fx.client.execute(DEEP_ORDERS, {"first": first})).data
    edges = data["orders"]["edges"]
    assert len(edges) == first
    assert all(len(edge["node"]["lines"]) == 2 for edge in edges)
    assert all(edge["node"]["customer"]["name"].startswith("Customer") for edge in edges)
    return len(edges), len(statements)


async def test_statement_count_does_not_grow_with_orders(orders: OrdersFixture) -> None:
    await insert_orders(orders, 60)
    _, for_ten = await run_deep_query(orders, 10)
    _, for_fifty = await run_deep_query(orders, 50)
    # orders page + count, one batch of customers, one batch of lines
    assert for_fifty == for_ten == 4


async def test_statement_count_of_customer_orders_lines_is_constant(orders: OrdersFixture) -> None:
    await insert_orders(orders, 50)
    query = """
    { customers(first: 10) { edges { node { name
        orders(first: 30) { totalCount edges { node { id lines { sku } } } } } } } }
    """
    with counting_statements(orders) as statements:
        data = (await orders.client.execute(query)).data
    nodes = [edge["node"] for edge in data["customers"]["edges"]]
    assert [node["orders"]["totalCount"] for node in nodes] == [25, 25]
    assert all(len(node["orders"]["edges"]) == 25 for node in nodes)
    # customers page + count, windowed orders page + counts, one batch of lines
    assert len(statements) == 5


async def test_entities_of_fifty_orders_are_batched(orders: OrdersFixture) -> None:
    ids = await insert_orders(orders, 50)
    with counting_statements(orders) as statements:
        found = await orders.client.entities(
            "Order",
            [{"id": order_id} for order_id in ids],
            "id total { amount } lines { sku } customer { name }",
        )
    assert [entity["id"] for entity in found] == ids
    assert all(entity["total"]["amount"] == 4_849 for entity in found)
    assert len(statements) == 3


async def test_entities_resolve_every_orders_entity(orders: OrdersFixture) -> None:
    ids = await insert_orders(orders, 2)
    order = (
        await orders.client.execute(
            "query($id: ID!) { order(id: $id) { lines { id } } }", {"id": ids[0]}
        )
    ).data["order"]
    line_id = order["lines"][0]["id"]
    ghost = str(uuid.uuid4())
    customers = await orders.client.entities(
        "Customer",
        [{"id": orders.customer_id}, {"id": ghost}],
        "id email orders(first: 5) { totalCount }",
    )
    assert customers == [
        {"id": orders.customer_id, "email": "customer0@example.com", "orders": {"totalCount": 1}},
        None,
    ]
    lines = await orders.client.entities(
        "OrderLine",
        [{"id": line_id}, {"id": "junk"}],
        "id sku unitPrice { amount currency } order { id }",
    )
    assert lines == [
        {
            "id": line_id,
            "sku": "SKU-MUG",
            "unitPrice": {"amount": 1_250, "currency": "USD"},
            "order": {"id": ids[0]},
        },
        None,
    ]
    found = await orders.client.entities("Order", [{"id": ids[1]}, {"id": ghost}], "id")
    assert found == [{"id": ids[1]}, None]


async def test_orders_pagination_and_filters(orders: OrdersFixture) -> None:
    ids = await insert_orders(orders, 7)
    newest_first = list(reversed(ids))
    query = """
    query($first: Int!, $after: String, $status: OrderStatus, $channel: SalesChannel,
          $customerId: ID) {
      orders(first: $first, after: $after, status: $status, channel: $channel,
             customerId: $customerId) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id status channel } }
      }
    }
    """
    seen: list[str] = []
    after = None
    while True:
        page = (await orders.client.execute(query, {"first": 3, "after": after})).data["orders"]
        assert page["totalCount"] == 7
        seen += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == newest_first
    pending = (await orders.client.execute(query, {"first": 10, "status": "PENDING"})).data[
        "orders"
    ]
    assert pending["totalCount"] == 4
    assert {edge["node"]["status"] for edge in pending["edges"]} == {"PENDING"}
    b2b = (await orders.client.execute(query, {"first": 10, "channel": "B2B"})).data["orders"]
    assert [edge["node"]["id"] for edge in b2b["edges"]] == [ids[3]]
    mine = (
        await orders.client.execute(query, {"first": 10, "customerId": orders.other_customer_id})
    ).data["orders"]
    assert mine["totalCount"] == 3


async def test_page_size_limit_and_bad_cursor(orders: OrdersFixture) -> None:
    response = await orders.client.execute("{ orders(first: 101) { totalCount } }")
    assert response.code == "BAD_USER_INPUT"
    assert response.error["extensions"]["maximum"] == 100
    response = await orders.client.execute('{ orders(first: 5, after: "garbage!") { totalCount } }')
    assert response.code == "BAD_USER_INPUT"
    response = await orders.client.execute("{ customers(first: -1) { totalCount } }")
    assert response.code == "BAD_USER_INPUT"


async def test_unknown_order_is_null_and_malformed_id_is_an_error(orders: OrdersFixture) -> None:
    query = "query($id: ID!) { order(id: $id) { id } }"
    response = await orders.client.execute(query, {"id": str(uuid.uuid4())})
    assert response.data == {"order": None}
    response = await orders.client.execute(query, {"id": "12"})
    assert response.code == "BAD_USER_INPUT"


async def test_graphql_level_errors_have_codes(orders: OrdersFixture) -> None:
    assert (await orders.client.execute("{ orders(")).code == "GRAPHQL_PARSE_FAILED"
    assert (await orders.client.execute("{ nope }")).code == "GRAPHQL_VALIDATION_FAILED"
    response = await orders.client.execute(
        "query($n: Int!) { orders(first: $n) { totalCount } }", {"n": "many"}
    )
    assert response.code == "BAD_USER_INPUT"


async def test_legacy_erp_id_is_served_but_marked_inaccessible(orders: OrdersFixture) -> None:
    query = "query($id: ID!) { customer(id: $id) { legacyErpId } }"
    data = (await orders.client.execute(query, {"id": orders.customer_id})).data
    assert data == {"customer": {"legacyErpId": "ERP-0"}}
    sdl = (await orders.client.execute("{ _service { sdl } }")).data["_service"]["sdl"]
    assert "legacyErpId: String @inaccessible" in sdl
