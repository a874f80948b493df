"""Inventory rules: stock never negative, reservations within availability, warehouse choice."""

from __future__ import annotations

import pytest

from subgraphs.common.errors import (
    BadUserInputError,
    IllegalStateTransitionError,
    InsufficientStockError,
)
from subgraphs.inventory.domain import (
    ReservationStatus,
    StockPosition,
    adjust_stock,
    check_release,
    choose_warehouse,
    line_availability,
    reserve_stock,
)


def test_adjust_within_bounds() -> None:
    assert adjust_stock(StockPosition("A", 5, 2), 3) == StockPosition("A", 8, 2)
    assert adjust_stock(StockPosition("A", 5, 2), -3) == StockPosition("A", 2, 2)


@pytest.mark.parametrize("delta", [-4, -6])
def test_adjust_cannot_go_below_reserved_or_zero(delta: int) -> None:
    with pytest.raises(InsufficientStockError):
        adjust_stock(StockPosition("A", 5, 2), delta)


@pytest.mark.parametrize("delta", [0, 1_000_001, -1_000_001])
def test_adjust_rejects_zero_and_huge(delta: int) -> None:
    with pytest.raises(BadUserInputError):
        adjust_stock(StockPosition("A", 5_000_000, 0), delta)


def test_reserve() -> None:
    assert reserve_stock(StockPosition("A", 5, 2), 3) == StockPosition("A", 5, 5)
    with pytest.raises(InsufficientStockError) as raised:
        reserve_stock(StockPosition("A", 5, 2), 4)
    assert raised.value.details["available"] == 3
    for quantity in (0, -1, 10_001):
        with pytest.raises(BadUserInputError):
            reserve_stock(StockPosition("A", 50_000, 0), quantity)


def test_choose_warehouse_prefers_most_available_then_code() -> None:
    positions = [StockPosition("B", 10, 0), StockPosition("A", 10, 0), StockPosition("C", 12, 5)]
    assert choose_warehouse(positions, 5).warehouse_code == "A"
    assert choose_warehouse(positions, 10).warehouse_code == "A"
    with pytest.raises(InsufficientStockError):
        choose_warehouse(positions, 11)
    with pytest.raises(InsufficientStockError):
        choose_warehouse([], 1)


@pytest.mark.parametrize("status", list(ReservationStatus))
def test_only_active_reservations_release(status: ReservationStatus) -> None:
    if status is ReservationStatus.ACTIVE:
        check_release(status)
    else:
        with pytest.raises(IllegalStateTransitionError):
            check_release(status)


def test_line_availability() -> None:
    positions = [StockPosition("A", 5, 5), StockPosition("B", 3, 1)]
    value = line_availability(4, positions, reserved_for_line=2)
    assert (value.available, value.reserved_for_line, value.fulfillable) == (2, 2, True)
    assert not line_availability(5, positions, 2).fulfillable
