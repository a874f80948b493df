"""Strawberry types of the shipments subgraph.

Entities: Shipment (two keys: ``id`` and ``carrier trackingNumber``) and Order, owned by orders,
extended with ``shipments``. Products are referenced by sku only (``resolvable: false``).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TypeAlias

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet

from subgraphs.common.context import SubgraphContext
from subgraphs.common.cost import assumed
from subgraphs.common.ids import parse_id_or_none
from subgraphs.common.values import Address
from subgraphs.shipments import models
from subgraphs.shipments.domain import Carrier, ShipmentStatus
from subgraphs.shipments.loaders import ShipmentsLoaders
from subgraphs.shipments.services import ShipmentsUnitOfWork

__all__ = [
    "Order",
    "Product",
    "Shipment",
    "ShipmentItem",
    "ShipmentsContext",
    "ShipmentsInfo",
    "TrackingEvent",
]

ShipmentsContext: TypeAlias = SubgraphContext[ShipmentsLoaders, ShipmentsUnitOfWork]
ShipmentsInfo: TypeAlias = strawberry.Info[ShipmentsContext, None]

strawberry.enum(Carrier, description="Who carries the parcel.")
strawberry.enum(ShipmentStatus, description="Where a parcel is.")


@strawberry.federation.type(
    keys=[Key(fields=FieldSet("sku"), resolvable=False)],
)
class Product:
    """Reference to inventory's Product."""

    sku: str


@strawberry.type(description="Units of one order line in a parcel.")
class ShipmentItem:
    """GraphQL ``ShipmentItem``."""

    order_line_id: strawberry.ID
    sku: str
    quantity: int

    @strawberry.field
    def product(self) -> Product:
        return Product(sku=self.sku)


@strawberry.type(description="A carrier scan.")
class TrackingEvent:
    """GraphQL ``TrackingEvent``."""

    id: strawberry.ID
    status: ShipmentStatus
    occurred_at: datetime
    location: str | None
    description: str


@strawberry.federation.type(
    keys=["id", "carrier trackingNumber"], description="A parcel sent for an order."
)
class Shipment:
    """GraphQL ``Shipment``."""

    id: strawberry.ID
    carrier: Carrier
    tracking_number: str
    status: ShipmentStatus
    destination: Address
    created_at: datetime
    updated_at: datetime
    order_id: strawberry.Private[str]

    @classmethod
    def from_model(cls, shipment: models.Shipment) -> Shipment:
        """Build from a row."""
        return cls(
            id=strawberry.ID(str(shipment.id)),
            carrier=Carrier(shipment.carrier),
            tracking_number=shipment.tracking_number,
            status=ShipmentStatus(shipment.status),
            destination=Address.from_value(shipment.destination),
            created_at=shipment.created_at,
            updated_at=shipment.updated_at,
            order_id=str(shipment.order_id),
        )

    @classmethod
    async def resolve_reference(
        cls,
        info: ShipmentsInfo,
        id: strawberry.ID | None = None,
        carrier: str | None = None,
        trackingNumber: str | None = None,  # noqa: N803 (the key's GraphQL name)
    ) -> Shipment | None:
        """Entity resolution by id, or by carrier and tracking number."""
        shipment: models.Shipment | None = None
        if id is not None:
            shipment_id = parse_id_or_none(id)
            if shipment_id is not None:
                shipment = await info.context.loaders.shipment.load(shipment_id)
        elif carrier is not None and trackingNumber is not None:
            loader = info.context.loaders.shipment_by_tracking
            shipment = await loader.load((carrier, trackingNumber))
        return cls.from_model(shipment) if shipment else None

    @strawberry.field(description="The order shipped (owned by orders).")
    def order(self) -> Order:
        return Order(id=strawberry.ID(self.order_id))

    @strawberry.field(description="What is in the parcel.", directives=[assumed(10)])
    async def items(self, info: ShipmentsInfo) -> list[ShipmentItem]:
        found = await info.context.loaders.items_of_shipment.load(_uuid(self.id))
        return [
            ShipmentItem(
                order_line_id=strawberry.ID(str(item.order_line_id)),
                sku=item.sku,
                quantity=item.quantity,
            )
            for item in found
        ]

    @strawberry.field(description="Tracking events, oldest first.", directives=[assumed(10)])
    async def events(self, info: ShipmentsInfo) -> list[TrackingEvent]:
        found = await info.context.loaders.events_of_shipment.load(_uuid(self.id))
        return [
            TrackingEvent(
                id=strawberry.ID(str(event.id)),
                status=ShipmentStatus(event.status),
                occurred_at=event.occurred_at,
                location=event.location,
                description=event.description,
            )
            for event in found
        ]


@strawberry.federation.type(keys=["id"])
class Order:
    """The orders subgraph's ``Order``, extended with its shipments."""

    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Order:
        """Any order id is accepted: orders owns orders."""
        return cls(id=id)

    @strawberry.field(description="Shipments of the order, oldest first.", directives=[assumed(3)])
    async def shipments(self, info: ShipmentsInfo) -> list[Shipment]:
        order_id = parse_id_or_none(self.id)
        if order_id is None:
            return []
        found = await info.context.loaders.shipments_of_order.load(order_id)
        return [Shipment.from_model(shipment) for shipment in found]


def _uuid(value: str) -> uuid.UUID:
    parsed = parse_id_or_none(value)
    assert parsed is not None, "ids built from rows are UUIDs"
    return parsed
