"""Every store test runs against both implementations: in-process and the real Redis.

The ``store_backend`` fixture is parametrized ``memory`` / ``redis`` (the latter carries the
``redis`` marker). Redis keys live under a prefix unique to the test and are deleted after it.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from store_backends import StoreBackend


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def store_kind(request: pytest.FixtureRequest) -> tuple[str, str | None]:
    """The implementation's name and, for Redis, the server URL (resolved outside any loop)."""
    if request.param == "memory":
        return "memory", None
    url: str = request.getfixturevalue("redis_url")
    return "redis", url


@pytest.fixture
async def store_backend(
    store_kind: tuple[str, str | None], test_run_id: str
) -> AsyncIterator[StoreBackend]:
    """The in-process or the Redis implementation, with a clean namespace."""
    prefix = f"ordergate-test:{test_run_id}:{uuid.uuid4().hex[:8]}"
    name, url = store_kind
    if url is None:
        yield StoreBackend(name, prefix)
        return
    client = Redis.from_url(url)
    backend = StoreBackend(name, prefix, url, client)
    try:
        yield backend
    finally:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=1000)]
        if keys:
            await client.delete(*keys)
        for replica in backend.replicas:
            await replica.aclose()
        await client.aclose()
