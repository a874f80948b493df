"""The production HTTP edge (``gateway.app``) serving this engine over the shop subgraphs."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from live_server import live_server
from shop_deployment import Shop

from gateway.app import create_app
from gateway.engine.core import Engine, EngineOptions, options_from_settings
from gateway.engine.slot import ServingEngine
from gateway.settings import GatewaySettings, SubgraphSettings

pytestmark = pytest.mark.asyncio(loop_scope="module")

SUPERGRAPH = Path(__file__).parent / "shop_supergraph.graphql"


async def test_the_edge_serves_federated_queries(shop: Shop) -> None:
    settings = GatewaySettings(
        supergraph_path=SUPERGRAPH, subgraphs=SubgraphSettings(urls=shop.urls)
    )
    app = create_app(settings)
    async with live_server(app) as url, httpx.AsyncClient(base_url=url) as client:
        response = await client.post(
            "/graphql", json={"query": "{ topProducts(first: 1) { name inStock } }"}
        )
        assert response.status_code == 200
        payload = response.json()
        assert payload["data"] == {"topProducts": [{"name": "Table", "inStock": True}]}
        assert payload["extensions"]["cost"]["requested"] == 10  # default list size, 1 each
        refused = await client.get(
            "/graphql",
            params={"query": 'mutation { record(entry: "x") }'},
            headers={"apollo-require-preflight": "true"},
        )
        assert refused.status_code == 405


async def test_options_follow_the_gateway_settings(shop: Shop) -> None:
    settings = GatewaySettings(
        supergraph_path=SUPERGRAPH,
        production=True,
        plan_cache_size=7,
        subgraphs=SubgraphSettings(timeout_seconds=2.5, urls=shop.urls, deduplicate_inflight=False),
    )
    options = options_from_settings(settings)
    assert options == EngineOptions(
        subgraph_timeout=2.5,
        mask_subgraph_errors=True,
        plan_cache_size=7,
        subgraph_urls=shop.urls,
        dedupe_inflight=False,
        introspection=False,
        field_suggestions=False,
        hardening=settings.hardening,
    )
    debugging = GatewaySettings(subgraphs=SubgraphSettings(expose_errors=True))
    assert not options_from_settings(debugging).mask_subgraph_errors
    with pytest.raises(ValueError, match="production"):
        GatewaySettings(production=True, subgraphs=SubgraphSettings(expose_errors=True))
    engine: ServingEngine = shop.engine()
    assert isinstance(engine, Engine)
    assert engine.subgraph_urls == shop.urls
    assert len(engine.supergraph_hash) == 64
    await engine.aclose()
