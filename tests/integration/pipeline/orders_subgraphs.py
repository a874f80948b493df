"""Two small Strawberry Federation-2 subgraphs (orders, payments) behind the authorization and
cost fixture ``fixtures/supergraph.graphql``.

They implement ``fixtures/orders.graphql`` and ``fixtures/payments.graphql`` (the directives for
the gateway live in those SDL files and the supergraph; the subgraphs themselves trust the
gateway). :class:`SubgraphLog` records what each subgraph received, so tests can prove that a
removed field or a refused operation never reached it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Annotated, Any

import orjson
import strawberry
from graphql import GraphQLError
from strawberry.asgi import GraphQL
from strawberry.types import Info

CUSTOMERS = {
    "c1": {"email": "ada@example.com", "name": "Ada"},
    "c2": {"email": "bob@example.com", "name": "Bob"},
}
ORDERS = {
    "o1": {"number": "SO-1", "customer": "c1", "notes": "fragile", "total": 1200},
    "o2": {"number": "SO-2", "customer": "c2", "notes": "call first", "total": 300},
    "o3": {"number": "SO-3", "customer": "c1", "notes": None, "total": 50},
}
LINES = {
    "o1": [("l1", "SKU-A", 2, 500), ("l2", "SKU-B", 1, 200)],
    "o2": [("l3", "SKU-C", 3, 100)],
    "o3": [],
}
PAYMENTS = {
    "o1": [("p1", 1200, ("card", "4242"), "ch_1")],
    "o2": [
        ("p2", 200, ("bank", "DE89370400440532013000"), "tr_2"),
        ("p3", 100, ("card", "1881"), "ch_3"),
    ],
    "o3": [],
}


@dataclass
class SubgraphLog:
    """What the subgraphs received (shared with the tests of one module)."""

    #: HTTP POSTs per subgraph
    requests: Counter[str] = field(default_factory=Counter)
    #: GraphQL documents per subgraph, in order
    queries: dict[str, list[str]] = field(default_factory=dict)
    #: the X-Request-ID header of each POST per subgraph (None when absent)
    request_ids: dict[str, list[str | None]] = field(default_factory=dict)
    cancelled: list[str] = field(default_factory=list)

    def asked(self, subgraph: str, text: str) -> bool:
        """Whether some query sent to ``subgraph`` contains ``text``."""
        return any(text in query for query in self.queries.get(subgraph, ()))

    def total(self) -> int:
        """Subgraph requests so far, all subgraphs together."""
        return sum(self.requests.values())


def _money(amount: int) -> Money:
    return Money(amount=amount, currency="EUR")


@strawberry.federation.type(shareable=True)
class Money:
    amount: int
    currency: str


@strawberry.interface
class Node:
    id: strawberry.ID


@strawberry.federation.type(keys=["id"])
class Customer(Node):
    email: str
    name: str | None

    @classmethod
    def resolve_reference(cls, **data: Any) -> Customer | None:
        return _customer(str(data["id"]))


@strawberry.type
class OrderLine:
    id: strawberry.ID
    sku: str
    quantity: int
    unit_cost: Money | None


@strawberry.federation.type(keys=["id"])
class Order(Node):
    number: str
    internal_notes: str | None
    total: Money

    @strawberry.field
    def customer(self) -> Customer | None:
        return _customer(str(ORDERS[str(self.id)]["customer"]))

    @strawberry.field
    def lines(self) -> list[OrderLine]:
        return [
            OrderLine(id=strawberry.ID(i), sku=s, quantity=q, unit_cost=_money(c))
            for i, s, q, c in LINES[str(self.id)]
        ]

    @classmethod
    def resolve_reference(cls, **data: Any) -> Order | None:
        return _order(str(data["id"]))


def _customer(customer_id: str) -> Customer | None:
    row = CUSTOMERS.get(customer_id)
    if row is None:
        return None
    return Customer(id=strawberry.ID(customer_id), email=row["email"], name=row["name"])


def _order(order_id: str) -> Order | None:
    row = ORDERS.get(order_id)
    if row is None:
        return None
    return Order(
        id=strawberry.ID(order_id),
        number=str(row["number"]),
        internal_notes=row["notes"],  # type: ignore[arg-type]
        total=_money(int(row["total"])),  # type: ignore[call-overload]
    )


SearchResult = Annotated[Order | Customer, strawberry.union("SearchResult")]


@strawberry.type(name="Query")
class OrdersQuery:
    @strawberry.field
    def order(self, id: strawberry.ID) -> Order | None:
        return _order(str(id))

    @strawberry.field
    def orders(self, first: int | None = 10) -> list[Order]:
        found = [_order(key) for key in list(ORDERS)[: max(first or 0, 0)]]
        return [order for order in found if order is not None]

    @strawberry.field
    def node(self, id: strawberry.ID) -> Node | None:
        return _order(str(id)) or _customer(str(id))

    @strawberry.field
    def nodes(self) -> list[Node]:
        found = [_order("o1"), _customer("c1"), _order("o2"), _customer("c2")]
        return [node for node in found if node is not None]

    @strawberry.field
    def me(self) -> Customer | None:
        return _customer("c1")

    @strawberry.field
    def search(self, text: str) -> list[SearchResult]:
        lowered = text.lower()
        results: list[Any] = [
            _order(key) for key, row in ORDERS.items() if lowered in str(row["number"]).lower()
        ]
        results += [
            _customer(key) for key, row in CUSTOMERS.items() if lowered in row["name"].lower()
        ]
        return results

    @strawberry.field
    def boom(self) -> str | None:
        raise GraphQLError(
            "the boom field failed",
            extensions={
                "code": "BOOM",
                "exception": {"stacktrace": ["Traceback (most recent call last):", "boom()"]},
                "stacktrace": ["at boom (orders.py:1)"],
            },
        )


@strawberry.type(name="Mutation")
class OrdersMutation:
    @strawberry.mutation
    def cancel_order(self, id: strawberry.ID, info: Info) -> Order | None:
        info.context["log"].cancelled.append(str(id))
        return _order(str(id))


@strawberry.type
class CardPayment:
    last4: str


@strawberry.type
class BankTransferPayment:
    iban: str


PaymentMethod = Annotated[CardPayment | BankTransferPayment, strawberry.union("PaymentMethod")]


@strawberry.federation.type(keys=["id"])
class Payment:
    id: strawberry.ID
    amount: Money
    method: PaymentMethod | None
    processor_reference: str | None
    fee: int | None

    @classmethod
    def resolve_reference(cls, **data: Any) -> Payment | None:
        for rows in PAYMENTS.values():
            for row in rows:
                if row[0] == data["id"]:
                    return _payment(row)
        return None


def _payment(row: tuple[str, int, tuple[str, str], str]) -> Payment:
    payment_id, amount, (kind, detail), reference = row
    method: Any = CardPayment(last4=detail) if kind == "card" else BankTransferPayment(iban=detail)
    return Payment(
        id=strawberry.ID(payment_id),
        amount=_money(amount),
        method=method,
        processor_reference=reference,
        fee=amount // 100,
    )


@strawberry.federation.type(name="Order", keys=["id"])
class PaymentsOrder:
    id: strawberry.ID

    @strawberry.field
    def payments(self) -> list[Payment]:
        return [_payment(row) for row in PAYMENTS.get(str(self.id), [])]

    @classmethod
    def resolve_reference(cls, **data: Any) -> PaymentsOrder:
        return PaymentsOrder(id=data["id"])


@strawberry.type(name="Query")
class PaymentsQuery:
    @strawberry.field
    def payment_count(self) -> int:
        return sum(len(rows) for rows in PAYMENTS.values())


class _Subgraph(GraphQL[dict[str, Any], None]):
    """Strawberry's ASGI app with the log in the resolvers' context."""

    def __init__(self, schema: strawberry.federation.Schema, log: SubgraphLog) -> None:
        super().__init__(schema)
        self.log = log

    async def get_context(self, request: Any, response: Any) -> dict[str, Any]:
        return {"request": request, "response": response, "log": self.log}


class _Recording:
    """ASGI wrapper recording each POST's query and X-Request-ID."""

    def __init__(self, name: str, app: Any, log: SubgraphLog) -> None:
        self.name, self.app, self.log = name, app, log

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        headers = dict(scope["headers"])
        self.log.requests[self.name] += 1
        self.log.queries.setdefault(self.name, []).append(str(orjson.loads(body).get("query")))
        request_id = headers.get(b"x-request-id")
        self.log.request_ids.setdefault(self.name, []).append(
            request_id.decode() if request_id is not None else None
        )
        delivered = False

        async def replay() -> dict[str, Any]:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def build_subgraphs(log: SubgraphLog) -> dict[str, Any]:
    """The two subgraphs as ASGI apps, by subgraph name."""
    schemas = {
        "orders": strawberry.federation.Schema(
            query=OrdersQuery, mutation=OrdersMutation, types=[Order, Customer]
        ),
        "payments": strawberry.federation.Schema(
            query=PaymentsQuery, types=[PaymentsOrder, Payment, CardPayment, BankTransferPayment]
        ),
    }
    return {name: _Recording(name, _Subgraph(schema, log), log) for name, schema in schemas.items()}
