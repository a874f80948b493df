"""The two job backends as the job tests drive them."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from redis.asyncio import Redis

from wire.jobs.backend import JobBackend
from wire.jobs.memory import MemoryJobBackend
from wire.jobs.model import Job, JobKind, JobState
from wire.jobs.redis_backend import RedisJobBackend


class FakeMonotonic:
    """The in-process queue's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@dataclass
class JobBackendUnderTest:
    """One backend implementation and how to make time pass for its queue."""

    name: str
    backend: JobBackend
    key_prefix: str
    redis: Redis | None = None
    monotonic: FakeMonotonic = field(default_factory=FakeMonotonic)

    @classmethod
    def memory(cls, prefix: str) -> JobBackendUnderTest:
        monotonic = FakeMonotonic()
        return cls("memory", MemoryJobBackend(monotonic=monotonic), prefix, None, monotonic)

    @classmethod
    def on_redis(cls, prefix: str, redis: Redis) -> JobBackendUnderTest:
        return cls("redis", RedisJobBackend(redis, prefix), prefix, redis)

    @property
    def idle_seconds(self) -> float:
        """A claim-idle time the test can wait out (real time only with Redis)."""
        return 0.05 if self.redis is not None else 30.0

    def let_chunks_idle(self) -> None:
        """Make every delivered chunk look abandoned (in-process clock; Redis waits)."""
        self.monotonic.now += 60


def new_job(job_id: str, kind: JobKind = JobKind.ORDERS, total: int = 5, owner: str = "o") -> Job:
    now = time.time()
    return Job(job_id, kind, owner, JobState.QUEUED, total, created_at=now, updated_at=now)
