"""Background services are injected into the app (ADR 0312): the gateway imports no worker."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from live_server import live_server
from local_engine import DEFAULT_SDL, LocalEngine

from gateway.app import create_app
from gateway.background import BackgroundService, GatewayHandles
from gateway.settings import GatewaySettings
from ordergate.gateway_app import embedded_worker
from wire.jobs.memory import MemoryJobBackend
from worker.service import EmbeddedWorker


@dataclass
class _Recorder:
    """A background service that records its life and what it was given."""

    events: list[str] = field(default_factory=list)
    handles: list[GatewayHandles] = field(default_factory=list)

    def factory(self, handles: GatewayHandles) -> BackgroundService | None:
        self.handles.append(handles)
        return self

    def start(self) -> None:
        self.events.append("start")

    async def stop(self) -> None:
        self.events.append("stop")


def _settings(tmp_path: Path, **overrides: object) -> GatewaySettings:
    path = tmp_path / "supergraph.graphql"
    path.write_text(DEFAULT_SDL)
    return GatewaySettings(supergraph_path=path, watch_supergraph=False, **overrides)


async def test_injected_services_run_while_the_app_serves(tmp_path: Path) -> None:
    recorder = _Recorder()
    skipped: list[GatewayHandles] = []

    def nothing_to_run(handles: GatewayHandles) -> BackgroundService | None:
        skipped.append(handles)
        return None

    app = create_app(
        _settings(tmp_path), LocalEngine, background=[nothing_to_run, recorder.factory]
    )
    async with live_server(app) as url, httpx.AsyncClient(base_url=url) as client:
        assert recorder.events == ["start"]
        response = await client.post("/graphql", json={"query": "{ hello }"})
        assert response.json()["data"] == {"hello": "hello world"}
        (handles,) = recorder.handles
        assert handles.job_backend is app.state.runtime.jobs.backend
        assert dict(handles.subgraph_urls()) == {}
    assert recorder.events == ["start", "stop"]
    assert len(skipped) == 1


async def test_without_jobs_a_service_gets_no_backend(tmp_path: Path) -> None:
    recorder = _Recorder()
    app = create_app(
        _settings(tmp_path, jobs={"enabled": False}), LocalEngine, background=[recorder.factory]
    )
    async with live_server(app):
        assert recorder.handles[0].job_backend is None


def _handles(settings: GatewaySettings, backend: MemoryJobBackend | None) -> GatewayHandles:
    urls: Mapping[str, str] = {"orders": "http://127.0.0.1:9/graphql"}
    return GatewayHandles(settings, backend, lambda: urls)


async def test_the_cli_injects_the_embedded_worker_when_the_settings_ask(tmp_path: Path) -> None:
    backend = MemoryJobBackend()
    worker = embedded_worker(_handles(_settings(tmp_path), backend))
    assert isinstance(worker, EmbeddedWorker)
    await worker.stop()
    off = _settings(tmp_path, jobs={"in_process_worker": False})
    assert embedded_worker(_handles(off, backend)) is None
    assert embedded_worker(_handles(_settings(tmp_path), None)) is None
