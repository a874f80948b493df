"""Deterministic, consistent seed data for the four subgraph databases.

``generate(SeedConfig())`` produces rows for all four databases from one plan of order
histories, so that they agree: payments match order totals, shipments match fulfilled lines,
reservations match stock. ``seed_databases`` writes them (idempotently).
"""

from __future__ import annotations

from collections.abc import Mapping

from subgraphs.seed.generate import generate
from subgraphs.seed.plan import SUBGRAPH_TABLES, SeedConfig, SeedData
from subgraphs.seed.writer import SeedResult, write_rows

__all__ = ["SUBGRAPH_TABLES", "SeedConfig", "SeedData", "SeedResult", "generate", "seed_databases"]


async def seed_databases(
    urls: Mapping[str, str], config: SeedConfig | None = None
) -> list[SeedResult]:
    """Seed each subgraph database in ``urls`` (``name -> database URL``, already migrated)."""
    data = generate(config)
    return [await write_rows(name, url, data.rows_of(name)) for name, url in urls.items()]
