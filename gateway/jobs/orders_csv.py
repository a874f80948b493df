"""Orders from CSV: one record per order line, grouped into orders by ``order_ref``.

The row format (docs/idempotency-and-jobs.md, "Orders from CSV"): a header line naming the
columns, in any order, then one record per order line. Records with the same ``order_ref`` make
one order, in the order of their first appearance (they need not be adjacent); the order-level
columns may be left empty on an order's later lines, and where they are given they must agree.

=================== ========== ==========================================================
column              required   meaning
=================== ========== ==========================================================
``order_ref``       yes        the partner's order reference (groups lines into an order)
``customer_id``     yes        the customer's id (a UUID)
``channel``         yes        ``WEB``, ``MOBILE``, ``MARKETPLACE`` or ``B2B``
``currency``        no         ISO 4217 code (default: the catalog's currency)
``ship_line1``      yes        shipping address
``ship_line2``      no
``ship_city``       yes
``ship_region``     no
``ship_postal_code`` yes
``ship_country``    yes        ISO 3166-1 alpha-2
``sku``             yes        per line: the product
``quantity``        yes        per line: a whole number of at least 1, digits only
=================== ========== ==========================================================

Prices are not imported: an order is priced from the catalog, as ``createOrder`` does. A header
missing a required column, naming an unknown one or one twice makes the file unreadable (400);
a record's bad content fails its order's row in the job (checked by the worker,
:mod:`worker.order_rows`). Each job row is one order:
``{"orderRef": ..., "csvLines": [{"line": <line number in the file>, <column>: <value>...}]}``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

__all__ = [
    "LINE_COLUMNS",
    "OPTIONAL_COLUMNS",
    "ORDER_COLUMNS",
    "REQUIRED_COLUMNS",
    "OrdersCsvError",
    "order_rows_from_csv",
]

#: the columns of the order itself (the same on each of its lines)
ORDER_COLUMNS = (
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
#: the columns of one order line
LINE_COLUMNS = ("sku", "quantity")
OPTIONAL_COLUMNS = frozenset({"currency", "ship_line2", "ship_region"})
REQUIRED_COLUMNS = frozenset({"order_ref", *ORDER_COLUMNS, *LINE_COLUMNS}) - OPTIONAL_COLUMNS


class OrdersCsvError(ValueError):
    """The file cannot be read as orders CSV at all (its header, its encoding or its quoting)."""


def _header(fieldnames: list[str] | None) -> list[str]:
    if not fieldnames:
        raise OrdersCsvError("The CSV file has no header line")
    header = [name.strip().lower() for name in fieldnames]
    known = REQUIRED_COLUMNS | OPTIONAL_COLUMNS
    problems = []
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        problems.append(f"columns named twice: {', '.join(twice)}")
    missing = sorted(REQUIRED_COLUMNS - set(header))
    if missing:
        problems.append(f"missing columns: {', '.join(missing)}")
    unknown = sorted(set(header) - known)
    if unknown:
        problems.append(f"unknown columns: {', '.join(unknown)}")
    if problems:
        raise OrdersCsvError(
            "Orders CSV needs the columns "
            + ", ".join(sorted(REQUIRED_COLUMNS))
            + " (optional: "
            + ", ".join(sorted(OPTIONAL_COLUMNS))
            + "); "
            + "; ".join(problems)
        )
    return header


def order_rows_from_csv(body: bytes) -> list[dict[str, Any]]:
    """One job row per order of the CSV ``body`` (raises :class:`OrdersCsvError`)."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise OrdersCsvError("CSV files must be UTF-8") from error
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = _header(next(reader, None))
        orders: dict[str, dict[str, Any]] = {}
        line = reader.line_num + 1
        for record in reader:
            first_line, line = line, reader.line_num + 1
            if all(not value.strip() for value in record):
                continue
            if len(record) != len(header):
                raise OrdersCsvError(
                    f"Line {first_line} has {len(record)} fields; the header has {len(header)}"
                )
            values = {name: value.strip() for name, value in zip(header, record, strict=True)}
            reference = values.pop("order_ref")
            # a record without a reference is an order of its own (its row fails in the job)
            key = reference or f"\x00{first_line}"
            order = orders.setdefault(key, {"orderRef": reference, "csvLines": []})
            order["csvLines"].append({"line": first_line, **values})
    except csv.Error as error:
        raise OrdersCsvError(f"Invalid CSV: {error}") from error
    return list(orders.values())
