"""Fixtures: the gated catalog subgraph on a loopback port, one per test."""

from __future__ import annotations

import asyncio
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest_asyncio
import uvicorn

sys.path.insert(0, str(Path(__file__).parent))

from catalog_subgraph import Calls, build_catalog, catalog_supergraph


@dataclass
class Catalog:
    """The running subgraph: its URL, the supergraph over it, and the calls it got."""

    url: str
    supergraph: str
    calls: Calls


@pytest_asyncio.fixture
async def catalog() -> AsyncIterator[Catalog]:
    """The catalog subgraph (no lifespan: Strawberry's ASGI app has none)."""
    calls = Calls()
    app, schema = build_catalog(calls)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, log_level="error", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes a flag, not an event
        await asyncio.sleep(0.01)
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        yield Catalog(url, catalog_supergraph(schema, url), calls)
    finally:
        calls.gate.set()
        server.should_exit = True
        await task
