"""Fixtures: the shop subgraphs served by uvicorn on 127.0.0.1 ephemeral ports."""

from __future__ import annotations

import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from live_server import live_graphql_servers

sys.path.insert(0, str(Path(__file__).parent))

from shop_deployment import Shop
from shop_subgraphs import ShopState, build_subgraphs

from gateway.engine.core import Engine
from gateway.engine.types import GraphQLRequest, GraphQLResult, RequestContext
from gateway.pipeline import SupergraphPipeline


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def shop() -> AsyncIterator[Shop]:
    """The four subgraphs, up for the whole test module."""
    state = ShopState()
    async with live_graphql_servers(build_subgraphs(state)) as urls:
        yield Shop(urls, state)


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
    return await SupergraphPipeline(engine).execute(
        GraphQLRequest(query=query, variables=variables, **kwargs), RequestContext("test")
    )
