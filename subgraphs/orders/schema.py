"""The orders subgraph schema: queries, mutations, and the schema factory."""

from __future__ import annotations

import strawberry

from subgraphs.common.cost import PAGED
from subgraphs.common.idempotency import once_for
from subgraphs.common.ids import parse_id
from subgraphs.common.pagination import Connection, check_first
from subgraphs.common.rights import guarded_mutation
from subgraphs.common.schema import SubgraphSchema, build_schema
from subgraphs.common.values import AddressInput
from subgraphs.orders import imports, models, services
from subgraphs.orders.domain import FulfillmentRequest, LineRequest
from subgraphs.orders.import_types import (
    CatalogItemImportResult,
    CatalogItemImportRow,
    CustomerImportResult,
    CustomerImportRow,
)
from subgraphs.orders.repository import CustomerRepository, OrderFilter, OrderRepository
from subgraphs.orders.rights import (
    CATALOG_IMPORT,
    CUSTOMER_IMPORT,
    ORDER_OWNER,
    STAFF_ORDER_WRITE,
)
from subgraphs.orders.types import (
    Customer,
    Order,
    OrderLine,
    OrdersInfo,
    OrderStatus,
    Product,
    SalesChannel,
)

__all__ = ["Mutation", "Query", "build_orders_schema"]


@strawberry.input(description="A requested order line.")
class OrderLineInput:
    """``quantity`` units of ``sku`` (quantity at least 1)."""

    sku: str
    quantity: int

    def to_request(self) -> LineRequest:
        """The domain request."""
        return LineRequest(sku=self.sku.strip(), quantity=self.quantity)


@strawberry.input(description="A new order.")
class CreateOrderInput:
    """Input of ``createOrder``; ``currency`` defaults to the catalog's (USD)."""

    customer_id: strawberry.ID
    channel: SalesChannel
    lines: list[OrderLineInput]
    shipping_address: AddressInput
    currency: str | None = None


@strawberry.input(description="Changes to an order that has not started fulfilment.")
class UpdateOrderInput:
    """Input of ``updateOrder``: ``lines`` replaces all lines (kept by sku) when given."""

    order_id: strawberry.ID
    expected_version: int
    lines: list[OrderLineInput] | None = None
    shipping_address: AddressInput | None = None


@strawberry.input(description="Units of one line that were shipped.")
class FulfillmentLineInput:
    """``quantity`` more units of line ``line_id``."""

    line_id: strawberry.ID
    quantity: int


@strawberry.input(description="A shipment of some units of an order's lines.")
class RecordFulfillmentInput:
    """Input of ``recordFulfillment``."""

    order_id: strawberry.ID
    lines: list[FulfillmentLineInput]
    expected_version: int | None = None


@strawberry.type
class Query:
    """Read access to customers and orders."""

    @strawberry.field(description="One order by id (null when unknown).")
    async def order(self, info: OrdersInfo, id: strawberry.ID) -> Order | None:
        order = await info.context.loaders.order.load(parse_id(id))
        return Order.from_model(order) if order else None

    @strawberry.field(description="Orders, newest first (first: at most 100).", directives=[PAGED])
    async def orders(
        self,
        info: OrdersInfo,
        first: int = 20,
        after: str | None = None,
        status: OrderStatus | None = None,
        channel: SalesChannel | None = None,
        customer_id: strawberry.ID | None = None,
    ) -> Connection[Order]:
        where = OrderFilter(
            status=status.value if status else None,
            channel=channel.value if channel else None,
            customer_id=parse_id(customer_id, "customerId") if customer_id else None,
        )
        async with info.context.loaders.read_session() as session:
            page = await OrderRepository(session, info.context.access).page(
                check_first(first), after, where
            )
        info.context.loaders.prime_orders(page.items)
        return page.map(Order.from_model)

    @strawberry.field(description="One customer by id (null when unknown).")
    async def customer(self, info: OrdersInfo, id: strawberry.ID) -> Customer | None:
        customer = await info.context.loaders.customer.load(parse_id(id))
        return Customer.from_model(customer) if customer else None

    @strawberry.field(description="Customers by email (first: at most 100).", directives=[PAGED])
    async def customers(
        self, info: OrdersInfo, first: int = 20, after: str | None = None
    ) -> Connection[Customer]:
        async with info.context.loaders.read_session() as session:
            page = await CustomerRepository(session, info.context.access).page(
                check_first(first), after
            )
        return page.map(Customer.from_model)


