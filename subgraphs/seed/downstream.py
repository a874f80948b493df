"""Seed rows that follow from the orders: stock and reservations, payments, shipments.

- Reservations: ACTIVE for what is still to ship, CONSUMED for what shipped, RELEASED for
  cancelled orders; each stock level's ``reserved`` is the sum of its ACTIVE reservations.
- Payments: every payment is for the order's total; orders past PENDING are captured;
  cancellations are voided or refunded; a few orders carry a declined (FAILED) attempt.
- Shipments: their items add up to each line's fulfilled quantity.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from subgraphs.common.ids import stable_id
from subgraphs.inventory.domain import ReservationStatus
from subgraphs.payments.domain import PaymentProcessor, PaymentStatus
from subgraphs.payments.processors import simulated_reference
from subgraphs.seed.master_data import MasterData
from subgraphs.seed.plan import PlannedLine, PlannedOrder, Rows, SeedConfig
from subgraphs.shipments.domain import Carrier, ShipmentStatus, tracking_number

__all__ = ["inventory_rows", "payment_rows", "shipment_rows"]

_CARDS = (("VISA", "4242"), ("MASTERCARD", "4444"), ("AMEX", "0005"), ("VISA", "1881"))
_BANKS = ("ING", "ABN AMRO", "Deutsche Bank", "Barclays", "Chase", "BNP Paribas")
#: the declined test card, as a FAILED attempt stores it
_DECLINED_CARD: dict[str, Any] = {
    "method_kind": "CARD",
    "card_brand": "VISA",
    "card_last4": "0002",
    "card_exp_month": 1,
    "card_exp_year": 2030,
}


def inventory_rows(
    rng: random.Random, config: SeedConfig, master: MasterData, orders: list[PlannedOrder]
) -> Rows:
    """Warehouses, products, stock levels and reservations."""
    codes = [row["code"] for row in master.warehouse_rows]
    stocked = {
        sku: sorted(rng.sample(codes, rng.choices([1, 2, 3], [30, 45, 25])[0]))
        for sku in sorted(master.prices)
    }
    active: dict[tuple[str, str], int] = defaultdict(int)
    reservations = []
    for order in orders:
        for line in order.lines:
            warehouse = rng.choice(stocked[line.sku])
            parts = _reservation_parts(order, line)
            for index, (status, quantity) in enumerate(parts):
                if status == ReservationStatus.ACTIVE:
                    active[(line.sku, warehouse)] += quantity
                reservations.append(
                    {
                        "id": stable_id("reservation", config.seed, line.id, index),
                        "order_id": order.id,
                        "order_line_id": line.id,
                        "sku": line.sku,
                        "warehouse_code": warehouse,
                        "quantity": quantity,
                        "status": status,
                        "created_at": order.placed_at,
                        "updated_at": order.path[-1][1],
                    }
                )
    stock = []
    for sku, warehouses in stocked.items():
        for code in warehouses:
            reserved = active[(sku, code)]
            spare = 0 if rng.random() < 0.05 else rng.randint(5, 400)
            stock.append(
                {
                    "sku": sku,
                    "warehouse_code": code,
                    "on_hand": reserved + spare,
                    "reserved": reserved,
                    "updated_at": config.anchor - timedelta(hours=rng.randint(1, 72)),
                }
            )
    return {
        "warehouses": master.warehouse_rows,
        "products": master.product_rows,
        "stock_levels": stock,
        "reservations": reservations,
    }


def _reservation_parts(order: PlannedOrder, line: PlannedLine) -> list[tuple[str, int]]:
    if order.status == "CANCELLED":
        return [(ReservationStatus.RELEASED.value, line.quantity)]
    parts = []
    if line.fulfilled:
        parts.append((ReservationStatus.CONSUMED.value, line.fulfilled))
    if line.quantity > line.fulfilled:
        parts.append((ReservationStatus.ACTIVE.value, line.quantity - line.fulfilled))
    return parts


def _method(rng: random.Random, order: PlannedOrder) -> tuple[PaymentProcessor, dict[str, Any]]:
    kind = rng.random()
    if order.channel == "B2B" and kind < 0.7:
        return PaymentProcessor.ADYEN, {
            "method_kind": "BANK_TRANSFER",
            "bank_name": rng.choice(_BANKS),
            "iban_last4": f"{rng.randint(0, 9999):04d}",
        }
    if (order.channel == "MOBILE" and kind < 0.5) or (order.channel != "B2B" and kind > 0.8):
        provider = rng.choice(
            ["APPLE_PAY", "GOOGLE_PAY"] if order.channel == "MOBILE" else ["PAYPAL"]
        )
        processor = PaymentProcessor.PAYPAL if provider == "PAYPAL" else PaymentProcessor.STRIPE
        return processor, {
            "method_kind": "WALLET",
            "wallet_provider": provider,
            "wallet_account_email": order.customer_email if provider == "PAYPAL" else None,
        }
    brand, last4 = rng.choice(_CARDS)
    processor = PaymentProcessor.STRIPE if rng.random() < 0.65 else PaymentProcessor.ADYEN
    return processor, {
        "method_kind": "CARD",
        "card_brand": brand,
        "card_last4": last4,
        "card_exp_month": rng.randint(1, 12),
        "card_exp_year": rng.randint(2026, 2030),
    }


def _payment(
    config: SeedConfig,
    order: PlannedOrder,
    index: int,
    method: tuple[PaymentProcessor, dict[str, Any]],
    status: PaymentStatus,
    times: tuple[datetime, datetime],
    captured: int = 0,
    refunded: int = 0,
) -> dict[str, Any]:
    processor, details = method
    at, updated = times
    payment_id = stable_id("payment", config.seed, order.id, index)
    columns = dict.fromkeys(
        ("card_brand", "card_last4", "card_exp_month", "card_exp_year", "bank_name",
         "iban_last4", "wallet_provider", "wallet_account_email"),
    )  # fmt: skip
    return {
        **columns,
        **details,
        "id": payment_id,
        "order_id": order.id,
        "customer_id": order.customer_id,
        "amount": order.total,
        "currency": "USD",
        "captured_amount": captured,
        "refunded_amount": refunded,
        "processor": processor.value,
        "status": status.value,
        "processor_reference": simulated_reference(processor, "authorize", payment_id),
        "failure_reason": "card_declined" if status is PaymentStatus.FAILED else None,
        "created_at": at,
        "updated_at": updated,
        "version": 1 + (captured > 0) + (refunded > 0) + (status is PaymentStatus.VOIDED),
    }


def payment_rows(rng: random.Random, config: SeedConfig, orders: list[PlannedOrder]) -> Rows:
    """Payments and refunds matching each order's total and status."""
    payments: list[dict[str, Any]] = []
    refunds: list[dict[str, Any]] = []
    for order in orders:
        method = _method(rng, order)
        authorized_at = order.placed_at + timedelta(minutes=1)
        confirmed = order.reached("CONFIRMED")
        last = order.path[-1][1]
        if rng.random() < 0.04:
            declined = (PaymentProcessor.STRIPE, _DECLINED_CARD)
            times = (order.placed_at, order.placed_at)
            payments.append(_payment(config, order, 0, declined, PaymentStatus.FAILED, times))
        if order.status == "PENDING":
            if rng.random() < 0.5:
                times = (authorized_at, authorized_at)
                payments.append(_payment(config, order, 1, method, PaymentStatus.AUTHORIZED, times))
            continue
        if order.status == "CANCELLED" and order.cancelled_from == "PENDING":
            if rng.random() < 0.7:
                times = (authorized_at, last)
                payments.append(_payment(config, order, 1, method, PaymentStatus.VOIDED, times))
            continue
        assert confirmed is not None
        refunded = 0
        if order.status == "CANCELLED":
            refunded = order.total
        elif order.status == "FULFILLED":
            roll = rng.random()
            if roll < 0.03:
                refunded = order.total
            elif roll < 0.10:
                refunded = min(order.total, order.lines[0].unit_price)
        status = PaymentStatus.CAPTURED
        if refunded == order.total:
            status = PaymentStatus.REFUNDED
        elif refunded:
            status = PaymentStatus.PARTIALLY_REFUNDED
        times = (authorized_at, max(last, confirmed))
        payment = _payment(config, order, 1, method, status, times, order.total, refunded)
        payments.append(payment)
        if refunded:
            refund_id = stable_id("refund", config.seed, payment["id"])
            refunds.append(
                {
                    "id": refund_id,
                    "payment_id": payment["id"],
                    "amount": refunded,
                    "reason": "Order cancelled" if order.status == "CANCELLED" else "Item returned",
                    "processor_reference": simulated_reference(
                        method[0], "refund", payment["processor_reference"], refund_id
                    ),
                    "created_at": last,
                }
            )
    return {"payments": payments, "refunds": refunds}


