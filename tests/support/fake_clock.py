"""A monotonic clock that tests move by hand (token buckets, record expiry, JWKS caching)."""

from __future__ import annotations


class FakeClock:
    """A monotonic clock the test moves by hand; call it for the current time."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds``."""
        self.now += seconds
