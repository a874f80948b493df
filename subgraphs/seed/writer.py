"""Write seed rows into the subgraph databases: one transaction per database, idempotent.

A database that already holds the seed's first row of its first table is left alone, so running
``ordergate seed`` (or ``ordergate dev``) twice never duplicates data.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from sqlalchemy import MetaData, Table, func, select

from subgraphs.common.db import Database
from subgraphs.seed.plan import SUBGRAPH_TABLES, Rows

__all__ = ["SeedResult", "write_rows"]

_CHUNK = 2_000


@dataclass(frozen=True, slots=True)
class SeedResult:
    """What seeding one database did."""

    subgraph: str
    inserted: dict[str, int]
    skipped: bool


def _metadata(subgraph: str) -> MetaData:
    models = importlib.import_module(f"subgraphs.{subgraph}.models")
    metadata: MetaData = models.Base.metadata
    return metadata


async def write_rows(subgraph: str, database_url: str, rows: Rows) -> SeedResult:
    """Insert ``rows`` into the (migrated) database of ``subgraph`` unless already seeded."""
    tables = SUBGRAPH_TABLES[subgraph]
    metadata = _metadata(subgraph)
    database = Database.connect(database_url)
    try:
        async with database.write_sessions() as session, session.begin():
            marker_table: Table = metadata.tables[tables[0]]
            marker = rows[tables[0]][0]
            key = marker_table.primary_key.columns.values()[0]
            exists = await session.scalar(
                select(func.count()).select_from(marker_table).where(key == marker[key.name])
            )
            if exists:
                return SeedResult(subgraph, {}, skipped=True)
            inserted = {}
            for name in tables:
                table = metadata.tables[name]
                batch = rows.get(name, [])
                for start in range(0, len(batch), _CHUNK):
                    await session.execute(table.insert(), batch[start : start + _CHUNK])
                inserted[name] = len(batch)
        return SeedResult(subgraph, inserted, skipped=False)
    finally:
        await database.dispose()
