"""Exactly-once mutations: an idempotency key stored with the effect, in the same transaction.

A caller (the gateway, an import worker) sends ``Idempotency-Key``; every mutation of the
request claims ``(key, response key)`` in the subgraph's ``<name>_idempotency_keys`` table
(the response key is the field's alias, so two aliased mutations of one request never share one)
inside the unit of work that makes its change, and records what it produced. If the caller dies
after the commit and retries, the mutation finds its row and returns the original result instead
of acting twice. A failed mutation rolls back, key row included, so a retry runs again.

Usage: the resolver passes ``info.context.unit_of_work(once_for(info, command))`` to the use
case, which does::

    async with uow:
        if (done := await uow.replayed()) is not None:
            return await uow.orders.get_for_update(uuid.UUID(done))  # the original result
        order = ...                                                   # the effect
        uow.record(order.id)
        await uow.commit()

Concurrent requests with one key: on PostgreSQL the second insert of the key waits for the
first transaction and, once it committed, fails on the primary key; the second request then
reads the committed row and returns its result. SQLite serializes write transactions
(``BEGIN IMMEDIATE``), so the second request simply finds the row.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import String
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from strawberry import Info

from subgraphs.common.db import UtcDateTime, utc_now
from subgraphs.common.errors import BadUserInputError, IdempotencyKeyReusedError

__all__ = [
    "IDEMPOTENCY_KEY_HEADER",
    "IdempotencyKeyRow",
    "OnceKey",
    "claim_once",
    "once_for",
    "parse_key_header",
    "record_once",
]

IDEMPOTENCY_KEY_HEADER = "idempotency-key"
_KEY = re.compile(r'"?([\x21\x23-\x7e]{1,255})"?')


def parse_key_header(value: str | None) -> str | None:
    """The key of an ``Idempotency-Key`` header (bare or quoted), ``None`` when absent."""
    if value is None:
        return None
    match = _KEY.fullmatch(value.strip())
    if match is None:
        raise BadUserInputError(
            "Idempotency-Key must be 1 to 255 printable ASCII characters", field="Idempotency-Key"
        )
    return match.group(1)


class IdempotencyKeyRow:
    """Declarative mixin of a subgraph's ``<name>_idempotency_keys`` table::

    class IdempotencyKey(IdempotencyKeyRow, Base):
        __tablename__ = "orders_idempotency_keys"  # prefixed: subgraphs may share a database
    """

    #: SHA-256 of (caller's key, response key)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: the mutation field that used the key
    operation: Mapped[str] = mapped_column(String(64))
    #: SHA-256 of the command: the same key with other arguments is refused
    request_hash: Mapped[str] = mapped_column(String(64))
    #: what the mutation produced (an id), set before commit
    result_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


def _request_hash(command: object) -> str:
    material = orjson.dumps(command, option=orjson.OPT_SORT_KEYS, default=repr)
    return hashlib.sha256(material).hexdigest()


@dataclass(frozen=True, slots=True)
class OnceKey:
    """One mutation's claim: its key row's primary key, operation and command hash."""

    key: str
    operation: str
    request_hash: str

    @classmethod
    def of(cls, caller_key: str, response_key: str, operation: str, command: object) -> OnceKey:
        """The claim of mutation ``operation`` answered at ``response_key`` for ``command``."""
        digest = hashlib.sha256(f"{caller_key}\n{response_key}".encode()).hexdigest()
        return cls(digest, operation, _request_hash(command))


async def _existing(
    session: AsyncSession, model: type[IdempotencyKeyRow], once: OnceKey
) -> IdempotencyKeyRow | None:
    row = await session.get(model, once.key, populate_existing=True)
    if row is not None and (row.operation, row.request_hash) != (once.operation, once.request_hash):
        raise IdempotencyKeyReusedError(row.operation)
    return row


async def claim_once(
    session: AsyncSession, model: type[IdempotencyKeyRow], once: OnceKey
) -> tuple[IdempotencyKeyRow, str | None]:
    """Claim ``once`` in the open transaction: the key row, and the earlier result if any."""
    row = await _existing(session, model, once)
    if row is not None:
        return row, row.result_id
    row = model()
    row.key, row.operation, row.request_hash = once.key, once.operation, once.request_hash
    row.result_id, row.created_at = None, utc_now()
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:  # a concurrent request with this key committed first
        existing = await _existing(session, model, once)
        if existing is None:
            raise
        return existing, existing.result_id
    return row, None


def record_once(row: IdempotencyKeyRow, result_id: object) -> None:
    """Record what the mutation produced (written with its effect at commit)."""
    row.result_id = str(result_id)


def once_for(info: Info[Any, Any], command: object) -> OnceKey | None:
    """The claim of the mutation being resolved, from the request's ``Idempotency-Key``.

    ``info.context`` must have the Starlette ``request`` (every subgraph context has).
    """
    caller_key = parse_key_header(info.context.request.headers.get(IDEMPOTENCY_KEY_HEADER))
    if caller_key is None:
        return None
    return OnceKey.of(caller_key, str(info.path.key), info.field_name, command)
