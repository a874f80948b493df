"""``ordergate migrate``: bring subgraph databases to their newest schema (Alembic)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from ordergate.commands._subgraph_options import (
    data_dir_option,
    database_urls,
    names_argument,
    printable_url,
)
from subgraphs.registry import definition

__all__ = ["migrate", "migrate_databases"]


async def migrate_databases(urls: dict[str, str]) -> None:
    """Upgrade each ``name -> URL`` database to its subgraph's head revision."""
    from subgraphs.common.migrations import upgrade

    for name, url in urls.items():
        await upgrade(url, definition(name).migrations)


@click.command()
@names_argument
@data_dir_option
@click.option("--database-url", help="Database of the one SUBGRAPH given (overrides settings).")
def migrate(names: tuple[str, ...], data_dir: Path | None, database_url: str | None) -> None:
    """Migrate the databases of SUBGRAPH... (default: all four) to the newest revision."""
    from subgraphs.common.migrations import head_revision

    urls = database_urls(names, data_dir, database_url)
    asyncio.run(migrate_databases(urls))
    for name, url in urls.items():
        revision = head_revision(definition(name).migrations)
        click.echo(f"{name:<10} at revision {revision}  {printable_url(url)}")
