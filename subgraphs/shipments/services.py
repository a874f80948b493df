"""Use cases of the shipments subgraph: one unit of work each; an error changes nothing.

With an idempotency key each use case happens once per key: a repeat returns the shipment the
first execution saved (see :mod:`subgraphs.common.idempotency`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.common.db import utc_now
from subgraphs.common.errors import BadUserInputError, NotFoundError
from subgraphs.common.ownership import owner_for_new
from subgraphs.common.uow import UnitOfWork
from subgraphs.common.values import AddressValue
from subgraphs.shipments import domain
from subgraphs.shipments.domain import Carrier, ItemRequest, ShipmentStatus
from subgraphs.shipments.models import IdempotencyKey, Shipment, ShipmentItem, TrackingEvent
from subgraphs.shipments.repository import ShipmentRepository

__all__ = [
    "AddTrackingEvent",
    "CreateShipment",
    "ShipmentsUnitOfWork",
    "add_tracking_event",
    "create_shipment",
]


class ShipmentsUnitOfWork(UnitOfWork):
    """The shipments database's unit of work."""

    idempotency_model = IdempotencyKey
    shipments: ShipmentRepository

    def bind_repositories(self, session: AsyncSession) -> None:
        """Bind the repository to the transaction's session."""
        self.shipments = ShipmentRepository(session, self.access)


@dataclass(frozen=True, slots=True)
class CreateShipment:
    """Send a parcel with some units of an order's lines (label created)."""

    order_id: uuid.UUID
    carrier: Carrier
    destination: AddressValue
    items: tuple[ItemRequest, ...]
    tracking_number: str | None = None
    #: the order's customer, as a trusted caller says (see ``owner_for_new``)
    customer_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class AddTrackingEvent:
    """A carrier scan moved the parcel to ``status``."""

    shipment_id: uuid.UUID
    status: ShipmentStatus
    description: str
    location: str | None = None
    occurred_at: datetime | None = None


async def _original(uow: ShipmentsUnitOfWork, result_id: str) -> Shipment:
    """The shipment an earlier execution with the same idempotency key saved (the read-only
    transaction is committed, so the loaded shipment stays usable)."""
    shipment = await uow.shipments.get_for_update(uuid.UUID(result_id))
    if shipment is None:
        raise NotFoundError("shipment", result_id)
    await uow.commit()
    return shipment


async def _new_owner(uow: ShipmentsUnitOfWork, command: CreateShipment) -> uuid.UUID | None:
    """Who will own the shipment; a customer cannot ship a foreign order (``NOT_FOUND``)."""
    known = await uow.shipments.owners_of_order(command.order_id)
    try:
        return owner_for_new(uow.access, command.customer_id, known)
    except LookupError as exc:
        raise NotFoundError("order", command.order_id) from exc
    except ValueError as exc:
        raise BadUserInputError(str(exc), field="customerId") from exc


async def create_shipment(command: CreateShipment, uow: ShipmentsUnitOfWork) -> Shipment:
    """Store a LABEL_CREATED shipment with its items and its first tracking event."""
    domain.validate_items(command.items)
    shipment_id = uuid.uuid4()
    number = (command.tracking_number or "").strip() or domain.tracking_number(
        command.carrier, shipment_id
    )
    if not number.isalnum() or len(number) > 40:
        raise BadUserInputError(
            "tracking number must be 1 to 40 letters or digits", field="trackingNumber"
        )
    async with uow:
        owner = await _new_owner(uow, command)
        if (done := await uow.replayed()) is not None:
            return await _original(uow, done)
        if await uow.shipments.tracking_number_taken(command.carrier.value, number):
            raise BadUserInputError(
                f"{command.carrier.value} tracking number {number} is already used",
                field="trackingNumber",
            )
        now = utc_now()
        shipment = Shipment(
            id=shipment_id,
            order_id=command.order_id,
            customer_id=owner,
            carrier=command.carrier.value,
            tracking_number=number,
            status=ShipmentStatus.LABEL_CREATED.value,
            created_at=now,
            updated_at=now,
        )
        shipment.destination = command.destination
        uow.shipments.add(shipment)
        await uow.flush()
        for item in command.items:
            uow.shipments.add(
                ShipmentItem(
                    id=uuid.uuid4(),
                    shipment_id=shipment_id,
                    order_line_id=item.order_line_id,
                    sku=item.sku.strip(),
                    quantity=item.quantity,
                )
            )
        uow.shipments.add(
            TrackingEvent(
                id=uuid.uuid4(),
                shipment_id=shipment_id,
                sequence=1,
                status=ShipmentStatus.LABEL_CREATED.value,
                occurred_at=now,
                location=None,
                description="Shipping label created",
            )
        )
        uow.record(shipment.id)
        await uow.commit()
    return shipment


async def add_tracking_event(command: AddTrackingEvent, uow: ShipmentsUnitOfWork) -> Shipment:
    """Record a scan; the shipment takes the event's status."""
    description = command.description.strip()
    if not description or len(description) > 500:
        raise BadUserInputError("description must be 1 to 500 characters", field="description")
    async with uow:
        if (done := await uow.replayed()) is not None:
            return await _original(uow, done)
        shipment = await uow.shipments.get_for_update(command.shipment_id)
        if shipment is None:
            raise NotFoundError("shipment", command.shipment_id)
        last = await uow.shipments.last_event(shipment.id)
        now = utc_now()
        occurred_at = command.occurred_at or now
        domain.check_event(
            ShipmentStatus(shipment.status),
            command.status,
            occurred_at,
            last.occurred_at if last else shipment.created_at,
            now,
        )
        uow.shipments.add(
            TrackingEvent(
                id=uuid.uuid4(),
                shipment_id=shipment.id,
                sequence=(last.sequence if last else 0) + 1,
                status=command.status.value,
                occurred_at=occurred_at,
                location=(command.location or "").strip() or None,
                description=description,
            )
        )
        shipment.status = command.status.value
        shipment.updated_at = now
        uow.record(shipment.id)
        await uow.commit()
    return shipment
