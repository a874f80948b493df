"""Serving the gateway from one process or from several worker processes on one port.

``ordergate gateway --workers N`` (``runtime.workers``) with N > 1 validates the settings, then
replaces itself (``exec``, same pid) with uvicorn's supervisor over the app factory the CLI
names (``ordergate.gateway_app:worker_app``, ADR 0312): it binds
the port and starts N worker processes (spawned, not forked) that share the listening socket,
restarts a worker that dies and stops them all on SIGTERM/SIGINT. Each worker reads the
settings itself (the command-line options reach it as ``ORDERGATE_GATEWAY_*`` variables),
builds its own engine, tunes its own collector and reloads the supergraph on its own.

What a process keeps in memory is per worker. A budget kept per process would give each client
N budgets, an idempotency record kept per process would let a retry that reaches another worker
run the mutation again, and a job would be unknown to the worker that is asked about it: with
more than one worker these stores must be in Redis (or the feature off), else start-up is
refused (:func:`per_process_store_problems`). An APQ cache per worker only costs a client one
extra round trip per worker: a warning. See docs/adr/0851.

Metrics: before the workers start, a directory of this run is made and named in
``PROMETHEUS_MULTIPROC_DIR``; each worker writes its values there and ``GET /metrics`` on any
worker sums them (:mod:`wire.metrics`, docs/adr/1106).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from typing import Any

import structlog
import uvicorn
from starlette.applications import Starlette

from gateway.process.shutdown import exit_quietly_on_sigterm
from gateway.settings import GatewaySettings
from wire.metrics import MULTIPROC_DIR_VARIABLE, prepare_multiprocess_dir

__all__ = [
    "AppFactory",
    "MultiProcessConfigError",
    "check_workers",
    "per_process_store_problems",
    "per_process_store_warnings",
    "serve",
    "supervisor_command",
]

#: Builds the app a gateway process serves (the CLI's, with its background services).
AppFactory = Callable[[GatewaySettings], Starlette]

_log = structlog.get_logger(__name__)
_SERVER_OPTIONS: dict[str, Any] = {
    "loop": "uvloop",
    "http": "httptools",
    "log_level": "warning",
    "access_log": False,
    # the ASGI peer must be the TCP peer: X-Forwarded-For is believed only from
    # limits.unidentified.trusted_proxies (gateway.limits.client_ip), never by uvicorn
    "proxy_headers": False,
}


class MultiProcessConfigError(ValueError):
    """Settings that cannot serve correctly from several worker processes."""


def per_process_store_problems(settings: GatewaySettings) -> list[str]:
    """Why ``settings`` cannot serve from several processes (empty: they can)."""
    problems = []
    if settings.limits.enabled and settings.limits.store == "memory":
        problems.append(
            "limits.store is 'memory': every worker would keep its own budgets "
            "(set it to 'redis', or limits.enabled to false)"
        )
    if settings.idempotency.enabled and settings.idempotency.store == "memory":
        problems.append(
            "idempotency.store is 'memory': a retry reaching another worker would run the "
            "mutation again (set it to 'redis', or idempotency.enabled to false)"
        )
    if settings.jobs.enabled and settings.jobs.backend == "memory":
        problems.append(
            "jobs.backend is 'memory': a job would be unknown to the other workers "
            "(set it to 'redis', or jobs.enabled to false)"
        )
    return problems


def per_process_store_warnings(settings: GatewaySettings) -> list[str]:
    """What works but less well from several processes."""
    apq = settings.persisted.apq
    if apq.enabled and apq.store == "memory":
        return [
            "persisted.apq.store is 'memory': each worker has its own APQ cache, a client may "
            "have to send a query once per worker (set it to 'redis' to share it)"
        ]
    return []


def check_workers(settings: GatewaySettings) -> None:
    """Raise :class:`MultiProcessConfigError` when ``settings.runtime.workers`` > 1 cannot serve
    correctly (stores kept per process)."""
    workers = settings.runtime.workers
    problems = per_process_store_problems(settings) if workers > 1 else []
    if problems:
        raise MultiProcessConfigError(
            f"--workers {workers} needs shared stores: " + "; ".join(problems)
        )


def serve(
    settings: GatewaySettings,
    environment: Mapping[str, str],
    app_factory: AppFactory,
    factory_path: str,
) -> None:
    """Serve until SIGTERM/SIGINT with ``settings.runtime.workers`` processes.

    One process serves ``app_factory(settings)``; several are uvicorn's supervisor over
    ``factory_path`` (``module:function``, a zero-argument factory each worker process calls).

    SIGTERM drains first (``runtime.shutdown``, docs/adr/0304); the process then exits with
    status 0.

    ``environment`` holds the ``ORDERGATE_GATEWAY_*`` variables that carry the command-line
    options to the worker processes (their settings must equal ``settings``).
    """
    workers = settings.runtime.workers
    if workers == 1:
        exit_quietly_on_sigterm()
        app = app_factory(settings)
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            timeout_graceful_shutdown=settings.runtime.shutdown.grace_seconds,
            **_SERVER_OPTIONS,
        )
        return
    check_workers(settings)
    for warning in per_process_store_warnings(settings):
        _log.warning("per-worker store", workers=workers, detail=warning)
    os.environ.update(environment)
    metrics = settings.observability.metrics
    if metrics.enabled:  # every worker writes its metrics to files of this run (ADR 1106)
        run = prepare_multiprocess_dir(metrics.multiprocess_base_dir)
        os.environ[MULTIPROC_DIR_VARIABLE] = str(run)
    # The supervisor needs none of the gateway this process imported to validate the settings
    # (~85 MB): it becomes a plain uvicorn process (same pid, so signals reach it) whose
    # workers import the gateway themselves.
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, supervisor_command(settings, factory_path))


def supervisor_command(settings: GatewaySettings, factory_path: str) -> list[str]:
    """uvicorn's multi-process supervisor over the app factory ``factory_path`` for
    ``settings``."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        factory_path,
        "--workers",
        str(settings.runtime.workers),
        "--host",
        settings.host,
        "--port",
        str(settings.port),
        "--loop",
        _SERVER_OPTIONS["loop"],
        "--http",
        _SERVER_OPTIONS["http"],
        "--log-level",
        _SERVER_OPTIONS["log_level"],
        "--no-access-log",
        "--no-proxy-headers",
        "--timeout-graceful-shutdown",
        str(settings.runtime.shutdown.grace_seconds),
    ]
