"""Per-request DataLoaders of the inventory subgraph (one statement and one session per batch)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from subgraphs.common.db import Database
from subgraphs.common.pagination import Page
from subgraphs.inventory.models import Product, Reservation, StockLevel, Warehouse
from subgraphs.inventory.repository import InventoryRepository, StockKey

__all__ = ["InventoryLoaders", "WarehouseStockKey"]


@dataclass(frozen=True, slots=True)
class WarehouseStockKey:
    """Which page of a warehouse's stock levels is wanted."""

    warehouse_code: str
    first: int
    after: str | None


class InventoryLoaders:
    """The DataLoaders of one request (never shared between requests)."""

    def __init__(self, database: Database) -> None:
        self._sessions = database.read_sessions
        self.product = DataLoader[str, Product | None](self._load_products)
        self.warehouse = DataLoader[str, Warehouse | None](self._load_warehouses)
        self.stock_of_product = DataLoader[str, list[StockLevel]](self._load_stock_of_products)
        self.stock_level = DataLoader[StockKey, StockLevel | None](self._load_stock_levels)
        self.reservation = DataLoader[uuid.UUID, Reservation | None](self._load_reservations)
        self.reservations_of_line = DataLoader[uuid.UUID, list[Reservation]](
            self._load_reservations_of_lines
        )
        self.warehouse_stock = DataLoader[WarehouseStockKey, Page[StockLevel]](
            self._load_warehouse_stock
        )

    def read_session(self) -> AsyncSession:
        """A short read session for a one-off query (listings that are not batched)."""
        return self._sessions()

    def prime_products(self, products: Iterable[Product]) -> None:
        """Cache product rows read by a listing."""
        for product in products:
            self.product.prime(product.sku, product)

    def prime_stock_level(self, level: StockLevel) -> None:
        """Replace cached state with a stock level a mutation just saved."""
        self.stock_level.prime((level.sku, level.warehouse_code), level, force=True)
        if self.stock_of_product.cache_map.get(level.sku) is not None:
            self.stock_of_product.clear(level.sku)

    async def _load_products(self, skus: list[str]) -> list[Product | None]:
        async with self._sessions() as session:
            found = await InventoryRepository(session).products_by_skus(skus)
        return [found.get(sku) for sku in skus]

    async def _load_warehouses(self, codes: list[str]) -> list[Warehouse | None]:
        async with self._sessions() as session:
            found = await InventoryRepository(session).warehouses_by_codes(codes)
        return [found.get(code) for code in codes]

    async def _load_stock_of_products(self, skus: list[str]) -> list[list[StockLevel]]:
        async with self._sessions() as session:
            found = await InventoryRepository(session).stock_by_skus(skus)
        return [found.get(sku, []) for sku in skus]

    async def _load_stock_levels(self, keys: list[StockKey]) -> list[StockLevel | None]:
        async with self._sessions() as session:
            found = await InventoryRepository(session).stock_by_keys(keys)
        return [found.get(key) for key in keys]

    async def _load_reservations(self, ids: list[uuid.UUID]) -> list[Reservation | None]:
        async with self._sessions() as session:
            found = await InventoryRepository(session).reservations_by_ids(ids)
        return [found.get(key) for key in ids]

    async def _load_reservations_of_lines(self, ids: list[uuid.UUID]) -> list[list[Reservation]]:
        async with self._sessions() as session:
            found = await InventoryRepository(session).reservations_by_lines(ids)
        return [found.get(key, []) for key in ids]

    async def _load_warehouse_stock(self, keys: list[WarehouseStockKey]) -> list[Page[StockLevel]]:
        groups: dict[tuple[int, str | None], list[str]] = defaultdict(list)
        for key in keys:
            groups[(key.first, key.after)].append(key.warehouse_code)
        pages: dict[WarehouseStockKey, Page[StockLevel]] = {}
        async with self._sessions() as session:
            repository = InventoryRepository(session)
            for (first, after), codes in groups.items():
                found = await repository.stock_pages_per_warehouse(codes, first, after)
                for code, page in found.items():
                    pages[WarehouseStockKey(code, first, after)] = page
        return [pages[key] for key in keys]
