"""``ordergate worker``: run import jobs from the Redis job queue until SIGINT/SIGTERM.

Settings come from ``ORDERGATE_WORKER_*`` (``worker.settings.WorkerSettings``); run as many
workers as the subgraphs can take. A worker stops after the chunk in hand; a worker that is
killed loses nothing (its chunk goes to another worker, no row acts twice).
"""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import click

__all__ = ["worker_command"]


@click.command("worker")
@click.option(
    "--supergraph",
    "supergraph_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Supergraph naming the subgraph URLs (default: ORDERGATE_WORKER_SUPERGRAPH_PATH or "
    "schema/supergraph.graphql).",
)
@click.option("--name", "consumer_name", default=None, help="Consumer name (default: host-pid).")
def worker_command(supergraph_path: Path | None, consumer_name: str | None) -> None:
    """Run import jobs (orders, customers, products) from the Redis job queue."""
    from gateway.observability.logging import configure_logging
    from worker.service import run_worker
    from worker.settings import worker_settings_from

    settings = worker_settings_from(supergraph_path=supergraph_path, consumer_name=consumer_name)
    configure_logging(settings.log_format)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        worker = await run_worker(settings, stop)
        click.echo(f"worker {worker.consumer} stopped after recording {worker.recorded} rows")

    click.echo(f"Ordergate worker: jobs in {settings.redis.url} ({settings.jobs_key_prefix})")
    asyncio.run(main())
