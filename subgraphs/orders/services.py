"""Use cases of the orders subgraph: one function per command, each inside a unit of work.

Every function takes a frozen command and an :class:`OrdersUnitOfWork`, applies the domain
rules of :mod:`subgraphs.orders.domain`, commits, and returns the saved order. Any error leaves
the database unchanged (the unit of work rolls back unless committed). A unit of work carrying an
idempotency key makes each mutation happen once per key: a repeat returns the order the first
execution saved (see :mod:`subgraphs.common.idempotency`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.common.db import utc_now
from subgraphs.common.errors import (
    CurrencyMismatchError,
    NotFoundError,
    UnknownSkuError,
    VersionConflictError,
)
from subgraphs.common.uow import UnitOfWork
from subgraphs.common.values import AddressValue
from subgraphs.orders import domain
from subgraphs.orders.domain import FulfillmentRequest, LineRequest, OrderStatus, SalesChannel
from subgraphs.orders.models import CatalogItem, IdempotencyKey, Order, OrderLine
from subgraphs.orders.repository import CatalogRepository, CustomerRepository, OrderRepository

__all__ = [
    "CancelOrder",
    "ConfirmOrder",
    "CreateOrder",
    "OrdersUnitOfWork",
    "RecordFulfillment",
    "UpdateOrder",
    "cancel_order",
    "confirm_order",
    "create_order",
    "record_fulfillment",
    "update_order",
]


class OrdersUnitOfWork(UnitOfWork):
    """The orders database's unit of work."""

    idempotency_model = IdempotencyKey
    customers: CustomerRepository
    orders: OrderRepository
    catalog: CatalogRepository

    def bind_repositories(self, session: AsyncSession) -> None:
        """Bind the three repositories to the transaction's session."""
        self.customers = CustomerRepository(session, self.access)
        self.orders = OrderRepository(session, self.access)
        self.catalog = CatalogRepository(session)


@dataclass(frozen=True, slots=True)
class CreateOrder:
    """Place a new order (PENDING) for a customer."""

    customer_id: uuid.UUID
    channel: SalesChannel
    lines: tuple[LineRequest, ...]
    shipping_address: AddressValue
    currency: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateOrder:
    """Replace lines and/or the shipping address before fulfilment starts."""

    order_id: uuid.UUID
    expected_version: int
    lines: tuple[LineRequest, ...] | None = None
    shipping_address: AddressValue | None = None


@dataclass(frozen=True, slots=True)
class ConfirmOrder:
    """PENDING -> CONFIRMED."""

    order_id: uuid.UUID
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class CancelOrder:
    """PENDING or CONFIRMED -> CANCELLED."""

    order_id: uuid.UUID
    reason: str | None = None
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class RecordFulfillment:
    """Units of some lines were shipped: PARTIALLY_FULFILLED or FULFILLED."""

    order_id: uuid.UUID
    lines: tuple[FulfillmentRequest, ...]
    expected_version: int | None = None


async def _catalog_items(
    uow: OrdersUnitOfWork, lines: Sequence[LineRequest], currency: str
) -> dict[str, CatalogItem]:
    items = await uow.catalog.by_skus([line.sku for line in lines])
    for line in lines:
        item = items.get(line.sku)
        if item is None:
            raise UnknownSkuError(line.sku)
        if item.currency != currency:
            raise CurrencyMismatchError(expected=item.currency, actual=currency)
    return items


def _reprice(order: Order) -> None:
    totals = domain.price_order(
        [line.line_total_amount for line in order.lines], order.ship_country
    )
    order.subtotal_amount = totals.subtotal
    order.shipping_amount = totals.shipping
    order.tax_amount = totals.tax
    order.total_amount = totals.total


async def _locked_order(
    uow: OrdersUnitOfWork, order_id: uuid.UUID, expected_version: int | None
) -> Order:
    order = await uow.orders.get_for_update(order_id)
    if order is None:
        raise NotFoundError("order", order_id)
    if expected_version is not None and expected_version != order.version:
        raise VersionConflictError("order", expected_version, order.version)
    return order


async def _original(uow: OrdersUnitOfWork, result_id: str) -> Order:
    """The order an earlier execution with the same idempotency key saved (the read-only
    transaction is committed, so the loaded order stays usable)."""
    order = await uow.orders.get_for_update(uuid.UUID(result_id))
    if order is None:
        raise NotFoundError("order", result_id)
    await uow.commit()
    return order


