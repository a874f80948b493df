"""Every idempotency store test runs against the in-process store and the real Redis, and every
subgraph test on SQLite and PostgreSQL.

``idempotency_backend`` is parametrized ``memory`` / ``redis`` (the latter carries the ``redis``
marker); Redis keys live under a prefix unique to the test and are deleted after it.
``order_stack`` serves the four subgraphs on seeded databases (``stack_backend``: ``sqlite`` /
``postgres``).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from idempotency_backends import IdempotencyBackend
from redis.asyncio import Redis
from stack_fixtures import deployment as deployment
from stack_fixtures import deployment_kind as deployment_kind
from stack_fixtures import order_stack as order_stack
from stack_fixtures import stack_backend as stack_backend
from stack_fixtures import stack_databases as stack_databases
from stack_fixtures import stack_urls as stack_urls


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def idempotency_kind(request: pytest.FixtureRequest) -> tuple[str, str | None]:
    """The implementation's name and, for Redis, the server URL."""
    if request.param == "memory":
        return "memory", None
    url: str = request.getfixturevalue("redis_url")
    return "redis", url


@pytest.fixture
async def idempotency_backend(
    idempotency_kind: tuple[str, str | None], test_run_id: str
) -> AsyncIterator[IdempotencyBackend]:
    """The in-process or the Redis store, with a clean namespace."""
    prefix = f"ordergate-test:{test_run_id}:{uuid.uuid4().hex[:8]}:idempotency"
    name, url = idempotency_kind
    if url is None:
        yield IdempotencyBackend(name, prefix)
        return
    client = Redis.from_url(url)
    backend = IdempotencyBackend(name, prefix, url, client)
    try:
        yield backend
    finally:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=1000)]
        if keys:
            await client.delete(*keys)
        for replica in backend.replicas:
            await replica.aclose()
        await client.aclose()
