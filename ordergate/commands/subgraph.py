"""``ordergate subgraph NAME``: serve one subgraph (for example against PostgreSQL).

The process runs on uvloop when it is installed (it comes with ``uvicorn[standard]``, as for
the gateway) and, unless ``ORDERGATE_<NAME>_GC_TUNING=false``, tunes the garbage collector
with the gateway's :class:`~gateway.process.gc_tuning.GcTuner` once the app is built and
serving (docs/adr/0011).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import click

from ordergate.commands._subgraph_options import printable_url
from ordergate.commands.migrate import migrate_databases
from subgraphs.registry import SUBGRAPH_NAMES, definition

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
    from gateway.process.gc_tuning import GcTuner
    from gateway.process.settings import GcSettings
    from ordergate.commands._serving import ServerGroup
    from subgraphs.common.logging import configure_logging
    from subgraphs.snapshots import sdl_of

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
        tuner = GcTuner(GcSettings(enabled=settings.gc_tuning))
        async with group:
            tuner.start()  # after the schema, the app and the servers exist: they are frozen
            try:
                click.echo(
                    f"{name} subgraph: {served.url}  ({printable_url(settings.database_url)})"
                )
                await group.wait()
            finally:
                await tuner.aclose()

    run_event_loop(serve())


def run_event_loop(main: Coroutine[Any, Any, None]) -> None:
    """Run ``main`` to completion on uvloop when it is installed, else on asyncio's loop."""
    loop_factory: Callable[[], asyncio.AbstractEventLoop] | None
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop ships with uvicorn[standard] on Linux/macOS
        loop_factory = None
    else:
        loop_factory = uvloop.new_event_loop
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        runner.run(main)
