"""Per-request DataLoaders of the payments subgraph (one statement and one session per batch)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from subgraphs.common.db import Database
from subgraphs.common.ownership import ALL_ACCESS, Access
from subgraphs.payments.models import Payment, Refund
from subgraphs.payments.repository import PaymentRepository

__all__ = ["PaymentsLoaders"]


class PaymentsLoaders:
    """The DataLoaders of one request (never shared between requests), reading what the
    request's ``access`` may see."""

    def __init__(self, database: Database, access: Access = ALL_ACCESS) -> None:
        self._sessions = database.read_sessions
        self.access = access
        self.payment = DataLoader[uuid.UUID, Payment | None](self._load_payments)
        self.payments_of_order = DataLoader[uuid.UUID, list[Payment]](self._load_of_orders)
        self.refunds_of_payment = DataLoader[uuid.UUID, list[Refund]](self._load_refunds)

    def read_session(self) -> AsyncSession:
        """A short read session for a one-off query (listings that are not batched)."""
        return self._sessions()

    def forget_payment(self, payment: Payment) -> None:
        """Drop cached state of a payment a mutation just changed."""
        self.payment.prime(payment.id, payment, force=True)
        if self.payments_of_order.cache_map.get(payment.order_id) is not None:
            self.payments_of_order.clear(payment.order_id)
        if self.refunds_of_payment.cache_map.get(payment.id) is not None:
            self.refunds_of_payment.clear(payment.id)

    async def _load_payments(self, ids: list[uuid.UUID]) -> list[Payment | None]:
        async with self._sessions() as session:
            found = await PaymentRepository(session, self.access).by_ids(ids)
        return [found.get(key) for key in ids]

    async def _load_of_orders(self, ids: list[uuid.UUID]) -> list[list[Payment]]:
        async with self._sessions() as session:
            found = await PaymentRepository(session, self.access).by_orders(ids)
        return [found.get(key, []) for key in ids]

    async def _load_refunds(self, ids: list[uuid.UUID]) -> list[list[Refund]]:
        async with self._sessions() as session:
            found = await PaymentRepository(session, self.access).refunds_by_payments(ids)
        return [found.get(key, []) for key in ids]
