"""Ownership enforced by the subgraphs themselves, called directly with signed principals:
a customer finds only its own customers, orders, lines, payments and shipments, on every path,
and a foreign object is indistinguishable from a missing one."""

from __future__ import annotations

import uuid
from typing import Any

from ownership_stack import (
    OwnershipStack,
    admin_headers,
    customer_headers,
    customer_writer_headers,
)

ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { %s } }"


async def data(
    stack: OwnershipStack, name: str, query: str, headers: dict[str, str], **variables: Any
) -> Any:
    response = await stack.subgraph(name, query, variables, headers)
    body = response.json()
    assert response.status_code == 200, body
    assert "errors" not in body, body
    return body["data"]


async def test_orders_by_id_nested_and_listed(stack: OwnershipStack) -> None:
    a, b = stack.a, stack.b
    as_a = customer_headers(a)
    query = "query($id: ID!) { order(id: $id) { id customer { id } } }"
    own = await data(stack, "orders", query, as_a, id=a.order_ids[0])
    assert own["order"] == {"id": a.order_ids[0], "customer": {"id": a.customer_id}}
    foreign = await stack.subgraph("orders", query, {"id": b.order_ids[0]}, as_a)
    missing = await stack.subgraph("orders", query, {"id": str(uuid.uuid4())}, as_a)
    assert foreign.json() == missing.json() == {"data": {"order": None}}

    nested = """query($id: ID!) { customer(id: $id) { id
      orders(first: 100) { totalCount edges { node { id } } } } }"""
    assert (await data(stack, "orders", nested, as_a, id=b.customer_id)) == {"customer": None}
    mine = (await data(stack, "orders", nested, as_a, id=a.customer_id))["customer"]
    assert mine["orders"]["totalCount"] == len(a.order_ids)
    assert {edge["node"]["id"] for edge in mine["orders"]["edges"]} == set(a.order_ids)

    listed = """{ orders(first: 100) { totalCount edges { node { id } } }
      customers { totalCount edges { node { id } } } }"""
    found = await data(stack, "orders", listed, as_a)
    assert found["orders"]["totalCount"] == len(a.order_ids)
    assert {edge["node"]["id"] for edge in found["orders"]["edges"]} == set(a.order_ids)
    assert [edge["node"]["id"] for edge in found["customers"]["edges"]] == [a.customer_id]
    filtered = "query($c: ID!) { orders(first: 100, customerId: $c) { totalCount } }"
    assert (await data(stack, "orders", filtered, as_a, c=b.customer_id))["orders"][
        "totalCount"
    ] == 0

    admin = await data(stack, "orders", listed, admin_headers())
    assert admin["orders"]["totalCount"] > len(a.order_ids) + len(b.order_ids) - 1


async def test_entities_of_a_foreign_customer_order_and_line_are_null(
    stack: OwnershipStack,
) -> None:
    a, b = stack.a, stack.b
    as_a = customer_headers(a)
    query = ENTITIES % "... on Order { id } ... on Customer { id } ... on OrderLine { id }"
    representations = [
        {"__typename": "Order", "id": b.order_ids[0]},
        {"__typename": "Customer", "id": b.customer_id},
        {"__typename": "OrderLine", "id": b.line_ids[0]},
        {"__typename": "Order", "id": str(uuid.uuid4())},
        {"__typename": "Order", "id": a.order_ids[0]},
        {"__typename": "OrderLine", "id": a.line_ids[0]},
    ]
    found = (await data(stack, "orders", query, as_a, r=representations))["_entities"]
    assert found == [None, None, None, None, {"id": a.order_ids[0]}, {"id": a.line_ids[0]}]
    as_admin = (await data(stack, "orders", query, admin_headers(), r=representations))["_entities"]
    assert as_admin[:3] == [{"id": b.order_ids[0]}, {"id": b.customer_id}, {"id": b.line_ids[0]}]


async def test_payments_of_a_foreign_order(stack: OwnershipStack) -> None:
    a, b = stack.a, stack.b
    as_a = customer_headers(a)
    by_id = "query($id: ID!) { payment(id: $id) { id } }"
    foreign = await stack.subgraph("payments", by_id, {"id": b.payment_ids[0]}, as_a)
    missing = await stack.subgraph("payments", by_id, {"id": str(uuid.uuid4())}, as_a)
    assert foreign.json() == missing.json() == {"data": {"payment": None}}
    assert (await data(stack, "payments", by_id, as_a, id=a.payment_ids[0]))["payment"]

    listed = "{ payments(first: 100) { totalCount edges { node { id } } } }"
    page = (await data(stack, "payments", listed, as_a))["payments"]
    assert {edge["node"]["id"] for edge in page["edges"]} == set(a.payment_ids)
    assert page["totalCount"] == len(a.payment_ids)
    of_order = "query($o: ID!) { payments(first: 100, orderId: $o) { totalCount } }"
    assert (await data(stack, "payments", of_order, as_a, o=b.order_ids[0]))["payments"][
        "totalCount"
    ] == 0

    query = ENTITIES % "... on Order { id payments { id } } ... on Payment { id }"
    representations = [
        {"__typename": "Order", "id": b.order_ids[0]},
        {"__typename": "Payment", "id": b.payment_ids[0]},
        {"__typename": "Order", "id": a.order_ids[0]},
    ]
    found = (await data(stack, "payments", query, as_a, r=representations))["_entities"]
    assert found[0] == {"id": b.order_ids[0], "payments": []}  # as for an order without payments
    assert found[1] is None
    assert found[2]["payments"], "A sees the payments of its own order"


