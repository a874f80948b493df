"""Token buckets in cost units: the store protocol and its in-process implementation.

A store keeps one bucket per client and applies one operation atomically: ``take`` (admit an
amount if the bucket holds it), ``refund`` (give an amount back, capped at the capacity) or
``peek``. Buckets refill continuously at ``refill_per_second``; a bucket never seen is full.
The Redis implementation (:mod:`gateway.limits.redis_buckets`) follows the same protocol and
passes the same tests.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from gateway.stores.lru import LruCache

__all__ = [
    "BucketOperation",
    "BucketState",
    "BucketStore",
    "BucketStoreError",
    "MemoryBucketStore",
    "PrefixRoutedBucketStore",
]

BucketOperation = Literal["take", "refund", "peek"]


class BucketStoreError(RuntimeError):
    """The store could not be reached or answered nonsense."""


@dataclass(frozen=True, slots=True)
class BucketState:
    """A bucket right after one operation."""

    #: for ``take``: whether the amount was taken (always ``True`` for refund and peek)
    admitted: bool
    #: cost units left in the bucket
    tokens: float
    #: when not admitted: seconds until the bucket holds the amount (``None``: never)
    retry_after_seconds: float | None = None


class BucketStore(Protocol):
    """Where client buckets live."""

    async def apply(
        self,
        client_id: str,
        operation: BucketOperation,
        amount: float,
        capacity: float,
        refill_per_second: float,
    ) -> BucketState:
        """Apply ``operation`` of ``amount`` to the bucket of ``client_id``, atomically."""
        ...

    async def aclose(self) -> None:
        """Release what the store holds (the shared Redis client is closed by its owner)."""
        ...


def settle_bucket(
    tokens: float,
    operation: BucketOperation,
    amount: float,
    capacity: float,
    refill_per_second: float,
) -> tuple[BucketState, float]:
    """The state after ``operation`` on a bucket already refilled to now, and its new tokens."""
    tokens = min(tokens, capacity)
    if operation == "take":
        if amount <= tokens:
            return BucketState(True, tokens - amount), tokens - amount
        retry = (amount - tokens) / refill_per_second if refill_per_second > 0 else None
        return BucketState(False, tokens, retry), tokens
    if operation == "refund":
        tokens = min(capacity, tokens + amount)
    return BucketState(True, tokens), tokens


class MemoryBucketStore:
    """Buckets in this process (the embedded default; not shared between processes)."""

    def __init__(
        self, max_buckets: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._buckets: LruCache[str, tuple[float, float]] = LruCache(max_buckets)
        self._clock = clock

    async def apply(
        self,
        client_id: str,
        operation: BucketOperation,
        amount: float,
        capacity: float,
        refill_per_second: float,
    ) -> BucketState:
        """Apply one operation; nothing awaits, so it is atomic within the event loop."""
        now = self._clock()
        tokens, updated = self._buckets.get(client_id) or (capacity, now)
        if now > updated:
            tokens += (now - updated) * refill_per_second
            updated = now
        state, tokens = settle_bucket(tokens, operation, amount, capacity, refill_per_second)
        self._buckets.put(client_id, (tokens, updated))
        return state

    async def aclose(self) -> None:
        """Forget every bucket."""
        self._buckets.clear()


class PrefixRoutedBucketStore:
    """Buckets whose id starts with ``prefix`` in one store, every other bucket in another.

    The in-process stores use it to keep the buckets of unidentified callers (ids starting
    with ``~``) in an LRU of their own: a flood from rotating addresses evicts only those.
    """

    def __init__(self, prefix: str, routed: BucketStore, others: BucketStore) -> None:
        self._prefix = prefix
        self._routed = routed
        self._others = others

    async def apply(
        self,
        client_id: str,
        operation: BucketOperation,
        amount: float,
        capacity: float,
        refill_per_second: float,
    ) -> BucketState:
        """Apply the operation in the store the bucket id belongs to."""
        store = self._routed if client_id.startswith(self._prefix) else self._others
        return await store.apply(client_id, operation, amount, capacity, refill_per_second)

    async def aclose(self) -> None:
        """Close both stores."""
        await self._routed.aclose()
        await self._others.aclose()
