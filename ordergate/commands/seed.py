"""``ordergate seed``: fill the four subgraph databases with consistent, realistic data."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ordergate.commands._subgraph_options import data_dir_option, database_urls, printable_url
from ordergate.commands.migrate import migrate_databases

if TYPE_CHECKING:  # the seed generator and SQLAlchemy are imported when the command runs
    from subgraphs.seed import SeedConfig, SeedResult

__all__ = ["seed", "seed_all"]

#: ``SeedConfig()``'s sizes and seed, shown by ``--help`` without importing the generator
#: (tests/unit/cli checks that they agree)
DEFAULT_SIZES: dict[str, int] = {
    "customers": 120,
    "products": 200,
    "orders": 1_000,
    "seed": 20_251_001,
}


async def seed_all(urls: dict[str, str], config: SeedConfig) -> list[SeedResult]:
    """Migrate, then seed, the four databases of ``urls`` (and give payments and shipments made
    before they carried an owner their order's customer)."""
    from subgraphs.seed import seed_databases
    from subgraphs.seed.owners import backfill_owners

    await migrate_databases(urls)
    results = await seed_databases(urls, config)
    await backfill_owners(urls)
    return results


@click.command()
@data_dir_option
@click.option("--customers", default=DEFAULT_SIZES["customers"], show_default=True, type=int)
@click.option("--products", default=DEFAULT_SIZES["products"], show_default=True, type=int)
@click.option("--orders", default=DEFAULT_SIZES["orders"], show_default=True, type=int)
@click.option("--seed", "seed_value", default=DEFAULT_SIZES["seed"], show_default=True, type=int,
              help="Random seed: the same value always gives the same data.")  # fmt: skip
def seed(
    data_dir: Path | None, customers: int, products: int, orders: int, seed_value: int
) -> None:
    """Migrate and seed all four subgraph databases (a seeded database is left as it is)."""
    from subgraphs.seed import SeedConfig

    try:
        config = SeedConfig(customers=customers, products=products, orders=orders, seed=seed_value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    urls = database_urls((), data_dir)
    for result in asyncio.run(seed_all(urls, config)):
        url = printable_url(urls[result.subgraph])
        if result.skipped:
            click.echo(f"{result.subgraph:<10} already seeded  {url}")
        else:
            counts = ", ".join(f"{count} {table}" for table, count in result.inserted.items())
            click.echo(f"{result.subgraph:<10} seeded: {counts}  {url}")
