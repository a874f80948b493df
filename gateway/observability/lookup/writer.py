"""Writes request records once the response has gone, never delaying or failing a request.

:meth:`LookupWriter.record` is called by the request recorder after the last byte of the
response was sent: it builds the record (the plan's text, redacted variables) and hands the
store write to a task. At most ``max_backlog`` writes wait at once; further records are
dropped. A failing store (Redis down) loses the record and logs a warning, nothing else.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import structlog
from starlette.types import Scope

from gateway.execution.trail import ExecutionTrail
from gateway.observability.lookup.query import owner_key
from gateway.observability.lookup.record import PlanTexts, build_record
from gateway.observability.lookup.settings import RequestLookupSettings
from gateway.observability.lookup.store import LookupStore
from gateway.observability.observation import RequestObservation

__all__ = ["LookupWriter"]

_log = structlog.get_logger("gateway.request_lookup")


class LookupWriter:
    """Records finished requests in ``store`` (one per app)."""

    def __init__(
        self,
        store: LookupStore,
        settings: RequestLookupSettings,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.settings = settings
        self._wall_clock = wall_clock
        self._pending: set[asyncio.Task[None]] = set()
        #: records dropped because the backlog was full
        self.dropped = 0
        #: records not built or not written (the store failed)
        self.failed = 0
        self._plan_texts = PlanTexts()

    def trail(self) -> ExecutionTrail:
        """A new trail for a request about to be served."""
        return ExecutionTrail()

    def record(self, scope: Scope, observation: RequestObservation, finished: float) -> None:
        """Build the record of the finished request and queue its write."""
        context = observation.context
        request_id = context.request_id if context is not None else None
        if not request_id:
            request_id = str((scope.get("state") or {}).get("request_id") or "")
        if not request_id:
            return
        if len(self._pending) >= self.settings.max_backlog:
            self.dropped += 1
            _log.warning("request record dropped: backlog full", dropped=self.dropped)
            return
        try:
            record = build_record(
                scope,
                observation,
                observation.trail,
                request_id=request_id,
                duration=finished - observation.started,
                recorded_at=self._wall_clock(),
                keep_variables=self.settings.keep_variables,
                plan_text=self._plan_texts.text,
            )
        except Exception as error:  # a record never fails the request it describes
            self.failed += 1
            _log.warning("request record not built", error=type(error).__name__)
            return
        owner = owner_key(context.principal if context is not None else None)
        task = asyncio.get_running_loop().create_task(self._write(request_id, owner, record))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _write(self, request_id: str, owner: str, record: dict[str, object]) -> None:
        try:
            await self.store.put(request_id, owner, record)
        except Exception as error:  # a store failure never reaches a request
            self.failed += 1
            _log.warning("request record not written", error=type(error).__name__)

    async def drain(self) -> None:
        """Wait for the writes queued so far."""
        if self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)