async def test_shipments_of_a_foreign_order(stack: OwnershipStack) -> None:
    a, b = stack.a, stack.b
    as_a = customer_headers(a)
    by_id = "query($id: ID!) { shipment(id: $id) { id } }"
    foreign = await stack.subgraph("shipments", by_id, {"id": b.shipment_ids[0]}, as_a)
    missing = await stack.subgraph("shipments", by_id, {"id": str(uuid.uuid4())}, as_a)
    assert foreign.json() == missing.json() == {"data": {"shipment": None}}
    by_tracking = """query($c: Carrier!, $t: String!) {
      shipmentByTracking(carrier: $c, trackingNumber: $t) { id } }"""
    carrier, number = b.tracking[0]
    assert (await data(stack, "shipments", by_tracking, as_a, c=carrier, t=number)) == {
        "shipmentByTracking": None
    }
    carrier, number = a.tracking[0]
    assert (await data(stack, "shipments", by_tracking, as_a, c=carrier, t=number))[
        "shipmentByTracking"
    ]

    query = (
        ENTITIES % "... on Order { id shipments { id events { status } } } ... on Shipment { id }"
    )
    representations = [
        {"__typename": "Order", "id": b.order_ids[0]},
        {"__typename": "Shipment", "id": b.shipment_ids[0]},
        {"__typename": "Shipment", "carrier": b.tracking[0][0], "trackingNumber": b.tracking[0][1]},
        {"__typename": "Shipment", "id": a.shipment_ids[0]},
    ]
    found = (await data(stack, "shipments", query, as_a, r=representations))["_entities"]
    assert found[:3] == [{"id": b.order_ids[0], "shipments": []}, None, None]
    assert found[3] == {"id": a.shipment_ids[0]}


async def not_found(
    stack: OwnershipStack, name: str, mutation: str, headers: dict[str, str], **variables: Any
) -> dict[str, Any]:
    response = await stack.subgraph(name, mutation, variables, headers)
    body: dict[str, Any] = response.json()
    assert body["data"] is None, body
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "NOT_FOUND", error
    return error


async def test_mutations_on_foreign_objects_are_refused_as_not_found(stack: OwnershipStack) -> None:
    a, b = stack.a, stack.b
    as_a = customer_headers(a)
    payments = "query($o: ID!) { payments(first: 100, orderId: $o) { totalCount } }"
    before = await data(stack, "payments", payments, admin_headers(), o=b.order_ids[0])
    cancel = "mutation($id: ID!) { cancelOrder(orderId: $id) { id status } }"
    foreign = await not_found(stack, "orders", cancel, as_a, id=b.order_ids[0])
    unknown_id = str(uuid.uuid4())
    missing = await not_found(stack, "orders", cancel, as_a, id=unknown_id)
    assert foreign["message"].replace(b.order_ids[0], "X") == missing["message"].replace(
        unknown_id, "X"
    )

    create = """mutation($c: ID!) { createOrder(input: {customerId: $c, channel: WEB,
      lines: [{sku: "X", quantity: 1}],
      shippingAddress: {line1: "1 Main St", city: "Springfield", postalCode: "12345",
      country: "US"}}) { id } }"""
    await not_found(stack, "orders", create, as_a, c=b.customer_id)

    # payments and shipments: a principal acting for A that holds the write scopes (a customer
    # without them is FORBIDDEN before ownership is asked, tests/integration/ownership/
    # test_write_rights.py)
    as_a = customer_writer_headers(a)
    capture = "mutation($id: ID!) { capturePayment(input: {paymentId: $id}) { id } }"
    await not_found(stack, "payments", capture, as_a, id=b.payment_ids[0])
    authorize = """mutation($o: ID!) { authorizePayment(input: {orderId: $o, processor: STRIPE,
      amount: {amount: 100, currency: "USD"}, method: {wallet: {provider: PAYPAL}}}) { id } }"""
    await not_found(stack, "payments", authorize, as_a, o=b.order_ids[0])

    track = """mutation($id: ID!) { addTrackingEvent(input: {shipmentId: $id, status: EXCEPTION,
      description: "lost"}) { id } }"""
    await not_found(stack, "shipments", track, as_a, id=b.shipment_ids[0])
    ship = """mutation($o: ID!, $l: ID!) { createShipment(input: {orderId: $o, carrier: UPS,
      destination: {line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US"},
      items: [{orderLineId: $l, sku: "X", quantity: 1}]}) { id } }"""
    await not_found(stack, "shipments", ship, as_a, o=b.order_ids[0], l=b.line_ids[0])

    # nothing changed: the admin still sees B's objects as they were
    admin = admin_headers()
    orders = await data(
        stack, "orders", "query($id: ID!) { order(id: $id) { status } }", admin, id=b.order_ids[0]
    )
    assert orders["order"]["status"] != "CANCELLED"
    assert await data(stack, "payments", payments, admin, o=b.order_ids[0]) == before


async def test_a_checkout_for_a_customer_pays_its_own_order_and_owns_the_payment(
    stack: OwnershipStack,
) -> None:
    a, b = stack.a, stack.b
    authorize = """mutation($o: ID!) { authorizePayment(input: {orderId: $o, processor: STRIPE,
      amount: {amount: 100, currency: "USD"}, method: {wallet: {provider: PAYPAL}}}) { id } }"""
    created = await data(stack, "payments", authorize, customer_writer_headers(a), o=a.order_ids[0])
    payment_id = created["authorizePayment"]["id"]
    by_id = "query($id: ID!) { payment(id: $id) { id } }"
    assert (await data(stack, "payments", by_id, customer_headers(a), id=payment_id))["payment"]
    assert (await data(stack, "payments", by_id, customer_headers(b), id=payment_id))[
        "payment"
    ] is None
