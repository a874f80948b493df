"""Job tests run the subgraphs on SQLite and PostgreSQL (``stack_backend``) and the job backend
in process and on Redis (``job_backend``)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from job_backends import JobBackendUnderTest
from redis.asyncio import Redis
from stack_fixtures import deployment as deployment
from stack_fixtures import deployment_kind as deployment_kind
from stack_fixtures import order_stack as order_stack
from stack_fixtures import stack_backend as stack_backend
from stack_fixtures import stack_databases as stack_databases
from stack_fixtures import stack_urls as stack_urls


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def job_backend_url(request: pytest.FixtureRequest) -> str | None:
    """``None`` for the in-process backend, else the Redis URL."""
    if request.param == "memory":
        return None
    return str(request.getfixturevalue("redis_url"))


@pytest.fixture
async def job_backend(
    job_backend_url: str | None, test_run_id: str
) -> AsyncIterator[JobBackendUnderTest]:
    """The in-process or the Redis job backend, with a clean namespace."""
    prefix = f"ordergate-test:{test_run_id}:{uuid.uuid4().hex[:8]}:jobs"
    if job_backend_url is None:
        yield JobBackendUnderTest.memory(prefix)
        return
    client = Redis.from_url(job_backend_url)
    try:
        yield JobBackendUnderTest.on_redis(prefix, client)
    finally:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=1000)]
        if keys:
            await client.delete(*keys)
        await client.aclose()
