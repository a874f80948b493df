"""``GracefulShutdown`` in this process: the first SIGTERM drains and hands over to the
server's handler afterwards; a second one hands over at once; uninstalling restores the handler.

The "server's handler" is a recording function installed as the SIGTERM handler before
``install()``, as uvicorn's is; the signals are real (``signal.raise_signal``).
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Iterator
from types import FrameType

import pytest

from gateway.process.settings import ShutdownSettings
from gateway.process.shutdown import GracefulShutdown


@pytest.fixture
def received() -> Iterator[list[int]]:
    """Signals that reached the handler installed before ``GracefulShutdown``."""
    found: list[int] = []

    def record(signum: int, frame: FrameType | None) -> None:
        found.append(signum)

    previous = signal.signal(signal.SIGTERM, record)
    try:
        yield found
    finally:
        signal.signal(signal.SIGTERM, previous)


async def _until(condition: Callable[[], object], ticks: int = 500) -> None:
    for _ in range(ticks):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition never met")


async def test_the_first_sigterm_drains_then_hands_over(received: list[int]) -> None:
    shutdown = GracefulShutdown(ShutdownSettings(drain_seconds=0.05, grace_seconds=1))
    shutdown.install()
    try:
        assert shutdown.installed and not shutdown.draining
        signal.raise_signal(signal.SIGTERM)
        assert shutdown.draining
        assert received == []  # still serving
        await _until(lambda: received)
        assert received == [signal.SIGTERM]
    finally:
        shutdown.uninstall()


async def test_a_second_sigterm_ends_the_drain(received: list[int]) -> None:
    shutdown = GracefulShutdown(ShutdownSettings(drain_seconds=3600, grace_seconds=1))
    shutdown.install()
    try:
        signal.raise_signal(signal.SIGTERM)
        await asyncio.sleep(0)
        assert received == []
        signal.raise_signal(signal.SIGTERM)
        assert received == [signal.SIGTERM]
        await asyncio.sleep(0.05)  # the drain scheduled by the first signal does not run
        assert received == [signal.SIGTERM]
    finally:
        shutdown.uninstall()


async def test_no_drain_hands_over_at_once_and_uninstall_restores(received: list[int]) -> None:
    shutdown = GracefulShutdown(ShutdownSettings(drain_seconds=0, grace_seconds=1))
    shutdown.install()
    signal.raise_signal(signal.SIGTERM)
    assert shutdown.draining and received == [signal.SIGTERM]
    shutdown.uninstall()
    assert not shutdown.installed
    signal.raise_signal(signal.SIGTERM)
    assert received == [signal.SIGTERM, signal.SIGTERM]  # the recorder is back in place
