"""Parsed and validated documents are cached per text (docs/adr/0010), without changing what
a client sees: a repeated invalid document fails the same way each time, with its own request
id, and the same text sent to another subgraph is validated against that subgraph's schema."""

from __future__ import annotations

from subgraph_harness import OrdersFixture, definition

INVALID = "{ orders(first: 5) { noSuchField } }"
UNPARSABLE = "{ orders("
CUSTOMER = "query($id: ID!) { customer(id: $id) { id name } }"


async def test_a_repeated_invalid_document_fails_each_time_with_its_request_id(
    orders: OrdersFixture,
) -> None:
    for request_id in ("first-1", "second-2", "third-3"):
        response = await orders.client.execute(INVALID, headers={"X-Request-ID": request_id})
        assert response.code == "GRAPHQL_VALIDATION_FAILED"
        assert response.error["extensions"]["requestId"] == request_id
        assert "noSuchField" in response.error["message"]


async def test_a_repeated_unparsable_document_fails_each_time_with_its_request_id(
    orders: OrdersFixture,
) -> None:
    for request_id in ("first-1", "second-2"):
        response = await orders.client.execute(UNPARSABLE, headers={"X-Request-ID": request_id})
        assert response.code == "GRAPHQL_PARSE_FAILED"
        assert response.error["extensions"]["requestId"] == request_id
        assert response.error["message"].startswith("Syntax Error")


async def test_a_repeated_document_answers_for_its_own_variables(orders: OrdersFixture) -> None:
    first = await orders.client.execute(CUSTOMER, {"id": orders.customer_id})
    second = await orders.client.execute(CUSTOMER, {"id": orders.other_customer_id})
    again = await orders.client.execute(CUSTOMER, {"id": orders.customer_id})
    assert first.data["customer"]["id"] == orders.customer_id
    assert second.data["customer"]["id"] == orders.other_customer_id
    assert again.data == first.data


async def test_validation_is_cached_per_schema() -> None:
    orders_schema = definition("orders").build_schema()
    inventory_schema = definition("inventory").build_schema()
    query = '{ customer(id: "1") { id } }'
    refused = await inventory_schema.execute(query)
    assert refused.errors is not None
    assert refused.errors[0].message.startswith("Cannot query field 'customer'")
    # the same text is validated against the orders schema, where it is valid (it then fails
    # to execute only because no request context is given here)
    for _ in range(2):
        result = await orders_schema.execute(query)
        assert result.errors is not None
        assert not any(error.message.startswith("Cannot query") for error in result.errors)
        assert result.errors[0].path == ["customer"]
