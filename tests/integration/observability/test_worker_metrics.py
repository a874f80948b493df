"""The import worker's ``GET /metrics``: queue depth and dead letters read from the job
backend (in process and on Redis) when scraped, rows processed by kind and outcome; and the
listener of a real ``ordergate worker`` process, which still stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import json
import signal
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from metrics_scrape import scrape
from processes import start
from redis.asyncio import Redis

from wire.jobs.backend import JobBackend
from wire.jobs.memory import MemoryJobBackend
from wire.jobs.model import Job, JobKind, JobState, RowError
from wire.jobs.options import WorkerOptions
from wire.jobs.redis_backend import RedisJobBackend
from worker.handlers import RowResult, RowStatus
from worker.metrics import MetricsServer, WorkerMetrics
from worker.runner import JobWorker

OPTIONS = WorkerOptions(max_attempts=2, backoff_seconds=0, max_backoff_seconds=0)
DEPTH = "ordergate_jobs_queue_depth"
DEAD = "ordergate_jobs_dead_letters"
PROCESSED = "ordergate_jobs_processed_total"


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def backend_url(request: pytest.FixtureRequest) -> str | None:
    """``None`` for the in-process backend, else the Redis URL."""
    return None if request.param == "memory" else str(request.getfixturevalue("redis_url"))


@pytest.fixture
async def backend(backend_url: str | None, test_run_id: str) -> AsyncIterator[JobBackend]:
    """The in-process job backend, or the Redis one under a prefix of this test."""
    if backend_url is None:
        yield MemoryJobBackend()
        return
    prefix = f"ordergate-test:{test_run_id}:{uuid.uuid4().hex[:8]}:jobs"
    client = Redis.from_url(backend_url)
    try:
        yield RedisJobBackend(client, prefix)
    finally:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=1000)]
        if keys:
            await client.delete(*keys)
        await client.aclose()


class ByRow:
    """A handler answering row 2 with a permanent failure and row 3 with transient ones."""

    async def run(self, job: Job, rows: Mapping[int, Any]) -> dict[int, RowResult]:
        results = {}
        for row in rows:
            if row == 2:
                results[row] = RowResult(RowStatus.FAILED, RowError(row, "BAD_USER_INPUT", "no"))
            elif row == 3:
                results[row] = RowResult(RowStatus.TRANSIENT, RowError(row, "DOWN", "later"))
            else:
                results[row] = RowResult(RowStatus.SUCCEEDED)
        return results


async def _job(backend: JobBackend, kind: JobKind, rows: int) -> Job:
    now = time.time()
    job = Job(uuid.uuid4().hex, kind, "o", JobState.QUEUED, rows, created_at=now, updated_at=now)
    await backend.create(job, [{"n": n} for n in range(1, rows + 1)], 2, 600)
    return job


async def test_queue_depth_dead_letters_and_processed_rows(backend: JobBackend) -> None:
    await _job(backend, JobKind.ORDERS, 5)
    await _job(backend, JobKind.PRODUCTS, 3)
    metrics = WorkerMetrics(backend)
    worker = JobWorker(backend, {JobKind.ORDERS: ByRow()}, OPTIONS, "w", observer=metrics.processed)
    server = MetricsServer(metrics, "127.0.0.1", 0)
    url = await server.start()
    try:
        async with httpx.AsyncClient(base_url=url, timeout=10) as client:
            queued = await scrape(client)
            for _ in range(3):  # the three chunks of the orders job
                delivery = await backend.receive("w", claim_idle_seconds=30, block_seconds=0.1)
                assert delivery is not None
                await worker.process(delivery)
            done = await scrape(client)
            missing = await client.get("/other")
    finally:
        await server.stop()
    assert queued.value(DEPTH, kind="orders") == 5
    assert queued.value(DEPTH, kind="products") == 3
    assert queued.value(DEPTH, kind="customers") == 0
    assert queued.value(DEAD) == 0
    assert queued.value(PROCESSED) == 0
    assert done.value(DEPTH, kind="orders") == 0
    assert done.value(DEPTH, kind="products") == 3  # nobody took them
    assert done.value(DEAD, kind="orders") == 1
    assert done.value(PROCESSED, kind="orders", outcome="succeeded") == 3
    assert done.value(PROCESSED, kind="orders", outcome="failed") == 1
    assert done.value(PROCESSED, kind="orders", outcome="dead") == 1
    assert missing.status_code == 404


def _listening(output: str) -> str | None:
    """The metrics URL the worker logged (JSON lines), once it listens."""
    for line in output.splitlines():
        if line.startswith("{"):
            event = json.loads(line)
            if event.get("event") == "worker metrics listening":
                return str(event["url"])
    return None


@pytest.mark.redis
@pytest.mark.slow
async def test_the_worker_process_serves_metrics_and_stops_on_sigterm(
    redis_url: str, test_run_id: str, tmp_path: Path
) -> None:
    environment = {
        "ORDERGATE_WORKER_REDIS__URL": redis_url,
        "ORDERGATE_WORKER_REDIS__KEY_PREFIX": f"ordergate-test:{test_run_id}",
        "ORDERGATE_WORKER_PROCESSING__METRICS_PORT": "0",  # any free port: the log names it
        "ORDERGATE_WORKER_LOG_FORMAT": "json",
    }
    process = start(["worker"], environment, tmp_path / "worker.log")
    try:
        for _ in range(300):
            if process.returncode is not None:
                raise AssertionError(process.output())
            url = _listening(process.output())
            if url is not None:
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError(f"no metrics listener:\n{process.output()}")
        async with httpx.AsyncClient(timeout=5) as client:
            metrics = await scrape(client, url)
        assert {labels["kind"] for labels in metrics.series(DEPTH)} == {
            kind.value for kind in JobKind
        }
        process.process.send_signal(signal.SIGTERM)
        assert await process.wait(30) == 0
    finally:
        await process.stop()
    assert "stopped after recording 0 rows" in process.output()
