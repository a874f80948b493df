"""Per-request DataLoaders of the shipments subgraph (one statement and one session per batch)."""

from __future__ import annotations

import uuid

from strawberry.dataloader import DataLoader

from subgraphs.common.db import Database
from subgraphs.common.ownership import ALL_ACCESS, Access
from subgraphs.shipments.models import Shipment, ShipmentItem, TrackingEvent
from subgraphs.shipments.repository import ShipmentRepository, TrackingKey

__all__ = ["ShipmentsLoaders"]


class ShipmentsLoaders:
    """The DataLoaders of one request (never shared between requests), reading what the
    request's ``access`` may see."""

    def __init__(self, database: Database, access: Access = ALL_ACCESS) -> None:
        self._sessions = database.read_sessions
        self.access = access
        self.shipment = DataLoader[uuid.UUID, Shipment | None](self._load_shipments)
        self.shipment_by_tracking = DataLoader[TrackingKey, Shipment | None](self._load_by_tracking)
        self.shipments_of_order = DataLoader[uuid.UUID, list[Shipment]](self._load_of_orders)
        self.items_of_shipment = DataLoader[uuid.UUID, list[ShipmentItem]](self._load_items)
        self.events_of_shipment = DataLoader[uuid.UUID, list[TrackingEvent]](self._load_events)

    def forget_shipment(self, shipment: Shipment) -> None:
        """Replace cached state of a shipment a mutation just changed."""
        self.shipment.prime(shipment.id, shipment, force=True)
        if self.events_of_shipment.cache_map.get(shipment.id) is not None:
            self.events_of_shipment.clear(shipment.id)

    async def _load_shipments(self, ids: list[uuid.UUID]) -> list[Shipment | None]:
        async with self._sessions() as session:
            found = await ShipmentRepository(session, self.access).by_ids(ids)
        return [found.get(key) for key in ids]

    async def _load_by_tracking(self, keys: list[TrackingKey]) -> list[Shipment | None]:
        async with self._sessions() as session:
            found = await ShipmentRepository(session, self.access).by_tracking(keys)
        return [found.get(key) for key in keys]

    async def _load_of_orders(self, ids: list[uuid.UUID]) -> list[list[Shipment]]:
        async with self._sessions() as session:
            found = await ShipmentRepository(session, self.access).by_orders(ids)
        return [found.get(key, []) for key in ids]

    async def _load_items(self, ids: list[uuid.UUID]) -> list[list[ShipmentItem]]:
        async with self._sessions() as session:
            found = await ShipmentRepository(session, self.access).items_of(ids)
        return [found.get(key, []) for key in ids]

    async def _load_events(self, ids: list[uuid.UUID]) -> list[list[TrackingEvent]]:
        async with self._sessions() as session:
            found = await ShipmentRepository(session, self.access).events_of(ids)
        return [found.get(key, []) for key in ids]
