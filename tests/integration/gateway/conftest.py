"""Fixtures: the shop subgraphs served by uvicorn on 127.0.0.1 ephemeral ports."""

from __future__ import annotations

import asyncio
import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import uvicorn

sys.path.insert(0, str(Path(__file__).parent))

from shop_subgraphs import ShopState, build_subgraphs

from gateway.engine import Engine, EngineOptions, build_engine
from gateway.service import GraphQLRequest, GraphQLResult, RequestContext

SUPERGRAPH = (Path(__file__).parent / "shop_supergraph.graphql").read_text()


@dataclass
class Shop:
    """The running subgraphs: their URLs and shared state."""

    urls: dict[str, str]
    state: ShopState

    def engine(self, **options: Any) -> Engine:
        """An engine over the shop supergraph pointing at the running subgraphs."""
        urls = {**self.urls, **options.pop("subgraph_urls", {})}
        return build_engine(SUPERGRAPH, EngineOptions(subgraph_urls=urls, **options))


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
async def shop() -> AsyncIterator[Shop]:
    """The four subgraphs, up for the whole test module."""
    state = ShopState()
    running = []
    urls: dict[str, str] = {}
    for name, app in build_subgraphs(state).items():
        server, task, port = await _serve(app)
        running.append((server, task))
        urls[name] = f"http://127.0.0.1:{port}/graphql"
    yield Shop(urls, state)
    for server, _ in running:
        server.should_exit = True
    await asyncio.gather(*(task for _, task in running))


Run = Callable[..., Awaitable[GraphQLResult]]


@pytest.fixture
def closed_port_url() -> str:
    """A URL on which nothing listens."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/graphql"


async def run_query(
    engine: Engine, query: str, variables: dict[str, Any] | None = None, **kwargs: Any
) -> GraphQLResult:
    """Execute ``query`` on ``engine`` as the HTTP edge would."""
    return await engine.execute(
        GraphQLRequest(query=query, variables=variables, **kwargs), RequestContext("test")
    )
