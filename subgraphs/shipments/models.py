"""SQLAlchemy models of the shipments database (shipments, items, tracking events)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from subgraphs.common.db import UtcDateTime, new_metadata
from subgraphs.common.idempotency import IdempotencyKeyRow
from subgraphs.common.values import AddressValue

__all__ = ["Base", "IdempotencyKey", "Shipment", "ShipmentItem", "TrackingEvent"]


class Base(DeclarativeBase):
    """Declarative base of the shipments database."""

    metadata = new_metadata()


class IdempotencyKey(IdempotencyKeyRow, Base):
    """A mutation's idempotency key, written in the transaction of its effect."""

    __tablename__ = "shipments_idempotency_keys"


class Shipment(Base):
    """A parcel sent for an order."""

    __tablename__ = "shipments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    order_id: Mapped[uuid.UUID]
    #: the order's customer (owner), copied from orders when the shipment is made; ``None``
    #: when unknown (visible to unrestricted callers only)
    customer_id: Mapped[uuid.UUID | None]
    carrier: Mapped[str] = mapped_column(String(16))
    tracking_number: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(24))
    dest_line1: Mapped[str] = mapped_column(String(200))
    dest_line2: Mapped[str | None] = mapped_column(String(200))
    dest_city: Mapped[str] = mapped_column(String(100))
    dest_region: Mapped[str | None] = mapped_column(String(100))
    dest_postal_code: Mapped[str] = mapped_column(String(20))
    dest_country: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("carrier", "tracking_number", name="uq_shipments_carrier_tracking"),
        Index("ix_shipments_order_id", "order_id"),
        Index("ix_shipments_customer_id", "customer_id"),
    )

    @property
    def destination(self) -> AddressValue:
        """The destination as a value."""
        return AddressValue(
            line1=self.dest_line1,
            line2=self.dest_line2,
            city=self.dest_city,
            region=self.dest_region,
            postal_code=self.dest_postal_code,
            country=self.dest_country,
        )

    @destination.setter
    def destination(self, address: AddressValue) -> None:
        self.dest_line1 = address.line1
        self.dest_line2 = address.line2
        self.dest_city = address.city
        self.dest_region = address.region
        self.dest_postal_code = address.postal_code
        self.dest_country = address.country


class ShipmentItem(Base):
    """Units of one order line in a parcel."""

    __tablename__ = "shipment_items"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    shipment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shipments.id"))
    order_line_id: Mapped[uuid.UUID]
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_shipment_items_shipment_id", "shipment_id"),
        Index("ix_shipment_items_order_line_id", "order_line_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )


class TrackingEvent(Base):
    """A carrier scan: the parcel reached a status at a time and place."""

    __tablename__ = "tracking_events"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    shipment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shipments.id"))
    sequence: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(24))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())
    location: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(500))

    __table_args__ = (
        UniqueConstraint("shipment_id", "sequence", name="uq_tracking_events_shipment_sequence"),
    )
