"""Orders from CSV: the upload grouped into one job row per order (gateway), each order mapped
to a ``CreateOrderInput`` and checked strictly (worker)."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.jobs import ImportFileError, parse_upload
from wire.jobs.model import JobKind
from worker.order_rows import csv_order_input
from worker.rows import RowDataError

HEADER = (
    "order_ref,customer_id,channel,ship_line1,ship_city,ship_postal_code,ship_country,sku,quantity"
)
CUSTOMER = "6f1c0b1e-0000-4000-8000-000000000001"
OTHER = "6f1c0b1e-0000-4000-8000-000000000002"


def _orders(text: str) -> list[Any]:
    return parse_upload(JobKind.ORDERS, "text/csv", text.encode("utf-8"), 100)


def _line(number: int, **values: str) -> dict[str, Any]:
    base = {
        "customer_id": CUSTOMER,
        "channel": "B2B",
        "ship_line1": "1 Main St",
        "ship_city": "Springfield",
        "ship_postal_code": "12345",
        "ship_country": "US",
        "sku": "SKU-1",
        "quantity": "1",
    }
    return {"line": number, **base, **values}


def test_records_are_grouped_by_reference_in_order_of_first_appearance() -> None:
    text = (
        "\ufeff"
        + HEADER.upper().replace(",", " , ")
        + "\n"
        + f'B-2,{CUSTOMER},WEB,"1 Main St, Apt 2",Springfield,12345,US,SKU-1,1\n'
        + "\n"
        + f"A-1,{CUSTOMER},B2B,1 Main St,Springfield,12345,US,SKU-2,2\n"
        + ",,,,,,,SKU-9,1\n"
        + "B-2,,,,,,,SKU-3,4\n"
    )
    orders = _orders(text)
    assert [order["orderRef"] for order in orders] == ["B-2", "A-1", ""]
    assert [line["line"] for line in orders[0]["csvLines"]] == [2, 6]
    assert orders[0]["csvLines"][0]["ship_line1"] == "1 Main St, Apt 2"
    assert orders[0]["csvLines"][1]["quantity"] == "4"
    assert [line["line"] for line in orders[2]["csvLines"]] == [5]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("order_ref,sku,quantity", "missing columns: channel, customer_id"),
        (HEADER + ",unit_price", "unknown columns: unit_price"),
        (HEADER + ",sku", "columns named twice: sku"),
        ("", "no header line"),
    ],
)
def test_a_header_without_the_format_is_refused(header: str, expected: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        _orders(header + "\nx\n" if header else "")
    assert (caught.value.status, caught.value.code) == (400, "INVALID_IMPORT_FILE")
    assert expected in caught.value.message


def test_a_record_with_another_number_of_fields_is_refused() -> None:
    with pytest.raises(ImportFileError) as caught:
        _orders(HEADER + "\nA,1,2\n")
    assert "Line 2 has 3 fields; the header has 9" in caught.value.message


def test_an_order_maps_to_create_order_input() -> None:
    row = {
        "orderRef": "A-1",
        "csvLines": [
            _line(2, channel="web", ship_country="gb", currency="eur", ship_region="Kent"),
            _line(3, customer_id="", channel="WEB", ship_country="GB", sku="SKU-2", quantity="12"),
        ],
    }
    assert csv_order_input(row) == {
        "customerId": CUSTOMER,
        "channel": "WEB",
        "currency": "EUR",
        "lines": [{"sku": "SKU-1", "quantity": 1}, {"sku": "SKU-2", "quantity": 12}],
        "shippingAddress": {
            "line1": "1 Main St",
            "city": "Springfield",
            "postalCode": "12345",
            "country": "GB",
            "region": "Kent",
        },
    }


@pytest.mark.parametrize("quantity", ["2.0", "1e3", "+2", "-1", "0", "1,000", "two", "٣"])
def test_quantities_are_digits_only_and_positive(quantity: str) -> None:
    with pytest.raises(RowDataError) as caught:
        csv_order_input({"orderRef": "A-1", "csvLines": [_line(7, quantity=quantity)]})
    assert caught.value.field == "quantity"
    assert caught.value.message == (
        f"order A-1, line 7: quantity must be a whole number of at least 1, not {quantity!r}"
    )


@pytest.mark.parametrize(
    ("lines", "field", "message"),
    [
        ([_line(2, customer_id="")], "customer_id", "order A-1: customer_id is missing"),
        ([_line(2, customer_id="C-42")], "customer_id", "customer_id must be a UUID"),
        ([_line(2, channel="PHONE")], "channel", "channel must be one of B2B, MARKETPLACE"),
        ([_line(2, ship_country="USA")], "ship_country", "a two-letter country code"),
        ([_line(2, currency="US$")], "currency", "a three-letter currency code"),
        ([_line(2, sku="")], "sku", "order A-1, line 2: sku is missing"),
        ([_line(2, quantity="")], "quantity", "order A-1, line 2: quantity is missing"),
        (
            [_line(2), _line(3, customer_id=OTHER)],
            "customer_id",
            f"order A-1, line 3: customer_id '{OTHER}' differs from '{CUSTOMER}' on line 2",
        ),
    ],
)
def test_bad_orders_fail_with_the_line_and_column(
    lines: list[dict[str, Any]], field: str, message: str
) -> None:
    with pytest.raises(RowDataError) as caught:
        csv_order_input({"orderRef": "A-1", "csvLines": lines})
    assert caught.value.field == field
    assert message in caught.value.message


def test_a_record_without_reference_fails_alone() -> None:
    with pytest.raises(RowDataError) as caught:
        csv_order_input({"orderRef": "", "csvLines": [_line(5)]})
    assert (caught.value.field, caught.value.message) == (
        "order_ref",
        "line 5: order_ref is missing",
    )
