"""An order from CSV (lines grouped by ``order_ref`` at upload, :mod:`gateway.jobs.orders_csv`)
to a ``CreateOrderInput``, checked strictly before anything is sent.

Every problem fails the order's row with ``BAD_ROW``, a message naming the order reference and
the file's line, and the column as ``field``:

- a required column left empty on every line of the order (``customer_id is missing``);
- order-level columns that disagree between the order's lines (``channel``, ``currency`` and
  ``ship_country`` compared in capitals);
- ``channel`` not one of ``WEB``, ``MOBILE``, ``MARKETPLACE``, ``B2B`` (any letter case);
- ``customer_id`` not a UUID, ``currency`` not three letters, ``ship_country`` not two;
- ``quantity`` not a whole number of at least 1 written in digits only (``2``; not ``2.0``,
  ``1e3``, ``+2``, ``-1``, ``0`` or ``1,000``).

>>> csv_order_input({"orderRef": "PO-1", "csvLines": [{"line": 2, "customer_id":
...     "6f1c0b1e-0000-4000-8000-000000000001", "channel": "b2b", "ship_line1": "1 Main St",
...     "ship_city": "Springfield", "ship_postal_code": "12345", "ship_country": "us",
...     "sku": "SKU-1", "quantity": "2"}]})["lines"]
[{'sku': 'SKU-1', 'quantity': 2}]
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from worker.rows import RowDataError

__all__ = ["CHANNELS", "csv_order_input", "is_csv_order"]

#: the sales channels ``createOrder`` takes
CHANNELS = frozenset({"WEB", "MOBILE", "MARKETPLACE", "B2B"})
_ORDER_COLUMNS = (
    "customer_id",
    "channel",
    "currency",
    "ship_line1",
    "ship_line2",
    "ship_city",
    "ship_region",
    "ship_postal_code",
    "ship_country",
)
#: compared and sent in capitals, whatever the file's letter case
_CAPITALS = frozenset({"channel", "currency", "ship_country"})
_REQUIRED = (
    "customer_id",
    "channel",
    "ship_line1",
    "ship_city",
    "ship_postal_code",
    "ship_country",
)
_DIGITS = re.compile(r"[0-9]+")
_LETTERS = {2: re.compile(r"[A-Za-z]{2}"), 3: re.compile(r"[A-Za-z]{3}")}


def is_csv_order(row: Any) -> bool:
    """Whether ``row`` is an order read from CSV (rather than a ``CreateOrderInput``)."""
    return isinstance(row, dict) and "csvLines" in row


def _lines(row: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    reference = row.get("orderRef")
    lines = row.get("csvLines")
    if not isinstance(lines, list) or not lines or not all(isinstance(x, dict) for x in lines):
        raise RowDataError("an order from CSV needs at least one line")
    if not isinstance(reference, str) or not reference:
        raise RowDataError(f"line {lines[0].get('line')}: order_ref is missing", field="order_ref")
    return reference, lines


def _order_values(reference: str, lines: list[dict[str, Any]]) -> dict[str, str]:
    """The order-level columns: the first value given, which the other lines must repeat."""
    values: dict[str, str] = {}
    first_seen: dict[str, Any] = {}
    for line in lines:
        for column in _ORDER_COLUMNS:
            value = str(line.get(column) or "").strip()
            if not value:
                continue
            if column in _CAPITALS:
                value = value.upper()
            if column not in values:
                values[column], first_seen[column] = value, line.get("line")
            elif value != values[column]:
                raise RowDataError(
                    f"order {reference}, line {line.get('line')}: {column} {value!r} differs "
                    f"from {values[column]!r} on line {first_seen[column]}",
                    field=column,
                )
    for column in _REQUIRED:
        if column not in values:
            raise RowDataError(f"order {reference}: {column} is missing", field=column)
    return values


def _checked(reference: str, values: dict[str, str]) -> dict[str, str]:
    def fail(column: str, expected: str) -> RowDataError:
        return RowDataError(
            f"order {reference}: {column} must be {expected}, not {values[column]!r}",
            field=column,
        )

    try:
        uuid.UUID(values["customer_id"])
    except ValueError as error:
        raise fail("customer_id", "a UUID") from error
    if values["channel"] not in CHANNELS:
        raise fail("channel", "one of " + ", ".join(sorted(CHANNELS)))
    if not _LETTERS[2].fullmatch(values["ship_country"]):
        raise fail("ship_country", "a two-letter country code")
    currency = values.get("currency")
    if currency is not None and not _LETTERS[3].fullmatch(currency):
        raise fail("currency", "a three-letter currency code")
    return values


def _line_input(reference: str, line: dict[str, Any]) -> dict[str, Any]:
    where = f"order {reference}, line {line.get('line')}"
    sku = str(line.get("sku") or "").strip()
    if not sku:
        raise RowDataError(f"{where}: sku is missing", field="sku")
    text = str(line.get("quantity") or "").strip()
    if not text:
        raise RowDataError(f"{where}: quantity is missing", field="quantity")
    if not _DIGITS.fullmatch(text) or int(text) < 1:
        raise RowDataError(
            f"{where}: quantity must be a whole number of at least 1, not {text!r}",
            field="quantity",
        )
    return {"sku": sku, "quantity": int(text)}


def csv_order_input(row: dict[str, Any]) -> dict[str, Any]:
    """The ``CreateOrderInput`` of an order read from CSV (raises :class:`RowDataError`)."""
    reference, lines = _lines(row)
    values = _checked(reference, _order_values(reference, lines))
    address = {
        "line1": values["ship_line1"],
        "city": values["ship_city"],
        "postalCode": values["ship_postal_code"],
        "country": values["ship_country"],
    }
    for column, name in (("ship_line2", "line2"), ("ship_region", "region")):
        if column in values:
            address[name] = values[column]
    order: dict[str, Any] = {
        "customerId": values["customer_id"],
        "channel": values["channel"],
        "lines": [_line_input(reference, line) for line in lines],
        "shippingAddress": address,
    }
    if "currency" in values:
        order["currency"] = values["currency"]
    return order
