"""Label cardinality stays bounded: a flood of 5,000 distinct operation names and client
versions over real HTTP folds into ``other`` after the configured number of values."""

from __future__ import annotations

from pathlib import Path

import httpx
from live_server import live_server
from metrics_scrape import scrape

from gateway.app import create_app
from gateway.settings import GatewaySettings

ROOT = Path(__file__).parents[3]
SUPERGRAPH = ROOT / "tests" / "integration" / "gateway" / "shop_supergraph.graphql"
REQUESTS = "ordergate_gateway_requests_duration_seconds_count"
FLOOD = 5_000


async def test_a_flood_of_names_and_versions_keeps_the_series_bounded(tmp_path: Path) -> None:
    settings = GatewaySettings(
        supergraph_path=SUPERGRAPH,
        watch_supergraph=False,
        persisted={"clients_file": tmp_path / "clients.yaml", "watch": False},
        limits={"enabled": False},
        observability={
            "metrics": {"max_operations": 20, "max_client_versions": 10},
            "access_log": {"enabled": False},
        },
    )
    app = create_app(settings)
    async with live_server(app) as url, httpx.AsyncClient(base_url=url, timeout=30) as client:
        for index in range(FLOOD):
            response = await client.post(
                "/graphql",
                json={"query": f"query Flood{index} {{ __typename }}"},
                headers={"graphql-client-version": f"build-{index}"},
            )
            assert response.status_code == 200
        metrics = await scrape(client)
    series = metrics.series(REQUESTS)
    # 10 (name, version) pairs, 10 names with version "other", then one (other, other) series
    assert len(series) == 21
    assert metrics.value(REQUESTS) == FLOOD
    assert metrics.value(REQUESTS, operation="other", client_version="other") == FLOOD - 20
    assert metrics.value(REQUESTS, operation="Flood0", client_version="build-0") == 1
    assert metrics.value(REQUESTS, operation="Flood15", client_version="other") == 1
    assert {labels["client"] for labels in series} == {"anonymous"}
