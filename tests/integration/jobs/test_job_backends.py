"""The job backends: one suite, in process and in Redis."""

from __future__ import annotations

import asyncio

from job_backends import JobBackendUnderTest, new_job

from wire.jobs.model import DeadLetter, Delivery, JobState, RowError, RowOutcome

ROWS = [{"n": 1}, {"n": 2}, {"n": 3}, {"n": 4}, {"n": 5}]


async def drain(under_test: JobBackendUnderTest, consumer: str = "w1") -> list[Delivery]:
    deliveries = []
    while (
        delivery := await under_test.backend.receive(
            consumer, claim_idle_seconds=30, block_seconds=0.01
        )
    ) is not None:
        deliveries.append(delivery)
    return deliveries


async def test_a_job_is_stored_with_its_rows_and_queued_in_chunks(
    job_backend: JobBackendUnderTest,
) -> None:
    backend = job_backend.backend
    await backend.create(new_job("j1"), ROWS, chunk_size=2, retention_seconds=3600)
    job = await backend.get("j1")
    assert job is not None
    assert (job.state, job.total, job.processed) == (JobState.QUEUED, 5, 0)
    assert await backend.rows("j1", [1, 5, 6]) == {1: {"n": 1}, 5: {"n": 5}}
    deliveries = await drain(job_backend)
    assert [delivery.chunk.rows for delivery in deliveries] == [(1, 2), (3, 4), (5,)]
    assert {delivery.chunk.job_id for delivery in deliveries} == {"j1"}
    assert await backend.get("missing") is None
    if job_backend.redis is not None:
        ttl = await job_backend.redis.ttl(f"{job_backend.key_prefix}:job:j1:rows")
        assert 3500 < ttl <= 3600


async def test_outcomes_are_recorded_once_and_complete_the_job(
    job_backend: JobBackendUnderTest,
) -> None:
    backend = job_backend.backend
    await backend.create(new_job("j2", total=3), ROWS[:3], chunk_size=10, retention_seconds=60)
    assert await backend.record("j2", 1, RowOutcome.SUCCEEDED)
    assert not await backend.record("j2", 1, RowOutcome.SUCCEEDED)
    assert not await backend.record("j2", 1, RowOutcome.FAILED, RowError(1, "X", "x"))
    running = await backend.get("j2")
    assert running is not None
    assert (running.state, running.succeeded, running.failed) == (JobState.RUNNING, 1, 0)
    await backend.record("j2", 3, RowOutcome.FAILED, RowError(3, "UNKNOWN_SKU", "no", "sku"))
    results = await asyncio.gather(
        *(backend.record("j2", 2, RowOutcome.SUCCEEDED) for _ in range(10))
    )
    assert results.count(True) == 1
    done = await backend.get("j2")
    assert done is not None
    assert (done.state, done.succeeded, done.failed, done.processed) == (
        JobState.COMPLETED,
        2,
        1,
        3,
    )
    assert done.finished_at is not None
    assert await backend.outcomes("j2", [1, 2, 3]) == {
        1: RowOutcome.SUCCEEDED,
        2: RowOutcome.SUCCEEDED,
        3: RowOutcome.FAILED,
    }
    assert await backend.errors("j2", 10) == ([RowError(3, "UNKNOWN_SKU", "no", "sku")], False)
    assert not await backend.record("gone", 1, RowOutcome.SUCCEEDED)


async def test_errors_are_sorted_and_limited(job_backend: JobBackendUnderTest) -> None:
    backend = job_backend.backend
    await backend.create(new_job("j3"), ROWS, chunk_size=10, retention_seconds=60)
    for row in (5, 2, 4):
        await backend.record("j3", row, RowOutcome.FAILED, RowError(row, "BAD", f"row {row}"))
    errors, truncated = await backend.errors("j3", 2)
    assert [error.row for error in errors] == [2, 4]
    assert truncated


async def test_dead_letters_are_listed_and_replayed(job_backend: JobBackendUnderTest) -> None:
    backend = job_backend.backend
    await backend.create(new_job("j4", total=3), ROWS[:3], chunk_size=10, retention_seconds=60)
    await drain(job_backend)
    await backend.record("j4", 1, RowOutcome.SUCCEEDED)
    for row in (3, 2):
        error = RowError(row, "SUBREQUEST_HTTP_ERROR", "orders unreachable")
        letter = DeadLetter(row, ROWS[row - 1], error, attempts=4, failed_at=1_700_000_000.0)
        await backend.record("j4", row, RowOutcome.DEAD, error, letter)
    job = await backend.get("j4")
    assert job is not None
    assert (job.state, job.failed, job.dead_lettered) == (JobState.COMPLETED, 2, 2)
    letters = await backend.dead_letters("j4")
    assert [(letter.row, letter.data, letter.attempts) for letter in letters] == [
        (2, {"n": 2}, 4),
        (3, {"n": 3}, 4),
    ]
    assert letters[0].error.code == "SUBREQUEST_HTTP_ERROR"
    assert await backend.replay_dead_letters("j4", chunk_size=10) == 2
    assert await backend.replay_dead_letters("j4", chunk_size=10) == 0
    replayed = await backend.get("j4")
    assert replayed is not None
    assert (replayed.state, replayed.failed, replayed.dead_lettered) == (JobState.RUNNING, 0, 0)
    assert replayed.finished_at is None
    assert await backend.dead_letters("j4") == []
    assert await backend.errors("j4", 10) == ([], False)
    [delivery] = await drain(job_backend)
    assert delivery.chunk.rows == (2, 3)
    for row in (2, 3):
        assert await backend.record("j4", row, RowOutcome.SUCCEEDED)
    finished = await backend.get("j4")
    assert finished is not None
    assert (finished.state, finished.succeeded) == (JobState.COMPLETED, 3)


async def test_an_abandoned_chunk_goes_to_another_worker_until_acknowledged(
    job_backend: JobBackendUnderTest,
) -> None:
    backend = job_backend.backend
    await backend.create(new_job("j5", total=2), ROWS[:2], chunk_size=2, retention_seconds=60)
    idle = job_backend.idle_seconds
    first = await backend.receive("dies", claim_idle_seconds=idle, block_seconds=0.01)
    assert first is not None
    assert first.deliveries == 1
    job_backend.let_chunks_idle()
    taken_over = None
    for _ in range(200):
        taken_over = await backend.receive("survives", claim_idle_seconds=idle, block_seconds=0.01)
        if taken_over is not None:
            break
        await asyncio.sleep(0.01)
    assert taken_over is not None
    assert taken_over.chunk == first.chunk
    assert taken_over.deliveries == 2
    await backend.ack(taken_over)
    job_backend.let_chunks_idle()
    await asyncio.sleep(idle if job_backend.redis is not None else 0)
    assert await backend.receive("late", claim_idle_seconds=idle, block_seconds=0.01) is None
