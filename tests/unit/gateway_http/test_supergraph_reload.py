"""Supergraph hot reload: new file content replaces the engine without dropping requests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from live_server import live_server
from local_engine import DEFAULT_SDL, LocalEngine

from gateway.app import create_app
from gateway.engine.slot import EngineSlot, NoEngineError
from gateway.settings import GatewaySettings


async def _eventually(check: Callable[[], Awaitable[bool]], what: str) -> None:
    for _ in range(400):
        if await check():
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"never happened: {what}")


class _Factory:
    """Builds local engines and remembers every SDL it was asked for."""

    def __init__(self) -> None:
        self.engines: list[LocalEngine] = []
        self.requested: list[str] = []

    def __call__(self, sdl: str) -> LocalEngine:
        self.requested.append(sdl)
        engine = LocalEngine(sdl)  # raises on a broken SDL
        self.engines.append(engine)
        return engine


async def test_a_changed_file_is_served_and_a_broken_one_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "supergraph.graphql"
    path.write_text(DEFAULT_SDL)
    factory = _Factory()
    app = create_app(GatewaySettings(supergraph_path=path, watch_supergraph=True), factory)
    async with live_server(app) as url, httpx.AsyncClient(base_url=url) as client:

        async def hello() -> str:
            response = await client.post("/graphql", json={"query": "{ hello }"})
            return str(response.json()["data"]["hello"])

        assert await hello() == "hello world"
        path.write_text(DEFAULT_SDL.replace('"world"', '"reloaded"'))

        async def reloaded() -> bool:
            return await hello() == "hello reloaded"

        await _eventually(reloaded, "the new supergraph is served")
        assert factory.engines[0].closed

        path.write_text("type Query { broken(: }")

        async def broken_seen() -> bool:
            return any("broken" in sdl for sdl in factory.requested)

        await _eventually(broken_seen, "the broken file is read")
        assert await hello() == "hello reloaded"
        assert not factory.engines[-1].closed


async def test_requests_in_flight_finish_on_the_engine_they_started_with(tmp_path: Path) -> None:
    path = tmp_path / "supergraph.graphql"
    path.write_text(DEFAULT_SDL)
    factory = _Factory()
    app = create_app(GatewaySettings(supergraph_path=path, watch_supergraph=True), factory)
    async with live_server(app) as url, httpx.AsyncClient(base_url=url) as client:
        slow = asyncio.create_task(client.post("/graphql", json={"query": "{ slow }"}))
        slot: EngineSlot = app.state.engine_slot
        first = factory.engines[0]

        async def slow_started() -> bool:
            return slot.in_flight == 1

        await _eventually(slow_started, "the slow request reaches the engine")
        path.write_text(DEFAULT_SDL.replace('"world"', '"second"'))

        async def swapped() -> bool:
            return slot.engine is not first

        await _eventually(swapped, "the second engine is installed")
        assert not first.closed
        first.release_slow.set()
        response = await slow
        assert response.json() == {"data": {"slow": "done"}}

        async def first_closed() -> bool:
            return first.closed

        await _eventually(first_closed, "the first engine is closed once idle")


async def test_slot_without_an_engine_refuses() -> None:
    slot = EngineSlot()
    with pytest.raises(NoEngineError):
        async with slot.borrow():
            pass


async def test_slot_closes_an_idle_replaced_engine_at_once() -> None:
    slot = EngineSlot()
    first, second = LocalEngine(), LocalEngine()
    slot.install(first)
    slot.install(second)
    await asyncio.sleep(0)
    assert first.closed
    assert not second.closed
    await slot.aclose()
    assert second.closed
