"""SQLAlchemy models of the inventory database (products, warehouses, stock, reservations)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from subgraphs.common.db import UtcDateTime, new_metadata
from subgraphs.common.idempotency import IdempotencyKeyRow

__all__ = [
    "Base",
    "IdempotencyKey",
    "Product",
    "Reservation",
    "StockAdjustment",
    "StockLevel",
    "Warehouse",
]


class Base(DeclarativeBase):
    """Declarative base of the inventory database."""

    metadata = new_metadata()


class IdempotencyKey(IdempotencyKeyRow, Base):
    """A mutation's idempotency key, written in the transaction of its effect."""

    __tablename__ = "inventory_idempotency_keys"


class Product(Base):
    """Product master data (the source the orders catalog replica copies)."""

    __tablename__ = "products"

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    price_amount: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    weight_grams: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (
        CheckConstraint("price_amount >= 0", name="price_not_negative"),
        CheckConstraint("weight_grams > 0", name="weight_positive"),
    )


class Warehouse(Base):
    """A place that holds stock."""

    __tablename__ = "warehouses"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2))


class StockLevel(Base):
    """Stock of one sku in one warehouse: ``0 <= reserved <= on_hand``."""

    __tablename__ = "stock_levels"

    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"), primary_key=True)
    warehouse_code: Mapped[str] = mapped_column(ForeignKey("warehouses.code"), primary_key=True)
    on_hand: Mapped[int] = mapped_column(Integer)
    reserved: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("reserved <= on_hand", name="reserved_within_on_hand"),
        Index("ix_stock_levels_warehouse_code_sku", "warehouse_code", "sku"),
    )

    @property
    def available(self) -> int:
        """On hand minus reserved."""
        return self.on_hand - self.reserved


class Reservation(Base):
    """Stock held for one order line in one warehouse."""

    __tablename__ = "reservations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    order_id: Mapped[uuid.UUID]
    order_line_id: Mapped[uuid.UUID]
    sku: Mapped[str] = mapped_column(String(64))
    warehouse_code: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (
        ForeignKeyConstraint(
            ["sku", "warehouse_code"],
            ["stock_levels.sku", "stock_levels.warehouse_code"],
            name="fk_reservations_stock_levels",
        ),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_reservations_order_line_id", "order_line_id"),
        Index("ix_reservations_sku_warehouse_code_status", "sku", "warehouse_code", "status"),
    )


class StockAdjustment(Base):
    """Ledger of manual stock changes (``adjustStock``), newest last."""

    __tablename__ = "stock_adjustments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64))
    warehouse_code: Mapped[str] = mapped_column(String(16))
    delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (
        ForeignKeyConstraint(
            ["sku", "warehouse_code"],
            ["stock_levels.sku", "stock_levels.warehouse_code"],
            name="fk_stock_adjustments_stock_levels",
        ),
        CheckConstraint("delta <> 0", name="delta_not_zero"),
    )
