"""Bulk master-data imports: many rows in one transaction, each once per row key, each on its own.

Import workers send rows in chunks (``importCustomers``, ``importProducts``...). Every row
carries its own idempotency key (``<job id>:<row number>``) and runs inside a savepoint: a row
that breaks a rule is reported with its error and rolled back alone; the others commit together.
A row whose key is already recorded is not applied again (``REPLAYED``), so a chunk sent twice
(a worker died after the commit) changes nothing the second time. Master data belongs to no
customer: a principal restricted to one customer (object-level access) gets ``FORBIDDEN``.

Usage in a use case::

    async def import_customers(rows, uow):
        return await import_rows(uow, "importCustomers", rows, lambda row: _upsert(uow, row))
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, Self, TypeVar

import strawberry

from subgraphs.common.errors import BadUserInputError, DomainError, ForbiddenError
from subgraphs.common.idempotency import OnceKey, claim_once, record_once
from subgraphs.common.ownership import AccessKind
from subgraphs.common.uow import UnitOfWork

__all__ = [
    "MAX_IMPORT_ROWS",
    "ImportOutcome",
    "ImportRow",
    "ImportRowResult",
    "RowResult",
    "import_rows",
]

#: most rows one import call may carry
MAX_IMPORT_ROWS = 500


class ImportOutcome(StrEnum):
    """What happened to one row."""

    CREATED = "CREATED"
    UPDATED = "UPDATED"
    UNCHANGED = "UNCHANGED"
    #: the row key was recorded by an earlier call: nothing was applied again
    REPLAYED = "REPLAYED"
    FAILED = "FAILED"


class ImportRow(Protocol):
    """A row of an import: its idempotency key."""

    @property
    def row_key(self) -> str:
        """``<job id>:<row number>`` (1 to 200 characters)."""
        ...


RowT = TypeVar("RowT", bound=ImportRow)


@dataclass(frozen=True, slots=True)
class RowResult:
    """The outcome of one row: the id it produced, or the error that stopped it."""

    row_key: str
    outcome: ImportOutcome
    id: str | None = None
    error: DomainError | None = None


async def import_rows(
    uow: UnitOfWork,
    operation: str,
    rows: Sequence[RowT],
    apply: Callable[[RowT], Awaitable[tuple[ImportOutcome, str]]],
    *,
    owned_data: bool = True,
) -> list[RowResult]:
    """Apply every row once (per row key) in one transaction, each in its own savepoint.

    A customer never imports; for ``owned_data`` (customers) neither does a principal without
    any of the subgraph's ownership scopes. Data nobody owns (the catalog replica) needs only
    the mutation's own requirement (:mod:`subgraphs.common.rights`)."""
    access = uow.access
    if access.kind is AccessKind.CUSTOMER or (owned_data and access.is_restricted):
        raise ForbiddenError("only staff and service principals may import master data")
    if not 1 <= len(rows) <= MAX_IMPORT_ROWS:
        raise BadUserInputError(f"send 1 to {MAX_IMPORT_ROWS} rows per call", field="rows")
    model = uow.idempotency_model
    if model is None:
        raise RuntimeError(f"{type(uow).__name__} has no idempotency_model")
    results: list[RowResult] = []
    async with uow:
        session = uow.session
        for row in rows:
            if not 1 <= len(row.row_key) <= 200:
                results.append(_failed(row, BadUserInputError("bad rowKey", field="rowKey")))
                continue
            try:
                async with session.begin_nested():
                    key_row, done = await claim_once(
                        session, model, OnceKey.of(row.row_key, "row", operation, row)
                    )
                    if done is not None:
                        results.append(RowResult(row.row_key, ImportOutcome.REPLAYED, done))
                        continue
                    outcome, produced = await apply(row)
                    record_once(key_row, produced)
                    await session.flush()
            except DomainError as error:
                results.append(_failed(row, error))
                continue
            results.append(RowResult(row.row_key, outcome, produced))
        await uow.commit()
    return results


def _failed(row: ImportRow, error: DomainError) -> RowResult:
    return RowResult(row.row_key, ImportOutcome.FAILED, error=error)


@strawberry.type(description="The outcome of one imported row.")
class ImportRowResult:
    """Base of each subgraph's ``<Thing>ImportResult`` (``@inaccessible``: internal API)."""

    row_key: str
    outcome: str = strawberry.field(description="CREATED, UPDATED, UNCHANGED, REPLAYED or FAILED.")
    id: str | None = strawberry.field(description="What the row created or updated.")
    error_code: str | None = None
    error_message: str | None = None
    error_field: str | None = None

    @classmethod
    def from_result(cls, result: RowResult) -> Self:
        """The GraphQL view of a row result."""
        error = result.error
        field = error.details.get("field") if error is not None else None
        return cls(
            row_key=result.row_key,
            outcome=result.outcome.value,
            id=result.id,
            error_code=error.code.value if error is not None else None,
            error_message=error.message if error is not None else None,
            error_field=str(field) if field is not None else None,
        )
