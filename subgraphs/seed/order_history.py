"""Seed orders: 1,000 orders over four channels in every status, with lines and totals.

Recent orders are mostly PENDING or CONFIRMED, older ones mostly FULFILLED; the first twenty
orders cover every (channel, status) pair so that every combination exists.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from subgraphs.common.ids import stable_id
from subgraphs.orders.domain import OrderStatus, SalesChannel, price_order
from subgraphs.seed.master_data import MasterData
from subgraphs.seed.plan import PlannedLine, PlannedOrder, SeedConfig

__all__ = ["generate_orders", "order_rows"]

S = OrderStatus
_CHANNEL_WEIGHTS = {SalesChannel.WEB: 45, SalesChannel.MOBILE: 30, SalesChannel.MARKETPLACE: 15,
                    SalesChannel.B2B: 10}  # fmt: skip
_RECENT = {S.PENDING: 35, S.CONFIRMED: 30, S.PARTIALLY_FULFILLED: 15, S.FULFILLED: 10,
           S.CANCELLED: 10}  # fmt: skip
_OLDER = {S.PENDING: 2, S.CONFIRMED: 3, S.PARTIALLY_FULFILLED: 5, S.FULFILLED: 80,
          S.CANCELLED: 10}  # fmt: skip
_CANCEL_REASONS = ("Customer changed their mind", "Duplicate order", "Payment not received",
                   "Item no longer needed", None)  # fmt: skip


def _path(
    rng: random.Random, status: S, placed: datetime, anchor: datetime
) -> tuple[list[tuple[str, datetime]], str | None]:
    """The statuses an order went through, with times, ending at ``status``."""
    steps = [(S.PENDING, placed)]
    cancelled_from = None
    if status is S.CANCELLED:
        cancelled_from = S.CONFIRMED if rng.random() < 0.4 else S.PENDING
        chain = [S.CONFIRMED, S.CANCELLED] if cancelled_from is S.CONFIRMED else [S.CANCELLED]
    else:
        chain = {
            S.PENDING: [],
            S.CONFIRMED: [S.CONFIRMED],
            S.PARTIALLY_FULFILLED: [S.CONFIRMED, S.PARTIALLY_FULFILLED],
            S.FULFILLED: [S.CONFIRMED, S.PARTIALLY_FULFILLED, S.FULFILLED]
            if rng.random() < 0.15
            else [S.CONFIRMED, S.FULFILLED],
        }[status]
    at = placed
    for step in chain:
        gap = (
            timedelta(minutes=rng.randint(10, 360))
            if step is S.CONFIRMED
            else timedelta(hours=rng.randint(12, 72))
        )
        at = min(at + gap, anchor)
        steps.append((step, at))
    return [
        (name.value, when) for name, when in steps
    ], cancelled_from.value if cancelled_from else None


def _lines(
    rng: random.Random, config: SeedConfig, order_index: int, master: MasterData, b2b: bool
) -> list[PlannedLine]:
    skus = rng.sample(sorted(master.prices), rng.randint(1, 5))
    return [
        PlannedLine(
            id=stable_id("order-line", config.seed, order_index, number),
            sku=sku,
            quantity=rng.randint(5, 40) if b2b else rng.choices([1, 2, 3, 4], [60, 25, 10, 5])[0],
            unit_price=master.prices[sku],
        )
        for number, sku in enumerate(skus, start=1)
    ]


def _fulfil(rng: random.Random, order: PlannedOrder) -> None:
    if order.status == S.FULFILLED:
        for line in order.lines:
            line.fulfilled = line.quantity
    elif order.status == S.PARTIALLY_FULFILLED:
        if sum(line.quantity for line in order.lines) < 2:
            order.lines[0].quantity = 2
        for line in order.lines:
            line.fulfilled = rng.randint(0, line.quantity)
        total = sum(line.quantity for line in order.lines)
        done = sum(line.fulfilled for line in order.lines)
        if done == 0:
            order.lines[0].fulfilled = 1
        elif done == total:
            order.lines[-1].fulfilled -= 1


def generate_orders(
    rng: random.Random, config: SeedConfig, master: MasterData
) -> list[PlannedOrder]:
    """The planned orders, numbered in the order they were placed."""
    window = timedelta(days=config.history_days)
    combos = [(channel, status) for channel in SalesChannel for status in S]
    drafts = []
    for index in range(config.orders):
        placed = config.anchor - window * rng.random() ** 1.3
        recent = config.anchor - placed < timedelta(days=30)
        if index < len(combos):
            channel, status = combos[index]
        else:
            channel = rng.choices(list(_CHANNEL_WEIGHTS), list(_CHANNEL_WEIGHTS.values()))[0]
            weights = _RECENT if recent else _OLDER
            status = rng.choices(list(weights), list(weights.values()))[0]
        drafts.append((placed, index, channel, status))
    orders = []
    for number, (placed, index, channel, status) in enumerate(sorted(drafts), start=100_001):
        customer = rng.choice(master.customers)
        path, cancelled_from = _path(rng, status, placed, config.anchor)
        order = PlannedOrder(
            id=stable_id("order", config.seed, index),
            number=number,
            customer_id=customer.id,
            customer_email=customer.email,
            channel=channel.value,
            status=status.value,
            path=path,
            address=customer.address,
            lines=_lines(rng, config, index, master, channel is SalesChannel.B2B),
            cancelled_from=cancelled_from,
        )
        _fulfil(rng, order)
        orders.append(order)
    return orders


def order_rows(
    rng: random.Random, orders: list[PlannedOrder], names: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of ``orders`` and ``order_lines``; sets each plan's total."""
    order_table: list[dict[str, Any]] = []
    line_table: list[dict[str, Any]] = []
    for order in orders:
        totals = price_order(
            [line.quantity * line.unit_price for line in order.lines], order.address.country
        )
        order.total = totals.total
        address = order.address
        order_table.append(
            {
                "id": order.id,
                "number": order.number,
                "customer_id": order.customer_id,
                "channel": order.channel,
                "status": order.status,
                "currency": "USD",
                "subtotal_amount": totals.subtotal,
                "shipping_amount": totals.shipping,
                "tax_amount": totals.tax,
                "total_amount": totals.total,
                "ship_line1": address.line1,
                "ship_line2": address.line2,
                "ship_city": address.city,
                "ship_region": address.region,
                "ship_postal_code": address.postal_code,
                "ship_country": address.country,
                "cancel_reason": rng.choice(_CANCEL_REASONS)
                if order.status == S.CANCELLED
                else None,
                "placed_at": order.placed_at,
                "updated_at": order.path[-1][1],
                "version": len(order.path),
            }
        )
        line_table.extend(
            {
                "id": line.id,
                "order_id": order.id,
                "line_number": number,
                "sku": line.sku,
                "product_name": names[line.sku],
                "quantity": line.quantity,
                "fulfilled_quantity": line.fulfilled,
                "unit_price_amount": line.unit_price,
            }
            for number, line in enumerate(order.lines, start=1)
        )
    return order_table, line_table
