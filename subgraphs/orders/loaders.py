"""Per-request DataLoaders of the orders subgraph: each batch is one statement, one session."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from subgraphs.common.db import Database
from subgraphs.common.ownership import ALL_ACCESS, Access
from subgraphs.common.pagination import Page
from subgraphs.orders.models import Customer, Order, OrderLine
from subgraphs.orders.repository import CustomerRepository, OrderRepository

__all__ = ["CustomerOrdersKey", "OrdersLoaders"]


@dataclass(frozen=True, slots=True)
class CustomerOrdersKey:
    """Which page of a customer's orders is wanted."""

    customer_id: uuid.UUID
    first: int
    after: str | None
    status: str | None


class OrdersLoaders:
    """The DataLoaders of one request (never shared between requests), reading what the
    request's ``access`` may see."""

    def __init__(self, database: Database, access: Access = ALL_ACCESS) -> None:
        self._sessions = database.read_sessions
        self.access = access
        self.customer = DataLoader[uuid.UUID, Customer | None](self._load_customers)
        self.order = DataLoader[uuid.UUID, Order | None](self._load_orders)
        self.line = DataLoader[uuid.UUID, OrderLine | None](self._load_lines)
        self.lines_of_order = DataLoader[uuid.UUID, list[OrderLine]](self._load_lines_of_orders)
        self.customer_orders = DataLoader[CustomerOrdersKey, Page[Order]](
            self._load_customer_orders
        )

    def read_session(self) -> AsyncSession:
        """A short read session for a one-off query (listings that are not batched)."""
        return self._sessions()

    def prime_orders(self, orders: Iterable[Order]) -> None:
        """Cache order rows read by a listing, so entity lookups of them cost nothing."""
        for order in orders:
            self.order.prime(order.id, order)

    def prime_aggregate(self, order: Order) -> None:
        """Replace cached state with an order (and its loaded lines) a mutation just saved."""
        self.order.prime(order.id, order, force=True)
        lines = list(order.lines)
        self.lines_of_order.prime(order.id, lines, force=True)
        for line in lines:
            self.line.prime(line.id, line, force=True)

    async def _load_customers(self, ids: list[uuid.UUID]) -> list[Customer | None]:
        async with self._sessions() as session:
            found = await CustomerRepository(session, self.access).by_ids(ids)
        return [found.get(key) for key in ids]

    async def _load_orders(self, ids: list[uuid.UUID]) -> list[Order | None]:
        async with self._sessions() as session:
            found = await OrderRepository(session, self.access).by_ids(ids)
        return [found.get(key) for key in ids]

    async def _load_lines(self, ids: list[uuid.UUID]) -> list[OrderLine | None]:
        async with self._sessions() as session:
            found = await OrderRepository(session, self.access).lines_by_ids(ids)
        return [found.get(key) for key in ids]

    async def _load_lines_of_orders(self, ids: list[uuid.UUID]) -> list[list[OrderLine]]:
        async with self._sessions() as session:
            found = await OrderRepository(session, self.access).lines_of_orders(ids)
        return [found.get(key, []) for key in ids]

    async def _load_customer_orders(self, keys: list[CustomerOrdersKey]) -> list[Page[Order]]:
        groups: dict[tuple[int, str | None, str | None], list[uuid.UUID]] = defaultdict(list)
        for key in keys:
            groups[(key.first, key.after, key.status)].append(key.customer_id)
        pages: dict[CustomerOrdersKey, Page[Order]] = {}
        async with self._sessions() as session:
            repository = OrderRepository(session, self.access)
            for (first, after, status), customer_ids in groups.items():
                found = await repository.pages_per_customer(customer_ids, first, after, status)
                for customer_id, page in found.items():
                    pages[CustomerOrdersKey(customer_id, first, after, status)] = page
        return [pages[key] for key in keys]
