"""Exactly-once effects in the subgraphs: a repeated Idempotency-Key returns the original result.

The subgraphs are called directly over HTTP, as the gateway (forwarding its scoped key) and the
import workers (one key per row) do; every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from order_stack import OrderStack, create_order_input, order_inputs, post_graphql, scalar
from order_stack import count as count_rows

from subgraphs.payments.models import Payment, Refund

CREATE_ORDER = """
mutation($input: CreateOrderInput!) {
  createOrder(input: $input) { id number status total { amount } lines { sku quantity } }
}"""
TWO_ORDERS = """
mutation($a: CreateOrderInput!, $b: CreateOrderInput!) {
  first: createOrder(input: $a) { id }
  second: createOrder(input: $b) { id }
}"""
AUTHORIZE = """
mutation($orderId: ID!, $amount: Int!) {
  authorizePayment(input: {orderId: $orderId, amount: {amount: $amount, currency: "USD"},
    processor: STRIPE, method: {card: {number: "4242424242424242", expMonth: 12, expYear: 2099}}})
  { id processorReference status }
}"""
CAPTURE = """
mutation($id: ID!) {
  capturePayment(input: {paymentId: $id}) { id status capturedAmount { amount } }
}
"""
REFUND = """
mutation($id: ID!, $amount: Int!) {
  refundPayment(input: {paymentId: $id, amount: {amount: $amount, currency: "USD"},
                        reason: "damaged"})
  { id status refundedAmount { amount } refunds { id } }
}"""
ADJUST = """
mutation($sku: String!) {
  adjustStock(input: {sku: $sku, warehouseCode: "AMS", delta: 5, reason: "recount"}) { onHand }
}"""


def key(value: str) -> dict[str, str]:
    return {"idempotency-key": value}


async def run(
    stack: OrderStack,
    subgraph: str,
    query: str,
    variables: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=30) as http:
        response = await post_graphql(http, stack.url(subgraph), query, variables, headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def count(stack: OrderStack, subgraph: str, table: str) -> int:
    return int(await scalar(stack.database_urls[subgraph], f"SELECT count(*) FROM {table}"))


async def test_create_order_twice_with_one_key_creates_one_order(order_stack: OrderStack) -> None:
    customers, skus = await order_inputs(order_stack.database_urls)
    variables = {"input": create_order_input(customers[0], skus[:2])}
    before = await count(order_stack, "orders", "orders")
    first = await run(order_stack, "orders", CREATE_ORDER, variables, key("job-1:row-1"))
    retry = await run(order_stack, "orders", CREATE_ORDER, variables, key("job-1:row-1"))
    assert "errors" not in first, first
    assert retry == first
    assert await count(order_stack, "orders", "orders") == before + 1
    other = await run(order_stack, "orders", CREATE_ORDER, variables, key("job-1:row-2"))
    assert other["data"]["createOrder"]["id"] != first["data"]["createOrder"]["id"]
    unkeyed = await run(order_stack, "orders", CREATE_ORDER, variables)
    assert "errors" not in unkeyed
    assert await count(order_stack, "orders", "orders") == before + 3


async def test_a_key_reused_with_other_arguments_is_refused(order_stack: OrderStack) -> None:
    customers, skus = await order_inputs(order_stack.database_urls)
    await run(
        order_stack,
        "orders",
        CREATE_ORDER,
        {"input": create_order_input(customers[0], skus[:1])},
        key("k"),
    )
    reused = await run(
        order_stack,
        "orders",
        CREATE_ORDER,
        {"input": create_order_input(customers[0], skus[:1], quantity=2)},
        key("k"),
    )
    assert reused["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert reused["data"] is None


async def test_aliased_mutations_of_one_request_keep_separate_keys(
    order_stack: OrderStack,
) -> None:
    customers, skus = await order_inputs(order_stack.database_urls)
    variables = {
        "a": create_order_input(customers[0], skus[:1]),
        "b": create_order_input(customers[1], skus[1:2]),
    }
    before = await count(order_stack, "orders", "orders")
    first = await run(order_stack, "orders", TWO_ORDERS, variables, key("batch-7"))
    retry = await run(order_stack, "orders", TWO_ORDERS, variables, key("batch-7"))
    assert first == retry
    assert first["data"]["first"]["id"] != first["data"]["second"]["id"]
    assert await count(order_stack, "orders", "orders") == before + 2


async def test_concurrent_requests_with_one_key_create_one_order(order_stack: OrderStack) -> None:
    customers, skus = await order_inputs(order_stack.database_urls)
    variables = {"input": create_order_input(customers[2], skus[:3])}
    before = await count(order_stack, "orders", "orders")
    results = await asyncio.gather(
        *(run(order_stack, "orders", CREATE_ORDER, variables, key("same")) for _ in range(20))
    )
    assert all("errors" not in result for result in results), results
    assert len({result["data"]["createOrder"]["id"] for result in results}) == 1
    assert await count(order_stack, "orders", "orders") == before + 1
    assert await count(order_stack, "orders", "orders_idempotency_keys") == 1


async def test_a_failed_mutation_leaves_no_key_behind(order_stack: OrderStack) -> None:
    customers, _ = await order_inputs(order_stack.database_urls)
    variables = {"input": create_order_input(customers[0], ["NO-SUCH-SKU"])}
    failed = await run(order_stack, "orders", CREATE_ORDER, variables, key("bad"))
    assert failed["errors"][0]["extensions"]["code"] == "UNKNOWN_SKU"
    assert await count(order_stack, "orders", "orders_idempotency_keys") == 0


async def test_captures_and_refunds_happen_once_per_key(order_stack: OrderStack) -> None:
    customers, skus = await order_inputs(order_stack.database_urls)
    order = await run(
        order_stack,
        "orders",
        CREATE_ORDER,
        {"input": create_order_input(customers[0], skus[:1])},
    )
    order_id = order["data"]["createOrder"]["id"]
    amount = order["data"]["createOrder"]["total"]["amount"]
    authorized = await run(
        order_stack, "payments", AUTHORIZE, {"orderId": order_id, "amount": amount}, key("auth")
    )
    again = await run(
        order_stack, "payments", AUTHORIZE, {"orderId": order_id, "amount": amount}, key("auth")
    )
    assert again == authorized
    payment_id = authorized["data"]["authorizePayment"]["id"]
    capture = await run(order_stack, "payments", CAPTURE, {"id": payment_id}, key("cap"))
    recapture = await run(order_stack, "payments", CAPTURE, {"id": payment_id}, key("cap"))
    assert capture == recapture
    assert capture["data"]["capturePayment"]["status"] == "CAPTURED"
    unkeyed = await run(order_stack, "payments", CAPTURE, {"id": payment_id})
    assert unkeyed["errors"][0]["extensions"]["code"] == "ILLEGAL_STATE_TRANSITION"
    refund = {"id": payment_id, "amount": 100}
    first = await run(order_stack, "payments", REFUND, refund, key("refund-1"))
    second = await run(order_stack, "payments", REFUND, refund, key("refund-1"))
    assert first == second
    assert first["data"]["refundPayment"]["refundedAmount"]["amount"] == 100
    payments_db = order_stack.database_urls["payments"]
    assert await count_rows(payments_db, Refund, Refund.payment_id == uuid.UUID(payment_id)) == 1
    assert await count_rows(payments_db, Payment, Payment.order_id == uuid.UUID(order_id)) == 1


async def test_stock_moves_once_per_key(order_stack: OrderStack) -> None:
    _, skus = await order_inputs(order_stack.database_urls)
    first = await run(order_stack, "inventory", ADJUST, {"sku": skus[0]}, key("recount-1"))
    second = await run(order_stack, "inventory", ADJUST, {"sku": skus[0]}, key("recount-1"))
    assert first == second
    third = await run(order_stack, "inventory", ADJUST, {"sku": skus[0]}, key("recount-2"))
    assert third["data"]["adjustStock"]["onHand"] == first["data"]["adjustStock"]["onHand"] + 5
    adjustments = await scalar(
        order_stack.database_urls["inventory"],
        "SELECT count(*) FROM stock_adjustments WHERE sku = :sku AND reason = 'recount'",
        sku=skus[0],
    )
    assert adjustments == 2


RESERVE = """
mutation($orderId: ID!, $lineId: ID!, $sku: String!) {
  reserveStock(input: {orderId: $orderId, orderLineId: $lineId, sku: $sku, quantity: 1}) {
    id status
  }
}"""
RELEASE = "mutation($id: ID!) { releaseReservation(reservationId: $id) { id status } }"
SHIP = """
mutation($orderId: ID!, $lineId: ID!, $sku: String!) {
  createShipment(input: {orderId: $orderId, carrier: DHL, items: [{orderLineId: $lineId,
    sku: $sku, quantity: 1}], destination: {line1: "1 Main Street", city: "Springfield",
    postalCode: "12345", country: "US"}}) { id trackingNumber }
}"""
TRACK = """
mutation($id: ID!) {
  addTrackingEvent(input: {shipmentId: $id, status: IN_TRANSIT, description: "left the hub"}) {
    id status events { status }
  }
}"""


async def test_reservations_and_shipments_happen_once_per_key(order_stack: OrderStack) -> None:
    customers, skus = await order_inputs(order_stack.database_urls)
    created = await run(
        order_stack,
        "orders",
        CREATE_ORDER.replace("lines { sku quantity }", "lines { id sku quantity }"),
        {"input": create_order_input(customers[1], skus[:1])},
    )
    order = created["data"]["createOrder"]
    line = {"orderId": order["id"], "lineId": order["lines"][0]["id"], "sku": skus[0]}
    reserved = await run(order_stack, "inventory", RESERVE, line, key("reserve-1"))
    assert await run(order_stack, "inventory", RESERVE, line, key("reserve-1")) == reserved
    reservation = {"id": reserved["data"]["reserveStock"]["id"]}
    released = await run(order_stack, "inventory", RELEASE, reservation, key("release-1"))
    assert released["data"]["releaseReservation"]["status"] == "RELEASED"
    assert await run(order_stack, "inventory", RELEASE, reservation, key("release-1")) == released
    shipped = await run(order_stack, "shipments", SHIP, line, key("ship-1"))
    assert await run(order_stack, "shipments", SHIP, line, key("ship-1")) == shipped
    shipment = {"id": shipped["data"]["createShipment"]["id"]}
    tracked = await run(order_stack, "shipments", TRACK, shipment, key("track-1"))
    again = await run(order_stack, "shipments", TRACK, shipment, key("track-1"))
    assert again == tracked
    assert [event["status"] for event in again["data"]["addTrackingEvent"]["events"]] == [
        "LABEL_CREATED",
        "IN_TRANSIT",
    ]
    assert await count(order_stack, "shipments", "shipments_idempotency_keys") == 2
    assert await count(order_stack, "inventory", "inventory_idempotency_keys") == 2
