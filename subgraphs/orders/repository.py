"""Data access of the orders database: aggregate loading for writes, batched reads for loaders.

Every repository is bound to the request's :class:`~subgraphs.common.ownership.Access` and
applies it to each statement that reads or locks customers, orders or lines: a customer
principal finds only its own rows, whatever path asked (root field, nested field,
``_entities``, mutation). The catalog replica is not owned.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, selectinload

from subgraphs.common.errors import BadUserInputError
from subgraphs.common.ownership import Access
from subgraphs.common.pagination import Page, decode_cursor, encode_cursor, keyset_after
from subgraphs.orders.models import CatalogItem, Counter, Customer, Order, OrderLine

__all__ = [
    "CatalogRepository",
    "CustomerRepository",
    "OrderFilter",
    "OrderRepository",
]


@dataclass(frozen=True, slots=True)
class OrderFilter:
    """Optional conditions of an order listing."""

    status: str | None = None
    channel: str | None = None
    customer_id: uuid.UUID | None = None


def _order_cursor(order: Order) -> str:
    return encode_cursor([order.placed_at.isoformat(), str(order.id)])


def _order_after(cursor: str) -> tuple[datetime, uuid.UUID]:
    placed_at, order_id = decode_cursor(cursor, 2)
    try:
        return datetime.fromisoformat(placed_at), uuid.UUID(order_id)
    except (TypeError, ValueError) as exc:
        raise BadUserInputError(f"malformed cursor {cursor!r}", field="after") from exc


SelectT = TypeVar("SelectT", bound=Select[*tuple[Any, ...]])


def _filtered(statement: SelectT, where: OrderFilter) -> SelectT:
    if where.status is not None:
        statement = statement.where(Order.status == where.status)
    if where.channel is not None:
        statement = statement.where(Order.channel == where.channel)
    if where.customer_id is not None:
        statement = statement.where(Order.customer_id == where.customer_id)
    return statement


class CustomerRepository:
    """Customers (a customer principal sees only itself)."""

    def __init__(self, session: AsyncSession, access: Access) -> None:
        self.session = session
        self.access = access

    async def get(self, customer_id: uuid.UUID) -> Customer | None:
        """One customer by id."""
        return (await self.by_ids([customer_id])).get(customer_id)

    async def by_ids(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Customer]:
        """Customers by id (missing and hidden ids are absent)."""
        rows = await self.session.scalars(
            select(Customer).where(Customer.id.in_(set(ids)), self.access.visible(Customer.id))
        )
        return {customer.id: customer for customer in rows}

    async def page(self, first: int, after: str | None) -> Page[Customer]:
        """Customers ordered by email."""
        visible = self.access.visible(Customer.id)
        statement = select(Customer).where(visible)
        if after is not None:
            (email,) = decode_cursor(after, 1)
            statement = statement.where(Customer.email > str(email))
        rows = list(await self.session.scalars(statement.order_by(Customer.email).limit(first + 1)))
        total = await self.session.scalar(select(func.count()).select_from(Customer).where(visible))
        items = rows[:first]
        return Page(
            items=items,
            cursors=[encode_cursor([customer.email]) for customer in items],
            has_next_page=len(rows) > first,
            total_count=total or 0,
        )


class CatalogRepository:
    """The replicated product catalog."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_skus(self, skus: Sequence[str]) -> dict[str, CatalogItem]:
        """Catalog items by sku (unknown skus are absent)."""
        rows = await self.session.scalars(select(CatalogItem).where(CatalogItem.sku.in_(set(skus))))
        return {item.sku: item for item in rows}


