"""Strawberry types of the inventory subgraph.

Entities: Product (sku), Warehouse (code), StockLevel (compound key ``sku warehouseCode``),
Reservation (id), and OrderLine, owned by orders, extended with ``availability`` (which
``@requires`` the line's sku and quantity) and ``reservations``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeAlias, TypeVar

import strawberry

from subgraphs.common.context import SubgraphContext
from subgraphs.common.cost import PAGED, assumed
from subgraphs.common.errors import BadUserInputError
from subgraphs.common.ids import parse_id_or_none
from subgraphs.common.pagination import Connection, check_first
from subgraphs.common.values import Money
from subgraphs.inventory import domain, models
from subgraphs.inventory.domain import ReservationStatus, StockPosition
from subgraphs.inventory.loaders import InventoryLoaders, WarehouseStockKey
from subgraphs.inventory.services import InventoryUnitOfWork

__all__ = [
    "InventoryContext",
    "InventoryInfo",
    "LineAvailability",
    "OrderLine",
    "Product",
    "Reservation",
    "StockLevel",
    "Warehouse",
]

InventoryContext: TypeAlias = SubgraphContext[InventoryLoaders, InventoryUnitOfWork]
InventoryInfo: TypeAlias = strawberry.Info[InventoryContext, None]
ValueT = TypeVar("ValueT")

strawberry.enum(ReservationStatus, description="ACTIVE holds stock; RELEASED and CONSUMED do not.")


def _positions(levels: list[models.StockLevel]) -> list[StockPosition]:
    return [StockPosition(lvl.warehouse_code, lvl.on_hand, lvl.reserved) for lvl in levels]


@strawberry.federation.type(keys=["sku"], description="A product and its stock.")
class Product:
    """GraphQL ``Product`` (owned here; orders references it)."""

    sku: str
    name: str = strawberry.federation.field(shareable=True)
    description: str
    price: Money
    weight_grams: int

    @classmethod
    def from_model(cls, product: models.Product) -> Product:
        """Build from a row."""
        return cls(
            sku=product.sku,
            name=product.name,
            description=product.description,
            price=Money.of(product.price_amount, product.currency),
            weight_grams=product.weight_grams,
        )

    @classmethod
    async def resolve_reference(cls, info: InventoryInfo, sku: str) -> Product | None:
        """Entity resolution by sku (``null`` for an unknown sku)."""
        product = await info.context.loaders.product.load(sku)
        return cls.from_model(product) if product else None

    @strawberry.field(
        description="Stock per warehouse that carries the product.", directives=[assumed(5)]
    )
    async def stock(self, info: InventoryInfo) -> list[StockLevel]:
        levels = await info.context.loaders.stock_of_product.load(self.sku)
        return [StockLevel.from_model(level) for level in levels]

    @strawberry.field(description="Units available (on hand minus reserved) over all warehouses.")
    async def available_quantity(self, info: InventoryInfo) -> int:
        levels = await info.context.loaders.stock_of_product.load(self.sku)
        return sum(level.available for level in levels)


@strawberry.federation.type(keys=["code"], description="A warehouse holding stock.")
class Warehouse:
    """GraphQL ``Warehouse``."""

    code: str
    name: str
    city: str
    country: str

    @classmethod
    def from_model(cls, warehouse: models.Warehouse) -> Warehouse:
        """Build from a row."""
        return cls(
            code=warehouse.code, name=warehouse.name, city=warehouse.city, country=warehouse.country
        )

    @classmethod
    async def resolve_reference(cls, info: InventoryInfo, code: str) -> Warehouse | None:
        """Entity resolution by code."""
        warehouse = await info.context.loaders.warehouse.load(code)
        return cls.from_model(warehouse) if warehouse else None

    @strawberry.field(description="Stock levels by sku (first: at most 100).", directives=[PAGED])
    async def stock_levels(
        self, info: InventoryInfo, first: int = 20, after: str | None = None
    ) -> Connection[StockLevel]:
        key = WarehouseStockKey(self.code, check_first(first), after)
        page = await info.context.loaders.warehouse_stock.load(key)
        return page.map(StockLevel.from_model)


@strawberry.federation.type(
    keys=["sku warehouseCode"], description="Stock of one product in one warehouse."
)
class StockLevel:
    """GraphQL ``StockLevel`` (compound key)."""

    sku: str
    warehouse_code: str
    on_hand: int
    reserved: int
    available: int = strawberry.field(description="On hand minus reserved; never negative.")
    updated_at: datetime

    @classmethod
    def from_model(cls, level: models.StockLevel) -> StockLevel:
        """Build from a row."""
        return cls(
            sku=level.sku,
            warehouse_code=level.warehouse_code,
            on_hand=level.on_hand,
            reserved=level.reserved,
            available=level.available,
            updated_at=level.updated_at,
        )

    @classmethod
    async def resolve_reference(
        cls,
        info: InventoryInfo,
        sku: str,
        warehouseCode: str,  # noqa: N803 (the key's GraphQL name)
    ) -> StockLevel | None:
        """Entity resolution by the compound key."""
        level = await info.context.loaders.stock_level.load((sku, warehouseCode))
        return cls.from_model(level) if level else None

    @strawberry.field
    async def product(self, info: InventoryInfo) -> Product:
        product = await info.context.loaders.product.load(self.sku)
        assert product is not None, "stock_levels.sku is a foreign key"
        return Product.from_model(product)

    @strawberry.field
    async def warehouse(self, info: InventoryInfo) -> Warehouse:
        warehouse = await info.context.loaders.warehouse.load(self.warehouse_code)
        assert warehouse is not None, "stock_levels.warehouse_code is a foreign key"
        return Warehouse.from_model(warehouse)


@strawberry.federation.type(keys=["id"], description="Stock held for one order line.")
class Reservation:
    """GraphQL ``Reservation``."""

    id: strawberry.ID
    order_id: strawberry.ID
    order_line_id: strawberry.ID
    sku: str
    warehouse_code: str
    quantity: int
    status: ReservationStatus
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, reservation: models.Reservation) -> Reservation:
        """Build from a row."""
        return cls(
            id=strawberry.ID(str(reservation.id)),
            order_id=strawberry.ID(str(reservation.order_id)),
            order_line_id=strawberry.ID(str(reservation.order_line_id)),
            sku=reservation.sku,
            warehouse_code=reservation.warehouse_code,
            quantity=reservation.quantity,
            status=ReservationStatus(reservation.status),
            created_at=reservation.created_at,
            updated_at=reservation.updated_at,
        )

    @classmethod
    async def resolve_reference(cls, info: InventoryInfo, id: strawberry.ID) -> Reservation | None:
        """Entity resolution by id."""
        reservation_id = parse_id_or_none(id)
        if reservation_id is None:
            return None
        reservation = await info.context.loaders.reservation.load(reservation_id)
        return cls.from_model(reservation) if reservation else None

    @strawberry.field(description="The order line the stock is held for (owned by orders).")
    def order_line(self) -> OrderLine:
        return OrderLine(id=self.order_line_id, sku_value=self.sku, quantity_value=None)

    @strawberry.field
    async def stock_level(self, info: InventoryInfo) -> StockLevel:
        level = await info.context.loaders.stock_level.load((self.sku, self.warehouse_code))
        assert level is not None, "reservations reference a stock level"
        return StockLevel.from_model(level)


@strawberry.type(description="Whether an order line can be served from stock.")
class LineAvailability:
    """GraphQL ``LineAvailability``."""

    sku: str
    requested: int
    available: int = strawberry.field(description="Units available over all warehouses.")
    reserved_for_line: int = strawberry.field(description="Units held by ACTIVE reservations.")
    fulfillable: bool = strawberry.field(description="reservedForLine + available >= requested.")


@strawberry.federation.type(keys=["id"])
class OrderLine:
    """The orders subgraph's ``OrderLine``, extended with stock information."""

    id: strawberry.ID
    sku_value: strawberry.Private[str | None]
    quantity_value: strawberry.Private[int | None]

    @classmethod
    def resolve_reference(
        cls, id: strawberry.ID, sku: str | None = None, quantity: int | None = None
    ) -> OrderLine:
        """Any line id is accepted: orders owns lines; ``sku``/``quantity`` come with @requires."""
        return cls(id=id, sku_value=sku, quantity_value=quantity)

    @strawberry.federation.field(external=True)
    def sku(self) -> str:
        return _required(self.sku_value, "sku")

    @strawberry.federation.field(external=True)
    def quantity(self) -> int:
        return _required(self.quantity_value, "quantity")

    @strawberry.federation.field(
        requires=["sku quantity"], description="Stock available for this line."
    )
    async def availability(self, info: InventoryInfo) -> LineAvailability:
        sku = _required(self.sku_value, "sku")
        quantity = _required(self.quantity_value, "quantity")
        levels = await info.context.loaders.stock_of_product.load(sku)
        reserved = await self._active_reserved(info)
        value = domain.line_availability(quantity, _positions(levels), reserved)
        return LineAvailability(
            sku=sku,
            requested=value.requested,
            available=value.available,
            reserved_for_line=value.reserved_for_line,
            fulfillable=value.fulfillable,
        )

    @strawberry.field(
        description="Reservations made for this line, oldest first.", directives=[assumed(3)]
    )
    async def reservations(self, info: InventoryInfo) -> list[Reservation]:
        line_id = parse_id_or_none(self.id)
        if line_id is None:
            return []
        found = await info.context.loaders.reservations_of_line.load(line_id)
        return [Reservation.from_model(reservation) for reservation in found]

    async def _active_reserved(self, info: InventoryInfo) -> int:
        line_id = parse_id_or_none(self.id)
        if line_id is None:
            return 0
        found = await info.context.loaders.reservations_of_line.load(line_id)
        return sum(
            reservation.quantity
            for reservation in found
            if reservation.status == ReservationStatus.ACTIVE.value
        )


def _required(value: ValueT | None, name: str) -> ValueT:
    if value is None:
        raise BadUserInputError(
            f"OrderLine.{name} must be in the representation (@requires)", field=name
        )
    return value
