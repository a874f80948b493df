"""The ``observability`` settings switch metrics and the access line on and off."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from live_server import live_server

from gateway.app import create_app
from gateway.settings import GatewaySettings

ROOT = Path(__file__).parents[3]
SUPERGRAPH = ROOT / "tests" / "integration" / "gateway" / "shop_supergraph.graphql"


def _settings(tmp_path: Path, **observability: object) -> GatewaySettings:
    return GatewaySettings(
        supergraph_path=SUPERGRAPH,
        watch_supergraph=False,
        persisted={"clients_file": tmp_path / "clients.yaml", "watch": False},
        observability=observability,
    )


async def test_metrics_are_served_by_default(tmp_path: Path) -> None:
    app = create_app(_settings(tmp_path))
    async with live_server(app) as url, httpx.AsyncClient(base_url=url) as client:
        response = await client.get("/metrics")
    assert response.status_code == 200
    assert "ordergate_gateway_requests_duration_seconds" in response.text


async def test_metrics_off_means_no_route_and_no_registry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = create_app(_settings(tmp_path, metrics={"enabled": False}, access_log={"enabled": False}))
    assert app.state.runtime.metrics is None
    async with live_server(app) as url, httpx.AsyncClient(base_url=url) as client:
        metrics = await client.get("/metrics")
        answer = await client.post("/graphql", json={"query": "{ __typename }"})
    assert metrics.status_code == 404
    assert answer.json()["data"] == {"__typename": "Query"}
    assert "gateway.access" not in capsys.readouterr().err


def test_unknown_observability_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="extra"):
        GatewaySettings(observability={"metrics": {"enable": True}})


def test_the_environment_sets_the_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERGATE_GATEWAY_OBSERVABILITY__METRICS__MAX_OPERATIONS", "7")
    monkeypatch.setenv("ORDERGATE_GATEWAY_OBSERVABILITY__ACCESS_LOG__ENABLED", "false")
    settings = GatewaySettings()
    assert settings.observability.metrics.max_operations == 7
    assert settings.observability.access_log.enabled is False
