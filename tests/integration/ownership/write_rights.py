"""Helpers of the write-rights tests: the databases read back whole, a read-only partner token,
and the mutations the tests send (imported by the test modules of this folder)."""

from __future__ import annotations

import time
from typing import Any

import jwt
from ownership_stack import JWT_SECRET
from sqlalchemy import select

from gateway.auth.demo import DEMO_AUDIENCE, DEMO_ISSUER
from subgraphs.common.db import create_engine

#: the seeded customer's lines need real skus; the address is valid anywhere
ADDRESS = {"line1": "1 Main St", "city": "Springfield", "postalCode": "12345", "country": "US"}

CREATE_ORDER = """mutation($c: ID!, $sku: String!) { createOrder(input: {customerId: $c,
  channel: WEB, lines: [{sku: $sku, quantity: 1}],
  shippingAddress: {line1: "1 Main St", city: "Springfield", postalCode: "12345",
  country: "US"}}) { id status customer { id } } }"""
UPDATE_ORDER = """mutation($id: ID!, $v: Int!) { updateOrder(input: {orderId: $id,
  expectedVersion: $v, shippingAddress: {line1: "2 Side St", city: "Springfield",
  postalCode: "12345", country: "US"}}) { id version } }"""
CANCEL_ORDER = 'mutation($id: ID!) { cancelOrder(orderId: $id, reason: "test") { id status } }'
CONFIRM_ORDER = "mutation($id: ID!) { confirmOrder(orderId: $id) { id status } }"
ADJUST_STOCK = """mutation($sku: String!, $w: String!) { adjustStock(input: {sku: $sku,
  warehouseCode: $w, delta: 5, reason: "count"}) { sku onHand } }"""
AUTHORIZE = """mutation($o: ID!, $c: ID) { authorizePayment(input: {orderId: $o, customerId: $c,
  processor: STRIPE, amount: {amount: 100, currency: "USD"},
  method: {wallet: {provider: PAYPAL}}}) { id status } }"""
CAPTURE = "mutation($id: ID!) { capturePayment(input: {paymentId: $id}) { id status } }"
REFUND = """mutation($id: ID!) { refundPayment(input: {paymentId: $id,
  amount: {amount: 1, currency: "USD"}}) { id status } }"""
CREATE_SHIPMENT = """mutation($o: ID!, $l: ID!, $sku: String!) { createShipment(input: {
  orderId: $o, carrier: UPS, items: [{orderLineId: $l, sku: $sku, quantity: 1}],
  destination: {line1: "1 Main St", city: "Springfield", postalCode: "12345",
  country: "US"}}) { id } }"""
TRACK = """mutation($id: ID!) { addTrackingEvent(input: {shipmentId: $id, status: EXCEPTION,
  description: "lost"}) { id } }"""


def read_only_partner_token() -> str:
    """A client-credentials partner holding only read scopes (no role granting more)."""
    now = int(time.time())
    claims = {
        "iss": DEMO_ISSUER,
        "aud": DEMO_AUDIENCE,
        "sub": "readonly-partner",
        "client_id": "readonly-partner",
        "scope": "orders:read customers:read inventory:read payments:read shipments:read",
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
    }
    return jwt.encode(claims, JWT_SECRET, algorithm="HS256")


def _models() -> dict[str, Any]:
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


async def database_rows(urls: dict[str, str]) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table of the four subgraphs (as text, sorted): equal snapshots mean
    nothing was written."""
    rows: dict[str, list[tuple[str, ...]]] = {}
    for name, base in _models().items():
        engine = create_engine(urls[name])
        try:
            async with engine.connect() as connection:
                for table in base.metadata.sorted_tables:
                    found = (await connection.execute(select(table))).all()
                    rows[table.name] = sorted(tuple(map(str, row)) for row in found)
        finally:
            await engine.dispose()
    return rows


async def first_row(url: str, statement: Any) -> Any:
    """The first row of ``statement`` in the database at ``url``."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return (await connection.execute(statement)).first()
    finally:
        await engine.dispose()
