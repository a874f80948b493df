"""SQLAlchemy models of the orders database (customers, orders, lines, catalog replica)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from subgraphs.common.db import UtcDateTime, new_metadata
from subgraphs.common.idempotency import IdempotencyKeyRow
from subgraphs.common.values import AddressValue

__all__ = ["Base", "CatalogItem", "Counter", "Customer", "IdempotencyKey", "Order", "OrderLine"]


class Base(DeclarativeBase):
    """Declarative base of the orders database."""

    metadata = new_metadata()


class IdempotencyKey(IdempotencyKeyRow, Base):
    """A mutation's idempotency key, written in the transaction of its effect."""

    __tablename__ = "orders_idempotency_keys"


class Customer(Base):
    """A customer (master data ingested from the ERP)."""

    __tablename__ = "customers"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    legacy_erp_id: Mapped[str | None] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CatalogItem(Base):
    """Read-only replica of inventory's product master data (sku, name, list price)."""

    __tablename__ = "catalog_items"

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    price_amount: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))

    __table_args__ = (CheckConstraint("price_amount >= 0", name="price_not_negative"),)


class Counter(Base):
    """Named monotonic counters (order numbers)."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class Order(Base):
    """An order: header, money in minor units, shipping address, optimistic version."""

    __tablename__ = "orders"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id"))
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(24))
    currency: Mapped[str] = mapped_column(String(3))
    subtotal_amount: Mapped[int] = mapped_column(Integer)
    shipping_amount: Mapped[int] = mapped_column(Integer)
    tax_amount: Mapped[int] = mapped_column(Integer)
    total_amount: Mapped[int] = mapped_column(Integer)
    ship_line1: Mapped[str] = mapped_column(String(200))
    ship_line2: Mapped[str | None] = mapped_column(String(200))
    ship_city: Mapped[str] = mapped_column(String(100))
    ship_region: Mapped[str | None] = mapped_column(String(100))
    ship_postal_code: Mapped[str] = mapped_column(String(20))
    ship_country: Mapped[str] = mapped_column(String(2))
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    placed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    version: Mapped[int] = mapped_column(Integer)

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order",
        cascade="all, delete-orphan",
        order_by="OrderLine.line_number",
        lazy="raise",
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_orders_placed_at_id", "placed_at", "id"),
        Index("ix_orders_customer_id_placed_at", "customer_id", "placed_at"),
        Index("ix_orders_status", "status"),
        CheckConstraint("total_amount >= 0", name="total_not_negative"),
    )

    @property
    def shipping_address(self) -> AddressValue:
        """The shipping address as a value."""
        return AddressValue(
            line1=self.ship_line1,
            line2=self.ship_line2,
            city=self.ship_city,
            region=self.ship_region,
            postal_code=self.ship_postal_code,
            country=self.ship_country,
        )

    @shipping_address.setter
    def shipping_address(self, address: AddressValue) -> None:
        self.ship_line1 = address.line1
        self.ship_line2 = address.line2
        self.ship_city = address.city
        self.ship_region = address.region
        self.ship_postal_code = address.postal_code
        self.ship_country = address.country


class OrderLine(Base):
    """One line of an order; the product name is snapshotted when ordered."""

    __tablename__ = "order_lines"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    line_number: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(String(64))
    product_name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    fulfilled_quantity: Mapped[int] = mapped_column(Integer, default=0)
    unit_price_amount: Mapped[int] = mapped_column(Integer)

    order: Mapped[Order] = relationship(back_populates="lines", lazy="raise")

    __table_args__ = (
        UniqueConstraint("order_id", "line_number", name="uq_order_lines_order_id_line_number"),
        Index("ix_order_lines_order_id", "order_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(
            "fulfilled_quantity >= 0 AND fulfilled_quantity <= quantity",
            name="fulfilled_within_quantity",
        ),
        CheckConstraint("unit_price_amount >= 0", name="unit_price_not_negative"),
    )

    @property
    def line_total_amount(self) -> int:
        """Unit price times quantity."""
        return self.unit_price_amount * self.quantity
