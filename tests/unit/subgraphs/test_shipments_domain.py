"""Shipment rules: status machine, events in order, items, tracking number shapes."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from subgraphs.common.errors import BadUserInputError, IllegalStateTransitionError
from subgraphs.shipments.domain import (
    Carrier,
    ItemRequest,
    ShipmentStatus,
    check_event,
    check_transition,
    tracking_number,
    validate_items,
)

S = ShipmentStatus
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize("final", [S.DELIVERED, S.RETURNED])
@pytest.mark.parametrize("target", list(S))
def test_final_statuses_accept_nothing(final: ShipmentStatus, target: ShipmentStatus) -> None:
    with pytest.raises(IllegalStateTransitionError):
        check_transition(final, target)


def test_happy_path_and_shortcuts() -> None:
    path = [S.LABEL_CREATED, S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.DELIVERED]
    for current, target in itertools.pairwise(path):
        check_transition(current, target)
    check_transition(S.IN_TRANSIT, S.EXCEPTION)
    check_transition(S.EXCEPTION, S.RETURNED)
    with pytest.raises(IllegalStateTransitionError):
        check_transition(S.LABEL_CREATED, S.DELIVERED)


def test_event_time_rules() -> None:
    check_event(S.LABEL_CREATED, S.IN_TRANSIT, NOW, NOW, NOW)
    with pytest.raises(BadUserInputError):
        check_event(S.LABEL_CREATED, S.IN_TRANSIT, NOW - timedelta(seconds=1), NOW, NOW)
    with pytest.raises(BadUserInputError):
        check_event(S.LABEL_CREATED, S.IN_TRANSIT, NOW + timedelta(minutes=6), NOW, NOW)


def test_items() -> None:
    line = uuid.uuid4()
    validate_items([ItemRequest(line, "A", 1), ItemRequest(uuid.uuid4(), "B", 3)])
    for items in (
        [],
        [ItemRequest(line, "A", 0)],
        [ItemRequest(line, " ", 1)],
        [ItemRequest(line, "A", 1), ItemRequest(line, "B", 1)],
    ):
        with pytest.raises(BadUserInputError):
            validate_items(items)


def test_tracking_numbers_are_deterministic_and_carrier_shaped() -> None:
    shipment_id = uuid.UUID("5f0c8f02-8a3b-4c0e-9f67-2b0f3f1d9a11")
    ups = tracking_number(Carrier.UPS, shipment_id)
    assert ups == tracking_number(Carrier.UPS, shipment_id)
    assert ups.startswith("1Z") and len(ups) == 18
    assert tracking_number(Carrier.DHL, shipment_id).isdigit()
    assert len(tracking_number(Carrier.DHL, shipment_id)) == 10
    assert len(tracking_number(Carrier.FEDEX, shipment_id)) == 12
    assert tracking_number(Carrier.USPS, shipment_id).startswith("9400")
