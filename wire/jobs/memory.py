"""The in-process job backend (the embedded default): one gateway process and its worker.

Nothing awaits inside a state change, so each method is atomic on the event loop. Jobs are lost
when the process stops; use the Redis backend for anything that must survive a restart.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from wire.jobs.model import (
    Chunk,
    DeadLetter,
    Delivery,
    Job,
    JobKind,
    JobState,
    RowError,
    RowOutcome,
    chunks_of,
)
from wire.jobs.stats import QueueStats

__all__ = ["MemoryJobBackend"]


@dataclass
class _Stored:
    job: Job
    rows: list[Any]
    expires_at: float
    outcomes: dict[int, RowOutcome] = field(default_factory=dict)
    errors: dict[int, RowError] = field(default_factory=dict)
    dead: dict[int, DeadLetter] = field(default_factory=dict)


@dataclass
class _Pending:
    chunk: Chunk
    consumer: str
    touched: float
    deliveries: int


class MemoryJobBackend:
    """Jobs in dictionaries, chunks in a queue with pending deliveries."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self._monotonic = monotonic
        self._jobs: dict[str, _Stored] = {}
        self._ready: deque[tuple[str, Chunk]] = deque()
        self._pending: dict[str, _Pending] = {}
        self._ids = itertools.count(1)
        self._arrived = asyncio.Event()

    def _stored(self, job_id: str) -> _Stored | None:
        stored = self._jobs.get(job_id)
        if stored is not None and stored.expires_at <= self._clock():
            del self._jobs[job_id]
            return None
        return stored

    def _enqueue(self, chunks: Sequence[Chunk]) -> None:
        for chunk in chunks:
            self._ready.append((str(next(self._ids)), chunk))
        if chunks:
            self._arrived.set()

    async def create(
        self, job: Job, rows: Sequence[Any], chunk_size: int, retention_seconds: float
    ) -> None:
        """Keep the job and queue its chunks."""
        self._jobs[job.id] = _Stored(job, list(rows), self._clock() + retention_seconds)
        self._enqueue(chunks_of(job.id, range(1, len(rows) + 1), chunk_size))

    async def get(self, job_id: str) -> Job | None:
        """The job."""
        stored = self._stored(job_id)
        return stored.job if stored is not None else None

    async def rows(self, job_id: str, numbers: Sequence[int]) -> dict[int, Any]:
        """Rows by number."""
        stored = self._stored(job_id)
        if stored is None:
            return {}
        return {n: stored.rows[n - 1] for n in numbers if 1 <= n <= len(stored.rows)}

    async def outcomes(self, job_id: str, numbers: Sequence[int]) -> dict[int, RowOutcome]:
        """Recorded outcomes among ``numbers``."""
        stored = self._stored(job_id)
        if stored is None:
            return {}
        return {n: stored.outcomes[n] for n in numbers if n in stored.outcomes}

    async def record(
        self,
        job_id: str,
        row: int,
        outcome: RowOutcome,
        error: RowError | None = None,
        dead: DeadLetter | None = None,
    ) -> bool:
        """Record once; update the counters and the state."""
        stored = self._stored(job_id)
        if stored is None or row in stored.outcomes:
            return False
        stored.outcomes[row] = outcome
        job = stored.job
        now = self._clock()
        succeeded, failed, dead_count = job.succeeded, job.failed, job.dead_lettered
        if outcome is RowOutcome.SUCCEEDED:
            succeeded += 1
        else:
            failed += 1
            if error is not None:
                stored.errors[row] = error
        if outcome is RowOutcome.DEAD and dead is not None:
            stored.dead[row] = dead
            dead_count += 1
        finished = succeeded + failed >= job.total
        stored.job = replace(
            job,
            succeeded=succeeded,
            failed=failed,
            dead_lettered=dead_count,
            state=JobState.COMPLETED if finished else JobState.RUNNING,
            updated_at=now,
            finished_at=now if finished else None,
        )
        return True

    async def errors(self, job_id: str, limit: int) -> tuple[list[RowError], bool]:
        """Errors by row."""
        stored = self._stored(job_id)
        if stored is None:
            return [], False
        ordered = [stored.errors[row] for row in sorted(stored.errors)]
        return ordered[:limit], len(ordered) > limit

    async def dead_letters(self, job_id: str) -> list[DeadLetter]:
        """Dead letters by row."""
        stored = self._stored(job_id)
        if stored is None:
            return []
        return [stored.dead[row] for row in sorted(stored.dead)]

    async def replay_dead_letters(self, job_id: str, chunk_size: int) -> int:
        """Forget the dead rows' outcomes and queue them again."""
        stored = self._stored(job_id)
        if stored is None or not stored.dead:
            return 0
        rows = sorted(stored.dead)
        for row in rows:
            del stored.outcomes[row], stored.dead[row]
            stored.errors.pop(row, None)
        job = stored.job
        stored.job = replace(
            job,
            failed=job.failed - len(rows),
            dead_lettered=job.dead_lettered - len(rows),
            state=JobState.RUNNING,
            updated_at=self._clock(),
            finished_at=None,
        )
        self._enqueue(chunks_of(job_id, rows, chunk_size))
        return len(rows)

    async def receive(
        self, consumer: str, *, claim_idle_seconds: float, block_seconds: float
    ) -> Delivery | None:
        """An abandoned chunk, else the next one, else wait."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + block_seconds
        while True:
            now = self._monotonic()
            for message_id, pending in self._pending.items():
                if now - pending.touched >= claim_idle_seconds:
                    pending.consumer, pending.touched = consumer, now
                    pending.deliveries += 1
                    return Delivery(message_id, pending.chunk, pending.deliveries)
            if self._ready:
                message_id, chunk = self._ready.popleft()
                self._pending[message_id] = _Pending(chunk, consumer, now, 1)
                return Delivery(message_id, chunk)
            self._arrived.clear()
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            try:
                await asyncio.wait_for(self._arrived.wait(), min(remaining, claim_idle_seconds))
            except TimeoutError:
                continue

    async def touch(self, delivery: Delivery, consumer: str) -> None:
        """Reset the chunk's idle time."""
        pending = self._pending.get(delivery.message_id)
        if pending is not None:
            pending.consumer, pending.touched = consumer, self._monotonic()

    async def ack(self, delivery: Delivery) -> None:
        """Drop the chunk."""
        self._pending.pop(delivery.message_id, None)

    async def queue_stats(self) -> QueueStats:
        """Rows of the chunks queued or delivered, and dead letters, per kind."""
        queued: Counter[JobKind] = Counter()
        dead: Counter[JobKind] = Counter()
        chunks = [chunk for _, chunk in self._ready]
        chunks.extend(pending.chunk for pending in self._pending.values())
        for chunk in chunks:
            stored = self._stored(chunk.job_id)
            if stored is not None:
                queued[stored.job.kind] += len(chunk.rows)
        for job_id in list(self._jobs):
            stored = self._stored(job_id)
            if stored is not None and stored.dead:
                dead[stored.job.kind] += len(stored.dead)
        return QueueStats(dict(queued), dict(dead))

    async def aclose(self) -> None:
        """Nothing to release."""
