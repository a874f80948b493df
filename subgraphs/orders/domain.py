"""The rules of orders, free of I/O: status machine, line validation, pricing, fulfilment.

Status machine::

    PENDING ─▶ CONFIRMED ─▶ PARTIALLY_FULFILLED ─▶ FULFILLED
       │           │   └──────────────────────────────▲
       └───────────┴─▶ CANCELLED

Anything else raises ``ILLEGAL_STATE_TRANSITION``. Lines and the shipping address can change only
while PENDING or CONFIRMED (``ORDER_NOT_EDITABLE`` otherwise).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from subgraphs.common.errors import (
    BadUserInputError,
    IllegalStateTransitionError,
    OrderNotEditableError,
)

__all__ = [
    "EDITABLE_STATUSES",
    "FREE_SHIPPING_THRESHOLD",
    "MAX_LINES",
    "MAX_LINE_QUANTITY",
    "SHIPPING_FLAT_RATE",
    "TAX_RATE_BASIS_POINTS",
    "FulfillmentRequest",
    "LineRequest",
    "OrderStatus",
    "OrderTotals",
    "SalesChannel",
    "apply_fulfillment",
    "check_editable",
    "check_transition",
    "price_order",
    "validate_line_requests",
]

MAX_LINES = 100
MAX_LINE_QUANTITY = 10_000
#: Orders whose subtotal reaches this (minor units) ship free; others pay the flat rate.
FREE_SHIPPING_THRESHOLD = 10_000
SHIPPING_FLAT_RATE = 799
#: Sales tax by destination country, in basis points of the subtotal (others: none).
TAX_RATE_BASIS_POINTS: Mapping[str, int] = {
    "US": 800,
    "CA": 1300,
    "GB": 2000,
    "DE": 1900,
    "FR": 2000,
    "NL": 2100,
}


class OrderStatus(StrEnum):
    """Where an order is in its life."""

    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"
    PARTIALLY_FULFILLED = "PARTIALLY_FULFILLED"
    FULFILLED = "FULFILLED"
    CANCELLED = "CANCELLED"


class SalesChannel(StrEnum):
    """Where an order came from."""

    WEB = "WEB"
    MOBILE = "MOBILE"
    MARKETPLACE = "MARKETPLACE"
    B2B = "B2B"


_TRANSITIONS: Mapping[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING: frozenset({OrderStatus.CONFIRMED, OrderStatus.CANCELLED}),
    OrderStatus.CONFIRMED: frozenset(
        {OrderStatus.PARTIALLY_FULFILLED, OrderStatus.FULFILLED, OrderStatus.CANCELLED}
    ),
    OrderStatus.PARTIALLY_FULFILLED: frozenset(
        {OrderStatus.PARTIALLY_FULFILLED, OrderStatus.FULFILLED}
    ),
    OrderStatus.FULFILLED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}

EDITABLE_STATUSES = frozenset({OrderStatus.PENDING, OrderStatus.CONFIRMED})


def check_transition(current: OrderStatus, target: OrderStatus) -> None:
    """Raise ``ILLEGAL_STATE_TRANSITION`` unless ``current -> target`` is allowed."""
    if target not in _TRANSITIONS[current]:
        raise IllegalStateTransitionError("order", current.value, target.value)


def check_editable(order_id: object, status: OrderStatus) -> None:
    """Raise ``ORDER_NOT_EDITABLE`` unless lines and address may still change."""
    if status not in EDITABLE_STATUSES:
        raise OrderNotEditableError(order_id, status.value)


@dataclass(frozen=True, slots=True)
class LineRequest:
    """A requested line: ``quantity`` units of ``sku``."""

    sku: str
    quantity: int


def validate_line_requests(lines: Sequence[LineRequest], field: str = "lines") -> None:
    """Between 1 and :data:`MAX_LINES` lines, positive bounded quantities, each sku once."""
    if not lines:
        raise BadUserInputError("an order needs at least one line", field=field)
    if len(lines) > MAX_LINES:
        raise BadUserInputError(f"an order has at most {MAX_LINES} lines", field=field)
    seen: set[str] = set()
    for index, line in enumerate(lines):
        where = f"{field}[{index}]"
        if not line.sku.strip():
            raise BadUserInputError("sku must not be blank", field=f"{where}.sku")
        if line.quantity <= 0:
            raise BadUserInputError(
                f"quantity must be positive, got {line.quantity}", field=f"{where}.quantity"
            )
        if line.quantity > MAX_LINE_QUANTITY:
            raise BadUserInputError(
                f"quantity must be at most {MAX_LINE_QUANTITY}", field=f"{where}.quantity"
            )
        if line.sku in seen:
            raise BadUserInputError(f"sku {line.sku!r} appears twice", field=f"{where}.sku")
        seen.add(line.sku)


@dataclass(frozen=True, slots=True)
class OrderTotals:
    """An order's money in minor units."""

    subtotal: int
    shipping: int
    tax: int

    @property
    def total(self) -> int:
        """Subtotal plus shipping plus tax."""
        return self.subtotal + self.shipping + self.tax


