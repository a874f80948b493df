"""Reading an uploaded import file into rows (the worker checks each row's content).

Orders: JSON (an array of ``CreateOrderInput`` objects, or ``{"orders": [...]}``), NDJSON, or
CSV with one record per order line grouped by ``order_ref`` (:mod:`gateway.jobs.orders_csv`:
one job row per order). Customers and products (legacy ERP exports): CSV with a header line,
JSON or NDJSON. A file that cannot be read at all is refused (HTTP 400/413/415); a row with bad
content becomes that row's error in the job.

>>> parse_upload(JobKind.CUSTOMERS, "text/csv", b"legacy_erp_id,email,name\\nE-1,a@b.co,Ann\\n", 10)
[{'legacy_erp_id': 'E-1', 'email': 'a@b.co', 'name': 'Ann'}]
"""

from __future__ import annotations

import csv
import io
from typing import Any

import orjson

from gateway.jobs.orders_csv import OrdersCsvError, order_rows_from_csv
from wire.jobs.model import JobKind

__all__ = ["IMPORT_MEDIA_TYPES", "ImportFileError", "parse_upload"]

JSON = "application/json"
NDJSON = ("application/x-ndjson", "application/ndjson", "application/jsonl")
CSV = "text/csv"
#: what each kind accepts
IMPORT_MEDIA_TYPES: dict[JobKind, tuple[str, ...]] = {
    JobKind.ORDERS: (CSV, JSON, *NDJSON),
    JobKind.CUSTOMERS: (CSV, JSON, *NDJSON),
    JobKind.PRODUCTS: (CSV, JSON, *NDJSON),
}


class ImportFileError(Exception):
    """An upload that cannot become a job; ``code`` and ``status`` go into the problem."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _json_rows(kind: JobKind, body: bytes) -> list[Any]:
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise ImportFileError(400, "INVALID_IMPORT_FILE", f"Invalid JSON: {error}") from error
    if isinstance(document, dict):
        for name in (kind.value, "rows"):
            if isinstance(document.get(name), list):
                return list(document[name])
        raise ImportFileError(
            400,
            "INVALID_IMPORT_FILE",
            f'Expected a JSON array, or an object with a "{kind.value}" or "rows" array',
        )
    if not isinstance(document, list):
        raise ImportFileError(400, "INVALID_IMPORT_FILE", "Expected a JSON array of rows")
    return document


def _ndjson_rows(body: bytes) -> list[Any]:
    rows = []
    for number, line in enumerate(body.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(orjson.loads(line))
        except orjson.JSONDecodeError as error:
            raise ImportFileError(
                400, "INVALID_IMPORT_FILE", f"Invalid JSON on line {number}: {error}"
            ) from error
    return rows


def _csv_rows(body: bytes) -> list[Any]:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(400, "INVALID_IMPORT_FILE", "CSV files must be UTF-8") from error
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        raise ImportFileError(400, "INVALID_IMPORT_FILE", "The CSV file has no header line")
    header = [name.strip() for name in reader.fieldnames]
    rows = []
    try:
        for record in reader:
            values = [record.get(name) for name in reader.fieldnames]
            if all(value in (None, "") for value in values):
                continue
            rows.append(
                {name: (value or "").strip() for name, value in zip(header, values, strict=True)}
            )
    except csv.Error as error:
        raise ImportFileError(400, "INVALID_IMPORT_FILE", f"Invalid CSV: {error}") from error
    return rows


def parse_upload(kind: JobKind, media_type: str, body: bytes, max_rows: int) -> list[Any]:
    """The rows of an uploaded file (raises :class:`ImportFileError`)."""
    media_type = media_type.split(";")[0].strip().lower()
    accepted = IMPORT_MEDIA_TYPES[kind]
    if media_type not in accepted:
        raise ImportFileError(
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            f"Imports of {kind.value} take {', '.join(accepted)}, not {media_type or 'nothing'}",
        )
    if media_type == JSON:
        rows = _json_rows(kind, body)
    elif media_type == CSV and kind is JobKind.ORDERS:
        try:
            rows = list(order_rows_from_csv(body))
        except OrdersCsvError as error:
            raise ImportFileError(400, "INVALID_IMPORT_FILE", str(error)) from error
    elif media_type == CSV:
        rows = _csv_rows(body)
    else:
        rows = _ndjson_rows(body)
    if not rows:
        raise ImportFileError(400, "EMPTY_IMPORT", "The file holds no rows")
    if len(rows) > max_rows:
        raise ImportFileError(
            413, "TOO_MANY_ROWS", f"The file holds {len(rows)} rows; at most {max_rows} allowed"
        )
    return rows
