"""Helpers of the REST domain tests: the seeded objects of a customer read from the databases,
whole-database snapshots, callers, and a valid request for every write route of the catalog.

Imported by the test modules of this folder (a unique module name).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
from rest_runtime_stack import ADDRESS, JWT_SECRET, RestStack, model_rows
from sqlalchemy import select

from gateway.auth.demo import DEMO_AUDIENCE, DEMO_ISSUER, DEMO_ROLE_SCOPES
from subgraphs.common.db import create_engine

READ_SCOPES = "orders:read customers:read inventory:read payments:read shipments:read"
CARD = {"card": {"number": "4242424242424242", "expMonth": 12, "expYear": 2035}}


def token(subject: str, scopes: str, customer_id: str | None = None, *roles: str) -> str:
    """A token of the test issuer (the demo issuer with the stack's secret)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": DEMO_ISSUER,
        "aud": DEMO_AUDIENCE,
        "sub": subject,
        "client_id": subject,
        "scope": scopes,
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
    }
    if customer_id is not None:
        claims["customer_id"] = customer_id
    if roles:
        claims["roles"] = list(roles)
    return jwt.encode(claims, JWT_SECRET, algorithm="HS256")


def bearer(value: str) -> dict[str, str]:
    """The ``Authorization`` header of a token."""
    return {"Authorization": f"Bearer {value}"}


def customer_writer(customer_id: str) -> dict[str, str]:
    """A checkout acting for ``customer_id``: the customer's scopes plus the payment and
    shipment write scopes (ownership still limits it to that customer's objects)."""
    scopes = " ".join([*DEMO_ROLE_SCOPES["customer"], "payments:write", "shipments:write"])
    return bearer(token("checkout", scopes, customer_id, "customer"))


def key() -> dict[str, str]:
    """A fresh ``Idempotency-Key`` header."""
    return {"Idempotency-Key": f'"{uuid.uuid4()}"'}


@dataclass(frozen=True)
class Line:
    """One order line."""

    id: str
    sku: str
    quantity: int
    fulfilled: int


@dataclass(frozen=True)
class Owned:
    """One customer's seeded objects, read from the databases."""

    customer_id: str
    #: order id -> (status, version)
    orders: dict[str, tuple[str, int]]
    #: order id -> its lines
    lines: dict[str, list[Line]]
    #: payment id -> (order id, status)
    payments: dict[str, tuple[str, str]]
    #: shipment id -> (carrier, tracking number, status)
    shipments: dict[str, tuple[str, str, str]]

    def order_in(self, *statuses: str) -> str:
        """An order of this customer in one of ``statuses``."""
        return next(i for i, (status, _) in sorted(self.orders.items()) if status in statuses)

    def payment_in(self, *statuses: str) -> str:
        """A payment of this customer in one of ``statuses``."""
        return next(i for i, (_, status) in sorted(self.payments.items()) if status in statuses)


async def owned(stack: RestStack, customer_id: str) -> Owned:
    """What the seed gave ``customer_id``."""
    from subgraphs.orders.models import Order, OrderLine
    from subgraphs.payments.models import Payment
    from subgraphs.shipments.models import Shipment

    urls = stack.database_urls
    customer = uuid.UUID(customer_id)
    order_rows = await model_rows(
        urls["orders"],
        select(Order.id, Order.status, Order.version).where(Order.customer_id == customer),
    )
    orders = {str(row[0]): (str(row[1]), int(row[2])) for row in order_rows}
    order_ids = [uuid.UUID(order) for order in orders]
    line_rows = await model_rows(
        urls["orders"],
        select(
            OrderLine.order_id,
            OrderLine.id,
            OrderLine.sku,
            OrderLine.quantity,
            OrderLine.fulfilled_quantity,
        )
        .where(OrderLine.order_id.in_(order_ids))
        .order_by(OrderLine.line_number),
    )
    lines: dict[str, list[Line]] = {}
    for order_id, line_id, sku, quantity, fulfilled in line_rows:
        lines.setdefault(str(order_id), []).append(Line(str(line_id), sku, quantity, fulfilled))
    payment_rows = await model_rows(
        urls["payments"],
        select(Payment.id, Payment.order_id, Payment.status).where(Payment.order_id.in_(order_ids)),
    )
    shipment_rows = await model_rows(
        urls["shipments"],
        select(Shipment.id, Shipment.carrier, Shipment.tracking_number, Shipment.status).where(
            Shipment.order_id.in_(order_ids)
        ),
    )
    return Owned(
        customer_id=customer_id,
        orders=orders,
        lines=lines,
        payments={str(r[0]): (str(r[1]), str(r[2])) for r in payment_rows},
        shipments={str(r[0]): (str(r[1]), str(r[2]), str(r[3])) for r in shipment_rows},
    )


def _bases() -> dict[str, Any]:
    from subgraphs.inventory import models as inventory
    from subgraphs.orders import models as orders
    from subgraphs.payments import models as payments
    from subgraphs.shipments import models as shipments

    return {
        "orders": orders.Base,
        "inventory": inventory.Base,
        "payments": payments.Base,
        "shipments": shipments.Base,
    }


