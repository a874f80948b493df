"""Payments (authorize, capture, refund, void) and shipments (create, tracking events, by
tracking number) through the catalog's REST routes (real gateway and subgraphs over HTTP,
SQLite and PostgreSQL); each answer's status and body, and the payments and shipments
databases read back."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from rest_domain_support import CARD, bearer, customer_writer, key, owned, snapshot
from rest_runtime_stack import ADDRESS, RestStack, model_rows
from sqlalchemy import select

USD = "USD"


def _ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    return body


def _refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code


async def _payment(rest: RestStack, payment_id: str) -> tuple[Any, ...]:
    from subgraphs.payments.models import Payment, Refund

    url = rest.database_urls["payments"]
    (row,) = await model_rows(
        url,
        select(
            Payment.status,
            Payment.amount,
            Payment.captured_amount,
            Payment.refunded_amount,
            Payment.method_kind,
            Payment.card_last4,
            Payment.customer_id,
        ).where(Payment.id == uuid.UUID(payment_id)),
    )
    refunds = await model_rows(
        url, select(Refund.amount, Refund.reason).where(Refund.payment_id == uuid.UUID(payment_id))
    )
    return (*row[:6], str(row[6]), sorted(tuple(r) for r in refunds))


async def _new_order(rest: RestStack, headers: dict[str, str]) -> dict[str, Any]:
    created = await rest.http.post(
        "/api/v1/orders", json=rest.create_body(quantity=2), headers={**headers, **key()}
    )
    return _ok(created, 201)


async def test_authorize_capture_refund_and_void(rest: RestStack) -> None:
    http = rest.http
    admin = bearer(rest.tokens["admin"])
    order = await _new_order(rest, admin)
    total = order["total"]["amount"]
    authorize = {
        "orderId": order["id"],
        "amount": {"amount": total, "currency": USD},
        "processor": "STRIPE",
        "method": CARD,
        "customerId": rest.customer_a,
    }
    response = await http.post("/api/v1/payments", json=authorize, headers={**admin, **key()})
    payment = _ok(response, 201)
    payment_id = payment["id"]
    assert response.headers["location"] == f"/api/v1/payments/{payment_id}"
    assert payment["status"] == "AUTHORIZED"
    assert payment["order"] == {"id": order["id"]}
    assert payment["method"] == {
        "kind": "CardPayment",
        "brand": "VISA",
        "last4": "4242",
        "expMonth": 12,
        "expYear": 2035,
    }
    assert await _payment(rest, payment_id) == (
        "AUTHORIZED",
        total,
        0,
        0,
        "CARD",
        "4242",
        rest.customer_a,
        [],
    )
    assert _ok(await http.get(f"/api/v1/payments/{payment_id}", headers=admin)) == payment
    of_order = _ok(await http.get(f"/api/v1/orders/{order['id']}/payments", headers=admin))
    assert [p["id"] for p in of_order["items"]] == [payment_id]
    authorized = _ok(
        await http.get(
            "/api/v1/payments",
            params={"orderId": order["id"], "status": "AUTHORIZED"},
            headers=admin,
        )
    )
    assert [p["id"] for p in authorized["items"]] == [payment_id]

    # capture the whole authorization (no body), then refund part of it
    captured = _ok(await http.post(f"/api/v1/payments/{payment_id}/capture", headers=admin))
    assert (captured["status"], captured["capturedAmount"]["amount"]) == ("CAPTURED", total)
    assert (await _payment(rest, payment_id))[:3] == ("CAPTURED", total, total)
    refunded = _ok(
        await http.post(
            f"/api/v1/payments/{payment_id}/refund",
            json={"amount": {"amount": 100, "currency": USD}, "reason": "damaged box"},
            headers={**admin, **key()},
        )
    )
    assert (refunded["status"], refunded["refundedAmount"]["amount"]) == (
        "PARTIALLY_REFUNDED",
        100,
    )
    assert [(r["amount"]["amount"], r["reason"]) for r in refunded["refunds"]] == [
        (100, "damaged box")
    ]
    stored = await _payment(rest, payment_id)
    assert (stored[0], stored[3], stored[7]) == ("PARTIALLY_REFUNDED", 100, [(100, "damaged box")])

    # domain rules: refunding more than is left (422), voiding a captured payment (409)
    before = await snapshot(rest.database_urls)
    _refused(
        await http.post(
            f"/api/v1/payments/{payment_id}/refund",
            json={"amount": {"amount": total, "currency": USD}},
            headers=admin,
        ),
        422,
        "AMOUNT_EXCEEDS_CAPTURED",
    )
    _refused(
        await http.post(f"/api/v1/payments/{payment_id}/void", headers=admin),
        409,
        "ILLEGAL_STATE_TRANSITION",
    )
    # a declined card stores nothing
    declined = {**authorize, "method": {"card": {**CARD["card"], "number": "4000000000000002"}}}
    _refused(
        await http.post("/api/v1/payments", json=declined, headers={**admin, **key()}),
        422,
        "PAYMENT_DECLINED",
    )
    assert await snapshot(rest.database_urls) == before

    # another authorization, by bank transfer, voided
    transfer = {
        **authorize,
        "method": {"bankTransfer": {"bankName": "ACME Bank", "iban": "DE89370400440532013000"}},
    }
    second = _ok(
        await http.post("/api/v1/payments", json=transfer, headers={**admin, **key()}), 201
    )
    assert second["method"] == {
        "kind": "BankTransferPayment",
        "bankName": "ACME Bank",
        "ibanLast4": "3000",
    }
    voided = _ok(await http.post(f"/api/v1/payments/{second['id']}/void", headers=admin))
    assert voided["status"] == "VOIDED"
    assert (await _payment(rest, second["id"]))[0] == "VOIDED"


async def _shipment(rest: RestStack, shipment_id: str) -> dict[str, Any]:
    from subgraphs.shipments.models import Shipment, ShipmentItem, TrackingEvent

    url = rest.database_urls["shipments"]
    ident = uuid.UUID(shipment_id)
    (row,) = await model_rows(
        url,
        select(
            Shipment.status, Shipment.carrier, Shipment.tracking_number, Shipment.customer_id
        ).where(Shipment.id == ident),
    )
    items = await model_rows(
        url,
        select(ShipmentItem.sku, ShipmentItem.quantity).where(ShipmentItem.shipment_id == ident),
    )
    events = await model_rows(
        url,
        select(TrackingEvent.status, TrackingEvent.location)
        .where(TrackingEvent.shipment_id == ident)
        .order_by(TrackingEvent.sequence),
    )
    return {
        "status": row[0],
        "carrier": row[1],
        "trackingNumber": row[2],
        "customer": str(row[3]),
        "items": [tuple(item) for item in items],
        "events": [tuple(event) for event in events],
    }


async def test_a_shipment_with_tracking_events_found_by_its_tracking_number(
    rest: RestStack,
) -> None:
    http = rest.http
    checkout = customer_writer(rest.customer_a)  # customer A with the shipment write scope
    order = await _new_order(rest, bearer(rest.tokens["customer"]))
    line = order["lines"][0]
    body = {
        "orderId": order["id"],
        "carrier": "DHL",
        "destination": ADDRESS,
        "items": [{"orderLineId": line["id"], "sku": line["sku"], "quantity": 1}],
    }
    created = await http.post("/api/v1/shipments", json=body, headers={**checkout, **key()})
    shipment = _ok(created, 201)
    shipment_id = shipment["id"]
    assert created.headers["location"] == f"/api/v1/shipments/{shipment_id}"
    assert (shipment["status"], shipment["carrier"], shipment["order"]) == (
        "LABEL_CREATED",
        "DHL",
        {"id": order["id"]},
    )
    assert [event["status"] for event in shipment["events"]] == ["LABEL_CREATED"]
    stored = await _shipment(rest, shipment_id)
    assert stored == {
        "status": "LABEL_CREATED",
        "carrier": "DHL",
        "trackingNumber": shipment["trackingNumber"],
        "customer": rest.customer_a,
        "items": [(line["sku"], 1)],
        "events": [("LABEL_CREATED", None)],
    }

    scan = await http.post(
        f"/api/v1/shipments/{shipment_id}/tracking-events",
        json={"status": "IN_TRANSIT", "description": "Departed hub", "location": "Leipzig"},
        headers=checkout,
    )
    moving = _ok(scan)
    assert moving["status"] == "IN_TRANSIT"
    assert [(e["status"], e["location"]) for e in moving["events"]] == [
        ("LABEL_CREATED", None),
        ("IN_TRANSIT", "Leipzig"),
    ]
    assert (await _shipment(rest, shipment_id))["events"] == [
        ("LABEL_CREATED", None),
        ("IN_TRANSIT", "Leipzig"),
    ]

    # by tracking number: the same shipment; an unknown number is 404
    tracked = await http.get(
        f"/api/v1/carriers/DHL/tracking/{shipment['trackingNumber']}", headers=checkout
    )
    assert _ok(tracked) == moving
    _refused(
        await http.get("/api/v1/carriers/DHL/tracking/NO-SUCH-NUMBER", headers=checkout),
        404,
        "NOT_FOUND",
    )
    assert _ok(await http.get(f"/api/v1/shipments/{shipment_id}", headers=checkout)) == moving

    # a shipment cannot go back to LABEL_CREATED: 409, nothing recorded
    before = await _shipment(rest, shipment_id)
    _refused(
        await http.post(
            f"/api/v1/shipments/{shipment_id}/tracking-events",
            json={"status": "LABEL_CREATED", "description": "again"},
            headers=checkout,
        ),
        409,
        "ILLEGAL_STATE_TRANSITION",
    )
    assert await _shipment(rest, shipment_id) == before
    # the customer's seeded shipments are there too
    a = await owned(rest, rest.customer_a)
    assert set(a.shipments) >= {shipment_id}