def price_order(line_totals: Sequence[int], country: str) -> OrderTotals:
    """Shipping is free from :data:`FREE_SHIPPING_THRESHOLD`; tax rounds half up."""
    subtotal = sum(line_totals)
    shipping = 0 if subtotal >= FREE_SHIPPING_THRESHOLD else SHIPPING_FLAT_RATE
    rate = TAX_RATE_BASIS_POINTS.get(country, 0)
    tax = (subtotal * rate + 5_000) // 10_000
    return OrderTotals(subtotal=subtotal, shipping=shipping, tax=tax)


@dataclass(frozen=True, slots=True)
class FulfillmentRequest:
    """``quantity`` more units of line ``line_id`` were shipped."""

    line_id: uuid.UUID
    quantity: int


def apply_fulfillment(
    status: OrderStatus,
    lines: Mapping[uuid.UUID, tuple[int, int]],
    requests: Sequence[FulfillmentRequest],
) -> tuple[dict[uuid.UUID, int], OrderStatus]:
    """New fulfilled quantities per line and the resulting status.

    ``lines`` maps a line id to ``(quantity, fulfilled_quantity)``. Only CONFIRMED and
    PARTIALLY_FULFILLED orders can be fulfilled; a line cannot be fulfilled beyond its quantity.
    """
    if status not in (OrderStatus.CONFIRMED, OrderStatus.PARTIALLY_FULFILLED):
        raise IllegalStateTransitionError("order", status.value, OrderStatus.FULFILLED.value)
    if not requests:
        raise BadUserInputError("a fulfillment needs at least one line", field="lines")
    fulfilled = {line_id: done for line_id, (_, done) in lines.items()}
    for index, request in enumerate(requests):
        where = f"lines[{index}]"
        if request.line_id not in lines:
            raise BadUserInputError(
                f"line {request.line_id} is not part of this order", field=f"{where}.lineId"
            )
        if request.quantity <= 0:
            raise BadUserInputError(
                f"quantity must be positive, got {request.quantity}", field=f"{where}.quantity"
            )
        ordered = lines[request.line_id][0]
        if fulfilled[request.line_id] + request.quantity > ordered:
            raise BadUserInputError(
                f"line {request.line_id} has only {ordered - fulfilled[request.line_id]} "
                f"unit(s) left to fulfil",
                field=f"{where}.quantity",
            )
        fulfilled[request.line_id] += request.quantity
    complete = all(fulfilled[line_id] == quantity for line_id, (quantity, _) in lines.items())
    target = OrderStatus.FULFILLED if complete else OrderStatus.PARTIALLY_FULFILLED
    check_transition(status, target)
    return fulfilled, target
