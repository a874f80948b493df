"""What waits in a job backend, per kind, for the worker's metrics (``ordergate_jobs_*``).

Both backends implement :class:`QueueStatsSource`: rows in chunks not yet acknowledged (queued
or in a worker's hands) and rows in dead-letter lists, by job kind. They are read when the
worker's ``/metrics`` is scraped, not per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from wire.jobs.model import JobKind

__all__ = ["QueueStats", "QueueStatsSource"]


@dataclass(frozen=True, slots=True)
class QueueStats:
    """Rows per job kind: waiting (in unacknowledged chunks) and dead-lettered."""

    queued_rows: dict[JobKind, int] = field(default_factory=dict)
    dead_letters: dict[JobKind, int] = field(default_factory=dict)


@runtime_checkable
class QueueStatsSource(Protocol):
    """A job backend that can count what waits in it."""

    async def queue_stats(self) -> QueueStats:
        """The counts now (kinds without rows may be absent)."""
        ...
