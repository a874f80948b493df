"""The order rules: status machine, line validation, pricing, fulfilment."""

from __future__ import annotations

import uuid

import pytest

from subgraphs.common.errors import (
    BadUserInputError,
    IllegalStateTransitionError,
    OrderNotEditableError,
)
from subgraphs.orders.domain import (
    FulfillmentRequest,
    LineRequest,
    OrderStatus,
    apply_fulfillment,
    check_editable,
    check_transition,
    price_order,
    validate_line_requests,
)

S = OrderStatus
ALLOWED = {
    (S.PENDING, S.CONFIRMED),
    (S.PENDING, S.CANCELLED),
    (S.CONFIRMED, S.PARTIALLY_FULFILLED),
    (S.CONFIRMED, S.FULFILLED),
    (S.CONFIRMED, S.CANCELLED),
    (S.PARTIALLY_FULFILLED, S.PARTIALLY_FULFILLED),
    (S.PARTIALLY_FULFILLED, S.FULFILLED),
}


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_status_machine(current: OrderStatus, target: OrderStatus) -> None:
    if (current, target) in ALLOWED:
        check_transition(current, target)
    else:
        with pytest.raises(IllegalStateTransitionError) as raised:
            check_transition(current, target)
        assert raised.value.code == "ILLEGAL_STATE_TRANSITION"
        assert raised.value.details == {
            "entity": "order",
            "currentStatus": current.value,
            "targetStatus": target.value,
        }


def test_cancel_only_before_fulfilment() -> None:
    cancellable = {current for current, target in ALLOWED if target is S.CANCELLED}
    assert cancellable == {S.PENDING, S.CONFIRMED}


@pytest.mark.parametrize("status", list(S))
def test_editable_only_while_pending_or_confirmed(status: OrderStatus) -> None:
    if status in (S.PENDING, S.CONFIRMED):
        check_editable("o1", status)
    else:
        with pytest.raises(OrderNotEditableError):
            check_editable("o1", status)


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([], "lines"),
        ([LineRequest("A", 0)], "lines[0].quantity"),
        ([LineRequest("A", -1)], "lines[0].quantity"),
        ([LineRequest("A", 10_001)], "lines[0].quantity"),
        ([LineRequest(" ", 1)], "lines[0].sku"),
        ([LineRequest("A", 1), LineRequest("A", 2)], "lines[1].sku"),
        ([LineRequest(f"S{i}", 1) for i in range(101)], "lines"),
    ],
)
def test_invalid_lines(lines: list[LineRequest], field: str) -> None:
    with pytest.raises(BadUserInputError) as raised:
        validate_line_requests(lines)
    assert raised.value.details["field"] == field


def test_valid_lines() -> None:
    validate_line_requests([LineRequest("A", 1), LineRequest("B", 10_000)])


def test_pricing_shipping_threshold_and_tax_rounding() -> None:
    below = price_order([4_999, 5_000], "US")
    assert (below.subtotal, below.shipping, below.tax) == (9_999, 799, 800)
    assert below.total == 9_999 + 799 + 800
    at = price_order([10_000], "DE")
    assert (at.shipping, at.tax) == (0, 1_900)
    half = price_order([6_250], "US")  # 500.0 exactly
    assert half.tax == 500
    rounding = price_order([1_006], "US")  # 80.48 -> 80
    assert rounding.tax == 80
    assert price_order([1_000], "ZZ").tax == 0


def _lines() -> tuple[uuid.UUID, uuid.UUID, dict[uuid.UUID, tuple[int, int]]]:
    a, b = uuid.uuid4(), uuid.uuid4()
    return a, b, {a: (2, 0), b: (1, 0)}


def test_partial_then_full_fulfilment() -> None:
    a, b, lines = _lines()
    fulfilled, status = apply_fulfillment(S.CONFIRMED, lines, [FulfillmentRequest(a, 1)])
    assert status is S.PARTIALLY_FULFILLED
    assert fulfilled == {a: 1, b: 0}
    lines = {a: (2, 1), b: (1, 0)}
    fulfilled, status = apply_fulfillment(
        S.PARTIALLY_FULFILLED, lines, [FulfillmentRequest(a, 1), FulfillmentRequest(b, 1)]
    )
    assert status is S.FULFILLED
    assert fulfilled == {a: 2, b: 1}


@pytest.mark.parametrize("status", [S.PENDING, S.FULFILLED, S.CANCELLED])
def test_fulfilment_needs_a_confirmed_order(status: OrderStatus) -> None:
    a, _, lines = _lines()
    with pytest.raises(IllegalStateTransitionError):
        apply_fulfillment(status, lines, [FulfillmentRequest(a, 1)])


def test_fulfilment_input_errors() -> None:
    a, _, lines = _lines()
    for requests in (
        [],
        [FulfillmentRequest(uuid.uuid4(), 1)],
        [FulfillmentRequest(a, 0)],
        [FulfillmentRequest(a, 3)],
        [FulfillmentRequest(a, 2), FulfillmentRequest(a, 1)],
    ):
        with pytest.raises(BadUserInputError):
            apply_fulfillment(S.CONFIRMED, lines, requests)
