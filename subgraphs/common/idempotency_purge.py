"""Retention of the subgraphs' idempotency key rows.

Every idempotent mutation leaves a row in ``<name>_idempotency_keys`` (see
:mod:`subgraphs.common.idempotency`). A row only has to outlive the caller's retries: the
gateway replays a key's response for ``idempotency.retention_seconds`` (24 hours by default), an
import worker retries for minutes. :class:`IdempotencyKeyPurger` deletes the rows older than the
subgraph's ``idempotency_retention_hours`` (7 days by default) at start-up, before the subgraph
serves, and then every ``idempotency_purge_interval_seconds``, so the table stays the size of the
retention window.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime, timedelta

import structlog
from sqlalchemy import delete
from sqlalchemy.engine import CursorResult

from subgraphs.common.db import Database, utc_now
from subgraphs.common.idempotency import IdempotencyKeyRow

__all__ = ["IdempotencyKeyPurger", "purge_idempotency_keys"]

_log = structlog.get_logger("subgraphs.idempotency")


async def purge_idempotency_keys(
    database: Database, model: type[IdempotencyKeyRow], *, older_than: datetime
) -> int:
    """Delete the key rows of ``model`` created before ``older_than``; the number deleted."""
    async with database.write_sessions() as session, session.begin():
        result = await session.execute(delete(model).where(model.created_at < older_than))
    assert isinstance(result, CursorResult)
    return int(result.rowcount or 0)


class IdempotencyKeyPurger:
    """Purges expired key rows now and then, as a background task of the subgraph's lifespan."""

    def __init__(
        self,
        database: Database,
        model: type[IdempotencyKeyRow],
        *,
        retention: timedelta,
        interval_seconds: float,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self._database = database
        self._model = model
        self._retention = retention
        self._interval = interval_seconds
        self._now = now
        self._task: asyncio.Task[None] | None = None

    async def purge_once(self) -> int:
        """Delete what is older than the retention; the number of rows deleted."""
        cutoff = self._now() - self._retention
        deleted = await purge_idempotency_keys(self._database, self._model, older_than=cutoff)
        if deleted:
            _log.info("idempotency_keys_purged", table=self._model.__tablename__, rows=deleted)  # type: ignore[attr-defined]
        return deleted

    async def start(self) -> None:
        """Purge now (a failure is logged, not raised), then every interval in the background."""
        await self._purge_logged()
        self._task = asyncio.create_task(self._run(), name="idempotency-key-purge")

    async def stop(self) -> None:
        """Stop the background task (an ongoing purge is rolled back)."""
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _purge_logged(self) -> None:
        try:
            await self.purge_once()
        except Exception:  # a database outage must neither stop start-up nor end the loop
            _log.warning("idempotency_key_purge_failed", exc_info=True)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            await self._purge_logged()
