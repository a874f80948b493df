"""Graceful shutdown of the gateway process on SIGTERM (docs/adr/0304).

uvicorn, told to stop, closes its listening sockets at once, lets the requests in flight finish
(at most ``timeout_graceful_shutdown`` seconds) and runs the lifespan shutdown. What it lacks is
a *drain*: a load balancer or orchestrator that still sends traffic during the seconds it needs
to notice the stop would see refused connections. :class:`GracefulShutdown` adds it:

1. SIGTERM: ``/ready`` answers 503 at once (:attr:`GracefulShutdown.draining`); requests, new
   ones included, are still accepted and served;
2. after ``runtime.shutdown.drain_seconds`` (or at a second SIGTERM) uvicorn's own handler runs:
   it stops accepting and gives the requests in flight ``runtime.shutdown.grace_seconds``
   (``timeout_graceful_shutdown``), then the app shuts down and the process exits.

It wraps the SIGTERM handler uvicorn installed, from the app's lifespan (uvicorn installs its
handlers before it starts the lifespan), so it works the same in the one-process gateway and in
each ``--workers`` process (the supervisor forwards SIGTERM to its workers and waits for them).
Only the gateway process passes one to ``create_app``; apps served in tests and ``ordergate
dev`` keep uvicorn's behaviour. SIGINT (Ctrl+C) stops without a drain.

Usage (the gateway's lifespan; never at import time)::

    shutdown = GracefulShutdown(settings.runtime.shutdown)
    shutdown.install()      # once serving
    shutdown.draining       # read by /ready
    shutdown.uninstall()    # at lifespan shutdown
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from types import FrameType
from typing import Any

import structlog

from gateway.process.settings import ShutdownSettings

__all__ = ["GracefulShutdown", "exit_quietly_on_sigterm"]

_log = structlog.get_logger(__name__)


class GracefulShutdown:
    """Turns the first SIGTERM into a drain, then hands it to the server's own handler."""

    def __init__(self, settings: ShutdownSettings) -> None:
        self.settings = settings
        self._draining = False
        self._handed_over = False
        self._previous: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._timer: asyncio.TimerHandle | None = None

    @property
    def draining(self) -> bool:
        """Whether SIGTERM was received (``/ready`` answers 503)."""
        return self._draining

    @property
    def installed(self) -> bool:
        """Whether the SIGTERM handler is in place."""
        return self._previous is not None

    def install(self) -> None:
        """Wrap the current SIGTERM handler (in the event loop of the main thread; a no-op
        elsewhere, or when no Python handler is installed: nothing would stop the server)."""
        if self.installed or threading.current_thread() is not threading.main_thread():
            return
        previous = signal.getsignal(signal.SIGTERM)
        if not callable(previous):
            return
        self._loop = asyncio.get_running_loop()
        self._previous = previous
        signal.signal(signal.SIGTERM, self._on_sigterm)

    def uninstall(self) -> None:
        """Give the wrapped handler back and forget a pending drain timer."""
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
        previous, self._previous = self._previous, None
        if previous is not None and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, previous)

    def _on_sigterm(self, signum: int, frame: FrameType | None) -> None:
        # Runs between two bytecodes of the main thread: only flag and hand over to the loop.
        if self._draining or self.settings.drain_seconds <= 0 or self._loop is None:
            self._draining = True
            self._stop(signum, frame)
            return
        self._draining = True
        self._loop.call_soon_threadsafe(self._start_drain, signum)

    def _start_drain(self, signum: int) -> None:
        assert self._loop is not None
        if self._handed_over:  # a second SIGTERM came first
            return
        seconds = self.settings.drain_seconds
        _log.info("draining before shutdown", pid=os.getpid(), drain_seconds=seconds,
                  grace_seconds=self.settings.grace_seconds)  # fmt: skip
        self._timer = self._loop.call_later(seconds, self._stop, signum, None)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self._handed_over = True
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
        previous = self._previous
        if callable(previous):
            _log.info("shutting down", pid=os.getpid())
            previous(signum, frame)


def _exit_zero(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def exit_quietly_on_sigterm() -> None:
    """SIGTERM outside the server (before it starts, or re-raised by uvicorn once it stopped
    gracefully) ends the process with status 0: a requested stop is no failure."""
    signal.signal(signal.SIGTERM, _exit_zero)
