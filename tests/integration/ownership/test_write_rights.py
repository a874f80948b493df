"""Write rights through the real gateway and the real four subgraphs (SQLite and PostgreSQL):
the anonymous caller, a customer (stock, payments, shipments, another customer's orders) and a
read-only partner are refused and the databases are unchanged, read back row by row; the admin,
the partner and a customer on its own orders write."""

from __future__ import annotations

from typing import Any

from ownership_stack import OwnershipStack, customer_headers, signed_headers
from sqlalchemy import func, select
from write_rights import (
    ADJUST_STOCK,
    AUTHORIZE,
    CANCEL_ORDER,
    CAPTURE,
    CONFIRM_ORDER,
    CREATE_ORDER,
    CREATE_SHIPMENT,
    REFUND,
    TRACK,
    UPDATE_ORDER,
    database_rows,
    first_row,
    read_only_partner_token,
)


async def _objects(urls: dict[str, str], stack: OwnershipStack) -> dict[str, Any]:
    """Real ids for every mutation: customer A's own objects and a stock level."""
    from subgraphs.inventory.models import StockLevel
    from subgraphs.orders.models import CatalogItem, Order, OrderLine
    from subgraphs.payments.models import Payment

    a = stack.a
    stock = await first_row(
        urls["inventory"], select(StockLevel.sku, StockLevel.warehouse_code).limit(1)
    )
    sku = (await first_row(urls["orders"], select(CatalogItem.sku).limit(1)))[0]
    line = await first_row(
        urls["orders"],
        select(OrderLine.order_id, OrderLine.id, OrderLine.sku).where(
            OrderLine.id.in_([*map(_uuid, a.line_ids)])
        ),
    )
    open_order = await first_row(
        urls["orders"],
        select(Order.id, Order.version).where(
            Order.customer_id == _uuid(a.customer_id), Order.status.in_(["PENDING", "CONFIRMED"])
        ),
    )
    payment = (
        await first_row(
            urls["payments"],
            select(Payment.id).where(Payment.customer_id == _uuid(a.customer_id)).limit(1),
        )
    )[0]
    return {
        "stock": {"sku": stock[0], "w": stock[1]},
        "sku": sku,
        "line": {"o": str(line[0]), "l": str(line[1]), "sku": line[2]},
        "open_order": (str(open_order[0]), open_order[1]) if open_order else None,
        "payment": str(payment),
    }


def _uuid(value: str) -> Any:
    import uuid

    return uuid.UUID(value)


def _refusals(
    objects: dict[str, Any], stack: OwnershipStack
) -> list[tuple[str, str, dict[str, Any]]]:
    """(name, mutation, variables) that no refused caller may run."""
    a = stack.a
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("createOrder", CREATE_ORDER, {"c": a.customer_id, "sku": objects["sku"]}),
        ("cancelOrder", CANCEL_ORDER, {"id": a.order_ids[0]}),
        ("confirmOrder", CONFIRM_ORDER, {"id": a.order_ids[0]}),
        ("adjustStock", ADJUST_STOCK, objects["stock"]),
        ("authorizePayment", AUTHORIZE, {"o": a.order_ids[0], "c": a.customer_id}),
        ("capturePayment", CAPTURE, {"id": objects["payment"]}),
        ("refundPayment", REFUND, {"id": objects["payment"]}),
        ("createShipment", CREATE_SHIPMENT, objects["line"]),
        ("addTrackingEvent", TRACK, {"id": a.shipment_ids[0]}),
    ]
    if objects["open_order"]:
        order_id, version = objects["open_order"]
        calls.append(("updateOrder", UPDATE_ORDER, {"id": order_id, "v": version}))
    return calls


async def _post(
    stack: OwnershipStack, query: str, token: str | None, variables: dict[str, Any]
) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await stack.http.post(
        stack.url("gateway"), json={"query": query, "variables": variables}, headers=headers
    )


async def test_refused_callers_change_nothing(
    stack: OwnershipStack, stack_urls: dict[str, str]
) -> None:
    objects = await _objects(stack_urls, stack)
    before = await database_rows(stack_urls)
    calls = _refusals(objects, stack)

    # anonymous: 401 before planning, for every mutation
    for name, query, variables in calls:
        response = await _post(stack, query, None, variables)
        assert response.status_code == 401, (name, response.text)
        assert response.headers["www-authenticate"].startswith("Bearer")
        body = response.json()
        assert "data" not in body, body
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "AUTHENTICATION_REQUIRED", body
        assert error["extensions"]["requestId"]

    # a read-only partner: every mutation is unauthorized at the gateway
    partner = read_only_partner_token()
    for name, query, variables in calls:
        body = (await _post(stack, query, partner, variables)).json()
        assert body["data"] is None, (name, body)
        assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
            ([name], "UNAUTHORIZED_FIELD_OR_TYPE")
        ], body

    # a customer never confirms, adjusts stock, pays, captures, refunds or ships, even for
    # its own order
    customer = stack.tokens["customer"]
    own_order_writes = {"createOrder", "cancelOrder", "updateOrder"}
    for name, query, variables in calls:
        if name in own_order_writes:
            continue
        body = (await _post(stack, query, customer, variables)).json()
        assert body["data"] is None, (name, body)
        assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
            ([name], "UNAUTHORIZED_FIELD_OR_TYPE")
        ], body

    # ... and another customer's orders are not found
    b = stack.b
    foreign = [
        (CREATE_ORDER, {"c": b.customer_id, "sku": objects["sku"]}),
        (CANCEL_ORDER, {"id": b.order_ids[0]}),
        (UPDATE_ORDER, {"id": b.order_ids[0], "v": 1}),
    ]
    for query, variables in foreign:
        body = (await _post(stack, query, customer, variables)).json()
        assert body["data"] is None, body
        assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"], body

    assert await database_rows(stack_urls) == before


