"""Hot-swappable engine: a new supergraph replaces the engine without dropping requests in flight.

Each request borrows the current engine with :meth:`EngineSlot.borrow`; :meth:`EngineSlot.install`
puts a new one in place. A replaced engine is closed once the last request that borrowed it is
done, so requests in flight finish on the supergraph they started with.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Protocol

import structlog

from gateway.engine.types import GraphQLService

__all__ = ["EngineSlot", "NoEngineError", "ServingEngine"]

_log = structlog.get_logger(__name__)


class ServingEngine(GraphQLService, Protocol):
    """What the HTTP edge needs of an engine built from one supergraph."""

    @property
    def supergraph_hash(self) -> str:
        """A stable hash of the supergraph SDL the engine serves."""
        ...

    @property
    def subgraph_urls(self) -> Mapping[str, str]:
        """Subgraph name -> URL, as the engine will call them."""
        ...

    async def aclose(self) -> None:
        """Release connections; called once no request uses the engine any more."""
        ...


class NoEngineError(RuntimeError):
    """No supergraph has been loaded yet."""


@dataclass(eq=False)
class _Lease:
    engine: ServingEngine
    borrowers: int = 0
    retired: bool = False


class EngineSlot:
    """Holds the engine currently serving and retires replaced ones gracefully."""

    def __init__(self) -> None:
        self._current: _Lease | None = None
        self._closing: set[asyncio.Task[None]] = set()
        #: replaced engines still borrowed by requests in flight
        self._retired: set[_Lease] = set()
        self._released = asyncio.Event()

    @property
    def engine(self) -> ServingEngine | None:
        """The engine serving new requests, if any."""
        return self._current.engine if self._current else None

    @property
    def in_flight(self) -> int:
        """Requests currently using the serving engine."""
        return self._current.borrowers if self._current else 0

    def install(self, engine: ServingEngine) -> None:
        """Serve new requests with ``engine``; close the previous one when it is idle."""
        previous, self._current = self._current, _Lease(engine)
        if previous is not None:
            previous.retired = True
            if previous.borrowers == 0:
                self._close_later(previous.engine)
            else:
                self._retired.add(previous)

    @asynccontextmanager
    async def borrow(self) -> AsyncIterator[ServingEngine]:
        """The current engine, kept open until the ``async with`` block ends."""
        lease = self._current
        if lease is None:
            raise NoEngineError("no supergraph loaded")
        lease.borrowers += 1
        try:
            yield lease.engine
        finally:
            lease.borrowers -= 1
            if lease.retired and lease.borrowers == 0:
                self._retired.discard(lease)
                self._close_later(lease.engine)
                self._released.set()

    async def drained(self) -> None:
        """Wait until every replaced engine is idle and closed (the current one stays)."""
        while self._retired or self._closing:
            if self._closing:
                await asyncio.gather(*self._closing, return_exceptions=True)
                continue
            self._released.clear()
            await self._released.wait()

    def _close_later(self, engine: ServingEngine) -> None:
        task = asyncio.get_running_loop().create_task(engine.aclose())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def aclose(self) -> None:
        """Close the current engine and wait for retired ones to finish closing."""
        lease, self._current = self._current, None
        if lease is not None:
            await lease.engine.aclose()
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)
        _log.debug("engine slot closed")
