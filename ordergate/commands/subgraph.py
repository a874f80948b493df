"""``ordergate subgraph NAME``: serve one subgraph (for example against PostgreSQL)."""

from __future__ import annotations

import asyncio

import click

from ordergate.commands._serving import ServerGroup
from ordergate.commands._subgraph_options import printable_url
from ordergate.commands.migrate import migrate_databases
from subgraphs.common.logging import configure_logging
from subgraphs.registry import SUBGRAPH_NAMES, definition
from subgraphs.snapshots import sdl_of

__all__ = ["subgraph"]


@click.command()
@click.argument("name", type=click.Choice(SUBGRAPH_NAMES))
@click.option(
    "--database-url", help="SQLAlchemy async URL (default: ORDERGATE_<NAME>_DATABASE_URL)."
)
@click.option("--host", help="Interface to bind (default: ORDERGATE_<NAME>_HOST or 127.0.0.1).")
@click.option("--port", type=int, help="Port (default: ORDERGATE_<NAME>_PORT or 4001-4004).")
@click.option("--migrate/--no-migrate", default=False, help="Migrate the database first.")
@click.option("--print-sdl", is_flag=True, help="Print the subgraph's SDL and exit.")
def subgraph(
    name: str,
    database_url: str | None,
    host: str | None,
    port: int | None,
    migrate: bool,
    print_sdl: bool,
) -> None:
    """Serve subgraph NAME (settings from ORDERGATE_<NAME>_* variables, options win)."""
    if print_sdl:
        click.echo(sdl_of(name), nl=False)
        return
    found = definition(name)
    settings = found.settings(database_url=database_url, host=host, port=port)
    configure_logging(settings.log_level, json=settings.log_json)
    if migrate:
        asyncio.run(migrate_databases({name: settings.database_url}))

    async def serve() -> None:
        group = ServerGroup(signals=True, log_level=settings.log_level)
        served = group.add(name, found.create_app(settings), host=settings.host, port=settings.port)
        async with group:
            click.echo(f"{name} subgraph: {served.url}  ({printable_url(settings.database_url)})")
            await group.wait()

    asyncio.run(serve())
