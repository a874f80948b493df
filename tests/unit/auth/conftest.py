"""Fixtures for authentication tests: a real JWKS server on loopback and a test clock."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fake_clock import FakeClock
from jwt_support import JwksServer
from live_server import live_server


@pytest.fixture
async def jwks_server() -> AsyncIterator[JwksServer]:
    server = JwksServer()
    async with live_server(server.app()) as base_url:
        server.url = f"{base_url}/jwks.json"
        yield server


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
