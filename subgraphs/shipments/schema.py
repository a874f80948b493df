"""The shipments subgraph schema: queries, mutations, and the schema factory."""

from __future__ import annotations

from datetime import datetime

import strawberry

from subgraphs.common.idempotency import once_for
from subgraphs.common.ids import parse_id
from subgraphs.common.rights import guarded_mutation, requires_scopes
from subgraphs.common.schema import SubgraphSchema, build_schema
from subgraphs.common.values import AddressInput
from subgraphs.shipments import models, services
from subgraphs.shipments.domain import Carrier, ItemRequest, ShipmentStatus
from subgraphs.shipments.types import Order, Shipment, ShipmentsInfo

__all__ = ["Mutation", "Query", "build_shipments_schema"]

#: every shipment mutation (a customer may never ship)
SHIPMENTS_WRITE = requires_scopes(["shipments:write"])


@strawberry.input(description="Units of one order line to put in the parcel.")
class ShipmentItemInput:
    """One item of ``createShipment``."""

    order_line_id: strawberry.ID
    sku: str
    quantity: int


@strawberry.input(description="A new parcel for an order.")
class CreateShipmentInput:
    """Input of ``createShipment``; the tracking number is generated when not given."""

    order_id: strawberry.ID
    carrier: Carrier
    destination: AddressInput
    items: list[ShipmentItemInput]
    tracking_number: str | None = None
    customer_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The order's customer, given by trusted callers (staff, warehouses); "
        "a customer can only ship its own orders.",
    )


@strawberry.input(description="A carrier scan.")
class AddTrackingEventInput:
    """Input of ``addTrackingEvent``; ``occurredAt`` defaults to now."""

    shipment_id: strawberry.ID
    status: ShipmentStatus
    description: str
    location: str | None = None
    occurred_at: datetime | None = None


@strawberry.type
class Query:
    """Read access to shipments."""

    @strawberry.field(description="One shipment by id (null when unknown).")
    async def shipment(self, info: ShipmentsInfo, id: strawberry.ID) -> Shipment | None:
        found = await info.context.loaders.shipment.load(parse_id(id))
        return Shipment.from_model(found) if found else None

    @strawberry.field(description="One shipment by carrier and tracking number.")
    async def shipment_by_tracking(
        self, info: ShipmentsInfo, carrier: Carrier, tracking_number: str
    ) -> Shipment | None:
        loader = info.context.loaders.shipment_by_tracking
        found = await loader.load((carrier.value, tracking_number.strip()))
        return Shipment.from_model(found) if found else None


def _saved(info: ShipmentsInfo, shipment: models.Shipment) -> Shipment:
    info.context.loaders.forget_shipment(shipment)
    return Shipment.from_model(shipment)


@strawberry.type
class Mutation:
    """Shipping and tracking."""

    @guarded_mutation(
        SHIPMENTS_WRITE, description="Create a parcel (LABEL_CREATED) for some order lines."
    )
    async def create_shipment(self, info: ShipmentsInfo, input: CreateShipmentInput) -> Shipment:
        command = services.CreateShipment(
            order_id=parse_id(input.order_id, "orderId"),
            carrier=input.carrier,
            destination=input.destination.to_value("destination"),
            items=tuple(
                ItemRequest(
                    order_line_id=parse_id(item.order_line_id, f"items[{index}].orderLineId"),
                    sku=item.sku,
                    quantity=item.quantity,
                )
                for index, item in enumerate(input.items)
            ),
            tracking_number=input.tracking_number,
            customer_id=parse_id(input.customer_id, "customerId") if input.customer_id else None,
        )
        shipment = await services.create_shipment(
            command, info.context.unit_of_work(once_for(info, command))
        )
        return _saved(info, shipment)

    @guarded_mutation(
        SHIPMENTS_WRITE, description="Record a carrier scan; the shipment takes its status."
    )
    async def add_tracking_event(
        self, info: ShipmentsInfo, input: AddTrackingEventInput
    ) -> Shipment:
        command = services.AddTrackingEvent(
            shipment_id=parse_id(input.shipment_id, "shipmentId"),
            status=input.status,
            description=input.description,
            location=input.location,
            occurred_at=input.occurred_at,
        )
        shipment = await services.add_tracking_event(
            command, info.context.unit_of_work(once_for(info, command))
        )
        return _saved(info, shipment)


def build_shipments_schema() -> SubgraphSchema:
    """The shipments subgraph schema."""
    return build_schema(query=Query, mutation=Mutation, types=[Shipment, Order])
