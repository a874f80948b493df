"""Running workers: a process of its own (``ordergate worker``) or inside the gateway.

Usage::

    await run_worker(WorkerSettings(), stop_event)     # ordergate worker, Redis backend

    embedded = EmbeddedWorker(backend, urls, options)  # the gateway's lifespan
    embedded.start()
    ...
    await embedded.stop()
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import Callable, Mapping

import structlog

from wire.forwarding import PrincipalHeadersSettings
from wire.jobs.backend import JobBackend
from wire.jobs.options import WorkerOptions
from wire.jobs.redis_backend import RedisJobBackend
from wire.redis_client import create_redis_client
from wire.tracing import TracingSettings, build_tracing
from worker.handlers import handlers_for
from worker.metrics import MetricsServer, WorkerMetrics
from worker.runner import JobWorker
from worker.settings import WorkerSettings
from worker.subgraph_client import SubgraphCaller
from worker.supergraph_urls import subgraph_urls_of

__all__ = ["WORKER_SERVICE", "EmbeddedWorker", "default_consumer_name", "run_worker"]

#: the default ``service.name`` of the worker's spans
WORKER_SERVICE = "ordergate-worker"

_log = structlog.get_logger(__name__)


def default_consumer_name() -> str:
    """``<host>-<pid>-<random>``: unique per worker, readable in ``XINFO CONSUMERS``."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


async def run_worker(settings: WorkerSettings, stop: asyncio.Event) -> JobWorker:
    """A worker on the Redis job backend until ``stop`` is set; returns it when done."""
    sdl = await asyncio.to_thread(settings.supergraph_path.read_text, "utf-8")
    urls = subgraph_urls_of(sdl, settings.subgraph_urls)
    redis = create_redis_client(settings.redis)
    backend = RedisJobBackend(redis, f"{settings.redis.key_prefix}:{settings.jobs_key_prefix}")
    tracing = build_tracing(settings.tracing, default_service=WORKER_SERVICE)
    tracer = tracing.tracer if tracing is not None else None
    caller = SubgraphCaller(
        lambda: urls,
        settings.processing.subgraph_timeout_seconds,
        settings.principal_headers,
        tracer=tracer,
    )
    heartbeat_file = settings.heartbeat_file

    async def heartbeat() -> None:
        if heartbeat_file is not None:
            await asyncio.to_thread(heartbeat_file.touch)

    metrics = WorkerMetrics(backend)
    worker = JobWorker(
        backend,
        handlers_for(caller, settings.processing.concurrency),
        settings.processing,
        settings.consumer_name or default_consumer_name(),
        heartbeat=heartbeat,
        observer=metrics.processed,
        tracer=tracer,
    )
    listener = await _metrics_listener(metrics, settings.processing)
    try:
        await worker.run(stop)
    finally:
        if listener is not None:
            await listener.stop()
        await caller.aclose()
        await redis.aclose()
        if tracing is not None:  # exports the spans still queued
            await asyncio.to_thread(tracing.shutdown)
    return worker


async def _metrics_listener(metrics: WorkerMetrics, options: WorkerOptions) -> MetricsServer | None:
    """The ``/metrics`` listener when ``options.metrics_port`` is set (else ``None``)."""
    if options.metrics_port is None:
        return None
    server = MetricsServer(metrics, options.metrics_host, options.metrics_port)
    url = await server.start()
    _log.info("worker metrics listening", url=f"{url}/metrics")
    return server


class EmbeddedWorker:
    """A worker task inside another process (the gateway with the in-process backend)."""

    def __init__(
        self,
        backend: JobBackend,
        urls: Callable[[], Mapping[str, str]],
        options: WorkerOptions,
        consumer: str | None = None,
        principal_headers: PrincipalHeadersSettings | None = None,
        tracing: TracingSettings | None = None,
    ) -> None:
        self._caller = SubgraphCaller(urls, options.subgraph_timeout_seconds, principal_headers)
        #: the worker's metrics (served only with ``options.metrics_port``)
        self.metrics = WorkerMetrics(backend)
        #: its own tracer provider when ``tracing`` is on (service ``ordergate-worker``)
        self._tracing = build_tracing(tracing, default_service=WORKER_SERVICE) if tracing else None
        tracer = self._tracing.tracer if self._tracing is not None else None
        self._caller = SubgraphCaller(
            urls, options.subgraph_timeout_seconds, principal_headers, tracer=tracer
        )
        self.worker = JobWorker(
            backend,
            handlers_for(self._caller, options.concurrency),
            options,
            consumer or default_consumer_name(),
            observer=self.metrics.processed,
            tracer=tracer,
        )
        self._options = options
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._listener: MetricsServer | None = None

    def start(self) -> None:
        """Start consuming (on the running loop), and listening for scrapes when asked."""
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        self._listener = await _metrics_listener(self.metrics, self._options)
        await self.worker.run(self._stop)

    async def kill(self) -> None:
        """Stop at once, in the middle of a chunk if need be, as a killed process would: the
        chunk is not acknowledged, so another worker takes it over."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._close()

    async def _close(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            await listener.stop()
        await self._caller.aclose()
        if self._tracing is not None:  # exports the spans still queued
            await asyncio.to_thread(self._tracing.shutdown)
            self._tracing = None

    async def stop(self) -> None:
        """Stop now when idle, else after the chunk in hand (cancelled after 10 s: the chunk
        is then delivered again, and its rows are not duplicated)."""
        self._stop.set()
        task, self._task = self._task, None
        if task is not None:
            if not self.worker.busy:
                task.cancel()
            try:
                await asyncio.wait_for(task, timeout=10)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self._close()
