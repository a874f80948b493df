"""``ordergate gateway``: serve the federation gateway over a supergraph file."""

from __future__ import annotations

from pathlib import Path

import click
import uvicorn

from gateway.app import create_app
from gateway.observability.logging import configure_logging
from gateway.settings import settings_from


@click.command("gateway")
@click.option(
    "--supergraph",
    "supergraph_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Supergraph SDL file (default: schema/supergraph.graphql).",
)
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port to listen on (default 4000).")
@click.option("--watch/--no-watch", "watch_supergraph", default=None, help="Reload on change.")
def gateway_command(
    supergraph_path: Path | None, host: str | None, port: int | None, watch_supergraph: bool | None
) -> None:
    """Serve the GraphQL gateway over a supergraph (ours, Apollo's or Hive's)."""
    settings = settings_from(
        supergraph_path=supergraph_path, host=host, port=port, watch_supergraph=watch_supergraph
    )
    configure_logging(settings.log_format)
    app = create_app(settings)
    click.echo(f"Ordergate gateway: http://{settings.host}:{settings.port}/graphql")
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
    )
