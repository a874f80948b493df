"""Use cases of the inventory subgraph; each runs in one unit of work and changes nothing on error.

Stock rows of a sku are locked (``SELECT ... FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on
SQLite) before they are read for a change, so concurrent reservations cannot oversell; check
constraints (``0 <= reserved <= on_hand``) are the last line of defence. With an idempotency
key each use case happens once per key: a repeat returns what the first execution saved.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.common.db import utc_now
from subgraphs.common.errors import BadUserInputError, NotFoundError, UnknownSkuError
from subgraphs.common.uow import UnitOfWork
from subgraphs.inventory import domain
from subgraphs.inventory.domain import ReservationStatus, StockPosition
from subgraphs.inventory.models import IdempotencyKey, Reservation, StockAdjustment, StockLevel
from subgraphs.inventory.repository import InventoryRepository

__all__ = [
    "AdjustStock",
    "InventoryUnitOfWork",
    "ReleaseReservation",
    "ReserveStock",
    "adjust_stock",
    "release_reservation",
    "reserve_stock",
]


class InventoryUnitOfWork(UnitOfWork):
    """The inventory database's unit of work."""

    idempotency_model = IdempotencyKey
    inventory: InventoryRepository

    def bind_repositories(self, session: AsyncSession) -> None:
        """Bind the repository to the transaction's session."""
        self.inventory = InventoryRepository(session)


@dataclass(frozen=True, slots=True)
class AdjustStock:
    """Add (or, negative, remove) on-hand units of a sku in a warehouse, with a reason."""

    sku: str
    warehouse_code: str
    delta: int
    reason: str


@dataclass(frozen=True, slots=True)
class ReserveStock:
    """Hold units for an order line, in the given warehouse or the best one."""

    order_id: uuid.UUID
    order_line_id: uuid.UUID
    sku: str
    quantity: int
    warehouse_code: str | None = None


@dataclass(frozen=True, slots=True)
class ReleaseReservation:
    """Give an ACTIVE reservation's units back to available stock."""

    reservation_id: uuid.UUID


def _position(level: StockLevel) -> StockPosition:
    return StockPosition(level.warehouse_code, level.on_hand, level.reserved)


async def _known_product(uow: InventoryUnitOfWork, sku: str) -> None:
    if await uow.inventory.product(sku) is None:
        raise UnknownSkuError(sku)


async def _known_warehouse(uow: InventoryUnitOfWork, code: str) -> None:
    if await uow.inventory.warehouse(code) is None:
        raise NotFoundError("warehouse", code)


async def _stock_by_warehouse(uow: InventoryUnitOfWork, sku: str) -> dict[str, StockLevel]:
    return {level.warehouse_code: level for level in await uow.inventory.stock_for_update(sku)}


def _stock_key(level: StockLevel) -> str:
    return f"{level.warehouse_code}/{level.sku}"


async def _original_level(uow: InventoryUnitOfWork, result_id: str) -> StockLevel:
    """The stock level an earlier execution with the same key changed (committed read)."""
    warehouse_code, _, sku = result_id.partition("/")
    for level in await uow.inventory.stock_for_update(sku):
        if level.warehouse_code == warehouse_code:
            await uow.commit()
            return level
    raise NotFoundError("stock level", result_id)


async def _original_reservation(uow: InventoryUnitOfWork, result_id: str) -> Reservation:
    """The reservation an earlier execution with the same key saved (committed read)."""
    reservation = await uow.inventory.reservation_for_update(uuid.UUID(result_id))
    if reservation is None:
        raise NotFoundError("reservation", result_id)
    await uow.commit()
    return reservation


async def adjust_stock(command: AdjustStock, uow: InventoryUnitOfWork) -> StockLevel:
    """Change on-hand stock; it may never drop below what is reserved (nor below zero)."""
    reason = command.reason.strip()
    if not reason or len(reason) > 200:
        raise BadUserInputError("reason must be 1 to 200 characters", field="reason")
    async with uow:
        if (done := await uow.replayed()) is not None:
            return await _original_level(uow, done)
        await _known_product(uow, command.sku)
        await _known_warehouse(uow, command.warehouse_code)
        levels = {
            level.warehouse_code: level
            for level in await uow.inventory.stock_for_update(command.sku)
        }
        now = utc_now()
        level = levels.get(command.warehouse_code)
        if level is None:
            level = StockLevel(
                sku=command.sku,
                warehouse_code=command.warehouse_code,
                on_hand=0,
                reserved=0,
                updated_at=now,
            )
            uow.inventory.add(level)
        adjusted = domain.adjust_stock(_position(level), command.delta)
        level.on_hand = adjusted.on_hand
        level.updated_at = now
        await uow.flush()
        uow.inventory.add(
            StockAdjustment(
                id=uuid.uuid4(),
                sku=command.sku,
                warehouse_code=command.warehouse_code,
                delta=command.delta,
                reason=reason,
                created_at=now,
            )
        )
        uow.record(_stock_key(level))
        await uow.commit()
    return level


async def reserve_stock(command: ReserveStock, uow: InventoryUnitOfWork) -> Reservation:
    """Hold ``quantity`` units of ``sku`` for an order line in one warehouse."""
    domain.check_reservation_quantity(command.quantity)
    async with uow:
        if (done := await uow.replayed()) is not None:
            return await _original_reservation(uow, done)
        await _known_product(uow, command.sku)
        if command.warehouse_code is not None:
            await _known_warehouse(uow, command.warehouse_code)
        levels = {
            level.warehouse_code: level
            for level in await uow.inventory.stock_for_update(command.sku)
        }
        if command.warehouse_code is not None:
            level = levels.get(command.warehouse_code)
            position = _position(level) if level else StockPosition(command.warehouse_code, 0, 0)
            domain.reserve_stock(position, command.quantity)
        else:
            position = domain.choose_warehouse(
                [_position(level) for level in levels.values()], command.quantity
            )
            level = levels[position.warehouse_code]
        assert level is not None, "reserve_stock raised for a warehouse without stock"
        now = utc_now()
        level.reserved += command.quantity
        level.updated_at = now
        reservation = Reservation(
            id=uuid.uuid4(),
            order_id=command.order_id,
            order_line_id=command.order_line_id,
            sku=command.sku,
            warehouse_code=level.warehouse_code,
            quantity=command.quantity,
            status=ReservationStatus.ACTIVE.value,
            created_at=now,
            updated_at=now,
        )
        uow.inventory.add(reservation)
        uow.record(reservation.id)
        await uow.commit()
    return reservation


async def release_reservation(command: ReleaseReservation, uow: InventoryUnitOfWork) -> Reservation:
    """ACTIVE -> RELEASED; the units become available again."""
    async with uow:
        if (done := await uow.replayed()) is not None:
            return await _original_reservation(uow, done)
        reservation = await uow.inventory.reservation_for_update(command.reservation_id)
        if reservation is None:
            raise NotFoundError("reservation", command.reservation_id)
        domain.check_release(ReservationStatus(reservation.status))
        levels = await uow.inventory.stock_for_update(reservation.sku)
        level = next(lvl for lvl in levels if lvl.warehouse_code == reservation.warehouse_code)
        now = utc_now()
        level.reserved -= reservation.quantity
        level.updated_at = now
        reservation.status = ReservationStatus.RELEASED.value
        reservation.updated_at = now
        uow.record(reservation.id)
        await uow.commit()
    return reservation
