"""Every orders mutation over HTTP on SQLite and PostgreSQL; a failure changes nothing."""

from __future__ import annotations

from typing import Any

from subgraph_harness import OrdersFixture

ORDER_FIELDS = """
  id number status channel currency version
  subtotal { amount currency } shippingCost { amount } tax { amount } total { amount currency }
  shippingAddress { line1 city postalCode country }
  customer { id name }
  lines { id lineNumber sku quantity fulfilledQuantity unitPrice { amount } lineTotal { amount }
          product { sku name } }
"""

CREATE = (
    f"mutation($input: CreateOrderInput!) {{ createOrder(input: $input) {{ {ORDER_FIELDS} }} }}"
)
UPDATE = (
    f"mutation($input: UpdateOrderInput!) {{ updateOrder(input: $input) {{ {ORDER_FIELDS} }} }}"
)
CONFIRM = (
    "mutation($id: ID!, $v: Int) { confirmOrder(orderId: $id, expectedVersion: $v) "
    f"{{ {ORDER_FIELDS} }} }}"
)
CANCEL = (
    "mutation($id: ID!, $r: String) { cancelOrder(orderId: $id, reason: $r) "
    f"{{ {ORDER_FIELDS} cancelReason }} }}"
)
FULFIL = (
    "mutation($input: RecordFulfillmentInput!) { recordFulfillment(input: $input) "
    f"{{ {ORDER_FIELDS} }} }}"
)
ORDER = f"query($id: ID!) {{ order(id: $id) {{ {ORDER_FIELDS} }} }}"

ADDRESS = {"line1": "1 Main St", "city": "Springfield", "postalCode": "12345", "country": "US"}


def create_input(customer_id: str, **overrides: Any) -> dict[str, Any]:
    """A valid createOrder input: 2 mugs and 1 kettle to the US."""
    value: dict[str, Any] = {
        "customerId": customer_id,
        "channel": "WEB",
        "lines": [{"sku": "SKU-MUG", "quantity": 2}, {"sku": "SKU-KETTLE", "quantity": 1}],
        "shippingAddress": ADDRESS,
    }
    value.update(overrides)
    return value


async def create(fx: OrdersFixture, **overrides: Any) -> dict[str, Any]:
    response = await fx.client.execute(CREATE, {"input": create_input(fx.customer_id, **overrides)})
    return dict(response.data["createOrder"])


async def order_count(fx: OrdersFixture) -> int:
    response = await fx.client.execute("{ orders(first: 100) { totalCount } }")
    return int(response.data["orders"]["totalCount"])


async def test_create_order_prices_from_catalog_and_snapshots_names(orders: OrdersFixture) -> None:
    order = await create(orders)
    assert order["status"] == "PENDING"
    assert order["number"].startswith("SO-")
    assert order["version"] == 1
    assert order["customer"]["id"] == orders.customer_id
    assert [line["sku"] for line in order["lines"]] == ["SKU-MUG", "SKU-KETTLE"]
    assert order["lines"][0]["unitPrice"]["amount"] == 1_250
    assert order["lines"][0]["lineTotal"]["amount"] == 2_500
    assert order["lines"][0]["product"] == {"sku": "SKU-MUG", "name": "Enamel mug"}
    assert order["subtotal"] == {"amount": 7_400, "currency": "USD"}
    assert order["shippingCost"]["amount"] == 799  # below the free-shipping threshold
    assert order["tax"]["amount"] == 592  # 8% US sales tax
    assert order["total"] == {"amount": 7_400 + 799 + 592, "currency": "USD"}
    again = (await orders.client.execute(ORDER, {"id": order["id"]})).data["order"]
    assert again == order


async def test_order_numbers_increase(orders: OrdersFixture) -> None:
    first = await create(orders)
    second = await create(orders)
    assert int(second["number"][3:]) == int(first["number"][3:]) + 1


