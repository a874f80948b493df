"""Strawberry types of the orders subgraph (entities Customer, Order, OrderLine; Product stub)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TypeAlias

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet

from subgraphs.common.context import SubgraphContext
from subgraphs.common.cost import PAGED, assumed
from subgraphs.common.ids import parse_id_or_none
from subgraphs.common.pagination import Connection, check_first
from subgraphs.common.values import Address, Money
from subgraphs.orders import models
from subgraphs.orders.domain import OrderStatus, SalesChannel
from subgraphs.orders.loaders import CustomerOrdersKey, OrdersLoaders
from subgraphs.orders.services import OrdersUnitOfWork

__all__ = [
    "Customer",
    "Order",
    "OrderLine",
    "OrderStatus",
    "OrdersContext",
    "OrdersInfo",
    "Product",
    "SalesChannel",
]

OrdersContext: TypeAlias = SubgraphContext[OrdersLoaders, OrdersUnitOfWork]
OrdersInfo: TypeAlias = strawberry.Info[OrdersContext, None]

strawberry.enum(OrderStatus, description="Where an order is in its life.")
strawberry.enum(SalesChannel, description="Where an order came from.")


@strawberry.federation.type(
    keys=[Key(fields=FieldSet("sku"), resolvable=False)],
)
class Product:
    """Reference to inventory's Product; ``name`` is provided by order lines."""

    sku: str
    name: str = strawberry.federation.field(external=True)


@strawberry.federation.type(keys=["id"], description="A customer who places orders.")
class Customer:
    """GraphQL ``Customer``."""

    id: strawberry.ID
    email: str
    name: str
    legacy_erp_id: str | None = strawberry.federation.field(
        inaccessible=True, description="The id in the legacy ERP (internal)."
    )
    created_at: datetime

    @classmethod
    def from_model(cls, customer: models.Customer) -> Customer:
        """Build from a row."""
        return cls(
            id=strawberry.ID(str(customer.id)),
            email=customer.email,
            name=customer.name,
            legacy_erp_id=customer.legacy_erp_id,
            created_at=customer.created_at,
        )

    @classmethod
    async def resolve_reference(cls, info: OrdersInfo, id: strawberry.ID) -> Customer | None:
        """Entity resolution by id (``null`` for an unknown id)."""
        customer_id = parse_id_or_none(id)
        if customer_id is None:
            return None
        customer = await info.context.loaders.customer.load(customer_id)
        return cls.from_model(customer) if customer else None

    @strawberry.field(
        description="The customer's orders, newest first (first: at most 100).", directives=[PAGED]
    )
    async def orders(
        self,
        info: OrdersInfo,
        first: int = 20,
        after: str | None = None,
        status: OrderStatus | None = None,
    ) -> Connection[Order]:
        key = CustomerOrdersKey(
            customer_id=_uuid(self.id),
            first=check_first(first),
            after=after,
            status=status.value if status else None,
        )
        page = await info.context.loaders.customer_orders.load(key)
        return page.map(Order.from_model)


@strawberry.federation.type(keys=["id"], description="A customer's order.")
class Order:
    """GraphQL ``Order``."""

    id: strawberry.ID
    number: str
    channel: SalesChannel
    status: OrderStatus
    currency: str
    subtotal: Money
    shipping_cost: Money
    tax: Money
    total: Money
    shipping_address: Address
    cancel_reason: str | None
    placed_at: datetime
    updated_at: datetime
    version: int = strawberry.field(description="Increases with every change (optimistic lock).")
    customer_id: strawberry.Private[str]

    @classmethod
    def from_model(cls, order: models.Order) -> Order:
        """Build from a row."""
        currency = order.currency
        return cls(
            id=strawberry.ID(str(order.id)),
            number=f"SO-{order.number}",
            channel=SalesChannel(order.channel),
            status=OrderStatus(order.status),
            currency=currency,
            subtotal=Money.of(order.subtotal_amount, currency),
            shipping_cost=Money.of(order.shipping_amount, currency),
            tax=Money.of(order.tax_amount, currency),
            total=Money.of(order.total_amount, currency),
            shipping_address=Address.from_value(order.shipping_address),
            cancel_reason=order.cancel_reason,
            placed_at=order.placed_at,
            updated_at=order.updated_at,
            version=order.version,
            customer_id=str(order.customer_id),
        )

    @classmethod
    async def resolve_reference(cls, info: OrdersInfo, id: strawberry.ID) -> Order | None:
        """Entity resolution by id (``null`` for an unknown id)."""
        order_id = parse_id_or_none(id)
        if order_id is None:
            return None
        order = await info.context.loaders.order.load(order_id)
        return cls.from_model(order) if order else None

    @strawberry.field
    async def customer(self, info: OrdersInfo) -> Customer:
        customer = await info.context.loaders.customer.load(_uuid(self.customer_id))
        assert customer is not None, "orders.customer_id is a foreign key"
        return Customer.from_model(customer)

    @strawberry.field(
        description="The order's lines by line number (at most 100).", directives=[assumed(10)]
    )
    async def lines(self, info: OrdersInfo) -> list[OrderLine]:
        lines = await info.context.loaders.lines_of_order.load(_uuid(self.id))
        return [OrderLine.from_model(line, self.currency) for line in lines]


@strawberry.federation.type(keys=["id"], description="One line of an order.")
class OrderLine:
    """GraphQL ``OrderLine``."""

    id: strawberry.ID
    line_number: int
    sku: str
    quantity: int
    fulfilled_quantity: int
    unit_price: Money
    line_total: Money
    product_name: strawberry.Private[str]
    order_id: strawberry.Private[str]

    @classmethod
    def from_model(cls, line: models.OrderLine, currency: str) -> OrderLine:
        """Build from a row (lines carry their order's currency)."""
        return cls(
            id=strawberry.ID(str(line.id)),
            line_number=line.line_number,
            sku=line.sku,
            quantity=line.quantity,
            fulfilled_quantity=line.fulfilled_quantity,
            unit_price=Money.of(line.unit_price_amount, currency),
            line_total=Money.of(line.line_total_amount, currency),
            product_name=line.product_name,
            order_id=str(line.order_id),
        )

    @classmethod
    async def resolve_reference(cls, info: OrdersInfo, id: strawberry.ID) -> OrderLine | None:
        """Entity resolution by id (``null`` for an unknown id)."""
        line_id = parse_id_or_none(id)
        if line_id is None:
            return None
        line = await info.context.loaders.line.load(line_id)
        if line is None:
            return None
        order = await info.context.loaders.order.load(line.order_id)
        assert order is not None, "order_lines.order_id is a foreign key"
        return cls.from_model(line, order.currency)

    @strawberry.federation.field(
        provides=["name"], description="The product, with its name as it was when ordered."
    )
    def product(self) -> Product:
        return Product(sku=self.sku, name=self.product_name)

    @strawberry.field
    async def order(self, info: OrdersInfo) -> Order:
        order = await info.context.loaders.order.load(_uuid(self.order_id))
        assert order is not None, "order_lines.order_id is a foreign key"
        return Order.from_model(order)


def _uuid(value: str) -> uuid.UUID:
    parsed = parse_id_or_none(value)
    assert parsed is not None, "ids built from rows are UUIDs"
    return parsed
