"""Fixtures serving the four subgraphs on seeded SQLite and PostgreSQL databases.

A test folder's ``conftest.py`` re-exports them::

    from stack_fixtures import order_stack as order_stack
    from stack_fixtures import stack_backend as stack_backend
    ...

``stack_backend`` is parametrized ``sqlite`` / ``postgres`` (``postgres`` marker);
``deployment`` is parametrized ``embedded`` / ``production`` (``postgres`` and ``redis``).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from order_stack import OrderStack, prepare_stack, serve_stack, stack_database_urls
from redis.asyncio import Redis
from stack_gateway import Deployment


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


@pytest.fixture(
    params=[
        "embedded",
        pytest.param("production", marks=[pytest.mark.postgres, pytest.mark.redis]),
    ]
)
def deployment_kind(request: pytest.FixtureRequest) -> tuple[str, str | None, str | None]:
    """``embedded`` (SQLite, in-process stores) or ``production`` (PostgreSQL, Redis)."""
    if request.param == "embedded":
        return "embedded", None, None
    postgres = str(request.getfixturevalue("fresh_postgres_database"))
    redis_url = str(request.getfixturevalue("redis_url"))
    return "production", postgres, redis_url


@pytest.fixture
async def deployment(
    deployment_kind: tuple[str, str | None, str | None], tmp_path: Path, test_run_id: str
) -> AsyncIterator[Deployment]:
    """The four subgraphs on seeded databases, and where a gateway in front keeps its state."""
    name, postgres, redis_url = deployment_kind
    urls = stack_database_urls("postgres" if postgres else "sqlite", tmp_path, postgres)
    await prepare_stack(urls)
    prefix = f"ordergate-test:{test_run_id}:{uuid.uuid4().hex[:8]}"
    async with serve_stack(urls) as stack:
        yield Deployment(name, stack, tmp_path, redis_url, prefix)
    if redis_url is not None:
        client = Redis.from_url(redis_url)
        try:
            keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=1000)]
            if keys:
                await client.delete(*keys)
        finally:
            await client.aclose()
