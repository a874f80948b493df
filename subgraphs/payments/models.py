"""SQLAlchemy models of the payments database (payments and their refunds)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from subgraphs.common.db import UtcDateTime, new_metadata
from subgraphs.common.idempotency import IdempotencyKeyRow

__all__ = ["Base", "IdempotencyKey", "Payment", "Refund"]


class Base(DeclarativeBase):
    """Declarative base of the payments database."""

    metadata = new_metadata()


class IdempotencyKey(IdempotencyKeyRow, Base):
    """A mutation's idempotency key, written in the transaction of its effect."""

    __tablename__ = "payments_idempotency_keys"


class Payment(Base):
    """One payment of an order: authorized, then captured, maybe refunded."""

    __tablename__ = "payments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    order_id: Mapped[uuid.UUID]
    #: the order's customer (owner), copied from orders when the payment is made; ``None``
    #: when unknown (visible to unrestricted callers only)
    customer_id: Mapped[uuid.UUID | None]
    amount: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    captured_amount: Mapped[int] = mapped_column(Integer)
    refunded_amount: Mapped[int] = mapped_column(Integer)
    processor: Mapped[str] = mapped_column(String(16))
    method_kind: Mapped[str] = mapped_column(String(16))
    card_brand: Mapped[str | None] = mapped_column(String(16))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    card_exp_month: Mapped[int | None]
    card_exp_year: Mapped[int | None]
    bank_name: Mapped[str | None] = mapped_column(String(100))
    iban_last4: Mapped[str | None] = mapped_column(String(4))
    wallet_provider: Mapped[str | None] = mapped_column(String(16))
    wallet_account_email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(24))
    processor_reference: Mapped[str] = mapped_column(String(64))
    failure_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint(
            "processor", "processor_reference", name="uq_payments_processor_reference"
        ),
        Index("ix_payments_order_id", "order_id"),
        Index("ix_payments_customer_id", "customer_id"),
        Index("ix_payments_created_at_id", "created_at", "id"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(
            "captured_amount >= 0 AND captured_amount <= amount", name="captured_within_amount"
        ),
        CheckConstraint(
            "refunded_amount >= 0 AND refunded_amount <= captured_amount",
            name="refunded_within_captured",
        ),
    )


class Refund(Base):
    """Money given back on a captured payment."""

    __tablename__ = "refunds"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments.id"))
    amount: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(500))
    processor_reference: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (
        Index("ix_refunds_payment_id", "payment_id"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )
