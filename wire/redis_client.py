"""The Redis connection every Redis-backed store shares: typed settings and one client factory.

One :class:`redis.asyncio.Redis` client (one connection pool) per gateway process is enough for
all stores; the composition root creates it with :func:`create_redis_client` and closes it on
shutdown with ``await client.aclose()``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from redis.asyncio import Redis

__all__ = ["RedisSettings", "create_redis_client"]


class RedisSettings(BaseModel):
    """Where the shared Redis server is and how to talk to it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str = Field(
        default="redis://127.0.0.1:6379/0",
        description="Redis URL (redis:// or rediss://, database number as the path).",
    )
    key_prefix: str = Field(
        default="ordergate",
        min_length=1,
        description="Prefix of every key the gateway writes, so that several deployments or "
        "test runs can share one server.",
    )
    socket_timeout_seconds: float = Field(
        default=1.0, gt=0, description="Timeout of one Redis command (connect and reply)."
    )
    max_connections: int = Field(
        default=256, gt=0, description="Most pooled connections per gateway process."
    )


def create_redis_client(settings: RedisSettings) -> Redis:
    """A pooled asyncio Redis client for ``settings`` (no I/O until the first command)."""
    return Redis.from_url(
        settings.url,
        socket_timeout=settings.socket_timeout_seconds,
        socket_connect_timeout=settings.socket_timeout_seconds,
        max_connections=settings.max_connections,
        decode_responses=False,
    )
