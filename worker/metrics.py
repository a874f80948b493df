"""The worker's Prometheus metrics on a small HTTP listener (``processing.metrics_port``).

- ``ordergate_jobs_queue_depth{kind}``: rows in chunks not yet acknowledged (queued or being
  worked on), read from the job backend when scraped;
- ``ordergate_jobs_dead_letters{kind}``: rows in dead-letter lists, read likewise;
- ``ordergate_jobs_processed_total{kind, outcome}``: rows this worker recorded
  (``succeeded``, ``failed``, ``dead``).

Usage (:func:`worker.service.run_worker`, :class:`worker.service.EmbeddedWorker`)::

    metrics = WorkerMetrics(backend)
    worker = JobWorker(..., observer=metrics.processed)
    server = MetricsServer(metrics, host, port)
    url = await server.start()
    ...
    await server.stop()
"""

from __future__ import annotations

import asyncio
import contextlib

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge

from wire.jobs.backend import JobBackend
from wire.jobs.model import JobKind, RowOutcome
from wire.jobs.stats import QueueStatsSource
from wire.metrics import render

__all__ = ["MetricsServer", "WorkerMetrics"]


class WorkerMetrics:
    """The worker's metrics on a registry of their own."""

    def __init__(self, backend: JobBackend) -> None:
        self.backend = backend
        self.registry = CollectorRegistry(auto_describe=True)
        self.queue_depth = Gauge(
            "ordergate_jobs_queue_depth",
            "Rows of import jobs waiting or being worked on, by kind.",
            ("kind",),
            registry=self.registry,
        )
        self.dead_letters = Gauge(
            "ordergate_jobs_dead_letters",
            "Rows of import jobs in dead-letter lists, by kind.",
            ("kind",),
            registry=self.registry,
        )
        self.rows = Counter(
            "ordergate_jobs_processed",
            "Rows this worker recorded, by kind and outcome.",
            ("kind", "outcome"),
            registry=self.registry,
        )

    def processed(self, kind: JobKind, outcome: RowOutcome) -> None:
        """A row of a ``kind`` job was recorded with ``outcome``."""
        self.rows.labels(kind.value, outcome.name.lower()).inc()

    async def refresh(self) -> None:
        """Read the queue depth and dead letters of every kind from the backend."""
        backend = self.backend
        if not isinstance(backend, QueueStatsSource):
            return
        stats = await backend.queue_stats()
        for kind in JobKind:
            self.queue_depth.labels(kind.value).set(stats.queued_rows.get(kind, 0))
            self.dead_letters.labels(kind.value).set(stats.dead_letters.get(kind, 0))


class MetricsServer:
    """A minimal HTTP/1.1 listener answering ``GET /metrics`` (anything else: 404), on the
    worker's own loop: no signal handlers of its own, so stopping the worker stays the
    worker's business."""

    def __init__(self, metrics: WorkerMetrics, host: str, port: int) -> None:
        self._metrics = metrics
        self._host = host
        self._port = port
        self._server: asyncio.Server | None = None

    async def start(self) -> str:
        """Listen; the base URL (with the port bound, also for port 0)."""
        self._server = await asyncio.start_server(self._handle, self._host, self._port)
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(10):
                head = await reader.readuntil(b"\r\n\r\n")
            method, target = [*head.split(b"\r\n", 1)[0].split(b" "), b"", b""][:2]
            if method == b"GET" and target.split(b"?", 1)[0] == b"/metrics":
                await self._metrics.refresh()
                status, content_type = b"200 OK", CONTENT_TYPE_LATEST.encode("latin-1")
                body = render(self._metrics.registry)
            else:
                status, content_type, body = b"404 Not Found", b"text/plain", b"not found\n"
            writer.write(
                b"HTTP/1.1 " + status + b"\r\ncontent-type: " + content_type
                + b"\r\ncontent-length: " + str(len(body)).encode("latin-1")
                + b"\r\nconnection: close\r\n\r\n" + body
            )  # fmt: skip
            await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def stop(self) -> None:
        """Stop listening."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
            await server.wait_closed()
