"""Garbage-collector tuning of the gateway process (docs/adr/0850).

Under load most of what the gateway allocates is freed by reference counting; Python's cyclic
collector still runs a young collection every 700 allocations and rescans the whole supergraph
model (schema, plans, caches) in every full collection: 28-39 % of the gateway's CPU in the
benchmark. :class:`GcTuner` raises the thresholds, freezes what exists once the supergraph is
built (frozen objects are never scanned again; they are still freed by reference counting) and
runs one collection every few seconds so that reference cycles are reclaimed whatever the load.

Usage (the gateway's lifespan; never at import time)::

    tuner = GcTuner(settings.runtime.gc)
    tuner.start()       # after the first supergraph is built
    tuner.refreeze()    # after a hot reload, once the replaced engine is closed
    await tuner.aclose()
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os

import structlog

from gateway.process.settings import GcSettings

__all__ = ["GcTuner"]

_log = structlog.get_logger(__name__)


class GcTuner:
    """Applies :class:`GcSettings` to this process and runs the periodic collection."""

    def __init__(self, settings: GcSettings) -> None:
        self.settings = settings
        #: freezes so far (the first, then one per reload), periodic collections run so far
        #: and the unreachable objects they found
        self.freezes = 0
        self.collections = 0
        self.collected = 0
        self._previous: tuple[int, int, int] | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def applied(self) -> bool:
        """Whether the settings are in force in this process."""
        return self._previous is not None

    def start(self) -> None:
        """Set the thresholds, freeze, and start the periodic collection (in the event loop)."""
        settings = self.settings
        if not settings.enabled or self.applied:
            return
        self._previous = gc.get_threshold()
        gc.set_threshold(*settings.thresholds)
        if settings.freeze:
            self._freeze()
        if settings.collect_interval_seconds > 0:
            self._task = asyncio.get_running_loop().create_task(self._collect_forever())
        _log.info(
            "garbage collector tuned",
            pid=os.getpid(),
            thresholds=list(gc.get_threshold()),
            frozen=gc.get_freeze_count(),
            collect_interval_seconds=settings.collect_interval_seconds,
        )

    def refreeze(self) -> None:
        """Unfreeze, collect and freeze again: after a hot reload, the replaced supergraph's
        objects become collectable and the new one's are frozen."""
        if not self.applied or not self.settings.freeze:
            return
        gc.unfreeze()
        self._freeze()
        _log.info("garbage collector refrozen", pid=os.getpid(), frozen=gc.get_freeze_count())

    def collect(self) -> int:
        """One periodic collection now; the unreachable objects found."""
        found = gc.collect(self.settings.collect_generation)
        self.collections += 1
        self.collected += found
        return found

    async def aclose(self) -> None:
        """Stop the periodic collection and give the collector its previous settings back."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        previous, self._previous = self._previous, None
        if previous is not None:
            gc.unfreeze()
            gc.set_threshold(*previous)

    def _freeze(self) -> None:
        gc.collect()  # garbage of the build first: it would never be scanned again
        gc.freeze()
        self.freezes += 1

    async def _collect_forever(self) -> None:
        interval = self.settings.collect_interval_seconds
        while True:
            await asyncio.sleep(interval)
            found = self.collect()
            if found:
                _log.debug("periodic garbage collection", unreachable=found)
