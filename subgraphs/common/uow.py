"""The unit of work: one transaction around one use case; it rolls back unless committed.

Usage (a use case in ``services.py``)::

    async def cancel_order(command: CancelOrder, uow: OrdersUnitOfWork) -> Order:
        async with uow:
            order = await uow.orders.get(command.order_id)
            order.cancel()
            await uow.commit()
        return order

A subgraph subclasses :class:`UnitOfWork` and builds its repositories in
:meth:`UnitOfWork.bind_repositories`. Leaving the ``async with`` block without :meth:`commit`
(an exception, a forgotten commit) rolls everything back.

A unit of work given an idempotency key (:meth:`UnitOfWork.for_key`) makes its use case happen
once per key: :meth:`UnitOfWork.replayed` returns what an earlier execution produced, or claims
the key, and :meth:`UnitOfWork.record` stores the result with the effect (see
:mod:`subgraphs.common.idempotency`).
"""

from __future__ import annotations

from types import TracebackType
from typing import ClassVar, Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from subgraphs.common.errors import DomainError, VersionConflictError
from subgraphs.common.idempotency import IdempotencyKeyRow, OnceKey, claim_once, record_once
from subgraphs.common.ownership import ALL_ACCESS, Access

__all__ = ["UnitOfWork"]


class UnitOfWork:
    """A transaction scope with repositories bound to its session."""

    #: the subgraph's ``<subgraph>_idempotency_keys`` model (subclasses set it)
    idempotency_model: ClassVar[type[IdempotencyKeyRow] | None] = None

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None
        self._committed = False
        self.once: OnceKey | None = None
        self._once_row: IdempotencyKeyRow | None = None

    def for_key(self, once: OnceKey | None) -> Self:
        """This unit of work, running its use case once per ``once`` key (``None``: no key)."""
        self.once = once
        return self

    async def replayed(self) -> str | None:
        """Inside the block: the result id an earlier execution with this key recorded (the
        use case must then return that and change nothing), else ``None`` after claiming the
        key for this execution. Always ``None`` without a key."""
        if self.once is None:
            return None
        if self.idempotency_model is None:
            raise RuntimeError(f"{type(self).__name__} has no idempotency_model")
        row, result = await claim_once(self.session, self.idempotency_model, self.once)
        self._once_row = row if result is None else None
        return result

    def record(self, result_id: object) -> None:
        """What this execution produced, stored with the key when it commits."""
        if self._once_row is not None:
            record_once(self._once_row, result_id)

    @property
    def session(self) -> AsyncSession:
        """The session of the open unit of work."""
        if self._session is None:
            raise RuntimeError("the unit of work is not open (use `async with uow:`)")
        return self._session

    @property
    def committed(self) -> bool:
        """Whether :meth:`commit` succeeded in the current (or last) block."""
        return self._committed

    def bind_repositories(self, session: AsyncSession) -> None:
        """Create the subgraph's repositories on ``session`` (override in subclasses)."""

    async def __aenter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("a unit of work cannot be nested")
        self._committed = False
        self._session = self._sessions()
        self.bind_repositories(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session, self._session = self.session, None
        self._once_row = None
        try:
            if not self._committed:
                await session.rollback()
        finally:
            await session.close()

    async def flush(self) -> None:
        """Send pending changes to the database inside the transaction."""
        try:
            await self.session.flush()
        except StaleDataError as exc:
            raise _version_conflict(exc) from exc

    async def commit(self) -> None:
        """Make the changes permanent. A lost optimistic-lock race becomes ``VERSION_CONFLICT``."""
        if self._once_row is not None and self._once_row.result_id is None:
            raise RuntimeError("a use case claimed an idempotency key but recorded no result")
        try:
            await self.session.commit()
        except StaleDataError as exc:
            raise _version_conflict(exc) from exc
        self._committed = True

    async def rollback(self) -> None:
        """Discard the changes made so far (the block may continue with a fresh transaction)."""
        await self.session.rollback()

    #: whose objects the use case may read and change; the app sets it per request and the
    #: repositories bound in :meth:`bind_repositories` apply it
    access: Access = ALL_ACCESS


def _version_conflict(exc: StaleDataError) -> DomainError:
    """A concurrent writer changed the row between our read and our write."""
    del exc
    return VersionConflictError("the entity")
