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
from pathlib import Path

import pytest
from idempotency_backends import IdempotencyBackend
from order_stack import OrderStack, prepare_stack, serve_stack, stack_database_urls
from redis.asyncio import Redis


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


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def stack_backend(request: pytest.FixtureRequest) -> str:
    """The database engine of the subgraphs."""
    return str(request.param)


@pytest.fixture
def stack_urls(
    stack_backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> dict[str, str]:
    """Empty databases of the four subgraphs on ``stack_backend``."""
    postgres = (
        str(request.getfixturevalue("fresh_postgres_database"))
        if stack_backend == "postgres"
        else None
    )
    return stack_database_urls(stack_backend, tmp_path, postgres)


@pytest.fixture
async def stack_databases(stack_urls: dict[str, str]) -> dict[str, str]:
    """The databases of ``stack_urls``, migrated and seeded."""
    await prepare_stack(stack_urls)
    return stack_urls


@pytest.fixture
async def order_stack(stack_databases: dict[str, str]) -> AsyncIterator[OrderStack]:
    """The four subgraphs served over HTTP on the seeded databases."""
    async with serve_stack(stack_databases) as stack:
        yield stack
