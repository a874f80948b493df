"""The four subgraphs of the federation benchmark (``bench/supergraph.graphql``) in Strawberry.

A port of ``bench/kit/subgraphs.js`` (same types, keys, ``@requires`` and ``@provides``, same
data apart from shorter review bodies) served as ASGI apps, so tests can run the benchmark query
through the gateway over real HTTP and count the calls each subgraph receives. One difference on
purpose: inventory computes ``shippingEstimate`` from the ``price`` and ``weight`` it receives in
the representations (the Node stand-in ignores them), so a test sees whether they were sent.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import strawberry
from strawberry.asgi import GraphQL

__all__ = ["BenchCalls", "build_bench_subgraphs"]

USERS = {
    uid: {"id": uid, "name": name, "username": username}
    for uid, name, username in [
        ("1", "Uri Goldshtein", "urigo"),
        ("2", "Dotan Simha", "dotansimha"),
        ("3", "Kamil Kisiela", "kamilkisiela"),
        ("4", "Arda Tanrikulu", "ardatan"),
        ("5", "Gil Gardosh", "gilgardosh"),
        ("6", "Laurin Quast", "laurin"),
    ]
}
IN_STOCK = {"1": True, "2": False, "3": False, "4": False, "5": True}
IN_STOCK.update({"6": True, "7": True, "8": False, "9": True})
PRODUCTS = {
    upc: {"upc": upc, "name": name, "price": price, "weight": weight}
    for upc, name, price, weight in [
        ("1", "Table", 899, 100),
        ("2", "Couch", 1299, 1000),
        ("3", "Glass", 15, 20),
        ("4", "Chair", 499, 100),
        ("5", "TV", 1299, 1000),
        ("6", "Lamp", 6999, 300),
        ("7", "Grill", 3999, 2000),
        ("8", "Fridge", 100000, 6000),
        ("9", "Sofa", 9999, 800),
    ]
}
REVIEWS = [
    {"id": rid, "body": f"review {rid}", "upc": upc}
    for rid, upc in [
        ("1", "1"),
        ("2", "1"),
        ("3", "1"),
        ("4", "1"),
        ("5", "2"),
        ("6", "2"),
        ("7", "2"),
        ("8", "2"),
        ("9", "3"),
        ("10", "4"),
        ("11", "4"),
    ]
]


# ------------------------------------------------------------------------------- accounts
@strawberry.federation.type(name="User", keys=["id"])
class AccountsUser:
    id: strawberry.ID
    name: str | None
    username: str | None
    birthday: int | None = 1234567890

    @classmethod
    def resolve_reference(cls, **data: Any) -> AccountsUser | None:
        return _user(str(data["id"]))


def _user(user_id: str) -> AccountsUser | None:
    found = USERS.get(user_id)
    if found is None:
        return None
    return AccountsUser(id=strawberry.ID(user_id), name=found["name"], username=found["username"])


@strawberry.type(name="Query")
class AccountsQuery:
    @strawberry.field
    def me(self) -> AccountsUser | None:
        return _user("1")

    @strawberry.field
    def user(self, id: strawberry.ID) -> AccountsUser | None:
        return _user(str(id))

    @strawberry.field
    def users(self) -> list[AccountsUser | None]:
        return [_user(uid) for uid in USERS]


# ------------------------------------------------------------------------------ inventory
@strawberry.federation.type(name="Product", keys=["upc"])
class InventoryProduct:
    upc: str
    price: int | None = strawberry.federation.field(external=True, default=None)
    weight: int | None = strawberry.federation.field(external=True, default=None)

    @strawberry.field
    def in_stock(self) -> bool | None:
        return IN_STOCK.get(self.upc)

    @strawberry.federation.field(requires=["price weight"])
    def shipping_estimate(self) -> int | None:
        if self.price is None or self.weight is None:
            return None
        return 0 if self.price > 1000 else self.weight // 2

    @classmethod
    def resolve_reference(cls, **data: Any) -> InventoryProduct | None:
        if data["upc"] not in IN_STOCK:
            return None
        return InventoryProduct(upc=data["upc"], price=data.get("price"), weight=data.get("weight"))


@strawberry.type(name="Query")
class InventoryQuery:
    @strawberry.field
    def health(self) -> str:  # a query type needs a field; the supergraph does not list it
        return "ok"


# ------------------------------------------------------------------------------- products
@strawberry.federation.type(name="Product", keys=["upc"])
class ProductsProduct:
    upc: str
    name: str | None
    price: int | None
    weight: int | None

    @classmethod
    def resolve_reference(cls, **data: Any) -> ProductsProduct | None:
        return _product(str(data["upc"]))


def _product(upc: str) -> ProductsProduct | None:
    found = PRODUCTS.get(upc)
    return ProductsProduct(**found) if found is not None else None


@strawberry.type(name="Query")
class ProductsQuery:
    @strawberry.field
    def top_products(self, first: int | None = 5) -> list[ProductsProduct | None]:
        return [_product(upc) for upc in list(PRODUCTS)[: first if first is not None else 5]]


# -------------------------------------------------------------------------------- reviews
@strawberry.federation.type(name="Product", keys=["upc"])
class ReviewsProduct:
    upc: str = strawberry.federation.field(external=True)

    @strawberry.field
    def reviews(self) -> list[ReviewsReview | None]:
        return [_review(r) for r in REVIEWS if r["upc"] == self.upc]

    @classmethod
    def resolve_reference(cls, **data: Any) -> ReviewsProduct:
        return ReviewsProduct(upc=str(data["upc"]))


@strawberry.federation.type(name="User", keys=["id"])
class ReviewsUser:
    id: strawberry.ID = strawberry.federation.field(external=True)
    username: str | None = strawberry.federation.field(external=True)

    @strawberry.field
    def reviews(self) -> list[ReviewsReview | None]:
        return [_review(r) for r in REVIEWS[:2]]

    @classmethod
    def resolve_reference(cls, **data: Any) -> ReviewsUser:
        return ReviewsUser(id=strawberry.ID(str(data["id"])), username="user")


@strawberry.federation.type(name="Review", keys=["id"])
class ReviewsReview:
    id: strawberry.ID
    body: str | None
    upc: strawberry.Private[str]

    @strawberry.field
    def product(self) -> ReviewsProduct | None:
        return ReviewsProduct(upc=self.upc)

    @strawberry.federation.field(provides=["username"])
    def author(self) -> ReviewsUser | None:
        return ReviewsUser(id=strawberry.ID("1"), username="urigo")

    @classmethod
    def resolve_reference(cls, **data: Any) -> ReviewsReview | None:
        found = next((r for r in REVIEWS if r["id"] == str(data["id"])), None)
        return _review(found) if found is not None else None


def _review(row: dict[str, str]) -> ReviewsReview:
    return ReviewsReview(id=strawberry.ID(row["id"]), body=row["body"], upc=row["upc"])


@strawberry.type(name="Query")
class ReviewsQuery:
    @strawberry.field
    def health(self) -> str:  # a query type needs a field; the supergraph does not list it
        return "ok"


class BenchCalls:
    """HTTP requests received per subgraph (POSTs only)."""

    def __init__(self) -> None:
        self.by_subgraph: Counter[str] = Counter()

    def total(self) -> int:
        """All calls so far."""
        return sum(self.by_subgraph.values())

    def reset(self) -> None:
        """Forget the calls so far."""
        self.by_subgraph.clear()


class _Counting:
    """ASGI wrapper counting the POSTs one subgraph receives."""

    def __init__(self, name: str, app: Any, calls: BenchCalls) -> None:
        self.name, self.app, self.calls = name, app, calls

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":  # Strawberry's app has nothing to start or stop
            while True:
                message = await receive()
                kind = message["type"].rsplit(".", 1)[-1]
                await send({"type": f"{message['type']}.complete"})
                if kind == "shutdown":
                    return
        if scope["type"] == "http" and scope["method"] == "POST":
            self.calls.by_subgraph[self.name] += 1
        await self.app(scope, receive, send)


def build_bench_subgraphs(calls: BenchCalls) -> dict[str, Any]:
    """The four benchmark subgraphs as ASGI apps, by subgraph name, counting into ``calls``."""
    schemas = {
        "accounts": strawberry.federation.Schema(query=AccountsQuery, types=[AccountsUser]),
        "inventory": strawberry.federation.Schema(query=InventoryQuery, types=[InventoryProduct]),
        "products": strawberry.federation.Schema(query=ProductsQuery, types=[ProductsProduct]),
        "reviews": strawberry.federation.Schema(
            query=ReviewsQuery, types=[ReviewsProduct, ReviewsUser, ReviewsReview]
        ),
    }
    return {name: _Counting(name, GraphQL(schema), calls) for name, schema in schemas.items()}
