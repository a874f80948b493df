"""Data access of the inventory database."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from subgraphs.common.pagination import Page, decode_cursor, encode_cursor
from subgraphs.inventory.domain import ReservationStatus
from subgraphs.inventory.models import (
    Product,
    Reservation,
    StockAdjustment,
    StockLevel,
    Warehouse,
)

__all__ = ["InventoryRepository", "StockKey"]

#: ``(sku, warehouse_code)``, the compound key of a stock level.
StockKey = tuple[str, str]


class InventoryRepository:
    """Products, warehouses, stock levels and reservations."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- writes -----------------------------------------------------------------------------

    async def product(self, sku: str) -> Product | None:
        """One product by sku."""
        return await self.session.get(Product, sku)

    async def warehouse(self, code: str) -> Warehouse | None:
        """One warehouse by code."""
        return await self.session.get(Warehouse, code)

    async def stock_for_update(self, sku: str) -> list[StockLevel]:
        """Every stock level of ``sku``, row-locked (PostgreSQL) for the transaction."""
        rows = await self.session.scalars(
            select(StockLevel)
            .where(StockLevel.sku == sku)
            .order_by(StockLevel.warehouse_code)
            .with_for_update()
        )
        return list(rows)

    async def reservation_for_update(self, reservation_id: uuid.UUID) -> Reservation | None:
        """One reservation, row-locked."""
        statement = select(Reservation).where(Reservation.id == reservation_id).with_for_update()
        return (await self.session.scalars(statement)).one_or_none()

    def add(self, row: StockLevel | Reservation | StockAdjustment) -> None:
        """Stage a new row."""
        self.session.add(row)

    # -- batched reads ----------------------------------------------------------------------

    async def products_by_skus(self, skus: Sequence[str]) -> dict[str, Product]:
        """Products by sku."""
        rows = await self.session.scalars(select(Product).where(Product.sku.in_(set(skus))))
        return {product.sku: product for product in rows}

    async def warehouses_by_codes(self, codes: Sequence[str]) -> dict[str, Warehouse]:
        """Warehouses by code."""
        rows = await self.session.scalars(select(Warehouse).where(Warehouse.code.in_(set(codes))))
        return {warehouse.code: warehouse for warehouse in rows}

    async def all_warehouses(self) -> list[Warehouse]:
        """Every warehouse by code."""
        return list(await self.session.scalars(select(Warehouse).order_by(Warehouse.code)))

    async def stock_by_skus(self, skus: Sequence[str]) -> dict[str, list[StockLevel]]:
        """The stock levels of each sku, by warehouse code."""
        rows = await self.session.scalars(
            select(StockLevel)
            .where(StockLevel.sku.in_(set(skus)))
            .order_by(StockLevel.sku, StockLevel.warehouse_code)
        )
        grouped: dict[str, list[StockLevel]] = defaultdict(list)
        for level in rows:
            grouped[level.sku].append(level)
        return grouped

    async def stock_by_keys(self, keys: Sequence[StockKey]) -> dict[StockKey, StockLevel]:
        """Stock levels by compound key."""
        rows = await self.session.scalars(
            select(StockLevel).where(
                tuple_(StockLevel.sku, StockLevel.warehouse_code).in_(list(set(keys)))
            )
        )
        return {(level.sku, level.warehouse_code): level for level in rows}

    async def reservations_by_ids(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Reservation]:
        """Reservations by id."""
        rows = await self.session.scalars(select(Reservation).where(Reservation.id.in_(set(ids))))
        return {reservation.id: reservation for reservation in rows}

    async def reservations_by_lines(
        self, line_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[Reservation]]:
        """The reservations of each order line, oldest first."""
        rows = await self.session.scalars(
            select(Reservation)
            .where(Reservation.order_line_id.in_(set(line_ids)))
            .order_by(Reservation.order_line_id, Reservation.created_at, Reservation.id)
        )
        grouped: dict[uuid.UUID, list[Reservation]] = defaultdict(list)
        for reservation in rows:
            grouped[reservation.order_line_id].append(reservation)
        return grouped

    async def active_reserved_total(self, sku: str, warehouse_code: str) -> int:
        """Units held by ACTIVE reservations of one stock level."""
        total = await self.session.scalar(
            select(func.coalesce(func.sum(Reservation.quantity), 0)).where(
                Reservation.sku == sku,
                Reservation.warehouse_code == warehouse_code,
                Reservation.status == ReservationStatus.ACTIVE.value,
            )
        )
        return int(total or 0)

    # -- listings ---------------------------------------------------------------------------

    async def products_page(
        self, first: int, after: str | None, search: str | None
    ) -> Page[Product]:
        """Products by sku, optionally matching ``search`` in sku or name (case-insensitive)."""
        statement = select(Product)
        count = select(func.count()).select_from(Product)
        if search:
            needle = search.strip().lower()
            match = func.lower(Product.name).contains(needle, autoescape=True) | func.lower(
                Product.sku
            ).contains(needle, autoescape=True)
            statement = statement.where(match)
            count = count.where(match)
        if after is not None:
            (sku,) = decode_cursor(after, 1)
            statement = statement.where(Product.sku > str(sku))
        rows = list(await self.session.scalars(statement.order_by(Product.sku).limit(first + 1)))
        items = rows[:first]
        return Page(
            items=items,
            cursors=[encode_cursor([product.sku]) for product in items],
            has_next_page=len(rows) > first,
            total_count=int(await self.session.scalar(count) or 0),
        )

    async def stock_pages_per_warehouse(
        self, codes: Sequence[str], first: int, after: str | None
    ) -> dict[str, Page[StockLevel]]:
        """A page of stock levels (by sku) for each warehouse, in two statements."""
        ranked = select(
            StockLevel,
            func.row_number()
            .over(partition_by=StockLevel.warehouse_code, order_by=StockLevel.sku)
            .label("position"),
        ).where(StockLevel.warehouse_code.in_(set(codes)))
        if after is not None:
            (sku,) = decode_cursor(after, 1)
            ranked = ranked.where(StockLevel.sku > str(sku))
        subquery = ranked.subquery()
        ranked_level = aliased(StockLevel, subquery)
        rows = await self.session.scalars(
            select(ranked_level)
            .where(subquery.c.position <= first + 1)
            .order_by(subquery.c.warehouse_code, subquery.c.position)
        )
        counted = await self.session.execute(
            select(StockLevel.warehouse_code, func.count())
            .where(StockLevel.warehouse_code.in_(set(codes)))
            .group_by(StockLevel.warehouse_code)
        )
        counts: dict[str, int] = dict(counted.all())
        grouped: dict[str, list[StockLevel]] = defaultdict(list)
        for level in rows:
            grouped[level.warehouse_code].append(level)
        pages = {}
        for code in codes:
            found = grouped.get(code, [])
            items = found[:first]
            pages[code] = Page(
                items=items,
                cursors=[encode_cursor([level.sku]) for level in items],
                has_next_page=len(found) > first,
                total_count=counts.get(code, 0),
            )
        return pages
