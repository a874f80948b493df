"""Data access of the payments database.

:class:`PaymentRepository` is bound to the request's
:class:`~subgraphs.common.ownership.Access` and applies it (on ``payments.customer_id``) to
every statement that reads or locks payments or refunds: a customer principal finds only its
own, by id, by order (``Order.payments`` through ``_entities``), in listings and in mutations.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.common.errors import BadUserInputError
from subgraphs.common.ownership import Access
from subgraphs.common.pagination import Page, decode_cursor, encode_cursor, keyset_after
from subgraphs.payments.models import Payment, Refund

__all__ = ["PaymentFilter", "PaymentRepository"]

SelectT = TypeVar("SelectT", bound=Select[*tuple[Any, ...]])


class PaymentFilter:
    """Optional conditions of a payment listing."""

    def __init__(self, status: str | None = None, order_id: uuid.UUID | None = None) -> None:
        self.status = status
        self.order_id = order_id

    def apply(self, statement: SelectT) -> SelectT:
        """``statement`` restricted to matching payments."""
        if self.status is not None:
            statement = statement.where(Payment.status == self.status)
        if self.order_id is not None:
            statement = statement.where(Payment.order_id == self.order_id)
        return statement


class PaymentRepository:
    """Payments and refunds (a customer principal sees only its own)."""

    def __init__(self, session: AsyncSession, access: Access) -> None:
        self.session = session
        self.access = access

    def _visible(self, statement: SelectT) -> SelectT:
        return statement.where(self.access.visible(Payment.customer_id))

    async def get_for_update(self, payment_id: uuid.UUID) -> Payment | None:
        """One payment, row-locked (PostgreSQL) for the transaction; ``None`` when unknown or
        hidden."""
        statement = self._visible(select(Payment).where(Payment.id == payment_id))
        return (await self.session.scalars(statement.with_for_update())).one_or_none()

    async def owners_of_order(self, order_id: uuid.UUID) -> set[uuid.UUID]:
        """The known owners of an order's payments, whoever asks (to attach a new payment)."""
        rows = await self.session.scalars(
            select(Payment.customer_id)
            .where(Payment.order_id == order_id, Payment.customer_id.is_not(None))
            .distinct()
        )
        return {owner for owner in rows if owner is not None}

    def add(self, row: Payment | Refund) -> None:
        """Stage a new row."""
        self.session.add(row)

    async def by_ids(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Payment]:
        """Payments by id."""
        rows = await self.session.scalars(
            self._visible(select(Payment).where(Payment.id.in_(set(ids))))
        )
        return {payment.id: payment for payment in rows}

    async def by_orders(self, order_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Payment]]:
        """The payments of each order, oldest first."""
        rows = await self.session.scalars(
            self._visible(select(Payment).where(Payment.order_id.in_(set(order_ids)))).order_by(
                Payment.order_id, Payment.created_at, Payment.id
            )
        )
        grouped: dict[uuid.UUID, list[Payment]] = defaultdict(list)
        for payment in rows:
            grouped[payment.order_id].append(payment)
        return grouped

    async def refunds_by_payments(
        self, payment_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[Refund]]:
        """The refunds of each payment, oldest first."""
        rows = await self.session.scalars(
            self._visible(
                select(Refund)
                .join(Payment, Payment.id == Refund.payment_id)
                .where(Refund.payment_id.in_(set(payment_ids)))
            ).order_by(Refund.payment_id, Refund.created_at, Refund.id)
        )
        grouped: dict[uuid.UUID, list[Refund]] = defaultdict(list)
        for refund in rows:
            grouped[refund.payment_id].append(refund)
        return grouped

    async def page(self, first: int, after: str | None, where: PaymentFilter) -> Page[Payment]:
        """Payments, newest first."""
        statement = self._visible(where.apply(select(Payment)))
        if after is not None:
            created, payment_id = decode_cursor(after, 2)
            try:
                key = (datetime.fromisoformat(created), uuid.UUID(payment_id))
            except (TypeError, ValueError) as exc:
                raise BadUserInputError(f"malformed cursor {after!r}", field="after") from exc
            statement = statement.where(
                keyset_after([Payment.created_at, Payment.id], key, descending=True)
            )
        statement = statement.order_by(Payment.created_at.desc(), Payment.id.desc())
        rows = list(await self.session.scalars(statement.limit(first + 1)))
        total = await self.session.scalar(
            self._visible(where.apply(select(func.count(Payment.id))))
        )
        items = rows[:first]
        return Page(
            items=items,
            cursors=[encode_cursor([p.created_at.isoformat(), str(p.id)]) for p in items],
            has_next_page=len(rows) > first,
            total_count=total or 0,
        )
