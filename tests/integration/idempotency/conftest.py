"""Every idempotency store test runs against the in-process store and the real Redis, and every
subgraph test on SQLite and PostgreSQL.

``idempotency_backend`` is parametrized ``memory`` / ``redis`` (the latter carries the ``redis``
marker); Redis keys live under a prefix unique to the test and are deleted after it.
``order_stack`` serves the four subgraphs on seeded databases (``stack_backend``: ``sqlite`` /
``postgres``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from idempotency_backends import IdempotencyBackend
from memory_or_redis import (
    backend_kind_params,
    close_replicas,
    redis_namespace,
    resolve_backend_kind,
)
from stack_fixtures import deployment as deployment
from stack_fixtures import deployment_kind as deployment_kind
from stack_fixtures import order_stack as order_stack
from stack_fixtures import stack_backend as stack_backend
from stack_fixtures import stack_databases as stack_databases
from stack_fixtures import stack_urls as stack_urls


@pytest.fixture(params=backend_kind_params())
def idempotency_kind(request: pytest.FixtureRequest) -> tuple[str, str | None]:
    """The implementation's name and, for Redis, the server URL."""
    return resolve_backend_kind(request)


@pytest.fixture
async def idempotency_backend(
    idempotency_kind: tuple[str, str | None], test_run_id: str
) -> AsyncIterator[IdempotencyBackend]:
    """The in-process or the Redis store, with a clean namespace."""
    namespace = redis_namespace(idempotency_kind, test_run_id, ":idempotency")
    async with namespace as (name, prefix, url, client):
        backend = IdempotencyBackend(name, prefix, url, client)
        try:
            yield backend
        finally:
            await close_replicas(backend)
