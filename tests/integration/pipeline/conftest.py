"""Fixtures: the orders and payments subgraphs on loopback ports, for a whole test module."""

from __future__ import annotations

import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from live_server import live_graphql_servers
from redis import Redis

sys.path.insert(0, str(Path(__file__).parent))

from orders_subgraphs import SubgraphLog, build_subgraphs
from pipeline_support import Credentials, StoreChoice, Subgraphs


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def subgraphs() -> AsyncIterator[Subgraphs]:
    """Both subgraphs, up for the whole test module."""
    log = SubgraphLog()
    async with live_graphql_servers(build_subgraphs(log)) as urls:
        yield Subgraphs(urls, log)


@pytest.fixture
def credentials(tmp_path: Path) -> Credentials:
    """An HS256 issuer and an (empty) API key file for one test."""
    return Credentials(tmp_path)


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def store(request: pytest.FixtureRequest, test_run_id: str) -> Iterator[StoreChoice]:
    """The in-process stores, or the real Redis under a key prefix deleted afterwards."""
    if request.param == "memory":
        yield StoreChoice("memory", {})
        return
    url: str = request.getfixturevalue("redis_url")
    prefix = f"ordergate-test:{test_run_id}:{uuid.uuid4().hex[:8]}"
    yield StoreChoice(
        "redis",
        {
            "redis": {"url": url, "key_prefix": prefix},
            "persisted": {"apq": {"store": "redis"}},
            "limits": {"store": "redis"},
        },
    )
    client = Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
