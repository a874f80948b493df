"""Fixtures: the gated catalog subgraph on a loopback port, one per test."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio
from live_server import live_graphql_servers

sys.path.insert(0, str(Path(__file__).parent))

from catalog_subgraph import Calls, Catalog, build_catalog, catalog_supergraph


@pytest_asyncio.fixture
async def catalog() -> AsyncIterator[Catalog]:
    """The catalog subgraph (no lifespan: Strawberry's ASGI app has none)."""
    calls = Calls()
    app, schema = build_catalog(calls)
    async with live_graphql_servers({"catalog": app}) as urls:
        try:
            yield Catalog(urls["catalog"], catalog_supergraph(schema, urls["catalog"]), calls)
        finally:
            calls.gate.set()
