"""Fixtures of the subgraph integration tests: a migrated database on SQLite and on PostgreSQL,
and a subgraph served over real HTTP (helpers live in ``subgraph_harness``).

Every test that takes ``database_url`` runs twice: once on a fresh SQLite file, once on a fresh
PostgreSQL database (``postgres`` marker; created and dropped by ``fresh_postgres_database``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from subgraph_harness import (
    CATALOG,
    STOCK,
    InventoryFixture,
    OrdersFixture,
    SubgraphClient,
    database_of,
    migrate,
    serve_subgraph,
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """The database engine a test runs on."""
    return str(request.param)


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A URL of an empty database on ``backend``."""
    if backend == "postgres":
        return str(request.getfixturevalue("fresh_postgres_database"))
    return f"sqlite+aiosqlite:///{tmp_path / 'subgraph.db'}"


@pytest.fixture
async def orders(database_url: str) -> AsyncIterator[OrdersFixture]:
    """The orders subgraph on a migrated database holding two customers and three products."""
    import uuid

    from subgraphs.common.db import utc_now
    from subgraphs.orders.models import CatalogItem, Customer

    await migrate("orders", database_url)
    async for client in serve_subgraph("orders", database_url):
        customer_ids = [uuid.uuid4(), uuid.uuid4()]
        async with database_of(client).write_sessions() as session:
            session.add_all(
                Customer(
                    id=customer_id,
                    email=f"customer{index}@example.com",
                    name=f"Customer {index}",
                    legacy_erp_id=f"ERP-{index}",
                    created_at=utc_now(),
                )
                for index, customer_id in enumerate(customer_ids)
            )
            session.add_all(
                CatalogItem(sku=sku, name=name, price_amount=price, currency="USD")
                for sku, (name, price) in CATALOG.items()
            )
            await session.commit()
        yield OrdersFixture(client, str(customer_ids[0]), str(customer_ids[1]))


@pytest.fixture
async def inventory(database_url: str) -> AsyncIterator[InventoryFixture]:
    """The inventory subgraph on a migrated database holding products, warehouses, stock."""
    from subgraphs.common.db import utc_now
    from subgraphs.inventory.models import Product, StockLevel, Warehouse

    await migrate("inventory", database_url)
    async for client in serve_subgraph("inventory", database_url):
        now = utc_now()
        async with database_of(client).write_sessions() as session:
            session.add_all(
                [
                    Warehouse(code="AMS", name="Amsterdam DC", city="Amsterdam", country="NL"),
                    Warehouse(code="NYC", name="New York DC", city="Newark", country="US"),
                    Warehouse(code="SIN", name="Singapore DC", city="Singapore", country="SG"),
                ]
            )
            session.add_all(
                Product(
                    sku=sku,
                    name=name,
                    description=f"The {name.lower()}.",
                    price_amount=price,
                    currency="USD",
                    weight_grams=500,
                    created_at=now,
                )
                for sku, (name, price) in CATALOG.items()
            )
            await session.flush()
            session.add_all(
                StockLevel(sku=sku, warehouse_code=code, on_hand=units, reserved=0, updated_at=now)
                for (sku, code), units in STOCK.items()
            )
            await session.commit()
        yield InventoryFixture(client)


@pytest.fixture
async def payments(database_url: str) -> AsyncIterator[SubgraphClient]:
    """The payments subgraph on a migrated, empty database."""
    await migrate("payments", database_url)
    async for client in serve_subgraph("payments", database_url):
        yield client


@pytest.fixture
async def shipments(database_url: str) -> AsyncIterator[SubgraphClient]:
    """The shipments subgraph on a migrated, empty database."""
    await migrate("shipments", database_url)
    async for client in serve_subgraph("shipments", database_url):
        yield client
