"""The rules of inventory, free of I/O: stock arithmetic, reservations, availability.

Invariants (also enforced by check constraints): ``0 <= reserved <= on_hand``, so
``available = on_hand - reserved`` is never negative and stock never goes below zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from subgraphs.common.errors import (
    BadUserInputError,
    IllegalStateTransitionError,
    InsufficientStockError,
)

__all__ = [
    "MAX_ADJUSTMENT",
    "MAX_RESERVATION",
    "LineAvailabilityValue",
    "ReservationStatus",
    "StockPosition",
    "adjust_stock",
    "check_release",
    "check_reservation_quantity",
    "choose_warehouse",
    "line_availability",
    "reserve_stock",
]

MAX_ADJUSTMENT = 1_000_000
MAX_RESERVATION = 10_000


class ReservationStatus(StrEnum):
    """A reservation holds stock (ACTIVE) until released or consumed by a shipment."""

    ACTIVE = "ACTIVE"
    RELEASED = "RELEASED"
    CONSUMED = "CONSUMED"


@dataclass(frozen=True, slots=True)
class StockPosition:
    """Stock of one sku in one warehouse."""

    warehouse_code: str
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        """What can still be reserved."""
        return self.on_hand - self.reserved


def adjust_stock(position: StockPosition, delta: int) -> StockPosition:
    """Add ``delta`` (negative: remove) to on-hand stock; it may not drop below what is reserved."""
    if delta == 0:
        raise BadUserInputError("delta must not be zero", field="delta")
    if abs(delta) > MAX_ADJUSTMENT:
        raise BadUserInputError(f"|delta| must be at most {MAX_ADJUSTMENT}", field="delta")
    on_hand = position.on_hand + delta
    if on_hand < position.reserved:
        raise InsufficientStockError(
            f"removing {-delta} unit(s) would leave {on_hand} on hand, "
            f"below the {position.reserved} reserved",
            onHand=position.on_hand,
            reserved=position.reserved,
            requested=-delta,
        )
    return StockPosition(position.warehouse_code, on_hand, position.reserved)


def check_reservation_quantity(quantity: int) -> None:
    """A reservation is for 1 to :data:`MAX_RESERVATION` units."""
    if quantity <= 0:
        raise BadUserInputError(f"quantity must be positive, got {quantity}", field="quantity")
    if quantity > MAX_RESERVATION:
        raise BadUserInputError(f"quantity must be at most {MAX_RESERVATION}", field="quantity")


def reserve_stock(position: StockPosition, quantity: int) -> StockPosition:
    """Reserve ``quantity`` units of ``position``."""
    check_reservation_quantity(quantity)
    if quantity > position.available:
        raise InsufficientStockError(
            f"only {position.available} unit(s) available in {position.warehouse_code}, "
            f"{quantity} requested",
            warehouseCode=position.warehouse_code,
            available=position.available,
            requested=quantity,
        )
    return StockPosition(position.warehouse_code, position.on_hand, position.reserved + quantity)


def choose_warehouse(positions: Sequence[StockPosition], quantity: int) -> StockPosition:
    """The warehouse with the most available stock that can serve all of ``quantity``."""
    check_reservation_quantity(quantity)
    candidates = [position for position in positions if position.available >= quantity]
    if not candidates:
        best = max((position.available for position in positions), default=0)
        raise InsufficientStockError(
            f"no warehouse has {quantity} unit(s) available (best: {best})",
            available=best,
            requested=quantity,
        )
    return min(candidates, key=lambda position: (-position.available, position.warehouse_code))


def check_release(status: ReservationStatus) -> None:
    """Only an ACTIVE reservation can be released."""
    if status is not ReservationStatus.ACTIVE:
        raise IllegalStateTransitionError(
            "reservation", status.value, ReservationStatus.RELEASED.value
        )


@dataclass(frozen=True, slots=True)
class LineAvailabilityValue:
    """Whether an order line can be served from stock."""

    requested: int
    available: int
    reserved_for_line: int

    @property
    def fulfillable(self) -> bool:
        """Reserved for the line plus still available covers the request."""
        return self.reserved_for_line + self.available >= self.requested


def line_availability(
    requested: int, positions: Sequence[StockPosition], reserved_for_line: int
) -> LineAvailabilityValue:
    """Availability of ``requested`` units given the sku's stock and the line's reservations."""
    available = sum(position.available for position in positions)
    return LineAvailabilityValue(requested, available, reserved_for_line)
