"""``ordergate dev``: the whole system on the embedded defaults, in one process.

It migrates and seeds SQLite databases under ``--data-dir``, then serves every app of the
development stack and prints their URLs. Each app is one :meth:`ServerGroup.add` call in
:func:`build_dev_stack`; adding another (the gateway, in front of the subgraphs) is one more.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import click

from ordergate.commands._serving import ServerGroup
from ordergate.commands._subgraph_options import DEFAULT_DATA_DIR, database_urls
from ordergate.commands.migrate import migrate_databases
from ordergate.commands.seed import seed_all
from subgraphs.common.logging import configure_logging
from subgraphs.registry import SUBGRAPH_NAMES, definition
from subgraphs.seed import SeedConfig

__all__ = ["DevOptions", "build_dev_stack", "dev", "prepare_databases"]


@dataclass(frozen=True, slots=True)
class DevOptions:
    """How ``ordergate dev`` runs."""

    data_dir: Path = DEFAULT_DATA_DIR
    host: str = "127.0.0.1"
    seed: bool = True
    log_level: str = "info"
    #: 0 serves each app on its own default port; another value adds to every port (tests use
    #: port_offset=None with free ports instead)
    port_offset: int | None = 0


async def prepare_databases(options: DevOptions) -> dict[str, str]:
    """Migrate (and seed) the SQLite databases; returns ``subgraph -> URL``."""
    urls = database_urls((), options.data_dir)
    if options.seed:
        await seed_all(urls, SeedConfig())
    else:
        await migrate_databases(urls)
    return urls


def build_dev_stack(options: DevOptions, urls: dict[str, str]) -> ServerGroup:
    """Every app of the development stack, not yet started."""
    group = ServerGroup(signals=True, log_level=options.log_level)
    for name in SUBGRAPH_NAMES:
        found = definition(name)
        settings = found.settings(database_url=urls[name], host=options.host)
        port = 0 if options.port_offset is None else settings.port + options.port_offset
        group.add(name, found.create_app(settings), host=options.host, port=port)
    # The gateway joins the stack here, in front of the subgraphs, with one more group.add(...).
    return group


async def run_dev(options: DevOptions) -> None:
    """Prepare the databases, start every app, print the URLs, serve until interrupted."""
    urls = await prepare_databases(options)
    group = build_dev_stack(options, urls)
    async with group:
        click.echo(f"Ordergate dev stack (data in {options.data_dir.resolve()}):")
        for served in group.served:
            click.echo(f"  {served.name:<10} {served.url}   (GraphiQL in a browser)")
        click.echo("Press Ctrl+C to stop.")
        await group.wait()


@click.command()
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_DATA_DIR,
    show_default=True,
    help="Where the SQLite databases live.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--seed/--no-seed", default=True, show_default=True, help="Seed empty databases.")
@click.option("--port-offset", default=0, show_default=True, type=int,
              help="Added to every default port (run two stacks side by side).")  # fmt: skip
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["debug", "info", "warning", "error"]))  # fmt: skip
def dev(data_dir: Path, host: str, seed: bool, port_offset: int, log_level: str) -> None:
    """Migrate and seed SQLite databases, then serve all four subgraphs with GraphiQL."""
    configure_logging(log_level)
    options = DevOptions(
        data_dir=data_dir, host=host, seed=seed, log_level=log_level, port_offset=port_offset
    )
    asyncio.run(run_dev(options))
