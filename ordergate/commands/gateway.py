"""``ordergate gateway``: serve the federation gateway over a supergraph file."""

from __future__ import annotations

from pathlib import Path

import click


def _environment(
    supergraph_path: Path | None,
    host: str | None,
    port: int | None,
    watch_supergraph: bool | None,
    workers: int | None,
) -> dict[str, str]:
    """The command-line options as ``ORDERGATE_GATEWAY_*`` variables, for worker processes."""
    values: dict[str, object | None] = {
        "SUPERGRAPH_PATH": supergraph_path,
        "HOST": host,
        "PORT": port,
        "WATCH_SUPERGRAPH": None if watch_supergraph is None else str(watch_supergraph).lower(),
        "RUNTIME__WORKERS": workers,
    }
    return {f"ORDERGATE_GATEWAY_{k}": str(v) for k, v in values.items() if v is not None}


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
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes serving the port (default 1, runtime.workers); more than one needs "
    "budgets, idempotency records and jobs in Redis.",
)
def gateway_command(
    supergraph_path: Path | None,
    host: str | None,
    port: int | None,
    watch_supergraph: bool | None,
    workers: int | None,
) -> None:
    """Serve the GraphQL gateway over a supergraph (ours, Apollo's or Hive's)."""
    from gateway.observability.logging import configure_logging
    from gateway.process.workers import MultiProcessConfigError, check_workers, serve
    from gateway.settings import settings_from
    from ordergate.gateway_app import WORKER_APP, serving_app

    environment = _environment(supergraph_path, host, port, watch_supergraph, workers)
    settings = settings_from(
        supergraph_path=supergraph_path, host=host, port=port, watch_supergraph=watch_supergraph
    )
    if workers is not None:
        runtime = settings.runtime.model_copy(update={"workers": workers})
        settings = settings.model_copy(update={"runtime": runtime})
    try:
        check_workers(settings)
    except MultiProcessConfigError as error:
        raise click.UsageError(str(error)) from error
    configure_logging(settings.log_format)
    suffix = f" ({settings.runtime.workers} workers)" if settings.runtime.workers > 1 else ""
    click.echo(f"Ordergate gateway: http://{settings.host}:{settings.port}/graphql{suffix}")
    serve(settings, environment, serving_app, WORKER_APP)
