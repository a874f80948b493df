"""The gateway serves the REST contract: ``/api/openapi.json`` (the bytes ``ordergate rest
openapi`` prints, rebuilt when the supergraph changes) and Swagger UI at ``/api/docs`` with its
files from the gateway itself, both without credentials, over a real socket."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from live_server import live_server
from openapi_spec_validator import validate

from gateway.app import create_app
from gateway.settings import GatewaySettings
from ordergate.cli import main
from webui import CONTENT_SECURITY_POLICY

ROOT = Path(__file__).resolve().parents[4]
ROUTES = ROOT / "persisted_queries" / "rest-routes.yaml"
SUPERGRAPH = ROOT / "schema" / "supergraph.graphql"


def _settings(
    supergraph: Path, rest: dict[str, Any] | None = None, **extra: Any
) -> GatewaySettings:
    return GatewaySettings(
        supergraph_path=supergraph,
        rest={"routes_file": ROUTES, **(rest or {})},  # type: ignore[arg-type]
        # the contract is public even where every other request needs credentials
        auth={"allow_anonymous": False},  # type: ignore[arg-type]
        **extra,
    )


@pytest.fixture
async def gateway(tmp_path: Path) -> AsyncIterator[tuple[str, Path]]:
    """The gateway over a copy of the checked-in supergraph (watched for changes)."""
    supergraph = tmp_path / "supergraph.graphql"
    shutil.copy(SUPERGRAPH, supergraph)
    async with live_server(create_app(_settings(supergraph, watch_supergraph=True))) as base:
        yield base, supergraph


def _cli_document(supergraph: Path) -> bytes:
    result = CliRunner().invoke(
        main,
        ["rest", "openapi", "--routes", str(ROUTES), "--supergraph", str(supergraph)],
        prog_name="ordergate",
    )
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


async def test_the_served_document_is_what_the_cli_prints(
    gateway: tuple[str, Path],
) -> None:
    base, supergraph = gateway
    async with httpx.AsyncClient(base_url=base) as client:
        response = await client.get("/api/openapi.json")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
        assert response.content == _cli_document(supergraph)
        validate(response.json())
        assert "x-request-id" in response.headers
        etag = response.headers["etag"]
        again = await client.get("/api/openapi.json", headers={"if-none-match": etag})
        assert again.status_code == 304
        assert again.content == b""
        # the GraphQL endpoint of the same app does need credentials
        graphql = await client.post("/graphql", json={"query": "{ __typename }"})
        assert graphql.status_code == 401


async def test_a_new_supergraph_gives_a_new_document(gateway: tuple[str, Path]) -> None:
    base, supergraph = gateway
    old = '"""Where an order is in its life."""'
    new = '"""Where an order is in its life (renamed for the test)."""'
    async with httpx.AsyncClient(base_url=base) as client:
        first = await client.get("/api/openapi.json")
        status = first.json()["components"]["schemas"]["OrderStatus"]
        assert status["description"] == "Where an order is in its life."
        sdl = supergraph.read_text(encoding="utf-8")
        assert old in sdl
        supergraph.write_text(sdl.replace(old, new), encoding="utf-8")
        for _ in range(600):  # until the watcher has installed the new supergraph
            second = await client.get("/api/openapi.json")
            if second.content != first.content:
                break
            await asyncio.sleep(0.05)
        assert second.status_code == 200
        assert second.headers["etag"] != first.headers["etag"]
        status = second.json()["components"]["schemas"]["OrderStatus"]
        assert status["description"] == "Where an order is in its life (renamed for the test)."
        assert second.content == _cli_document(supergraph)


async def test_swagger_ui_is_served_by_the_gateway_itself(gateway: tuple[str, Path]) -> None:
    base, _ = gateway
    async with httpx.AsyncClient(base_url=base) as client:
        page = await client.get("/api/docs")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        linked = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert linked and all(url.startswith("/api/docs/assets/") for url in linked)
        assert "://" not in page.text, "nothing from another host"
        settings = page.text.split('id="swagger-settings">')[1].split("</script>")[0]
        assert json.loads(settings) == {"url": "/api/openapi.json"}
        for url in linked:
            asset = await client.get(url)
            assert asset.status_code == 200, url
            assert asset.headers["cache-control"].endswith("immutable")
        assert (await client.get("/api/docs/assets/package.json")).status_code == 404


async def test_the_settings_turn_the_pages_off(tmp_path: Path) -> None:
    settings = _settings(
        SUPERGRAPH,
        watch_supergraph=False,
        rest={"docs": False},
    )
    async with live_server(create_app(settings)) as base, httpx.AsyncClient(base_url=base) as c:
        assert (await c.get("/api/openapi.json")).status_code == 200
        assert (await c.get("/api/docs")).status_code == 404
    settings = _settings(
        SUPERGRAPH,
        watch_supergraph=False,
        rest={"openapi": False},
    )
    async with live_server(create_app(settings)) as base, httpx.AsyncClient(base_url=base) as c:
        assert (await c.get("/api/openapi.json")).status_code == 404
        assert (await c.get("/api/docs")).status_code == 404


async def test_missing_swagger_files_are_named_not_fatal(tmp_path: Path) -> None:
    settings = _settings(
        SUPERGRAPH,
        watch_supergraph=False,
        http={"assets_dir": tmp_path / "empty"},  # type: ignore[arg-type]
    )
    async with live_server(create_app(settings)) as base, httpx.AsyncClient(base_url=base) as c:
        page = await c.get("/api/docs")
        assert page.status_code == 503
        assert "swagger-ui-dist" in page.text and "make install" in page.text
        assert str(tmp_path) not in page.text, "no server path reaches the client"
        assert (await c.get("/api/openapi.json")).status_code == 200
