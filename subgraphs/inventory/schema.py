"""The inventory subgraph schema: queries, mutations, and the schema factory."""

from __future__ import annotations

import strawberry

from subgraphs.common.cost import PAGED, assumed
from subgraphs.common.idempotency import once_for
from subgraphs.common.ids import parse_id
from subgraphs.common.pagination import Connection, check_first
from subgraphs.common.rights import guarded_mutation, requires_scopes
from subgraphs.common.schema import SubgraphSchema, build_schema
from subgraphs.inventory import imports, services
from subgraphs.inventory.import_types import ProductImportResult, ProductImportRow
from subgraphs.inventory.repository import InventoryRepository
from subgraphs.inventory.types import (
    InventoryInfo,
    OrderLine,
    Product,
    Reservation,
    StockLevel,
    Warehouse,
)

__all__ = ["Mutation", "Query", "build_inventory_schema"]

#: every inventory mutation: stock and products are back-office data
INVENTORY_WRITE = requires_scopes(["inventory:write"])


@strawberry.input(description="A manual change of on-hand stock.")
class AdjustStockInput:
    """Input of ``adjustStock``: ``delta`` units (negative removes), with a reason."""

    sku: str
    warehouse_code: str
    delta: int
    reason: str


@strawberry.input(description="Stock to hold for an order line.")
class ReserveStockInput:
    """Input of ``reserveStock``; without ``warehouseCode`` the best-stocked warehouse is used."""

    order_id: strawberry.ID
    order_line_id: strawberry.ID
    sku: str
    quantity: int
    warehouse_code: str | None = None


@strawberry.type
class Query:
    """Read access to products, warehouses and stock."""

    @strawberry.field(description="One product by sku (null when unknown).")
    async def product(self, info: InventoryInfo, sku: str) -> Product | None:
        return await Product.resolve_reference(info, sku)

    @strawberry.field(
        description="Products by sku, optionally searched (first: at most 100).",
        directives=[PAGED],
    )
    async def products(
        self,
        info: InventoryInfo,
        first: int = 20,
        after: str | None = None,
        search: str | None = None,
    ) -> Connection[Product]:
        async with info.context.loaders.read_session() as session:
            page = await InventoryRepository(session).products_page(
                check_first(first), after, search
            )
        info.context.loaders.prime_products(page.items)
        return page.map(Product.from_model)

    @strawberry.field(description="One warehouse by code (null when unknown).")
    async def warehouse(self, info: InventoryInfo, code: str) -> Warehouse | None:
        return await Warehouse.resolve_reference(info, code)

    @strawberry.field(description="Every warehouse (a handful), by code.", directives=[assumed(10)])
    async def warehouses(self, info: InventoryInfo) -> list[Warehouse]:
        async with info.context.loaders.read_session() as session:
            found = await InventoryRepository(session).all_warehouses()
        return [Warehouse.from_model(warehouse) for warehouse in found]

    @strawberry.field(description="Stock of one sku in one warehouse (null when none).")
    async def stock_level(
        self, info: InventoryInfo, sku: str, warehouse_code: str
    ) -> StockLevel | None:
        level = await info.context.loaders.stock_level.load((sku, warehouse_code))
        return StockLevel.from_model(level) if level else None

    @strawberry.field(description="One reservation by id (null when unknown).")
    async def reservation(self, info: InventoryInfo, id: strawberry.ID) -> Reservation | None:
        reservation = await info.context.loaders.reservation.load(parse_id(id))
        return Reservation.from_model(reservation) if reservation else None


@strawberry.type
class Mutation:
    """Stock changes; stock never goes negative."""

    @guarded_mutation(
        INVENTORY_WRITE,
        description="Add or remove on-hand units (never below what is reserved).",
    )
    async def adjust_stock(self, info: InventoryInfo, input: AdjustStockInput) -> StockLevel:
        command = services.AdjustStock(
            sku=input.sku.strip(),
            warehouse_code=input.warehouse_code.strip(),
            delta=input.delta,
            reason=input.reason,
        )
        level = await services.adjust_stock(
            command, info.context.unit_of_work(once_for(info, command))
        )
        info.context.loaders.prime_stock_level(level)
        return StockLevel.from_model(level)

    @guarded_mutation(INVENTORY_WRITE, description="Hold units of a sku for an order line.")
    async def reserve_stock(self, info: InventoryInfo, input: ReserveStockInput) -> Reservation:
        command = services.ReserveStock(
            order_id=parse_id(input.order_id, "orderId"),
            order_line_id=parse_id(input.order_line_id, "orderLineId"),
            sku=input.sku.strip(),
            quantity=input.quantity,
            warehouse_code=input.warehouse_code.strip() if input.warehouse_code else None,
        )
        reservation = await services.reserve_stock(
            command, info.context.unit_of_work(once_for(info, command))
        )
        return Reservation.from_model(reservation)

    @guarded_mutation(
        INVENTORY_WRITE, description="ACTIVE -> RELEASED: the units become available again."
    )
    async def release_reservation(
        self, info: InventoryInfo, reservation_id: strawberry.ID
    ) -> Reservation:
        command = services.ReleaseReservation(parse_id(reservation_id, "reservationId"))
        reservation = await services.release_reservation(
            command, info.context.unit_of_work(once_for(info, command))
        )
        return Reservation.from_model(reservation)

    @guarded_mutation(
        INVENTORY_WRITE,
        inaccessible=True,
        description="Create or update products by sku, once per row key (internal).",
    )
    async def import_products(
        self, info: InventoryInfo, rows: list[ProductImportRow]
    ) -> list[ProductImportResult]:
        results = await imports.import_products(
            [row.to_row() for row in rows], info.context.unit_of_work()
        )
        return [ProductImportResult.from_result(result) for result in results]


def build_inventory_schema() -> SubgraphSchema:
    """The inventory subgraph schema."""
    return build_schema(
        query=Query,
        mutation=Mutation,
        types=[Product, Warehouse, StockLevel, Reservation, OrderLine],
    )
