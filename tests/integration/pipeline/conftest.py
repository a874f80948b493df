"""Fixtures: the orders and payments subgraphs on loopback ports, for a whole test module."""

from __future__ import annotations

import asyncio
import socket
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import uvicorn
from redis import Redis

sys.path.insert(0, str(Path(__file__).parent))

from orders_subgraphs import SubgraphLog, build_subgraphs
from pipeline_support import Credentials, StoreChoice


@dataclass
class Subgraphs:
    """The running subgraphs: their URLs and what they received."""

    urls: dict[str, str]
    log: SubgraphLog


async def _serve(app: Any) -> tuple[uvicorn.Server, asyncio.Task[None], int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, log_level="error", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes a flag, not an event
        await asyncio.sleep(0.01)
    return server, task, port


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def subgraphs() -> AsyncIterator[Subgraphs]:
    """Both subgraphs, up for the whole test module."""
    log = SubgraphLog()
    running = []
    urls: dict[str, str] = {}
    for name, app in build_subgraphs(log).items():
        server, task, port = await _serve(app)
        running.append((server, task))
        urls[name] = f"http://127.0.0.1:{port}/graphql"
    yield Subgraphs(urls, log)
    for server, _ in running:
        server.should_exit = True
    await asyncio.gather(*(task for _, task in running))


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
