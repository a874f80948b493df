"""The seed data: realistic volume, consistent across the four databases, idempotent.

On PostgreSQL the four subgraphs share one fresh database here (their tables and Alembic version
tables do not collide); on SQLite each has its own file, as in ``ordergate dev``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from subgraph_harness import migrate

from subgraphs.common.db import Database
from subgraphs.seed import SeedConfig, generate, seed_databases

NAMES = ("orders", "inventory", "payments", "shipments")


@pytest.fixture
async def seeded(backend: str, database_url: str, tmp_path: Path) -> dict[str, str]:
    urls = (
        dict.fromkeys(NAMES, database_url)
        if backend == "postgres"
        else {name: f"sqlite+aiosqlite:///{tmp_path / name}.db" for name in NAMES}
    )
    for name, url in urls.items():
        await migrate(name, url)
    results = await seed_databases(urls)
    assert not any(result.skipped for result in results)
    return urls


async def rows(url: str, sql: str) -> list[Any]:
    database = Database.connect(url)
    try:
        async with database.engine.connect() as connection:
            return list((await connection.execute(text(sql))).all())
    finally:
        await database.dispose()


async def test_volume_and_variety(seeded: dict[str, str]) -> None:
    orders_url = seeded["orders"]
    assert (await rows(orders_url, "SELECT count(*) FROM customers"))[0][0] >= 50
    assert (await rows(seeded["inventory"], "SELECT count(*) FROM products"))[0][0] == 200
    assert (await rows(seeded["inventory"], "SELECT count(*) FROM warehouses"))[0][0] == 3
    combos = await rows(orders_url, "SELECT channel, status, count(*) FROM orders GROUP BY 1, 2")
    assert sum(count for _, _, count in combos) == 1_000
    assert {(channel, status) for channel, status, _ in combos} == {
        (channel, status)
        for channel in ("WEB", "MOBILE", "MARKETPLACE", "B2B")
        for status in ("PENDING", "CONFIRMED", "PARTIALLY_FULFILLED", "FULFILLED", "CANCELLED")
    }
    statuses = {
        s for (s,) in await rows(seeded["payments"], "SELECT DISTINCT status FROM payments")
    }
    assert statuses == {
        "AUTHORIZED",
        "CAPTURED",
        "PARTIALLY_REFUNDED",
        "REFUNDED",
        "VOIDED",
        "FAILED",
    }
    shipment_statuses = await rows(seeded["shipments"], "SELECT DISTINCT status FROM shipments")
    assert {"DELIVERED", "IN_TRANSIT"} <= {s for (s,) in shipment_statuses}


async def test_payments_match_order_totals(seeded: dict[str, str]) -> None:
    orders = {
        str(order_id): (status, total)
        for order_id, status, total in await rows(
            seeded["orders"], "SELECT id, status, total_amount FROM orders"
        )
    }
    payments = await rows(
        seeded["payments"],
        "SELECT order_id, status, amount, captured_amount, refunded_amount FROM payments",
    )
    captured_per_order: dict[str, int] = defaultdict(int)
    for order_id, status, amount, captured, refunded in payments:
        _, total = orders[str(order_id)]
        assert amount == total
        assert 0 <= refunded <= captured <= amount
        if status != "FAILED":
            captured_per_order[str(order_id)] += captured - refunded
    for order_id, (status, total) in orders.items():
        if status in ("CONFIRMED", "PARTIALLY_FULFILLED"):
            assert captured_per_order[order_id] == total
        if status == "PENDING":
            assert captured_per_order[order_id] == 0


async def test_shipments_match_fulfilled_lines(seeded: dict[str, str]) -> None:
    lines = await rows(seeded["orders"], "SELECT id, fulfilled_quantity FROM order_lines")
    shipped: Counter[str] = Counter()
    for line_id, quantity in await rows(
        seeded["shipments"], "SELECT order_line_id, quantity FROM shipment_items"
    ):
        shipped[str(line_id)] += quantity
    assert sum(shipped.values()) > 0
    for line_id, fulfilled in lines:
        assert shipped[str(line_id)] == fulfilled


async def test_reservations_match_stock_and_lines(seeded: dict[str, str]) -> None:
    inventory = seeded["inventory"]
    active = {
        (sku, code): total
        for sku, code, total in await rows(
            inventory,
            "SELECT sku, warehouse_code, sum(quantity) FROM reservations "
            "WHERE status = 'ACTIVE' GROUP BY 1, 2",
        )
    }
    for sku, code, on_hand, reserved in await rows(
        inventory, "SELECT sku, warehouse_code, on_hand, reserved FROM stock_levels"
    ):
        assert reserved == active.get((sku, code), 0)
        assert 0 <= reserved <= on_hand
    per_line: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for line_id, status, quantity in await rows(
        inventory, "SELECT order_line_id, status, quantity FROM reservations"
    ):
        per_line[str(line_id)][status] += quantity
    lines = await rows(
        seeded["orders"],
        "SELECT l.id, l.quantity, l.fulfilled_quantity, o.status FROM order_lines l "
        "JOIN orders o ON o.id = l.order_id",
    )
    for line_id, quantity, fulfilled, status in lines:
        held = per_line[str(line_id)]
        if status == "CANCELLED":
            assert held == {"RELEASED": quantity}
        else:
            assert held.get("CONSUMED", 0) == fulfilled
            assert held.get("ACTIVE", 0) == quantity - fulfilled


async def test_seeding_twice_changes_nothing(seeded: dict[str, str]) -> None:
    before = await rows(seeded["orders"], "SELECT count(*) FROM orders")
    results = await seed_databases(seeded)
    assert all(result.skipped for result in results)
    assert await rows(seeded["orders"], "SELECT count(*) FROM orders") == before


def test_generation_is_deterministic() -> None:
    config = SeedConfig(customers=10, products=20, orders=40)
    assert generate(config) == generate(config)
    other = generate(SeedConfig(customers=10, products=20, orders=40, seed=7))
    assert other.orders["orders"] != generate(config).orders["orders"]