async def test_subgraphs_refuse_a_signed_principal_without_the_right(
    stack: OwnershipStack, stack_urls: dict[str, str]
) -> None:
    """The second line: a principal that reached a subgraph without the write right is
    FORBIDDEN there, whatever the gateway did."""
    objects = await _objects(stack_urls, stack)
    before = await database_rows(stack_urls)
    reader = signed_headers(
        scopes=("orders:read", "inventory:read", "payments:read", "shipments:read")
    )
    own_scope_without_customer = signed_headers(scopes=("orders:read", "orders:write:own"))
    as_customer = customer_headers(stack.a)
    cases = [
        ("orders", CREATE_ORDER, {"c": stack.a.customer_id, "sku": objects["sku"]}, reader),
        ("orders", CANCEL_ORDER, {"id": stack.b.order_ids[0]}, own_scope_without_customer),
        ("orders", CONFIRM_ORDER, {"id": stack.a.order_ids[0]}, as_customer),
        ("inventory", ADJUST_STOCK, objects["stock"], as_customer),
        ("payments", CAPTURE, {"id": objects["payment"]}, as_customer),
        ("payments", REFUND, {"id": objects["payment"]}, reader),
        ("shipments", CREATE_SHIPMENT, objects["line"], as_customer),
    ]
    for subgraph, query, variables, headers in cases:
        body = (await stack.subgraph(subgraph, query, variables, headers)).json()
        assert body["data"] is None, (subgraph, body)
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], body
    assert await database_rows(stack_urls) == before


async def _ok(stack: OwnershipStack, query: str, token: str, variables: dict[str, Any]) -> Any:
    body = (await _post(stack, query, token, variables)).json()
    assert "errors" not in body, body
    return body["data"]


async def test_the_admin_the_partner_and_a_customer_on_its_own_orders_write(
    stack: OwnershipStack, stack_urls: dict[str, str]
) -> None:
    from subgraphs.inventory.models import StockLevel
    from subgraphs.orders.models import Order
    from subgraphs.payments.models import Payment
    from subgraphs.shipments.models import TrackingEvent

    objects = await _objects(stack_urls, stack)
    admin, partner, customer = (stack.tokens[name] for name in ("admin", "partner", "customer"))
    a, b = stack.a, stack.b
    stock = objects["stock"]
    level = select(StockLevel.on_hand).where(
        StockLevel.sku == stock["sku"], StockLevel.warehouse_code == stock["w"]
    )
    on_hand = (await first_row(stack_urls["inventory"], level))[0]

    # the admin: stock, payments (authorize, capture, refund), shipments, orders
    adjusted = await _ok(stack, ADJUST_STOCK, admin, stock)
    assert adjusted["adjustStock"]["onHand"] == on_hand + 5
    assert (await first_row(stack_urls["inventory"], level))[0] == on_hand + 5
    authorized = await _ok(stack, AUTHORIZE, admin, {"o": b.order_ids[0], "c": b.customer_id})
    payment_id = authorized["authorizePayment"]["id"]
    assert (await _ok(stack, CAPTURE, admin, {"id": payment_id}))["capturePayment"][
        "status"
    ] == "CAPTURED"
    await _ok(stack, REFUND, admin, {"id": payment_id})
    row = await first_row(
        stack_urls["payments"],
        select(Payment.captured_amount, Payment.refunded_amount).where(
            Payment.id == _uuid(payment_id)
        ),
    )
    assert tuple(row) == (100, 1)

    # the partner (a sales channel): orders for any customer, and shipments
    placed = await _ok(stack, CREATE_ORDER, partner, {"c": b.customer_id, "sku": objects["sku"]})
    partner_order = placed["createOrder"]["id"]
    await _ok(stack, CONFIRM_ORDER, partner, {"id": partner_order})
    shipped = await _ok(stack, CREATE_SHIPMENT, partner, objects["line"])
    shipment_id = shipped["createShipment"]["id"]
    await _ok(stack, TRACK, admin, {"id": shipment_id})
    events = await first_row(
        stack_urls["shipments"],
        select(func.count(TrackingEvent.id)).where(TrackingEvent.shipment_id == _uuid(shipment_id)),
    )
    assert events[0] >= 1

    # a customer: creates, updates and cancels its own order
    created = await _ok(stack, CREATE_ORDER, customer, {"c": a.customer_id, "sku": objects["sku"]})
    order_id = created["createOrder"]["id"]
    assert created["createOrder"]["customer"]["id"] == a.customer_id
    await _ok(stack, UPDATE_ORDER, customer, {"id": order_id, "v": 1})
    cancelled = await _ok(stack, CANCEL_ORDER, customer, {"id": order_id})
    assert cancelled["cancelOrder"]["status"] == "CANCELLED"

    statuses = await first_row(
        stack_urls["orders"],
        select(Order.customer_id, Order.status, Order.version).where(Order.id == _uuid(order_id)),
    )
    assert (str(statuses[0]), statuses[1]) == (a.customer_id, "CANCELLED")
    assert statuses[2] >= 3
    confirmed = await first_row(
        stack_urls["orders"], select(Order.status).where(Order.id == _uuid(partner_order))
    )
    assert confirmed[0] == "CONFIRMED"
