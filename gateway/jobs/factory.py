"""Builds the job backend from settings (called by the composition root)."""

from __future__ import annotations

from redis.asyncio import Redis

from gateway.jobs.settings import JobsSettings
from wire.jobs.backend import JobBackend
from wire.jobs.memory import MemoryJobBackend
from wire.jobs.redis_backend import RedisJobBackend

__all__ = ["build_job_backend"]


def build_job_backend(
    settings: JobsSettings, redis: Redis | None = None, redis_key_prefix: str = "ordergate"
) -> JobBackend:
    """The backend the settings ask for (Redis needs the shared ``redis`` client)."""
    if settings.backend == "redis":
        if redis is None:
            raise ValueError("jobs.backend is 'redis' but no Redis client was given")
        return RedisJobBackend(redis, f"{redis_key_prefix}:{settings.key_prefix}")
    return MemoryJobBackend()
