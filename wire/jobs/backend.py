"""The job backend protocol: jobs with their rows and outcomes, and the durable chunk queue.

Two implementations pass one test suite (tests/integration/jobs/): :class:`MemoryJobBackend`
(the embedded default: one process, jobs gone on restart) and :class:`RedisJobBackend` (a Redis
Stream with a consumer group; job data in hashes; shared by gateways and workers).

Exactly-once accounting: :meth:`JobBackend.record` stores a row's outcome only if the row has
none yet (atomically with the counters), so a chunk processed twice (its worker died before
acknowledging it) never counts a row twice. A chunk stays in the queue until :meth:`ack`; a
delivered chunk whose worker is silent for ``claim_idle_seconds`` is handed to another worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from wire.jobs.model import DeadLetter, Delivery, Job, RowError, RowOutcome

__all__ = ["JobBackend"]


class JobBackend(Protocol):
    """Jobs and the queue of their chunks."""

    async def create(
        self, job: Job, rows: Sequence[Any], chunk_size: int, retention_seconds: float
    ) -> None:
        """Store ``job`` and its rows (row ``n`` is ``rows[n - 1]``) and queue its chunks, all
        or nothing."""
        ...

    async def get(self, job_id: str) -> Job | None:
        """The job, if it exists (and has not expired)."""
        ...

    async def rows(self, job_id: str, numbers: Sequence[int]) -> dict[int, Any]:
        """The data of rows ``numbers``."""
        ...

    async def outcomes(self, job_id: str, numbers: Sequence[int]) -> dict[int, RowOutcome]:
        """The outcomes recorded so far among rows ``numbers``."""
        ...

    async def record(
        self,
        job_id: str,
        row: int,
        outcome: RowOutcome,
        error: RowError | None = None,
        dead: DeadLetter | None = None,
    ) -> bool:
        """Record a row's outcome unless it has one; ``True`` when recorded now. The job
        becomes ``running``, and ``completed`` when every row has an outcome."""
        ...

    async def errors(self, job_id: str, limit: int) -> tuple[list[RowError], bool]:
        """The first ``limit`` row errors by row number, and whether there are more."""
        ...

    async def dead_letters(self, job_id: str) -> list[DeadLetter]:
        """The job's dead-lettered rows, by row number."""
        ...

    async def replay_dead_letters(self, job_id: str, chunk_size: int) -> int:
        """Move every dead-lettered row back to pending and queue it again; how many."""
        ...

    async def receive(
        self, consumer: str, *, claim_idle_seconds: float, block_seconds: float
    ) -> Delivery | None:
        """The next chunk for ``consumer``: one abandoned by a silent worker first, else a new
        one; ``None`` when nothing arrived within ``block_seconds``."""
        ...

    async def touch(self, delivery: Delivery, consumer: str) -> None:
        """Tell the queue ``consumer`` is still working on ``delivery``."""
        ...

    async def ack(self, delivery: Delivery) -> None:
        """Every row of the chunk has an outcome: drop it from the queue."""
        ...

    async def aclose(self) -> None:
        """Release what the backend holds (not a shared Redis client)."""
        ...
