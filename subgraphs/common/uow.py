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
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from subgraphs.common.errors import DomainError, VersionConflictError
from subgraphs.common.ownership import ALL_ACCESS, Access

__all__ = ["UnitOfWork"]


class UnitOfWork:
    """A transaction scope with repositories bound to its session."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None
        self._committed = False

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
