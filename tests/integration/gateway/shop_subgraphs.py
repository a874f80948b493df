"""Four small Strawberry Federation-2 subgraphs (accounts, inventory, products, reviews).

They implement ``shop_supergraph.graphql`` beside this file and exist to exercise the gateway's
planner and executor over real HTTP. All state lives in a :class:`ShopState` made per test
module; each call to :func:`build_subgraphs` defines fresh Strawberry types around it.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.asgi import GraphQL
from strawberry.types import Info

PRODUCTS = {
    "p1": {"upc": "p1", "sku": "S1", "name": "Table", "price": 100, "weight": 10, "secret": "t"},
    "p2": {"upc": "p2", "sku": "S2", "name": "Chair", "price": 50, "weight": 5, "secret": "c"},
    "p3": {"upc": "p3", "sku": "S3", "name": "Lamp", "price": 20, "weight": 1, "secret": "l"},
}
IN_STOCK = {"p1": True, "p2": False, "p3": True}
REVIEWS = [
    {"id": "r1", "upc": "p1", "author": "u1", "body": "Great", "rating": 5},
    {"id": "r2", "upc": "p1", "author": "u2", "body": "Meh", "rating": 3},
    {"id": "r3", "upc": "p2", "author": "u1", "body": "Solid", "rating": 4},
]
USERS = {
    "u1": {"id": "u1", "name": "Ada", "email": "ada@example.com"},
    "u2": {"id": "u2", "name": "Bob", "email": "bob@example.com"},
}
ADMINS = {"a1": {"id": "a1", "email": "root@example.com", "level": 9}}
STOCK = [("S1", "W1", 4), ("S1", "W2", 0), ("S2", "W1", 7)]
WAREHOUSES = {"W1": "Lyon", "W2": "Oslo"}


@dataclass
class ShopState:
    """What the subgraphs share with the test: a mutation log and call counters."""

    log: list[str] = field(default_factory=list)
    #: HTTP requests received per subgraph
    requests: Counter[str] = field(default_factory=Counter)
    #: last GraphQL request body per subgraph
    bodies: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    counter_calls: int = 0


@strawberry.federation.interface(name="Account", keys=["id"])
class AccAccount:
    id: strawberry.ID
    email: str | None

    @classmethod
    def resolve_reference(cls, **data: Any) -> AccAccount | None:
        return _acc_account(str(data["id"]))


@strawberry.federation.type(name="User", keys=["id"])
class AccUser(AccAccount):
    name: str = strawberry.federation.field(shareable=True)
    tier: str = strawberry.federation.field(override="reviews")

    @classmethod
    def resolve_reference(cls, **data: Any) -> AccUser | None:
        found = _acc_account(str(data["id"]))
        return found if isinstance(found, AccUser) else None


@strawberry.federation.type(name="Admin", keys=["id"])
class AccAdmin(AccAccount):
    level: int

    @classmethod
    def resolve_reference(cls, **data: Any) -> AccAdmin | None:
        found = _acc_account(str(data["id"]))
        return found if isinstance(found, AccAdmin) else None


def _acc_account(account_id: str) -> AccAccount | None:
    if account_id in USERS:
        user = USERS[account_id]
        return AccUser(
            id=strawberry.ID(account_id), email=user["email"], name=user["name"], tier="gold"
        )
    if account_id in ADMINS:
        admin = ADMINS[account_id]
        return AccAdmin(id=strawberry.ID(account_id), email=admin["email"], level=admin["level"])
    return None


@strawberry.type(name="Query")
class AccQuery:
    @strawberry.field
    def me(self) -> AccUser | None:
        found = _acc_account("u1")
        return found if isinstance(found, AccUser) else None

    @strawberry.field
    def accounts(self) -> list[AccAccount]:
        return [a for a in (_acc_account(i) for i in ("u1", "u2", "a1")) if a is not None]


@strawberry.type(name="Mutation")
class AccMutation:
    @strawberry.mutation
    def record(self, entry: str, info: Info) -> list[str]:
        info.context["state"].log.append(f"accounts:{entry}")
        return list(info.context["state"].log)


@strawberry.federation.type(name="Warehouse", keys=["code"])
class InvWarehouse:
    code: str

    @strawberry.field
    def city(self) -> str:
        return WAREHOUSES[self.code]

    @classmethod
    def resolve_reference(cls, **data: Any) -> InvWarehouse:
        return InvWarehouse(code=data["code"])


@strawberry.federation.type(name="StockLevel", keys=["warehouse { code } sku"])
class InvStockLevel:
    sku: str
    warehouse: InvWarehouse
    quantity: int

    @classmethod
    def resolve_reference(cls, **data: Any) -> InvStockLevel | None:
        code = data["warehouse"]["code"]
        for sku, warehouse, quantity in STOCK:
            if sku == data["sku"] and warehouse == code:
                return InvStockLevel(sku=sku, warehouse=InvWarehouse(code=code), quantity=quantity)
        return None


@strawberry.federation.type(name="Product", keys=["upc"])
class InvProduct:
    upc: str
    name: str = strawberry.federation.field(shareable=True)
    price: int | None = strawberry.federation.field(external=True, default=None)
    weight: int | None = strawberry.federation.field(external=True, default=None)
    secret: str | None = strawberry.federation.field(external=True, default=None)

    @strawberry.field
    def in_stock(self) -> bool:
        return IN_STOCK[self.upc]

    @strawberry.federation.field(requires=["price weight"])
    def shipping_estimate(self, zone: str = "EU") -> int:
        if self.price is None or self.weight is None:
            raise GraphQLError("price and weight are required", extensions={"code": "BUG"})
        return self.price * self.weight // 10 * (2 if zone == "US" else 1)

    @strawberry.federation.field(requires=["secret"])
    def label(self) -> str:
        return f"label:{self.secret}"

    @strawberry.field
    def flaky(self) -> str | None:
        raise GraphQLError(
            "the flaky field failed",
            extensions={"code": "FLAKY", "exception": {"stacktrace": ["at flaky()"]}},
        )

    @strawberry.field
    async def slow(self) -> str | None:
        await asyncio.sleep(6)  # far beyond the timeout the test sets
        return "slow"

    @strawberry.field
    def stock(self) -> list[InvStockLevel]:
        sku = PRODUCTS[self.upc]["sku"]
        return [
            InvStockLevel(sku=s, warehouse=InvWarehouse(code=w), quantity=q)
            for s, w, q in STOCK
            if s == sku
        ]

    @classmethod
    def resolve_reference(cls, **data: Any) -> InvProduct:
        return InvProduct(
            upc=data["upc"],
            name=PRODUCTS[data["upc"]]["name"],
            price=data.get("price"),
            weight=data.get("weight"),
            secret=data.get("secret"),
        )


@strawberry.type(name="Query")
class InvQuery:
    @strawberry.field
    def low_stock(self) -> list[InvProduct]:
        return [
            InvProduct(upc=upc, name=str(PRODUCTS[upc]["name"]))
            for upc, stocked in IN_STOCK.items()
            if not stocked
        ]

    @strawberry.field
    async def counter(self, info: Info) -> int:
        info.context["state"].counter_calls += 1
        await asyncio.sleep(0.2)  # keeps identical requests in flight together
        return int(info.context["state"].counter_calls)


@strawberry.federation.type(name="Warehouse", keys=["code"])
class ProdWarehouse:
    code: str

    @classmethod
    def resolve_reference(cls, **data: Any) -> ProdWarehouse:
        return ProdWarehouse(code=data["code"])


@strawberry.federation.type(name="StockLevel", keys=["warehouse { code } sku"])
class ProdStockLevel:
    sku: str
    warehouse: ProdWarehouse

    @strawberry.field
    def reorder_point(self) -> int:
        return 2 if self.warehouse.code == "W1" else 1

    @classmethod
    def resolve_reference(cls, **data: Any) -> ProdStockLevel:
        return ProdStockLevel(
            sku=data["sku"], warehouse=ProdWarehouse(code=data["warehouse"]["code"])
        )


@strawberry.federation.type(name="Product", keys=["upc", "sku"])
class ProdProduct:
    upc: str
    sku: str
    name: str = strawberry.federation.field(shareable=True)
    price: int
    weight: int
    secret: str | None = strawberry.federation.field(inaccessible=True)

    @classmethod
    def resolve_reference(cls, **data: Any) -> ProdProduct | None:
        upc = data.get("upc")
        if upc is None:
            upc = next((u for u, p in PRODUCTS.items() if p["sku"] == data.get("sku")), None)
        return _prod_product(upc) if upc in PRODUCTS else None


def _prod_product(upc: str) -> ProdProduct:
    return ProdProduct(**PRODUCTS[upc])  # type: ignore[arg-type]


@strawberry.type(name="Query")
class ProdQuery:
    @strawberry.field
    def top_products(self, first: int = 5) -> list[ProdProduct]:
        return [_prod_product(upc) for upc in list(PRODUCTS)[:first]]

    @strawberry.field
    def product(self, upc: str) -> ProdProduct | None:
        return _prod_product(upc) if upc in PRODUCTS else None


@strawberry.type(name="Mutation")
class ProdMutation:
    @strawberry.mutation
    def set_price(self, upc: str, price: int, info: Info) -> ProdProduct:
        info.context["state"].log.append(f"products:{upc}={price}")
        product = _prod_product(upc)
        product.price = price
        return product


@strawberry.federation.interface_object(name="Account", keys=["id"])
class RevAccount:
    id: strawberry.ID

    @strawberry.field
    def review_count(self) -> int:
        return sum(1 for review in REVIEWS if review["author"] == self.id)

    @classmethod
    def resolve_reference(cls, **data: Any) -> RevAccount:
        return RevAccount(id=data["id"])


@strawberry.federation.type(name="Product", keys=["upc"])
class RevProduct:
    upc: str

    @strawberry.field
    def reviews(self) -> list[RevReview]:
        return [_rev_review(r) for r in REVIEWS if r["upc"] == self.upc]

    @classmethod
    def resolve_reference(cls, **data: Any) -> RevProduct:
        return RevProduct(upc=data["upc"])


@strawberry.federation.type(name="User", keys=["id"])
class RevUser:
    id: strawberry.ID
    name: str = strawberry.federation.field(external=True)
    tier: str

    @strawberry.field
    def reviews(self) -> list[RevReview]:
        return [_rev_review(r) for r in REVIEWS if r["author"] == self.id]

    @classmethod
    def resolve_reference(cls, **data: Any) -> RevUser:
        return RevUser(id=data["id"], name=USERS[data["id"]]["name"], tier="legacy")


@strawberry.federation.type(name="Review", keys=["id"])
class RevReview:
    id: strawberry.ID
    body: str
    rating: int
    author: RevUser | None = strawberry.federation.field(provides=["name"])
    product: RevProduct


def _rev_review(row: dict[str, Any]) -> RevReview:
    author = USERS[row["author"]]
    return RevReview(
        id=row["id"],
        body=row["body"],
        rating=row["rating"],
        author=RevUser(id=author["id"], name=author["name"], tier="legacy"),
        product=RevProduct(upc=row["upc"]),
    )


@strawberry.type(name="Query")
class RevQuery:
    @strawberry.field
    def reviews(self) -> list[RevReview]:
        return [_rev_review(r) for r in REVIEWS]

    @strawberry.field
    def search(self, term: str) -> list[SearchResult]:
        found: list[Any] = [_rev_review(r) for r in REVIEWS if term.lower() in r["body"].lower()]
        found += [
            RevProduct(upc=u) for u, p in PRODUCTS.items() if term.lower() in p["name"].lower()
        ]
        return found


SearchResult = Annotated[RevProduct | RevReview, strawberry.union("SearchResult")]


def _schemas() -> dict[str, strawberry.federation.Schema]:
    return {
        "accounts": strawberry.federation.Schema(
            query=AccQuery, mutation=AccMutation, types=[AccUser, AccAdmin]
        ),
        "inventory": strawberry.federation.Schema(
            query=InvQuery, types=[InvProduct, InvStockLevel]
        ),
        "products": strawberry.federation.Schema(
            query=ProdQuery, mutation=ProdMutation, types=[ProdProduct, ProdStockLevel]
        ),
        "reviews": strawberry.federation.Schema(
            query=RevQuery, types=[RevAccount, RevUser, RevReview, RevProduct]
        ),
    }


class _StatefulGraphQL(GraphQL[dict[str, Any], None]):
    """Strawberry's ASGI app handing the shared state to resolvers through the context."""

    def __init__(self, schema: strawberry.federation.Schema, state: ShopState) -> None:
        super().__init__(schema)
        self.state = state

    async def get_context(self, request: Any, response: Any) -> dict[str, Any]:
        return {"request": request, "response": response, "state": self.state}


class _Counting:
    """ASGI wrapper counting requests (and keeping bodies) per subgraph."""

    def __init__(self, name: str, app: Any, state: ShopState) -> None:
        self.name, self.app, self.state = name, app, state

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            self.state.requests[self.name] += 1
        await self.app(scope, receive, send)


def build_subgraphs(state: ShopState) -> dict[str, Any]:
    """The four subgraphs as ASGI apps, by subgraph name."""
    return {
        name: _Counting(name, _StatefulGraphQL(schema, state), state)
        for name, schema in _schemas().items()
    }