async def snapshot(urls: dict[str, str]) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table of the four subgraphs (as text, sorted): equal snapshots mean
    nothing was written, idempotency keys included."""
    rows: dict[str, list[tuple[str, ...]]] = {}
    for name, base in _bases().items():
        engine = create_engine(urls[name])
        try:
            async with engine.connect() as connection:
                for table in base.metadata.sorted_tables:
                    found = (await connection.execute(select(table))).all()
                    rows[table.name] = sorted(tuple(map(str, row)) for row in found)
        finally:
            await engine.dispose()
    return rows


async def first_stock(stack: RestStack) -> tuple[str, str, int, int]:
    """A stock level with units available: (sku, warehouse code, on hand, reserved)."""
    from subgraphs.inventory.models import StockLevel

    rows = await model_rows(
        stack.database_urls["inventory"],
        select(StockLevel.sku, StockLevel.warehouse_code, StockLevel.on_hand, StockLevel.reserved)
        .where(StockLevel.on_hand - StockLevel.reserved > 10)
        .order_by(StockLevel.sku, StockLevel.warehouse_code)
        .limit(1),
    )
    sku, code, on_hand, reserved = rows[0]
    return str(sku), str(code), int(on_hand), int(reserved)


async def a_reservation(stack: RestStack) -> str:
    """An ACTIVE reservation of the seed."""
    from subgraphs.inventory.models import Reservation

    rows = await model_rows(
        stack.database_urls["inventory"],
        select(Reservation.id).where(Reservation.status == "ACTIVE").order_by(Reservation.id),
    )
    return str(rows[0][0])


@dataclass(frozen=True)
class Call:
    """One request to a route."""

    route: str
    method: str
    path: str
    body: dict[str, Any] | None = None
    params: dict[str, str] | None = None
    headers: dict[str, str] | None = None

    async def send(self, http: httpx.AsyncClient, caller: dict[str, str]) -> httpx.Response:
        """Send it as ``caller`` (its credential headers)."""
        return await http.request(
            self.method,
            self.path,
            json=self.body,
            params=self.params,
            headers={**(self.headers or {}), **caller},
        )


async def write_calls(stack: RestStack, of: Owned) -> list[Call]:
    """A valid request for every write route of the catalog, on ``of``'s objects."""
    order = of.order_in("PENDING", "CONFIRMED")
    (line, *_) = of.lines[order]
    _, version = of.orders[order]
    payment = next(iter(sorted(of.payments)))
    shipment = next(iter(sorted(of.shipments)))
    sku, code, _, _ = await first_stock(stack)
    reservation = await a_reservation(stack)
    money = {"amount": 100, "currency": "USD"}
    v1 = "/api/v1"
    return [
        Call("createOrder", "POST", f"{v1}/orders", stack.create_body(of.customer_id), None, key()),
        Call(
            "updateOrder",
            "PATCH",
            f"{v1}/orders/{order}",
            {"expectedVersion": version, "shippingAddress": ADDRESS},
        ),
        Call("cancelOrder", "DELETE", f"{v1}/orders/{order}", params={"reason": "test"}),
        Call("confirmOrder", "POST", f"{v1}/orders/{order}/confirm"),
        Call(
            "recordFulfillment",
            "POST",
            f"{v1}/orders/{order}/fulfillments",
            {"lines": [{"lineId": line.id, "quantity": 1}]},
        ),
        Call(
            "adjustStock",
            "POST",
            f"{v1}/warehouses/{code}/stock-levels/{sku}/adjustments",
            {"delta": 1, "reason": "count"},
        ),
        Call(
            "reserveStock",
            "POST",
            f"{v1}/reservations",
            {"orderId": order, "orderLineId": line.id, "sku": line.sku, "quantity": 1},
            headers=key(),
        ),
        Call("releaseReservation", "DELETE", f"{v1}/reservations/{reservation}"),
        Call(
            "authorizePayment",
            "POST",
            f"{v1}/payments",
            {
                "orderId": order,
                "amount": money,
                "processor": "STRIPE",
                "method": CARD,
                "customerId": of.customer_id,
            },
            headers=key(),
        ),
        Call("capturePayment", "POST", f"{v1}/payments/{payment}/capture"),
        Call("refundPayment", "POST", f"{v1}/payments/{payment}/refund", {"amount": money}),
        Call("voidPayment", "POST", f"{v1}/payments/{payment}/void"),
        Call(
            "createShipment",
            "POST",
            f"{v1}/shipments",
            {
                "orderId": order,
                "carrier": "UPS",
                "destination": ADDRESS,
                "items": [{"orderLineId": line.id, "sku": line.sku, "quantity": 1}],
                "customerId": of.customer_id,
            },
            headers=key(),
        ),
        Call(
            "addTrackingEvent",
            "POST",
            f"{v1}/shipments/{shipment}/tracking-events",
            {"status": "EXCEPTION", "description": "lost"},
        ),
    ]
