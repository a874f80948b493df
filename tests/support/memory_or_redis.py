"""What the store tests share: one implementation in process, the other on the real Redis.

A store test module parametrizes over ``memory`` / ``redis`` with :func:`backend_kind_params`,
builds its backend on :class:`MemoryOrRedis` (a hand-moved clock, Redis clients per simulated
gateway replica) and lets :func:`redis_namespace` own the Redis side: a key prefix unique to the
test, every key under it deleted afterwards and every client closed.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "FakeClock",
    "MemoryOrRedis",
    "backend_kind_params",
    "close_replicas",
    "redis_namespace",
    "resolve_backend_kind",
]

import pytest
from fake_clock import FakeClock
from redis.asyncio import Redis


def backend_kind_params() -> list[Any]:
    """The parameters of a ``memory`` / ``redis`` fixture (the latter carries the marker)."""
    return ["memory", pytest.param("redis", marks=pytest.mark.redis)]


def resolve_backend_kind(request: pytest.FixtureRequest) -> tuple[str, str | None]:
    """The implementation's name and, for Redis, the server URL (resolved outside any loop)."""
    if request.param == "memory":
        return "memory", None
    url: str = request.getfixturevalue("redis_url")
    return "redis", url


@dataclass
class MemoryOrRedis:
    """One implementation under test: in process (``redis is None``) or on Redis."""

    name: str
    key_prefix: str
    redis_url: str | None = None
    redis: Redis | None = None
    clock: FakeClock = field(default_factory=FakeClock)
    replicas: list[Redis] = field(default_factory=list)

    def redis_client(self, replica: int = 0) -> Redis:
        """The Redis client of gateway replica ``replica`` (0: the first, shared client)."""
        assert self.redis is not None and self.redis_url is not None
        if not replica:
            return self.redis
        while len(self.replicas) < replica:
            self.replicas.append(Redis.from_url(self.redis_url))
        return self.replicas[replica - 1]


@asynccontextmanager
async def redis_namespace(
    kind: tuple[str, str | None], test_run_id: str, suffix: str = ""
) -> AsyncIterator[tuple[str, str, str | None, Redis | None]]:
    """``(name, key prefix, url, client)`` for one test; the Redis side is cleaned afterwards.

    Yields the backend's constructor arguments; replicas the test opened are closed through the
    ``replicas`` list of the backend, which the caller hands back by closing them itself or by
    using :func:`close_replicas`.
    """
    prefix = f"ordergate-test:{test_run_id}:{uuid.uuid4().hex[:8]}{suffix}"
    name, url = kind
    if url is None:
        yield name, prefix, None, None
        return
    client = Redis.from_url(url)
    try:
        yield name, prefix, url, client
    finally:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=1000)]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def close_replicas(backend: MemoryOrRedis) -> None:
    """Close the extra Redis clients a test opened for simulated replicas."""
    for replica in backend.replicas:
        await replica.aclose()
    backend.replicas.clear()
