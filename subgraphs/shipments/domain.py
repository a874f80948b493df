"""The rules of shipments, free of I/O: status machine, items, tracking numbers, events.

Status machine (each tracking event moves the shipment to the event's status)::

    LABEL_CREATED ─▶ IN_TRANSIT ⇄ OUT_FOR_DELIVERY ─▶ DELIVERED
          │              │    ▲          │
          └────────▶ EXCEPTION ─────────────▶ RETURNED          (DELIVERED, RETURNED: final)
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from subgraphs.common.errors import BadUserInputError, IllegalStateTransitionError

__all__ = [
    "MAX_ITEMS",
    "Carrier",
    "ItemRequest",
    "ShipmentStatus",
    "check_event",
    "check_transition",
    "tracking_number",
    "validate_items",
]

MAX_ITEMS = 100
#: How far in the future an event's time may be (clock skew between carriers and us).
FUTURE_TOLERANCE = timedelta(minutes=5)


class Carrier(StrEnum):
    """Who carries the parcel."""

    UPS = "UPS"
    DHL = "DHL"
    FEDEX = "FEDEX"
    USPS = "USPS"


class ShipmentStatus(StrEnum):
    """Where a parcel is."""

    LABEL_CREATED = "LABEL_CREATED"
    IN_TRANSIT = "IN_TRANSIT"
    OUT_FOR_DELIVERY = "OUT_FOR_DELIVERY"
    DELIVERED = "DELIVERED"
    EXCEPTION = "EXCEPTION"
    RETURNED = "RETURNED"


_S = ShipmentStatus
_TRANSITIONS: Mapping[ShipmentStatus, frozenset[ShipmentStatus]] = {
    _S.LABEL_CREATED: frozenset({_S.IN_TRANSIT, _S.EXCEPTION}),
    _S.IN_TRANSIT: frozenset(
        {_S.IN_TRANSIT, _S.OUT_FOR_DELIVERY, _S.DELIVERED, _S.EXCEPTION, _S.RETURNED}
    ),
    _S.OUT_FOR_DELIVERY: frozenset({_S.IN_TRANSIT, _S.DELIVERED, _S.EXCEPTION}),
    _S.EXCEPTION: frozenset(
        {_S.EXCEPTION, _S.IN_TRANSIT, _S.OUT_FOR_DELIVERY, _S.DELIVERED, _S.RETURNED}
    ),
    _S.DELIVERED: frozenset(),
    _S.RETURNED: frozenset(),
}


def check_transition(current: ShipmentStatus, target: ShipmentStatus) -> None:
    """Raise ``ILLEGAL_STATE_TRANSITION`` unless ``current -> target`` is allowed."""
    if target not in _TRANSITIONS[current]:
        raise IllegalStateTransitionError("shipment", current.value, target.value)


def check_event(
    current: ShipmentStatus,
    target: ShipmentStatus,
    occurred_at: datetime,
    last_event_at: datetime,
    now: datetime,
) -> None:
    """An event is a legal transition, not before the previous event, not in the future."""
    check_transition(current, target)
    if occurred_at < last_event_at:
        raise BadUserInputError(
            "an event cannot precede the shipment's last event", field="occurredAt"
        )
    if occurred_at > now + FUTURE_TOLERANCE:
        raise BadUserInputError("an event cannot be in the future", field="occurredAt")


@dataclass(frozen=True, slots=True)
class ItemRequest:
    """``quantity`` units of order line ``order_line_id`` (``sku``) in the parcel."""

    order_line_id: uuid.UUID
    sku: str
    quantity: int


def validate_items(items: Sequence[ItemRequest]) -> None:
    """1 to :data:`MAX_ITEMS` items, positive quantities, each order line once."""
    if not items:
        raise BadUserInputError("a shipment needs at least one item", field="items")
    if len(items) > MAX_ITEMS:
        raise BadUserInputError(f"a shipment has at most {MAX_ITEMS} items", field="items")
    seen: set[uuid.UUID] = set()
    for index, item in enumerate(items):
        where = f"items[{index}]"
        if item.quantity <= 0:
            raise BadUserInputError(
                f"quantity must be positive, got {item.quantity}", field=f"{where}.quantity"
            )
        if not item.sku.strip():
            raise BadUserInputError("sku must not be blank", field=f"{where}.sku")
        if item.order_line_id in seen:
            raise BadUserInputError("an order line appears twice", field=f"{where}.orderLineId")
        seen.add(item.order_line_id)


def tracking_number(carrier: Carrier, shipment_id: uuid.UUID) -> str:
    """A carrier-shaped tracking number derived from the shipment id (deterministic)."""
    digest = hashlib.sha256(f"{carrier.value}/{shipment_id}".encode()).hexdigest()
    digits = str(int(digest, 16))
    match carrier:
        case Carrier.UPS:
            return "1Z" + digest[:16].upper()
        case Carrier.DHL:
            return digits[:10]
        case Carrier.FEDEX:
            return digits[:12]
        case Carrier.USPS:
            return "9400" + digits[:18]
