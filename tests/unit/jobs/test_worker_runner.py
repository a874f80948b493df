"""The worker loop over the in-process backend with scripted handlers: retries with backoff,
dead letters, permanent failures, redelivered chunks, poison chunks."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from wire.jobs.memory import MemoryJobBackend
from wire.jobs.model import Job, JobKind, JobState, RowError, RowOutcome
from wire.jobs.options import WorkerOptions
from worker.handlers import RowResult, RowStatus
from worker.runner import JobWorker

OPTIONS = WorkerOptions(max_attempts=3, backoff_seconds=0.5, max_backoff_seconds=0.8)


class Scripted:
    """A handler answering each row from a script of statuses (the last one repeats)."""

    def __init__(self, script: Mapping[int, list[RowStatus]]) -> None:
        self.script = script
        self.calls: list[list[int]] = []

    async def run(self, job: Job, rows: Mapping[int, Any]) -> dict[int, RowResult]:
        self.calls.append(sorted(rows))
        results = {}
        for row in rows:
            statuses = self.script.get(row, [RowStatus.SUCCEEDED])
            status = statuses.pop(0) if len(statuses) > 1 else statuses[0]
            error = None if status is RowStatus.SUCCEEDED else RowError(row, "X", f"row {row}")
            results[row] = RowResult(status, error)
        return results


class Broken:
    async def run(self, job: Job, rows: Mapping[int, Any]) -> dict[int, RowResult]:
        raise RuntimeError("bug")


async def job_with(backend: MemoryJobBackend, rows: int) -> Job:
    now = time.time()
    job = Job("j", JobKind.ORDERS, "o", JobState.QUEUED, rows, created_at=now, updated_at=now)
    await backend.create(job, [{"n": n} for n in range(1, rows + 1)], 10, 60)
    return job


def worker_for(backend: MemoryJobBackend, handler: Any, naps: list[float]) -> JobWorker:
    async def nap(seconds: float) -> None:
        naps.append(seconds)

    return JobWorker(backend, {JobKind.ORDERS: handler}, OPTIONS, "w", sleep=nap)


async def run_one_chunk(backend: MemoryJobBackend, worker: JobWorker) -> None:
    delivery = await backend.receive("w", claim_idle_seconds=30, block_seconds=0)
    assert delivery is not None
    await worker.process(delivery)


async def test_transient_failures_are_retried_with_backoff_then_dead_lettered() -> None:
    backend, naps = MemoryJobBackend(), []
    await job_with(backend, 4)
    handler = Scripted(
        {
            2: [RowStatus.TRANSIENT, RowStatus.SUCCEEDED],
            3: [RowStatus.TRANSIENT],
            4: [RowStatus.FAILED],
        }
    )
    await run_one_chunk(backend, worker_for(backend, handler, naps))
    assert handler.calls == [[1, 2, 3, 4], [2, 3], [3]]
    assert naps == [0.5, 0.8]
    job = await backend.get("j")
    assert job is not None
    assert (job.state, job.succeeded, job.failed, job.dead_lettered) == (
        JobState.COMPLETED,
        2,
        2,
        1,
    )
    [letter] = await backend.dead_letters("j")
    assert (letter.row, letter.attempts, letter.data) == (3, 3, {"n": 3})
    errors, _ = await backend.errors("j", 10)
    assert [error.row for error in errors] == [3, 4]
    assert await backend.receive("w", claim_idle_seconds=30, block_seconds=0) is None


async def test_a_redelivered_chunk_skips_recorded_rows() -> None:
    backend, naps = MemoryJobBackend(), []
    await job_with(backend, 3)
    await backend.record("j", 1, RowOutcome.SUCCEEDED)  # the dead worker got this far
    handler = Scripted({})
    await run_one_chunk(backend, worker_for(backend, handler, naps))
    assert handler.calls == [[2, 3]]
    job = await backend.get("j")
    assert job is not None
    assert (job.succeeded, job.state) == (3, JobState.COMPLETED)


async def test_a_handler_bug_is_retried_then_dead_lettered() -> None:
    backend, naps = MemoryJobBackend(), []
    await job_with(backend, 2)
    await run_one_chunk(backend, worker_for(backend, Broken(), naps))
    letters = await backend.dead_letters("j")
    assert [(letter.row, letter.error.code) for letter in letters] == [
        (1, "WORKER_ERROR"),
        (2, "WORKER_ERROR"),
    ]


async def test_a_chunk_that_keeps_killing_workers_is_dead_lettered() -> None:
    monotonic = [0.0]
    backend = MemoryJobBackend(monotonic=lambda: monotonic[0])
    await job_with(backend, 2)
    for _ in range(OPTIONS.max_deliveries):  # each delivery's worker "dies"
        assert await backend.receive("w", claim_idle_seconds=30, block_seconds=0) is not None
        monotonic[0] += 31
    delivery = await backend.receive("w", claim_idle_seconds=30, block_seconds=0)
    assert delivery is not None
    assert delivery.deliveries == OPTIONS.max_deliveries + 1
    handler = Scripted({})
    await worker_for(backend, handler, []).process(delivery)
    assert handler.calls == []
    letters = await backend.dead_letters("j")
    assert {letter.error.code for letter in letters} == {"REDELIVERY_LIMIT"}


async def test_a_chunk_of_an_expired_job_is_dropped() -> None:
    clock = [1000.0]
    backend = MemoryJobBackend(clock=lambda: clock[0])
    await job_with(backend, 1)
    clock[0] += 61
    handler = Scripted({})
    await run_one_chunk(backend, worker_for(backend, handler, []))
    assert handler.calls == []
    assert await backend.receive("w", claim_idle_seconds=0, block_seconds=0) is None
