"""Data access of the shipments database.

:class:`ShipmentRepository` is bound to the request's
:class:`~subgraphs.common.ownership.Access` and applies it (on ``shipments.customer_id``) to
every statement that reads or locks shipments, their items and events: a customer principal
finds only its own, by id, by tracking number, by order (``Order.shipments`` through
``_entities``) and in mutations.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.common.ownership import Access
from subgraphs.shipments.models import Shipment, ShipmentItem, TrackingEvent

__all__ = ["ShipmentRepository", "TrackingKey"]

#: ``(carrier, tracking_number)``, the second key of a shipment.
TrackingKey = tuple[str, str]

SelectT = TypeVar("SelectT", bound=Select[*tuple[Any, ...]])


class ShipmentRepository:
    """Shipments, their items and tracking events (a customer principal sees only its own)."""

    def __init__(self, session: AsyncSession, access: Access) -> None:
        self.session = session
        self.access = access

    def _visible(self, statement: SelectT) -> SelectT:
        return statement.where(self.access.visible(Shipment.customer_id))

    async def get_for_update(self, shipment_id: uuid.UUID) -> Shipment | None:
        """One shipment, row-locked (PostgreSQL) for the transaction; ``None`` when unknown or
        hidden."""
        statement = self._visible(select(Shipment).where(Shipment.id == shipment_id))
        return (await self.session.scalars(statement.with_for_update())).one_or_none()

    async def owners_of_order(self, order_id: uuid.UUID) -> set[uuid.UUID]:
        """The known owners of an order's shipments, whoever asks (to attach a new one)."""
        rows = await self.session.scalars(
            select(Shipment.customer_id)
            .where(Shipment.order_id == order_id, Shipment.customer_id.is_not(None))
            .distinct()
        )
        return {owner for owner in rows if owner is not None}

    async def tracking_number_taken(self, carrier: str, tracking_number: str) -> bool:
        """Whether a carrier already uses ``tracking_number`` (for anyone: numbers are unique)."""
        found = await self.session.scalar(
            select(func.count()).where(
                Shipment.carrier == carrier, Shipment.tracking_number == tracking_number
            )
        )
        return bool(found)

    async def last_event(self, shipment_id: uuid.UUID) -> TrackingEvent | None:
        """The shipment's latest event."""
        return await self.session.scalar(
            select(TrackingEvent)
            .where(TrackingEvent.shipment_id == shipment_id)
            .order_by(TrackingEvent.sequence.desc())
            .limit(1)
        )

    def add(self, row: Shipment | ShipmentItem | TrackingEvent) -> None:
        """Stage a new row."""
        self.session.add(row)

    async def by_ids(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Shipment]:
        """Shipments by id."""
        rows = await self.session.scalars(
            self._visible(select(Shipment).where(Shipment.id.in_(set(ids))))
        )
        return {shipment.id: shipment for shipment in rows}

    async def by_tracking(self, keys: Sequence[TrackingKey]) -> dict[TrackingKey, Shipment]:
        """Shipments by ``(carrier, tracking number)``."""
        rows = await self.session.scalars(
            self._visible(
                select(Shipment).where(
                    tuple_(Shipment.carrier, Shipment.tracking_number).in_(list(set(keys)))
                )
            )
        )
        return {(shipment.carrier, shipment.tracking_number): shipment for shipment in rows}

    async def by_orders(self, order_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Shipment]]:
        """The shipments of each order, oldest first."""
        rows = await self.session.scalars(
            self._visible(select(Shipment).where(Shipment.order_id.in_(set(order_ids)))).order_by(
                Shipment.order_id, Shipment.created_at, Shipment.id
            )
        )
        grouped: dict[uuid.UUID, list[Shipment]] = defaultdict(list)
        for shipment in rows:
            grouped[shipment.order_id].append(shipment)
        return grouped

    async def items_of(
        self, shipment_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[ShipmentItem]]:
        """The items of each shipment."""
        rows = await self.session.scalars(
            self._visible(
                select(ShipmentItem)
                .join(Shipment, Shipment.id == ShipmentItem.shipment_id)
                .where(ShipmentItem.shipment_id.in_(set(shipment_ids)))
            ).order_by(ShipmentItem.shipment_id, ShipmentItem.sku, ShipmentItem.id)
        )
        grouped: dict[uuid.UUID, list[ShipmentItem]] = defaultdict(list)
        for item in rows:
            grouped[item.shipment_id].append(item)
        return grouped

    async def events_of(
        self, shipment_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[TrackingEvent]]:
        """The tracking events of each shipment, oldest first."""
        rows = await self.session.scalars(
            self._visible(
                select(TrackingEvent)
                .join(Shipment, Shipment.id == TrackingEvent.shipment_id)
                .where(TrackingEvent.shipment_id.in_(set(shipment_ids)))
            ).order_by(TrackingEvent.shipment_id, TrackingEvent.sequence)
        )
        grouped: dict[uuid.UUID, list[TrackingEvent]] = defaultdict(list)
        for event in rows:
            grouped[event.shipment_id].append(event)
        return grouped
