"""A Strawberry Federation-2 subgraph whose resolvers wait at a gate, so that tests can hold
requests in flight deterministically and count the calls that reached it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import strawberry
from strawberry.asgi import GraphQL
from strawberry.types import Info

from gateway.composition import SubgraphSource, compose


@dataclass
class Calls:
    """What reached the subgraph, and the gate its resolvers wait at."""

    #: resolver calls by field name
    fields: dict[str, int] = field(default_factory=dict)
    #: the X-Ordergate-Principal and X-Tenant headers of each call
    headers: list[tuple[str | None, str | None]] = field(default_factory=list)
    gate: asyncio.Event = field(default_factory=asyncio.Event)

    def total(self) -> int:
        """Resolver calls so far, every field together."""
        return sum(self.fields.values())

    async def enter(self, name: str, info: Info) -> None:
        """Count the call, then wait until the test opens the gate."""
        self.fields[name] = self.fields.get(name, 0) + 1
        request = info.context["request"]
        self.headers.append(
            (request.headers.get("x-ordergate-principal"), request.headers.get("x-tenant"))
        )
        await self.gate.wait()

    def reset(self) -> None:
        """Forget the calls and close the gate."""
        self.fields.clear()
        self.headers.clear()
        self.gate = asyncio.Event()


def _calls(info: Info) -> Calls:
    calls: Calls = info.context["calls"]
    return calls


@strawberry.federation.type(keys=["id"])
class Item:
    id: strawberry.ID
    name: str
    rating: int | None = None


@strawberry.type
class Query:
    @strawberry.field
    async def item(self, info: Info, id: strawberry.ID) -> Item:
        await _calls(info).enter("item", info)
        return Item(id=id, name=f"item {id}")

    @strawberry.field
    async def flaky(self, info: Info) -> Item | None:
        await _calls(info).enter("flaky", info)
        raise ValueError("the catalog is down")


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def rate(self, info: Info, id: strawberry.ID, stars: int) -> Item:
        await _calls(info).enter("rate", info)
        return Item(id=id, name=f"item {id}", rating=stars)


class _CatalogApp(GraphQL):
    def __init__(self, schema: strawberry.federation.Schema, calls: Calls) -> None:
        super().__init__(schema)
        self.calls = calls

    async def get_context(self, request: Any, response: Any) -> dict[str, Any]:
        return {"request": request, "response": response, "calls": self.calls}


def build_catalog(calls: Calls) -> tuple[GraphQL, strawberry.federation.Schema]:
    """The ASGI app and its schema."""
    schema = strawberry.federation.Schema(query=Query, mutation=Mutation, types=[Item])
    return _CatalogApp(schema, calls), schema


def catalog_supergraph(schema: strawberry.federation.Schema, url: str) -> str:
    """The supergraph composed from the catalog alone."""
    return compose([SubgraphSource("catalog", url, schema.as_str())]).supergraph_sdl


@dataclass
class Catalog:
    """The running subgraph: its URL, the supergraph over it, and the calls it got."""

    url: str
    supergraph: str
    calls: Calls
