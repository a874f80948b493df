"""When to retry a query fetch: full-jitter exponential backoff and a retry budget (ADR 0207).

The budget is a token bucket per subgraph, as Finagle's and Envoy's retry budgets: every fetch
sent earns ``ratio`` of a retry, every retry spends one, and ``min_per_second`` retries are
earned over time however little the traffic, up to ``burst`` saved (the bucket starts full).
Retries therefore add at most about ``ratio`` extra load to a subgraph that keeps failing,
instead of multiplying it by the number of attempts. The clock is injected for tests.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

__all__ = ["RetryBudget", "full_jitter_backoff"]


def full_jitter_backoff(
    retry: int,
    *,
    base_seconds: float,
    max_seconds: float,
    draw: Callable[[], float] = random.random,
) -> float:
    """The pause before retry number ``retry`` (1 for the first): uniform in
    ``[0, min(max_seconds, base_seconds * 2 ** (retry - 1))]`` ("full jitter")."""
    ceiling = base_seconds * (1 << min(retry - 1, 30))
    return draw() * (ceiling if ceiling < max_seconds else max_seconds)


class RetryBudget:
    """Retries one subgraph may still get."""

    __slots__ = ("_clock", "_refilled_at", "balance", "burst", "min_per_second", "ratio")

    def __init__(
        self,
        *,
        ratio: float,
        min_per_second: float,
        burst: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ratio < 0 or min_per_second < 0 or burst < 0:
            raise ValueError("a retry budget's figures cannot be negative")
        self.ratio = ratio
        self.min_per_second = min_per_second
        self.burst = burst
        self._clock = clock
        #: retries that may be spent now (fractions are earned per fetch)
        self.balance = burst
        self._refilled_at = clock()

    def deposit(self) -> None:
        """A fetch was sent: it earns ``ratio`` of a retry."""
        balance = self.balance + self.ratio
        self.balance = balance if balance < self.burst else self.burst

    def withdraw(self) -> bool:
        """Spend one retry if the budget has one."""
        if self.min_per_second:
            now = self._clock()
            earned = (now - self._refilled_at) * self.min_per_second
            self._refilled_at = now
            self.balance = min(self.burst, self.balance + earned)
        if self.balance >= 1.0:
            self.balance -= 1.0
            return True
        return False

    def refund(self) -> None:
        """Give back a retry withdrawn but not made."""
        self.balance = min(self.burst, self.balance + 1.0)
