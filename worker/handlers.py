"""What a worker does with the rows of each kind of job.

Every row carries the idempotency key ``<job id>:<row number>``: orders as the
``Idempotency-Key`` header of its own ``createOrder``; customers and products as the ``rowKey``
of the bulk import mutations. A row sent again (retry, a worker that died mid-chunk, a dead
letter replayed) therefore never acts twice in a subgraph.

- orders -> the orders subgraph's ``createOrder``, one call per row (``concurrency`` at once); a
  row from CSV (an order's lines) is mapped and checked first (:mod:`worker.order_rows`);
- customers -> the orders subgraph's ``importCustomers`` (by legacy ERP id), one call per chunk;
- products -> the inventory subgraph's ``importProducts``, then the orders subgraph's
  ``importCatalogItems`` (its catalog replica) for the rows inventory accepted; no subgraph
  reads another's database.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from wire.jobs.model import Job, JobKind, RowError
from worker.order_rows import csv_order_input, is_csv_order
from worker.rows import RowDataError, catalog_input, customer_input, order_input, product_input
from worker.subgraph_client import SubgraphCaller, TransientSubgraphError

__all__ = ["ImportHandler", "RowResult", "RowStatus", "handlers_for", "row_key"]

CREATE_ORDER = """
mutation ImportOrder($input: CreateOrderInput!) { createOrder(input: $input) { id number } }
"""
IMPORT_CUSTOMERS = """
mutation ImportCustomers($rows: [CustomerImportRow!]!) {
  importCustomers(rows: $rows) { rowKey outcome id errorCode errorMessage errorField }
}"""
IMPORT_PRODUCTS = """
mutation ImportProducts($rows: [ProductImportRow!]!) {
  importProducts(rows: $rows) { rowKey outcome id errorCode errorMessage errorField }
}"""
IMPORT_CATALOG = """
mutation ImportCatalogItems($rows: [CatalogItemImportRow!]!) {
  importCatalogItems(rows: $rows) { rowKey outcome id errorCode errorMessage errorField }
}"""


class RowStatus(StrEnum):
    """How one attempt at a row went."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"
    TRANSIENT = "transient"


@dataclass(frozen=True, slots=True)
class RowResult:
    """One attempt's result (``error`` unless it succeeded)."""

    status: RowStatus
    error: RowError | None = None


OK = RowResult(RowStatus.SUCCEEDED)


def row_key(job_id: str, row: int) -> str:
    """The idempotency key of a row."""
    return f"{job_id}:{row}"


def _failed(row: int, code: str, message: str, field: str | None = None) -> RowResult:
    return RowResult(RowStatus.FAILED, RowError(row, code, message, field))


def _transient(row: int, failure: TransientSubgraphError) -> RowResult:
    return RowResult(RowStatus.TRANSIENT, RowError(row, failure.code, failure.message))


def _first_error(row: int, body: Mapping[str, Any]) -> RowResult:
    error = (body.get("errors") or [{}])[0]
    extensions = error.get("extensions") or {}
    field = extensions.get("field")
    return _failed(
        row,
        str(extensions.get("code") or "DOWNSTREAM_SERVICE_ERROR"),
        str(error.get("message") or "the subgraph refused the row"),
        str(field) if field is not None else None,
    )


class ImportHandler(Protocol):
    """Runs one attempt at some rows of a job."""

    async def run(self, job: Job, rows: Mapping[int, Any]) -> dict[int, RowResult]:
        """One result per row (calls are made on behalf of ``job.principal``)."""
        ...


class OrdersHandler:
    """``createOrder`` per row, keyed ``<job>:<row>``."""

    def __init__(self, caller: SubgraphCaller, concurrency: int) -> None:
        self._caller = caller
        self._concurrency = concurrency

    async def _one(self, job: Job, row: int, data: Any, gate: asyncio.Semaphore) -> RowResult:
        try:
            order = csv_order_input(data) if is_csv_order(data) else order_input(data)
            variables = {"input": order}
        except RowDataError as error:
            return _failed(row, error.code, error.message, error.field)
        key = row_key(job.id, row)
        headers = {"idempotency-key": key, "x-request-id": f"job:{key}"}
        async with gate:
            try:
                body = await self._caller.call(
                    "orders", CREATE_ORDER, variables, headers, principal=job.principal
                )
            except TransientSubgraphError as failure:
                return _transient(row, failure)
        if body.get("errors") or not (body.get("data") or {}).get("createOrder"):
            return _first_error(row, body)
        return OK

    async def run(self, job: Job, rows: Mapping[int, Any]) -> dict[int, RowResult]:
        """Every row, ``concurrency`` at a time."""
        gate = asyncio.Semaphore(self._concurrency)
        numbers = list(rows)
        results = await asyncio.gather(*(self._one(job, row, rows[row], gate) for row in numbers))
        return dict(zip(numbers, results, strict=True))


