"""DataLoader read sessions on PostgreSQL run in autocommit (docs/adr/0012): each statement is
its own transaction (no ``BEGIN``/``ROLLBACK`` round trips), units of work keep theirs."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from subgraphs.common.db import Database

pytestmark = pytest.mark.postgres

TRANSACTION_ID = text("SELECT pg_current_xact_id()::text")


async def test_read_sessions_run_each_statement_in_its_own_transaction(
    fresh_postgres_database: str,
) -> None:
    database = Database.connect(fresh_postgres_database)
    try:
        async with database.read_sessions() as session:
            first = (await session.execute(TRANSACTION_ID)).scalar()
            assert (await session.execute(TRANSACTION_ID)).scalar() != first
        async with database.write_sessions() as session:
            first = (await session.execute(TRANSACTION_ID)).scalar()
            assert (await session.execute(TRANSACTION_ID)).scalar() == first
    finally:
        await database.dispose()


async def test_read_sessions_see_what_write_sessions_committed(
    fresh_postgres_database: str,
) -> None:
    database = Database.connect(fresh_postgres_database)
    try:
        async with database.write_sessions() as session:
            await session.execute(text("CREATE TABLE notes (body text)"))
            await session.execute(text("INSERT INTO notes VALUES ('kept')"))
            await session.commit()
        async with database.write_sessions() as session:
            await session.execute(text("INSERT INTO notes VALUES ('rolled back')"))
            await session.rollback()
        async with database.read_sessions() as session:
            bodies = (await session.execute(text("SELECT body FROM notes"))).scalars().all()
        assert bodies == ["kept"]
    finally:
        await database.dispose()
