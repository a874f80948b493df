"""The four order subgraphs on seeded databases, served over real HTTP, for end-to-end tests.

Used by the idempotency, job and crash tests. SQLite gets one file per subgraph; PostgreSQL one
database shared by the four (their tables never clash), as in the subgraph tests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import ColumnElement, Select, func, select, text
from sqlalchemy.orm import DeclarativeBase

from ordergate.commands._serving import ServerGroup
from subgraphs.common.db import create_engine
from subgraphs.registry import SUBGRAPH_NAMES, definition, sqlite_url
from subgraphs.seed import SeedConfig

#: a small, consistent data set: enough customers and products for every test
SMALL_SEED = SeedConfig(customers=6, products=12, orders=20)


def stack_database_urls(backend: str, tmp_path: Path, postgres_url: str | None) -> dict[str, str]:
    """``subgraph -> database URL`` on ``backend`` (``sqlite`` or ``postgres``)."""
    if backend == "postgres":
        assert postgres_url is not None
        return dict.fromkeys(SUBGRAPH_NAMES, postgres_url)
    return {name: sqlite_url(tmp_path, name) for name in SUBGRAPH_NAMES}


async def prepare_stack(urls: Mapping[str, str], config: SeedConfig = SMALL_SEED) -> None:
    """Migrate and seed the four databases."""
    from ordergate.commands.seed import seed_all

    await seed_all(dict(urls), config)


@dataclass
class OrderStack:
    """The served subgraphs: their GraphQL URLs and databases."""

    group: ServerGroup
    database_urls: dict[str, str]

    def url(self, name: str) -> str:
        """The GraphQL URL of subgraph ``name``."""
        return self.group.url_of(name)

    @property
    def urls(self) -> dict[str, str]:
        """``subgraph -> GraphQL URL``."""
        return {name: self.url(name) for name in SUBGRAPH_NAMES}


@asynccontextmanager
async def serve_stack(
    urls: Mapping[str, str], host: str = "127.0.0.1", **subgraph_settings: Any
) -> AsyncIterator[OrderStack]:
    """Serve the four subgraphs (already migrated) on free ports, with ``subgraph_settings``
    (e.g. ``principal_mode``) on top of their defaults."""
    group = ServerGroup()
    for name in SUBGRAPH_NAMES:
        found = definition(name)
        app = found.create_app(found.settings(database_url=urls[name], **subgraph_settings))
        group.add(name, app, host=host, port=0)
    async with group:
        yield OrderStack(group, dict(urls))


async def scalar(database_url: str, sql: str, **params: Any) -> Any:
    """The first column of the first row of ``sql``."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return (await connection.execute(text(sql), params)).scalar()
    finally:
        await engine.dispose()


async def count(
    database_url: str, model: type[DeclarativeBase], *where: ColumnElement[bool]
) -> int:
    """How many rows of ``model`` match ``where`` (portable across SQLite and PostgreSQL)."""
    statement: Select[tuple[int]] = select(func.count()).select_from(model).where(*where)
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(statement)).scalar_one())
    finally:
        await engine.dispose()


async def rows(database_url: str, sql: str, **params: Any) -> list[dict[str, Any]]:
    """Every row of ``sql`` as a dict."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            result = await connection.execute(text(sql), params)
            return [dict(row._mapping) for row in result]
    finally:
        await engine.dispose()


async def order_inputs(database_urls: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """Customer ids and skus (priced in USD) that ``createOrder`` accepts."""
    customers = await rows(database_urls["orders"], "SELECT id FROM customers ORDER BY email")
    skus = await rows(database_urls["orders"], "SELECT sku FROM catalog_items ORDER BY sku")
    return [str(row["id"]) for row in customers], [str(row["sku"]) for row in skus]


def create_order_input(customer_id: str, skus: list[str], quantity: int = 1) -> dict[str, Any]:
    """A valid ``CreateOrderInput``."""
    return {
        "customerId": customer_id,
        "channel": "B2B",
        "lines": [{"sku": sku, "quantity": quantity} for sku in skus],
        "shippingAddress": {
            "line1": "1 Main Street",
            "city": "Springfield",
            "postalCode": "12345",
            "country": "US",
        },
    }


async def post_graphql(
    http: httpx.AsyncClient,
    url: str,
    query: str,
    variables: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> httpx.Response:
    """POST one GraphQL operation."""
    return await http.post(
        url, json={"query": query, "variables": dict(variables or {})}, headers=dict(headers or {})
    )