def _carrier(rng: random.Random, country: str) -> Carrier:
    if country == "US":
        return rng.choice([Carrier.UPS, Carrier.USPS, Carrier.FEDEX])
    return rng.choice([Carrier.DHL, Carrier.UPS])


def _events(
    rng: random.Random, config: SeedConfig, shipment_id: Any, shipped: datetime, city: str
) -> list[dict[str, Any]]:
    S = ShipmentStatus  # noqa: N806 (a short alias keeps the timeline readable)
    hops: list[tuple[ShipmentStatus, datetime, str | None, str]] = [
        (S.LABEL_CREATED, shipped, None, "Shipping label created")
    ]
    at = shipped + timedelta(hours=rng.randint(2, 12))
    hops.append((S.IN_TRANSIT, at, "Origin facility", "Picked up by carrier"))
    if rng.random() < 0.05:
        at += timedelta(hours=rng.randint(6, 30))
        hops.append((S.EXCEPTION, at, "Sort facility", "Weather delay"))
    at += timedelta(hours=rng.randint(12, 60))
    hops.append((S.IN_TRANSIT, at, "Destination facility", "Arrived at destination facility"))
    at += timedelta(hours=rng.randint(4, 20))
    hops.append((S.OUT_FOR_DELIVERY, at, city, "Out for delivery"))
    at += timedelta(hours=rng.randint(1, 8))
    hops.append((S.DELIVERED, at, city, "Delivered"))
    return [
        {
            "id": stable_id("tracking-event", config.seed, shipment_id, sequence),
            "shipment_id": shipment_id,
            "sequence": sequence,
            "status": status.value,
            "occurred_at": when,
            "location": location,
            "description": description,
        }
        for sequence, (status, when, location, description) in enumerate(hops, start=1)
        if when <= config.anchor
    ]