class OrderRepository:
    """Orders and their lines (a customer principal sees only its own)."""

    def __init__(self, session: AsyncSession, access: Access) -> None:
        self.session = session
        self.access = access

    def _visible(self, statement: SelectT) -> SelectT:
        return statement.where(self.access.visible(Order.customer_id))

    async def get_for_update(self, order_id: uuid.UUID) -> Order | None:
        """The order aggregate (with lines), row-locked on PostgreSQL for the transaction;
        ``None`` when unknown or hidden."""
        statement = (
            select(Order)
            .where(Order.id == order_id, self.access.visible(Order.customer_id))
            .options(selectinload(Order.lines))
            .with_for_update()
        )
        return (await self.session.scalars(statement)).one_or_none()

    def add(self, order: Order) -> None:
        """Stage a new order (with its lines) for insertion."""
        self.session.add(order)

    async def next_number(self) -> int:
        """The next order number (``counters`` row, serialized by the row lock)."""
        result = await self.session.execute(
            update(Counter)
            .where(Counter.name == "order_number")
            .values(value=Counter.value + 1)
            .returning(Counter.value)
        )
        value = result.scalar_one_or_none()
        if value is not None:
            return value
        highest = await self.session.scalar(select(func.max(Order.number)))
        value = (highest or 100_000) + 1
        self.session.add(Counter(name="order_number", value=value))
        await self.session.flush()
        return value

    async def by_ids(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Order]:
        """Orders by id (headers only; missing and hidden ids are absent)."""
        rows = await self.session.scalars(
            self._visible(select(Order).where(Order.id.in_(set(ids))))
        )
        return {order.id: order for order in rows}

    async def lines_by_ids(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, OrderLine]:
        """Order lines by id (lines of hidden orders are absent)."""
        rows = await self.session.scalars(
            self._visible(
                select(OrderLine)
                .join(Order, Order.id == OrderLine.order_id)
                .where(OrderLine.id.in_(set(ids)))
            )
        )
        return {line.id: line for line in rows}

    async def lines_of_orders(
        self, order_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[OrderLine]]:
        """The lines of each order, by line number."""
        rows = await self.session.scalars(
            self._visible(
                select(OrderLine)
                .join(Order, Order.id == OrderLine.order_id)
                .where(OrderLine.order_id.in_(set(order_ids)))
            ).order_by(OrderLine.order_id, OrderLine.line_number)
        )
        lines: dict[uuid.UUID, list[OrderLine]] = defaultdict(list)
        for line in rows:
            lines[line.order_id].append(line)
        return lines

    async def page(self, first: int, after: str | None, where: OrderFilter) -> Page[Order]:
        """Orders, newest first."""
        statement = self._visible(_filtered(select(Order), where))
        if after is not None:
            statement = statement.where(
                keyset_after([Order.placed_at, Order.id], _order_after(after), descending=True)
            )
        statement = statement.order_by(Order.placed_at.desc(), Order.id.desc()).limit(first + 1)
        rows = list(await self.session.scalars(statement))
        total = await self.session.scalar(
            self._visible(_filtered(select(func.count(Order.id)), where))
        )
        items = rows[:first]
        return Page(
            items=items,
            cursors=[_order_cursor(order) for order in items],
            has_next_page=len(rows) > first,
            total_count=total or 0,
        )

    async def pages_per_customer(
        self,
        customer_ids: Sequence[uuid.UUID],
        first: int,
        after: str | None,
        status: str | None,
    ) -> dict[uuid.UUID, Page[Order]]:
        """One page of orders for each customer, in two statements whatever their number."""
        where = OrderFilter(status=status)
        ranked = self._visible(
            _filtered(
                select(
                    Order,
                    func.row_number()
                    .over(
                        partition_by=Order.customer_id,
                        order_by=(Order.placed_at.desc(), Order.id.desc()),
                    )
                    .label("position"),
                ).where(Order.customer_id.in_(set(customer_ids))),
                where,
            )
        )
        if after is not None:
            ranked = ranked.where(
                keyset_after([Order.placed_at, Order.id], _order_after(after), descending=True)
            )
        subquery = ranked.subquery()
        ranked_order = aliased(Order, subquery)
        rows = await self.session.scalars(
            select(ranked_order)
            .where(subquery.c.position <= first + 1)
            .order_by(subquery.c.customer_id, subquery.c.position)
        )
        counts_statement = self._visible(
            _filtered(
                select(Order.customer_id, func.count(Order.id)).where(
                    Order.customer_id.in_(set(customer_ids))
                ),
                where,
            )
        ).group_by(Order.customer_id)
        counts = {row[0]: row[1] for row in await self.session.execute(counts_statement)}
        grouped: dict[uuid.UUID, list[Order]] = defaultdict(list)
        for order in rows:
            grouped[order.customer_id].append(order)
        pages = {}
        for customer_id in customer_ids:
            found = grouped.get(customer_id, [])
            items = found[:first]
            pages[customer_id] = Page(
                items=items,
                cursors=[_order_cursor(order) for order in items],
                has_next_page=len(found) > first,
                total_count=counts.get(customer_id, 0),
            )
        return pages
