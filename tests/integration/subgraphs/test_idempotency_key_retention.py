"""Idempotency key rows are kept for the retention window and purged after it.

On SQLite and PostgreSQL: the purge deletes exactly the rows older than the cut-off; the purger
purges before it returns from ``start`` and then on its interval; a served subgraph has purged
before it serves, unless its retention is 0 (keep forever).
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select
from subgraph_harness import definition, migrate

from ordergate.commands._serving import ServerGroup
from subgraphs.common.app import runtime_of
from subgraphs.common.db import Database, utc_now
from subgraphs.common.idempotency_purge import IdempotencyKeyPurger, purge_idempotency_keys
from subgraphs.orders.models import IdempotencyKey


def _row(age: timedelta) -> IdempotencyKey:
    row = IdempotencyKey()
    row.key = uuid.uuid4().hex + uuid.uuid4().hex
    row.operation = "createOrder"
    row.request_hash = "0" * 64
    row.result_id = str(uuid.uuid4())
    row.created_at = utc_now() - age
    return row


async def _insert(database: Database, *ages: timedelta) -> list[str]:
    rows = [_row(age) for age in ages]
    async with database.write_sessions() as session:
        session.add_all(rows)
        await session.commit()
    return [row.key for row in rows]


async def _keys(database: Database) -> set[str]:
    async with database.read_sessions() as session:
        return set((await session.scalars(select(IdempotencyKey.key))).all())


async def test_purge_deletes_only_rows_older_than_the_cutoff(database_url: str) -> None:
    await migrate("orders", database_url)
    database = Database.connect(database_url)
    try:
        old = await _insert(database, timedelta(days=8), timedelta(days=30))
        young = await _insert(database, timedelta(days=6), timedelta(minutes=1))

        deleted = await purge_idempotency_keys(
            database, IdempotencyKey, older_than=utc_now() - timedelta(days=7)
        )

        assert deleted == len(old)
        assert await _keys(database) == set(young)
        again = await purge_idempotency_keys(
            database, IdempotencyKey, older_than=utc_now() - timedelta(days=7)
        )
        assert again == 0
    finally:
        await database.dispose()


async def test_purger_runs_at_once_and_then_on_its_interval(database_url: str) -> None:
    await migrate("orders", database_url)
    database = Database.connect(database_url)
    clock = [utc_now()]
    purger = IdempotencyKeyPurger(
        database,
        IdempotencyKey,
        retention=timedelta(hours=1),
        interval_seconds=0.01,
        now=lambda: clock[0],
    )
    try:
        await _insert(database, timedelta(hours=2))
        second = await _insert(database, timedelta(minutes=30))
        await purger.start()
        assert await _keys(database) == set(second)  # the first pass, before start returned
        clock[0] += timedelta(hours=1)  # now the second row has expired too
        await _until_empty(database)

    finally:
        await purger.stop()
        await database.dispose()


@pytest.mark.parametrize("retention_hours", [0.0, 24.0])
async def test_served_subgraph_purges_at_start_unless_retention_is_zero(
    database_url: str, retention_hours: float
) -> None:
    await migrate("orders", database_url)
    found = definition("orders")
    setup = Database.connect(database_url)
    try:
        expired, kept = await _insert(setup, timedelta(days=2), timedelta(hours=1))
    finally:
        await setup.dispose()

    settings = found.settings(
        database_url=database_url, idempotency_retention_hours=retention_hours
    )
    app = found.create_app(settings)
    group = ServerGroup()
    group.add("orders", app, host="127.0.0.1", port=0)
    async with group:
        database = runtime_of(app).database
        left = await _keys(database)
    assert left == ({kept} if retention_hours else {expired, kept})


async def _until_empty(database: Database) -> None:
    """Wait (bounded) until the background pass has emptied the table."""
    for _ in range(1000):
        if not await _keys(database):
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the periodic purge never ran")
