"""The gateway app as the CLI serves it: :func:`gateway.app.create_app` plus the embedded
import worker, injected (the gateway never imports ``worker``; ADR 0312).

Usage::

    app = gateway_app(settings)                  # ordergate dev, tests' full stacks
    app = serving_app(settings)                  # ordergate gateway (GC tuner, drain on SIGTERM)
    uvicorn --factory ordergate.gateway_app:worker_app   # each of several worker processes
"""

from __future__ import annotations

from starlette.applications import Starlette

from gateway.app import EngineFactory, create_app
from gateway.background import BackgroundService, GatewayHandles
from gateway.observability.logging import configure_logging
from gateway.process.gc_tuning import GcTuner
from gateway.process.shutdown import GracefulShutdown
from gateway.settings import GatewaySettings
from worker.service import EmbeddedWorker

__all__ = ["WORKER_APP", "embedded_worker", "gateway_app", "serving_app", "worker_app"]

#: the ASGI application factory every gateway worker process imports (``--workers`` > 1)
WORKER_APP = "ordergate.gateway_app:worker_app"


def embedded_worker(handles: GatewayHandles) -> BackgroundService | None:
    """The in-process import worker of an app whose job API is on and
    ``jobs.in_process_worker`` is true (else ``None``)."""
    settings = handles.settings
    if handles.job_backend is None or not settings.jobs.in_process_worker:
        return None
    return EmbeddedWorker(
        handles.job_backend,
        handles.subgraph_urls,
        settings.jobs.processing,
        principal_headers=settings.principal_headers,
        tracing=settings.observability.tracing,
    )


def gateway_app(
    settings: GatewaySettings,
    engine_factory: EngineFactory | None = None,
    *,
    graphiql_query: str = "",
    graphiql_headers: str = "",
    gc_tuner: GcTuner | None = None,
    shutdown: GracefulShutdown | None = None,
) -> Starlette:
    """:func:`gateway.app.create_app` with the embedded import worker beside it."""
    return create_app(
        settings,
        engine_factory,
        graphiql_query=graphiql_query,
        graphiql_headers=graphiql_headers,
        gc_tuner=gc_tuner,
        shutdown=shutdown,
        background=[embedded_worker],
    )


def serving_app(settings: GatewaySettings) -> Starlette:
    """The app of a gateway process: its collector tuned, drained on SIGTERM (ADR 0304)."""
    return gateway_app(
        settings,
        gc_tuner=GcTuner(settings.runtime.gc),
        shutdown=GracefulShutdown(settings.runtime.shutdown),
    )


def worker_app() -> Starlette:
    """The app of one worker process: settings from the environment (and config file)."""
    settings = GatewaySettings()
    configure_logging(settings.log_format)
    return serving_app(settings)