@strawberry.type
class Mutation:
    """The order lifecycle."""

    @guarded_mutation(ORDER_OWNER, description="Place a PENDING order priced from the catalog.")
    async def create_order(self, info: OrdersInfo, input: CreateOrderInput) -> Order:
        command = services.CreateOrder(
            customer_id=parse_id(input.customer_id, "customerId"),
            channel=input.channel,
            lines=tuple(line.to_request() for line in input.lines),
            shipping_address=input.shipping_address.to_value("shippingAddress"),
            currency=input.currency,
        )
        order = await services.create_order(
            command, info.context.unit_of_work(once_for(info, command))
        )
        return _saved(info, order)

    @guarded_mutation(ORDER_OWNER, description="Change lines/address while PENDING or CONFIRMED.")
    async def update_order(self, info: OrdersInfo, input: UpdateOrderInput) -> Order:
        command = services.UpdateOrder(
            order_id=parse_id(input.order_id, "orderId"),
            expected_version=input.expected_version,
            lines=tuple(line.to_request() for line in input.lines)
            if input.lines is not None
            else None,
            shipping_address=input.shipping_address.to_value("shippingAddress")
            if input.shipping_address is not None
            else None,
        )
        order = await services.update_order(
            command, info.context.unit_of_work(once_for(info, command))
        )
        return _saved(info, order)

    @guarded_mutation(STAFF_ORDER_WRITE, description="PENDING -> CONFIRMED.")
    async def confirm_order(
        self, info: OrdersInfo, order_id: strawberry.ID, expected_version: int | None = None
    ) -> Order:
        command = services.ConfirmOrder(parse_id(order_id, "orderId"), expected_version)
        order = await services.confirm_order(
            command, info.context.unit_of_work(once_for(info, command))
        )
        return _saved(info, order)

    @guarded_mutation(ORDER_OWNER, description="PENDING or CONFIRMED -> CANCELLED.")
    async def cancel_order(
        self,
        info: OrdersInfo,
        order_id: strawberry.ID,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> Order:
        command = services.CancelOrder(parse_id(order_id, "orderId"), reason, expected_version)
        order = await services.cancel_order(
            command, info.context.unit_of_work(once_for(info, command))
        )
        return _saved(info, order)

    @guarded_mutation(
        STAFF_ORDER_WRITE,
        description="Record shipped units: PARTIALLY_FULFILLED or FULFILLED.",
    )
    async def record_fulfillment(self, info: OrdersInfo, input: RecordFulfillmentInput) -> Order:
        command = services.RecordFulfillment(
            order_id=parse_id(input.order_id, "orderId"),
            lines=tuple(
                FulfillmentRequest(
                    line_id=parse_id(line.line_id, f"lines[{index}].lineId"),
                    quantity=line.quantity,
                )
                for index, line in enumerate(input.lines)
            ),
            expected_version=input.expected_version,
        )
        order = await services.record_fulfillment(
            command, info.context.unit_of_work(once_for(info, command))
        )
        return _saved(info, order)

    @guarded_mutation(
        CUSTOMER_IMPORT,
        inaccessible=True,
        description="Create or update customers by legacy ERP id, once per row key (internal).",
    )
    async def import_customers(
        self, info: OrdersInfo, rows: list[CustomerImportRow]
    ) -> list[CustomerImportResult]:
        results = await imports.import_customers(
            [row.to_row() for row in rows], info.context.unit_of_work()
        )
        return [CustomerImportResult.from_result(result) for result in results]

    @guarded_mutation(
        CATALOG_IMPORT,
        inaccessible=True,
        description="Create or update catalog replica items by sku, once per row key (internal).",
    )
    async def import_catalog_items(
        self, info: OrdersInfo, rows: list[CatalogItemImportRow]
    ) -> list[CatalogItemImportResult]:
        results = await imports.import_catalog_items(
            [row.to_row() for row in rows], info.context.unit_of_work()
        )
        return [CatalogItemImportResult.from_result(result) for result in results]


def _saved(info: OrdersInfo, order: models.Order) -> Order:
    """The GraphQL view of an order a mutation just saved (its loaders primed with it)."""
    info.context.loaders.prime_aggregate(order)
    return Order.from_model(order)


def build_orders_schema() -> SubgraphSchema:
    """The orders subgraph schema."""
    return build_schema(query=Query, mutation=Mutation, types=[Customer, Order, OrderLine, Product])
