"""Payments and shipments made before they carried an owner get their order's customer."""

from __future__ import annotations

from pathlib import Path

from ownership_stack import SMALL, database_urls
from sqlalchemy import func, select, update

from ordergate.commands.seed import seed_all
from subgraphs.common.db import create_engine
from subgraphs.payments.models import Payment
from subgraphs.seed.owners import backfill_owners
from subgraphs.shipments.models import Shipment


async def _count_unowned(url: str, model: type[Payment] | type[Shipment]) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            found = await connection.scalar(
                select(func.count()).select_from(model).where(model.customer_id.is_(None))
            )
    finally:
        await engine.dispose()
    return int(found or 0)


async def _forget_owners(url: str, model: type[Payment] | type[Shipment]) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(update(model).values(customer_id=None))
    finally:
        await engine.dispose()


async def test_seeding_again_backfills_missing_owners(tmp_path: Path) -> None:
    urls = database_urls("sqlite", tmp_path, None)
    await seed_all(urls, SMALL)
    assert await _count_unowned(urls["payments"], Payment) == 0
    await _forget_owners(urls["payments"], Payment)
    await _forget_owners(urls["shipments"], Shipment)
    assert await _count_unowned(urls["payments"], Payment) > 0
    await seed_all(urls, SMALL)  # already seeded: only the owners are filled in
    assert await _count_unowned(urls["payments"], Payment) == 0
    assert await _count_unowned(urls["shipments"], Shipment) == 0
    assert await backfill_owners(urls) == {"payments": 0, "shipments": 0}