async def _bulk(
    caller: SubgraphCaller,
    subgraph: str,
    query: str,
    inputs: Mapping[int, dict[str, Any]],
    job: Job,
) -> dict[int, RowResult]:
    """One bulk import call for ``inputs`` (row -> input); a result per row."""
    if not inputs:
        return {}
    headers = {"x-request-id": f"job:{job.id}:{min(inputs)}-{max(inputs)}"}
    variables = {"rows": list(inputs.values())}
    try:
        body = await caller.call(subgraph, query, variables, headers, principal=job.principal)
    except TransientSubgraphError as failure:
        return {row: _transient(row, failure) for row in inputs}
    data = body.get("data") or {}
    entries = next(iter(data.values()), None) if data else None
    if body.get("errors") or not isinstance(entries, list):
        return {row: _first_error(row, body) for row in inputs}
    by_key = {entry["rowKey"]: entry for entry in entries}
    results: dict[int, RowResult] = {}
    for row, given in inputs.items():
        entry = by_key.get(given["rowKey"])
        if entry is None:
            results[row] = _failed(row, "DOWNSTREAM_SERVICE_ERROR", "no result for the row")
        elif entry["outcome"] == "FAILED":
            results[row] = _failed(
                row,
                str(entry.get("errorCode") or "BAD_USER_INPUT"),
                str(entry.get("errorMessage") or "refused"),
                entry.get("errorField"),
            )
        else:
            results[row] = OK
    return results


def _mapped(
    job_id: str, rows: Mapping[int, Any], mapper: Any
) -> tuple[dict[int, dict[str, Any]], dict[int, RowResult]]:
    inputs: dict[int, dict[str, Any]] = {}
    refused: dict[int, RowResult] = {}
    for row, data in rows.items():
        try:
            inputs[row] = mapper(data, row_key(job_id, row))
        except RowDataError as error:
            refused[row] = _failed(row, error.code, error.message, error.field)
    return inputs, refused


class CustomersHandler:
    """``importCustomers`` for a chunk."""

    def __init__(self, caller: SubgraphCaller) -> None:
        self._caller = caller

    async def run(self, job: Job, rows: Mapping[int, Any]) -> dict[int, RowResult]:
        """One call for the mappable rows."""
        inputs, results = _mapped(job.id, rows, customer_input)
        results.update(await _bulk(self._caller, "orders", IMPORT_CUSTOMERS, inputs, job))
        return results


class ProductsHandler:
    """``importProducts`` (inventory), then ``importCatalogItems`` (orders) for a chunk."""

    def __init__(self, caller: SubgraphCaller) -> None:
        self._caller = caller

    async def run(self, job: Job, rows: Mapping[int, Any]) -> dict[int, RowResult]:
        """Inventory first; the catalog replica for what inventory accepted."""
        inputs, results = _mapped(job.id, rows, product_input)
        inventory = await _bulk(self._caller, "inventory", IMPORT_PRODUCTS, inputs, job)
        results.update(inventory)
        accepted = {
            row: catalog_input(inputs[row])
            for row, result in inventory.items()
            if result.status is RowStatus.SUCCEEDED
        }
        results.update(await _bulk(self._caller, "orders", IMPORT_CATALOG, accepted, job))
        return results


def handlers_for(caller: SubgraphCaller, concurrency: int) -> dict[JobKind, ImportHandler]:
    """The handler of every job kind."""
    return {
        JobKind.ORDERS: OrdersHandler(caller, concurrency),
        JobKind.CUSTOMERS: CustomersHandler(caller),
        JobKind.PRODUCTS: ProductsHandler(caller),
    }
