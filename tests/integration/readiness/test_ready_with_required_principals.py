"""``/ready`` in the production topology: subgraphs that require the gateway's signed principal
(``PRINCIPAL_MODE=required``, as in docker-compose.yml), served over real HTTP on migrated
SQLite databases, behind a gateway that signs.

Each subgraph runs in its own server so that one can be stopped while the others run.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from live_server import live_server

from gateway.app import create_app
from gateway.composition import SubgraphSource, compose
from gateway.settings import GatewaySettings
from ordergate.commands._serving import ServerGroup
from ordergate.commands.migrate import migrate_databases
from subgraphs.registry import SUBGRAPH_NAMES, definition, sqlite_url
from subgraphs.snapshots import sdl_of

SECRET = "readiness-principal-secret-for-tests-0123456789"


@contextlib.asynccontextmanager
async def required_subgraphs(tmp_path: Path) -> AsyncIterator[dict[str, ServerGroup]]:
    """The four subgraphs, each in its own server group, refusing unsigned requests."""
    urls = {name: sqlite_url(tmp_path, name) for name in SUBGRAPH_NAMES}
    await migrate_databases(urls)
    async with contextlib.AsyncExitStack() as stack:
        groups: dict[str, ServerGroup] = {}
        for name in SUBGRAPH_NAMES:
            found = definition(name)
            settings = found.settings(
                database_url=urls[name], principal_mode="required", principal_secret=SECRET
            )
            group = ServerGroup()
            group.add(name, found.create_app(settings), host="127.0.0.1", port=0)
            groups[name] = await stack.enter_async_context(group)
        yield groups


def gateway_settings(tmp_path: Path, groups: dict[str, ServerGroup], mode: str) -> GatewaySettings:
    sources = [SubgraphSource(n, g.url_of(n), sdl_of(n)) for n, g in groups.items()]
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(compose(sources).supergraph_sdl, encoding="utf-8")
    forwarding = {"mode": mode, "secret": SECRET} if mode == "signed" else {"mode": mode}
    return GatewaySettings(
        supergraph_path=supergraph, watch_supergraph=False, principal_headers=forwarding
    )


async def test_ready_when_every_subgraph_requires_a_signed_principal(tmp_path: Path) -> None:
    async with required_subgraphs(tmp_path) as groups:
        subgraph = groups["orders"].url_of("orders")
        async with httpx.AsyncClient(timeout=10) as client:
            unsigned = await client.post(subgraph, json={"query": "{ __typename }"})
        assert unsigned.status_code == 401  # the subgraphs really refuse unsigned requests
        app = create_app(gateway_settings(tmp_path, groups, "signed"))
        async with live_server(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
            ready = await client.get("/ready")
            health = await client.get("/health")
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "ready"
    assert ready.json()["subgraphs"] == dict.fromkeys(SUBGRAPH_NAMES, "ok")
    assert health.status_code == 200


async def test_one_subgraph_down_is_named_without_its_address(tmp_path: Path) -> None:
    async with required_subgraphs(tmp_path) as groups:
        payments = groups["payments"].url_of("payments")
        app = create_app(gateway_settings(tmp_path, groups, "signed"))
        async with live_server(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
            assert (await client.get("/ready")).status_code == 200
            await groups["payments"].stop()
            ready = await client.get("/ready")
            health = await client.get("/health")
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "unavailable"
    assert body["subgraphs"]["payments"] == "unreachable"
    assert {n: o for n, o in body["subgraphs"].items() if n != "payments"} == dict.fromkeys(
        ["orders", "inventory", "shipments"], "ok"
    )
    port = payments.split(":")[2].split("/")[0]
    text = json.dumps(body)
    assert "127.0.0.1" not in text and port not in text and "http" not in text
    assert health.status_code == 200 and health.json() == {"status": "ok"}


async def test_a_gateway_that_does_not_sign_is_not_ready(tmp_path: Path) -> None:
    """The probe carries the principal the settings describe, no more: without signing, the
    subgraphs refuse it and /ready says so with the status they answered."""
    async with required_subgraphs(tmp_path) as groups:
        app = create_app(gateway_settings(tmp_path, groups, "off"))
        async with live_server(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
            ready = await client.get("/ready")
    assert ready.status_code == 503
    assert ready.json()["subgraphs"] == dict.fromkeys(SUBGRAPH_NAMES, "http_401")
