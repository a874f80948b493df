"""Live SDL sources: real Strawberry Federation subgraphs over real HTTP, composed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import pytest
import strawberry
from click.testing import CliRunner
from live_server import live_server
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL

from gateway.composition import CompositionFailedError, ErrorCode, compose
from ordergate.cli import main
from ordergate.subgraph_sources.config import SubgraphConfig, SubgraphsConfig
from ordergate.subgraph_sources.sources import fetch_sources


@strawberry.federation.type(keys=["sku"])
class Product:
    sku: strawberry.ID
    name: str = strawberry.federation.field(shareable=True)


@strawberry.type
class ProductQuery:
    @strawberry.field
    def product(self, sku: strawberry.ID) -> Product | None:
        return Product(sku=sku, name="Widget")


@strawberry.federation.type(keys=["sku"], name="Product")
class StockedProduct:
    sku: strawberry.ID
    available: int

    @classmethod
    def resolve_reference(cls, sku: strawberry.ID) -> StockedProduct:
        return cls(sku=sku, available=3)


@strawberry.type
class StockQuery:
    @strawberry.field
    def stocked(self) -> list[StockedProduct]:
        return []


def _app(query: type) -> Starlette:
    schema = strawberry.federation.Schema(query=query)
    return Starlette(routes=[Route("/graphql", GraphQL(schema))])


@pytest.fixture
async def subgraph_urls() -> AsyncIterator[dict[str, str]]:
    async with AsyncExitStack() as stack:
        catalog = await stack.enter_async_context(live_server(_app(ProductQuery)))
        stock = await stack.enter_async_context(live_server(_app(StockQuery)))
        yield {"catalog": f"{catalog}/graphql", "stock": f"{stock}/graphql"}


async def test_fetches_every_sdl_and_composes(subgraph_urls: dict[str, str]) -> None:
    config = SubgraphsConfig(
        subgraphs=[SubgraphConfig(name=name, url=url) for name, url in subgraph_urls.items()]
    )
    sources = await fetch_sources(config)
    assert [s.name for s in sources] == ["catalog", "stock"]
    assert all("@key" in s.sdl for s in sources)
    supergraph = compose(sources).supergraph_sdl
    assert f'CATALOG @join__graph(name: "catalog", url: "{subgraph_urls["catalog"]}")' in supergraph
    assert '@join__type(graph: STOCK, key: "sku")' in supergraph
    assert "available: Int! @join__field(graph: STOCK)" in supergraph


async def test_every_unreachable_or_non_subgraph_url_is_reported(
    subgraph_urls: dict[str, str],
) -> None:
    async def not_graphql(_: object) -> JSONResponse:
        return JSONResponse({"data": None})

    plain = Starlette(routes=[Route("/graphql", not_graphql, methods=["POST"])])
    async with live_server(plain) as not_a_subgraph, httpx.AsyncClient() as client:
        config = SubgraphsConfig(
            subgraphs=[
                SubgraphConfig(name="catalog", url=subgraph_urls["catalog"]),
                SubgraphConfig(name="plain", url=f"{not_a_subgraph}/graphql"),
                SubgraphConfig(name="gone", url=f"{not_a_subgraph}/missing"),
            ]
        )
        with pytest.raises(CompositionFailedError) as failure:
            await fetch_sources(config, client=client)
    errors = {e.subgraph: e for e in failure.value.errors}
    assert set(errors) == {"plain", "gone"}
    assert all(e.code == ErrorCode.SUBGRAPH_SDL_UNAVAILABLE for e in errors.values())
    assert "did not return `_service { sdl }`" in errors["plain"].message
    assert "HTTP 404" in errors["gone"].message


async def test_compose_live_saves_snapshots_then_check_passes_offline(
    subgraph_urls: dict[str, str], tmp_path: Path
) -> None:
    config = tmp_path / "subgraphs.yaml"
    config.write_text(
        "subgraphs:\n"
        + "".join(f"  - name: {name}\n    url: {url}\n" for name, url in subgraph_urls.items())
    )
    runner = CliRunner()
    live = await asyncio.to_thread(
        runner.invoke, main, ["compose", "--config", str(config), "--live", "--save-sdl"]
    )
    assert live.exit_code == 0, live.output
    assert "@key" in (tmp_path / "subgraphs" / "catalog.graphql").read_text()
    assert "available: Int!" in (tmp_path / "supergraph.graphql").read_text()
    offline = runner.invoke(main, ["compose", "--config", str(config), "--check"])
    assert offline.exit_code == 0, offline.output
