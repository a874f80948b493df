"""The ``ordergate`` commands of the subgraphs: migrate, seed, subgraph, dev."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from click.testing import CliRunner

from ordergate.cli import main
from ordergate.commands.dev import DevOptions, build_dev_stack, demo_tokens, prepare_databases
from ordergate.examples import CROSS_SUBGRAPH_QUERY
from subgraphs.common.migrations import head_revision
from subgraphs.registry import definition
from subgraphs.snapshots import snapshot_path

SMALL = ["--customers", "5", "--products", "12", "--orders", "30"]


def test_migrate_creates_every_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["migrate", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("orders", "inventory", "payments", "shipments"):
        assert (tmp_path / f"{name}.db").is_file()
        assert f"{name}" in result.output
    for name in ("orders", "inventory", "payments", "shipments"):
        assert f"at revision {head_revision(definition(name).migrations)}" in result.output


def test_migrate_needs_one_subgraph_for_a_database_url(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["migrate", "--database-url", "sqlite+aiosqlite:///x.db"])
    assert result.exit_code == 2
    assert "exactly one SUBGRAPH" in result.output


def test_seed_then_seed_again(tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["seed", "--data-dir", str(tmp_path), *SMALL])
    assert first.exit_code == 0, first.output
    assert "30 orders" in first.output
    again = runner.invoke(main, ["seed", "--data-dir", str(tmp_path), *SMALL])
    assert again.exit_code == 0, again.output
    assert again.output.count("already seeded") == 4


def test_seed_rejects_a_too_small_config(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["seed", "--data-dir", str(tmp_path), "--orders", "3"])
    assert result.exit_code == 2


def test_print_sdl_matches_the_snapshot() -> None:
    result = CliRunner().invoke(main, ["subgraph", "payments", "--print-sdl"])
    assert result.exit_code == 0
    assert result.output == snapshot_path("payments").read_text(encoding="utf-8")


@pytest.mark.postgres
async def test_subgraph_command_serves_postgres(fresh_postgres_database: str) -> None:
    env = {**os.environ, "ORDERGATE_INVENTORY_LOG_LEVEL": "warning"}
    process = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).parent / "ordergate"), "subgraph", "inventory",
        "--database-url", fresh_postgres_database, "--port", "0", "--migrate",
        stdout=asyncio.subprocess.PIPE, env=env,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 60)).decode()
        assert line.startswith("inventory subgraph: http://127.0.0.1:"), line
        url = line.split()[2]
        async with httpx.AsyncClient() as client:
            ready = await client.get(url.replace("/graphql", "/ready"))
            assert ready.json() == {"status": "ready", "service": "inventory"}
            response = await client.post(url, json={"query": "{ warehouses { code } }"})
            assert response.json() == {"data": {"warehouses": []}}
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 30) == 0


async def test_dev_stack_serves_four_seeded_subgraphs(tmp_path: Path) -> None:
    options = DevOptions(data_dir=tmp_path, seed=True, port_offset=None, log_level="warning")
    urls = await prepare_databases(options)
    group = build_dev_stack(options, urls)
    async with group, httpx.AsyncClient() as client:
        assert [served.name for served in group.served] == [
            "orders",
            "inventory",
            "payments",
            "shipments",
            "gateway",
        ]
        for served in group.served:
            assert (await client.get(f"{served.base_url}/ready")).status_code == 200
            page = await client.get(served.url, headers={"Accept": "text/html"})
            assert "graphiql" in page.text.lower()
        orders_url = group.served[0].url
        found = await client.post(orders_url, json={"query": "{ orders(first: 1) { totalCount } }"})
        assert found.json() == {"data": {"orders": {"totalCount": 1000}}}
        tokens = await demo_tokens(options, urls)
        gateway = group.url_of("gateway")

        async def through_gateway(query: str, token: str) -> dict[str, Any]:
            headers = {"Authorization": f"Bearer {token}"}
            response = await client.post(gateway, json={"query": query}, headers=headers)
            body: dict[str, Any] = response.json()
            return body

        body = await through_gateway(CROSS_SUBGRAPH_QUERY, tokens["admin"])
        assert "errors" not in body
        customer = body["data"]["customers"]["edges"][0]["node"]
        orders = [edge["node"] for edge in customer["orders"]["edges"]]
        assert orders, "the seeded customer has orders"
        assert all(line["product"]["stock"] for order in orders for line in order["lines"])
        assert all(order["balanceDue"] and order["payments"] is not None for order in orders)
        assert all("shipments" in order for order in orders)
        page = await client.get(gateway, headers={"Accept": "text/html"})
        graphiql_token = re.search(r"Bearer ([\w.-]+)", page.text)
        assert graphiql_token is not None, "GraphiQL starts with a token in its headers"
        claims = jwt.decode(graphiql_token.group(1), options={"verify_signature": False})
        assert claims["sub"] == "demo-admin"

        # the customer token sees its own orders only; the partner no payment details
        mine = "{ orders(first: 100) { totalCount edges { node { customer { id } } } } }"
        everything = await through_gateway(mine, tokens["admin"])
        own = await through_gateway(mine, tokens["customer"])
        owners = {edge["node"]["customer"]["id"] for edge in own["data"]["orders"]["edges"]}
        assert len(owners) == 1
        assert 0 < own["data"]["orders"]["totalCount"] < everything["data"]["orders"]["totalCount"]
        partner = await through_gateway(CROSS_SUBGRAPH_QUERY, tokens["partner"])
        partner_orders = partner["data"]["customers"]["edges"][0]["node"]["orders"]["edges"]
        assert all(edge["node"]["payments"] is None for edge in partner_orders)
        assert {error["extensions"]["code"] for error in partner["errors"]} == {
            "UNAUTHORIZED_FIELD_OR_TYPE"
        }
    again = await prepare_databases(options)  # a second start keeps the data
    assert again == urls