async def create_order(command: CreateOrder, uow: OrdersUnitOfWork) -> Order:
    """Validate, price from the catalog replica, number and store a PENDING order."""
    domain.validate_line_requests(command.lines)
    async with uow:
        if (done := await uow.replayed()) is not None:
            return await _original(uow, done)
        if await uow.customers.get(command.customer_id) is None:
            raise NotFoundError("customer", command.customer_id)
        currency = command.currency or "USD"
        items = await _catalog_items(uow, command.lines, currency)
        now = utc_now()
        order = Order(
            id=uuid.uuid4(),
            number=await uow.orders.next_number(),
            customer_id=command.customer_id,
            channel=command.channel.value,
            status=OrderStatus.PENDING.value,
            currency=currency,
            placed_at=now,
            updated_at=now,
            lines=[
                OrderLine(
                    id=uuid.uuid4(),
                    line_number=number,
                    sku=line.sku,
                    product_name=items[line.sku].name,
                    quantity=line.quantity,
                    fulfilled_quantity=0,
                    unit_price_amount=items[line.sku].price_amount,
                )
                for number, line in enumerate(command.lines, start=1)
            ],
        )
        order.shipping_address = command.shipping_address
        _reprice(order)
        uow.orders.add(order)
        uow.record(order.id)
        await uow.commit()
    return order


async def update_order(command: UpdateOrder, uow: OrdersUnitOfWork) -> Order:
    """Replace lines (kept by sku) and/or the address; the version must match."""
    if command.lines is not None:
        domain.validate_line_requests(command.lines)
    async with uow:
        if (done := await uow.replayed()) is not None:
            return await _original(uow, done)
        order = await _locked_order(uow, command.order_id, command.expected_version)
        domain.check_editable(order.id, OrderStatus(order.status))
        if command.lines is not None:
            items = await _catalog_items(uow, command.lines, order.currency)
            existing = {line.sku: line for line in order.lines}
            next_number = max((line.line_number for line in order.lines), default=0) + 1
            kept: list[OrderLine] = []
            for request in command.lines:
                line = existing.get(request.sku)
                if line is None:
                    line = OrderLine(
                        id=uuid.uuid4(),
                        line_number=next_number,
                        sku=request.sku,
                        product_name=items[request.sku].name,
                        fulfilled_quantity=0,
                        unit_price_amount=items[request.sku].price_amount,
                    )
                    next_number += 1
                line.quantity = request.quantity
                kept.append(line)
            order.lines = sorted(kept, key=lambda line: line.line_number)
        if command.shipping_address is not None:
            order.shipping_address = command.shipping_address
        _reprice(order)
        order.updated_at = utc_now()
        uow.record(order.id)
        await uow.commit()
    return order


async def confirm_order(command: ConfirmOrder, uow: OrdersUnitOfWork) -> Order:
    """PENDING -> CONFIRMED."""
    async with uow:
        if (done := await uow.replayed()) is not None:
            return await _original(uow, done)
        order = await _locked_order(uow, command.order_id, command.expected_version)
        domain.check_transition(OrderStatus(order.status), OrderStatus.CONFIRMED)
        order.status = OrderStatus.CONFIRMED.value
        order.updated_at = utc_now()
        uow.record(order.id)
        await uow.commit()
    return order


async def cancel_order(command: CancelOrder, uow: OrdersUnitOfWork) -> Order:
    """PENDING or CONFIRMED -> CANCELLED, keeping the reason."""
    async with uow:
        if (done := await uow.replayed()) is not None:
            return await _original(uow, done)
        order = await _locked_order(uow, command.order_id, command.expected_version)
        domain.check_transition(OrderStatus(order.status), OrderStatus.CANCELLED)
        order.status = OrderStatus.CANCELLED.value
        order.cancel_reason = (command.reason or "").strip()[:500] or None
        order.updated_at = utc_now()
        uow.record(order.id)
        await uow.commit()
    return order


async def record_fulfillment(command: RecordFulfillment, uow: OrdersUnitOfWork) -> Order:
    """Add shipped quantities to lines; the order becomes PARTIALLY_FULFILLED or FULFILLED."""
    async with uow:
        if (done := await uow.replayed()) is not None:
            return await _original(uow, done)
        order = await _locked_order(uow, command.order_id, command.expected_version)
        lines = {line.id: line for line in order.lines}
        fulfilled, status = domain.apply_fulfillment(
            OrderStatus(order.status),
            {line_id: (line.quantity, line.fulfilled_quantity) for line_id, line in lines.items()},
            command.lines,
        )
        for line_id, quantity in fulfilled.items():
            lines[line_id].fulfilled_quantity = quantity
        order.status = status.value
        order.updated_at = utc_now()
        uow.record(order.id)
        await uow.commit()
    return order
