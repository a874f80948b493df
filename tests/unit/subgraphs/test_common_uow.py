"""The unit of work rolls back unless committed."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from subgraphs.common.db import Database, utc_now
from subgraphs.common.migrations import upgrade
from subgraphs.orders.app import DEFINITION
from subgraphs.orders.models import Customer
from subgraphs.orders.services import OrdersUnitOfWork


async def _count(database: Database) -> int:
    async with database.read_sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Customer)) or 0)


def _customer() -> Customer:
    unique = uuid.uuid4()
    return Customer(id=unique, email=f"{unique}@example.com", name="C", created_at=utc_now())


async def test_rollback_unless_committed(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'uow.db'}"
    await upgrade(url, DEFINITION.migrations)
    database = Database.connect(url)
    try:
        uow = OrdersUnitOfWork(database.write_sessions)
        async with uow:
            uow.session.add(_customer())
            await uow.flush()
        assert await _count(database) == 0  # left without commit

        with pytest.raises(RuntimeError):
            async with uow:
                uow.session.add(_customer())
                await uow.flush()
                raise RuntimeError("use case failed")
        assert await _count(database) == 0

        async with uow:
            uow.session.add(_customer())
            await uow.commit()
        assert uow.committed
        assert await _count(database) == 1
    finally:
        await database.dispose()


async def test_units_of_work_do_not_nest(tmp_path: Path) -> None:
    database = Database.connect(f"sqlite+aiosqlite:///{tmp_path / 'n.db'}")
    try:
        uow = OrdersUnitOfWork(database.write_sessions)
        async with uow:
            with pytest.raises(RuntimeError):
                await uow.__aenter__()
    finally:
        await database.dispose()
