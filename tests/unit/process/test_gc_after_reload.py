"""The app freezes again after a hot reload, once the replaced engine is idle and closed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from live_server import live_server
from local_engine import DEFAULT_SDL, LocalEngine

from gateway.app import create_app
from gateway.engine.slot import EngineSlot
from gateway.process import GcSettings, GcTuner
from gateway.settings import GatewaySettings


async def _until(condition: object, what: str) -> None:
    for _ in range(800):  # a deadlock guard, not a timing assertion
        if callable(condition) and condition():
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"never happened: {what}")


async def test_refreeze_waits_for_the_replaced_engine_then_freezes_the_new_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "supergraph.graphql"
    path.write_text(DEFAULT_SDL)
    engines: list[LocalEngine] = []

    def build(sdl: str) -> LocalEngine:
        engines.append(LocalEngine(sdl))
        return engines[-1]

    tuner = GcTuner(GcSettings(collect_interval_seconds=0))
    settings = GatewaySettings(supergraph_path=path, watch_supergraph=True)
    app = create_app(settings, build, gc_tuner=tuner)
    async with live_server(app) as url, httpx.AsyncClient(base_url=url) as client:
        assert tuner.applied and tuner.freezes == 1
        slot: EngineSlot = app.state.engine_slot
        slow = asyncio.create_task(client.post("/graphql", json={"query": "{ slow }"}))
        await _until(lambda: slot.in_flight == 1, "the slow request reaches the engine")
        path.write_text(DEFAULT_SDL.replace('"world"', '"second"'))
        await _until(lambda: len(engines) == 2 and slot.engine is engines[1], "the reload")
        assert tuner.freezes == 1  # the first engine is still in use: not yet
        engines[0].release_slow.set()
        assert (await slow).json() == {"data": {"slow": "done"}}
        await _until(lambda: tuner.freezes == 2, "the freeze after the reload")
        assert engines[0].closed
    assert not tuner.applied  # the lifespan gave the collector its settings back


async def test_drained_returns_at_once_without_replaced_engines() -> None:
    slot = EngineSlot()
    slot.install(LocalEngine())
    await slot.drained()
    slot.install(LocalEngine())
    await slot.drained()  # the idle first engine is closed meanwhile
    await slot.aclose()