async def test_create_order_rejects_bad_input_and_stores_nothing(orders: OrdersFixture) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"lines": [{"sku": "SKU-MUG", "quantity": 0}]}, "BAD_USER_INPUT"),
        ({"lines": [{"sku": "SKU-MUG", "quantity": -3}]}, "BAD_USER_INPUT"),
        ({"lines": []}, "BAD_USER_INPUT"),
        ({"lines": [{"sku": "NOPE", "quantity": 1}]}, "UNKNOWN_SKU"),
        ({"customerId": "7a0c1f5e-0000-4000-8000-000000000000"}, "NOT_FOUND"),
        ({"customerId": "not-a-uuid"}, "BAD_USER_INPUT"),
        ({"currency": "EUR"}, "CURRENCY_MISMATCH"),
        ({"shippingAddress": {**ADDRESS, "country": "usa"}}, "BAD_USER_INPUT"),
    ]
    for overrides, code in cases:
        response = await orders.client.execute(
            CREATE, {"input": create_input(orders.customer_id, **overrides)}
        )
        assert response.code == code, overrides
        assert response.body["data"] is None
    assert await order_count(orders) == 0


async def test_domain_error_carries_details_and_request_id(orders: OrdersFixture) -> None:
    response = await orders.client.execute(
        CREATE,
        {"input": create_input(orders.customer_id, lines=[{"sku": "SKU-MUG", "quantity": 0}])},
        headers={"X-Request-ID": "req-123"},
    )
    error = response.error
    assert error["extensions"] == {
        "code": "BAD_USER_INPUT",
        "field": "lines[0].quantity",
        "requestId": "req-123",
    }
    assert "positive" in error["message"]
    assert error["path"] == ["createOrder"]
    assert response.headers["x-request-id"] == "req-123"


async def test_update_order_replaces_lines_and_address_with_version_check(
    orders: OrdersFixture,
) -> None:
    order = await create(orders)
    mug_line_id = order["lines"][0]["id"]
    response = await orders.client.execute(
        UPDATE,
        {
            "input": {
                "orderId": order["id"],
                "expectedVersion": order["version"],
                "lines": [{"sku": "SKU-MUG", "quantity": 10}, {"sku": "SKU-LAMP", "quantity": 1}],
                "shippingAddress": {**ADDRESS, "city": "Berlin", "country": "DE"},
            }
        },
    )
    updated = response.data["updateOrder"]
    assert updated["version"] == order["version"] + 1
    assert [(line["sku"], line["quantity"]) for line in updated["lines"]] == [
        ("SKU-MUG", 10),
        ("SKU-LAMP", 1),
    ]
    assert updated["lines"][0]["id"] == mug_line_id  # a kept sku keeps its line
    assert updated["lines"][1]["lineNumber"] == 3
    assert updated["shippingAddress"]["city"] == "Berlin"
    assert updated["subtotal"]["amount"] == 12_500 + 8_900
    assert updated["shippingCost"]["amount"] == 0
    assert updated["tax"]["amount"] == (21_400 * 1_900 + 5_000) // 10_000


async def test_update_order_with_stale_version_is_a_conflict(orders: OrdersFixture) -> None:
    order = await create(orders)
    await orders.client.execute(CONFIRM, {"id": order["id"]})
    response = await orders.client.execute(
        UPDATE,
        {
            "input": {
                "orderId": order["id"],
                "expectedVersion": order["version"],
                "lines": [{"sku": "SKU-LAMP", "quantity": 1}],
            }
        },
    )
    assert response.code == "VERSION_CONFLICT"
    assert response.error["extensions"]["expectedVersion"] == 1
    assert response.error["extensions"]["actualVersion"] == 2
    unchanged = (await orders.client.execute(ORDER, {"id": order["id"]})).data["order"]
    assert [line["sku"] for line in unchanged["lines"]] == ["SKU-MUG", "SKU-KETTLE"]
    assert unchanged["version"] == 2


async def test_update_order_rejects_bad_lines_without_changes(orders: OrdersFixture) -> None:
    order = await create(orders)
    for lines, code in [
        ([{"sku": "SKU-MUG", "quantity": 0}], "BAD_USER_INPUT"),
        ([{"sku": "GHOST", "quantity": 1}], "UNKNOWN_SKU"),
        ([{"sku": "SKU-MUG", "quantity": 1}, {"sku": "SKU-MUG", "quantity": 2}], "BAD_USER_INPUT"),
    ]:
        response = await orders.client.execute(
            UPDATE, {"input": {"orderId": order["id"], "expectedVersion": 1, "lines": lines}}
        )
        assert response.code == code
    unchanged = (await orders.client.execute(ORDER, {"id": order["id"]})).data["order"]
    assert unchanged == order