def _parcels(rng: random.Random, order: PlannedOrder) -> list[list[tuple[PlannedLine, int]]]:
    """How the fulfilled units were split into parcels."""
    shipped = [(line, line.fulfilled) for line in order.lines if line.fulfilled]
    if order.status == "FULFILLED" and rng.random() < 0.25 and len(shipped) >= 2:
        half = len(shipped) // 2
        return [shipped[:half], shipped[half:]]
    return [shipped]


def shipment_rows(rng: random.Random, config: SeedConfig, orders: list[PlannedOrder]) -> Rows:
    """Shipments whose items add up to each line's fulfilled quantity."""
    shipments: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for order in orders:
        if order.status not in ("PARTIALLY_FULFILLED", "FULFILLED"):
            continue
        shipped_at = order.reached("PARTIALLY_FULFILLED") or order.reached("FULFILLED")
        assert shipped_at is not None
        for index, parcel in enumerate(_parcels(rng, order)):
            shipment_id = stable_id("shipment", config.seed, order.id, index)
            carrier = _carrier(rng, order.address.country)
            parcel_events = _events(rng, config, shipment_id, shipped_at, order.address.city)
            address = order.address
            shipments.append(
                {
                    "id": shipment_id,
                    "order_id": order.id,
                    "customer_id": order.customer_id,
                    "carrier": carrier.value,
                    "tracking_number": tracking_number(carrier, shipment_id),
                    "status": parcel_events[-1]["status"],
                    "dest_line1": address.line1,
                    "dest_line2": address.line2,
                    "dest_city": address.city,
                    "dest_region": address.region,
                    "dest_postal_code": address.postal_code,
                    "dest_country": address.country,
                    "created_at": shipped_at,
                    "updated_at": parcel_events[-1]["occurred_at"],
                    "version": len(parcel_events),
                }
            )
            events.extend(parcel_events)
            items.extend(
                {
                    "id": stable_id("shipment-item", config.seed, shipment_id, line.id),
                    "shipment_id": shipment_id,
                    "order_line_id": line.id,
                    "sku": line.sku,
                    "quantity": quantity,
                }
                for line, quantity in parcel
            )
    return {"shipments": shipments, "shipment_items": items, "tracking_events": events}
