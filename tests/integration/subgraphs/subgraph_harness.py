"""Helpers of the subgraph integration tests: serve a subgraph over HTTP, query it, seed fixtures.

Imported by the test modules and by ``conftest.py`` of this folder (a unique module name, so
that it never clashes with other folders' ``conftest``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.applications import Starlette

from ordergate.commands._serving import ServerGroup
from subgraphs.common.app import runtime_of
from subgraphs.common.definition import SubgraphDefinition
from subgraphs.common.migrations import upgrade
from subgraphs.registry import definition as registered_definition


def definition(name: str) -> SubgraphDefinition:
    """The definition of subgraph ``name``."""
    return registered_definition(name)


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