async def test_confirm_then_fulfil_partially_then_fully(orders: OrdersFixture) -> None:
    order = await create(orders)
    confirmed = (await orders.client.execute(CONFIRM, {"id": order["id"], "v": 1})).data[
        "confirmOrder"
    ]
    assert confirmed["status"] == "CONFIRMED"
    mug, kettle = (line["id"] for line in order["lines"])
    partial = (
        await orders.client.execute(
            FULFIL, {"input": {"orderId": order["id"], "lines": [{"lineId": mug, "quantity": 1}]}}
        )
    ).data["recordFulfillment"]
    assert partial["status"] == "PARTIALLY_FULFILLED"
    assert partial["lines"][0]["fulfilledQuantity"] == 1
    response = await orders.client.execute(
        UPDATE, {"input": {"orderId": order["id"], "expectedVersion": partial["version"]}}
    )
    assert response.code == "ORDER_NOT_EDITABLE"
    full = (
        await orders.client.execute(
            FULFIL,
            {
                "input": {
                    "orderId": order["id"],
                    "lines": [{"lineId": mug, "quantity": 1}, {"lineId": kettle, "quantity": 1}],
                }
            },
        )
    ).data["recordFulfillment"]
    assert full["status"] == "FULFILLED"
    assert [line["fulfilledQuantity"] for line in full["lines"]] == [2, 1]


async def test_fulfilment_beyond_quantity_or_before_confirmation_fails(
    orders: OrdersFixture,
) -> None:
    order = await create(orders)
    mug = order["lines"][0]["id"]
    fulfil = {"input": {"orderId": order["id"], "lines": [{"lineId": mug, "quantity": 1}]}}
    assert (await orders.client.execute(FULFIL, fulfil)).code == "ILLEGAL_STATE_TRANSITION"
    await orders.client.execute(CONFIRM, {"id": order["id"]})
    too_many = {"input": {"orderId": order["id"], "lines": [{"lineId": mug, "quantity": 3}]}}
    assert (await orders.client.execute(FULFIL, too_many)).code == "BAD_USER_INPUT"
    zero = {"input": {"orderId": order["id"], "lines": [{"lineId": mug, "quantity": 0}]}}
    assert (await orders.client.execute(FULFIL, zero)).code == "BAD_USER_INPUT"
    current = (await orders.client.execute(ORDER, {"id": order["id"]})).data["order"]
    assert current["status"] == "CONFIRMED"
    assert [line["fulfilledQuantity"] for line in current["lines"]] == [0, 0]


async def test_cancel_from_pending_and_illegal_transitions(orders: OrdersFixture) -> None:
    order = await create(orders)
    cancelled = (
        await orders.client.execute(CANCEL, {"id": order["id"], "r": "changed mind"})
    ).data["cancelOrder"]
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["cancelReason"] == "changed mind"
    response = await orders.client.execute(CONFIRM, {"id": order["id"]})
    assert response.code == "ILLEGAL_STATE_TRANSITION"
    assert response.error["extensions"]["currentStatus"] == "CANCELLED"
    assert response.error["extensions"]["targetStatus"] == "CONFIRMED"
    assert (await orders.client.execute(CANCEL, {"id": order["id"]})).code == (
        "ILLEGAL_STATE_TRANSITION"
    )


async def test_cancel_after_fulfilment_is_illegal(orders: OrdersFixture) -> None:
    order = await create(orders)
    await orders.client.execute(CONFIRM, {"id": order["id"]})
    lines = [{"lineId": line["id"], "quantity": line["quantity"]} for line in order["lines"]]
    await orders.client.execute(FULFIL, {"input": {"orderId": order["id"], "lines": lines}})
    response = await orders.client.execute(CANCEL, {"id": order["id"]})
    assert response.code == "ILLEGAL_STATE_TRANSITION"
    current = (await orders.client.execute(ORDER, {"id": order["id"]})).data["order"]
    assert current["status"] == "FULFILLED"


async def test_mutations_on_unknown_order_are_not_found(orders: OrdersFixture) -> None:
    ghost = "0d2b9a34-5d1e-4c1b-9e7e-3c7f0a2b1c00"
    assert (await orders.client.execute(CONFIRM, {"id": ghost})).code == "NOT_FOUND"
    assert (await orders.client.execute(CANCEL, {"id": ghost})).code == "NOT_FOUND"
    response = await orders.client.execute(
        UPDATE, {"input": {"orderId": ghost, "expectedVersion": 1}}
    )
    assert response.code == "NOT_FOUND"
    assert (await orders.client.execute(CONFIRM, {"id": "nope"})).code == "BAD_USER_INPUT"
