"""Fixtures of the subgraph integration tests: a migrated database on SQLite and on PostgreSQL,
and a subgraph served over real HTTP.

Every test that takes ``database_url`` runs twice: once on a fresh SQLite file, once on a fresh
PostgreSQL database (``postgres`` marker; created and dropped by ``fresh_postgres_database``).
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from ordergate.commands._serving import ServerGroup
from subgraphs.common.app import runtime_of
from subgraphs.common.definition import SubgraphDefinition
from subgraphs.common.migrations import upgrade


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


def definition(name: str) -> SubgraphDefinition:
    """The definition of subgraph ``name``."""
    module = importlib.import_module(f"subgraphs.{name}.app")
    found = module.DEFINITION
    assert isinstance(found, SubgraphDefinition)
    return found


@dataclass
class GraphQLResponse:
    """A GraphQL response with helpers for assertions."""

    status_code: int
    body: dict[str, Any]
    headers: httpx.Headers

    @property
    def data(self) -> Any:
        """``data``, asserting there were no errors."""
        assert "errors" not in self.body, self.body["errors"]
        return self.body["data"]

    @property
    def error(self) -> dict[str, Any]:
        """The only error, asserting there was exactly one."""
        errors = self.body.get("errors")
        assert errors and len(errors) == 1, self.body
        return dict(errors[0])

    @property
    def code(self) -> str:
        """``extensions.code`` of the only error."""
        return str(self.error["extensions"]["code"])


@dataclass
class SubgraphClient:
    """A subgraph served over HTTP, with its app (for the database runtime)."""

    app: Starlette
    http: httpx.AsyncClient
    base_url: str

    async def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> GraphQLResponse:
        """POST one operation to ``/graphql``."""
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        return GraphQLResponse(response.status_code, response.json(), response.headers)

    async def entities(
        self, typename: str, representations: list[dict[str, Any]], selection: str
    ) -> list[Any]:
        """``_entities`` for ``representations`` of one type, selecting ``selection``."""
        query = (
            "query($r: [_Any!]!) { _entities(representations: $r) { "
            f"... on {typename} {{ {selection} }} }} }}"
        )
        reps = [{"__typename": typename, **rep} for rep in representations]
        return list((await self.execute(query, {"r": reps})).data["_entities"])


async def migrate(name: str, database_url: str) -> None:
    """Bring a database to the newest migration of subgraph ``name``."""
    found = definition(name)
    await upgrade(database_url, found.migrations)


async def serve_subgraph(name: str, database_url: str) -> AsyncIterator[SubgraphClient]:
    """Serve subgraph ``name`` over ``database_url`` on a free port."""
    found = definition(name)
    app = found.create_app(found.settings(database_url=database_url))
    group = ServerGroup()
    served = group.add(name, app, host="127.0.0.1", port=0)
    async with group, httpx.AsyncClient(base_url=served.base_url, timeout=30) as http:
        yield SubgraphClient(app=app, http=http, base_url=served.base_url)


def database_of(client: SubgraphClient) -> Any:
    """The :class:`~subgraphs.common.db.Database` of a served subgraph."""
    return runtime_of(client.app).database


@dataclass(frozen=True)
class OrdersFixture:
    """The orders subgraph with two customers and a small catalog."""

    client: SubgraphClient
    customer_id: str
    other_customer_id: str


CATALOG = {
    "SKU-MUG": ("Enamel mug", 1_250),
    "SKU-KETTLE": ("Stovetop kettle", 4_900),
    "SKU-LAMP": ("Desk lamp", 8_900),
}


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


@dataclass(frozen=True)
class InventoryFixture:
    """The inventory subgraph with three warehouses and three stocked products."""

    client: SubgraphClient


#: on hand per (sku, warehouse): the lamp is only in AMS; nothing is reserved yet
STOCK = {
    ("SKU-MUG", "AMS"): 10,
    ("SKU-MUG", "NYC"): 25,
    ("SKU-KETTLE", "NYC"): 4,
    ("SKU-KETTLE", "SIN"): 6,
    ("SKU-LAMP", "AMS"): 2,
}


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
