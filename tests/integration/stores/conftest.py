"""Every store test runs against both implementations: in-process and the real Redis.

The ``store_backend`` fixture is parametrized ``memory`` / ``redis`` (the latter carries the
``redis`` marker). Redis keys live under a prefix unique to the test and are deleted after it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from memory_or_redis import (
    backend_kind_params,
    close_replicas,
    redis_namespace,
    resolve_backend_kind,
)
from store_backends import StoreBackend


@pytest.fixture(params=backend_kind_params())
def store_kind(request: pytest.FixtureRequest) -> tuple[str, str | None]:
    """The implementation's name and, for Redis, the server URL (resolved outside any loop)."""
    return resolve_backend_kind(request)


@pytest.fixture
async def store_backend(
    store_kind: tuple[str, str | None], test_run_id: str
) -> AsyncIterator[StoreBackend]:
    """The in-process or the Redis implementation, with a clean namespace."""
    async with redis_namespace(store_kind, test_run_id) as (name, prefix, url, client):
        backend = StoreBackend(name, prefix, url, client)
        try:
            yield backend
        finally:
            await close_replicas(backend)
