"""The record store protocol and its in-process implementation.

Both implementations (this one and :mod:`gateway.idempotency.redis_store`) pass one test suite
(tests/integration/idempotency/). A claim is atomic: of many concurrent claims on one key,
exactly one wins and the others see its record.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from gateway.idempotency.records import IdempotencyRecord
from gateway.stores.lru import LruCache

__all__ = ["IdempotencyStore", "MemoryIdempotencyStore"]


class IdempotencyStore(Protocol):
    """Records by key, with expiry."""

    async def claim(
        self, key: str, record: IdempotencyRecord, lease_seconds: float
    ) -> IdempotencyRecord | None:
        """Store the in-flight ``record`` unless ``key`` holds one: ``None`` when claimed, else
        the record that is there (raises ``OSError``/``RedisError`` when unreachable)."""
        ...

    async def renew(self, key: str, owner: str, lease_seconds: float) -> bool:
        """Extend ``owner``'s claim; ``False`` when it is no longer theirs (expired, taken)."""
        ...

    async def complete(self, key: str, record: IdempotencyRecord, retention_seconds: float) -> bool:
        """Replace ``record.owner``'s in-flight claim by the done ``record``, kept for
        ``retention_seconds``; ``False`` (nothing written) when the claim was lost."""
        ...

    async def release(self, key: str, owner: str) -> None:
        """Forget ``owner``'s in-flight claim (a retry may then execute again)."""
        ...

    async def get(self, key: str) -> IdempotencyRecord | None:
        """The record under ``key``, if any and not expired."""
        ...


class MemoryIdempotencyStore:
    """Records in this process (the embedded default): an LRU with expiry times.

    No method awaits anything, so each runs atomically on the event loop.
    """

    def __init__(
        self, max_entries: int = 100_000, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._entries: LruCache[str, tuple[IdempotencyRecord, float]] = LruCache(max_entries)
        self._clock = clock

    def _live(self, key: str) -> IdempotencyRecord | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        record, expires_at = entry
        if expires_at <= self._clock():
            self._entries.pop(key)
            return None
        return record

    def _owned_in_flight(self, key: str, owner: str) -> bool:
        record = self._live(key)
        return record is not None and record.in_flight and record.owner == owner

    async def claim(
        self, key: str, record: IdempotencyRecord, lease_seconds: float
    ) -> IdempotencyRecord | None:
        """Claim ``key`` unless a live record holds it."""
        existing = self._live(key)
        if existing is not None:
            return existing
        self._entries.put(key, (record, self._clock() + lease_seconds))
        return None

    async def renew(self, key: str, owner: str, lease_seconds: float) -> bool:
        """Move the claim's expiry ``lease_seconds`` ahead."""
        if not self._owned_in_flight(key, owner):
            return False
        record, _ = self._entries.get(key) or (None, 0.0)
        assert record is not None
        self._entries.put(key, (record, self._clock() + lease_seconds))
        return True

    async def complete(self, key: str, record: IdempotencyRecord, retention_seconds: float) -> bool:
        """Store the done record if the claim is still ``record.owner``'s."""
        if not self._owned_in_flight(key, record.owner):
            return False
        self._entries.put(key, (record, self._clock() + retention_seconds))
        return True

    async def release(self, key: str, owner: str) -> None:
        """Drop the claim if it is still ``owner``'s."""
        if self._owned_in_flight(key, owner):
            self._entries.pop(key)

    async def get(self, key: str) -> IdempotencyRecord | None:
        """The live record."""
        return self._live(key)
