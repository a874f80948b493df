"""Where request records are kept: in process (bounded, expiring) or in Redis.

Records are filed under the correlation id *and* their owner (:func:`~.query.owner_key`): a
client that sends another client's ``X-Request-ID`` files a record of its own beside the
other's, it can neither read nor replace it. Expiry is decided by the store's ``clock``
(injectable; Redis also expires the key itself a little later).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol

import orjson
from redis.asyncio import Redis

__all__ = ["LookupStore", "MemoryLookupStore", "RedisLookupStore"]

#: owners kept under one correlation id at most (the latest win)
MAX_OWNERS = 8


class LookupStore(Protocol):
    """Keeps records by correlation id and owner."""

    async def put(self, request_id: str, owner: str, record: dict[str, Any]) -> None:
        """Keep ``record`` for ``ttl_seconds``."""
        ...

    async def get(self, request_id: str, owner: str) -> dict[str, Any] | None:
        """``owner``'s record of ``request_id`` (``None``: none, or expired)."""
        ...

    async def get_any(self, request_id: str) -> dict[str, Any] | None:
        """The latest record of ``request_id`` whoever owns it."""
        ...


def _latest(records: list[dict[str, Any]]) -> dict[str, Any] | None:
    return max(records, key=lambda record: float(record.get("recordedAt", 0))) if records else None


class MemoryLookupStore:
    """In process: at most ``max_entries`` correlation ids (the least recently written go
    first), each for ``ttl_seconds`` of ``clock``."""

    def __init__(
        self,
        ttl_seconds: float,
        max_entries: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._clock = clock
        #: records kept serialized: thousands of bytes objects cost the garbage collector
        #: nothing, thousands of nested dicts are walked by every full collection
        self._entries: OrderedDict[str, dict[str, tuple[float, bytes]]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    async def put(self, request_id: str, owner: str, record: dict[str, Any]) -> None:
        """Keep ``record``; evicts the oldest entries beyond ``max_entries``."""
        now = self._clock()
        owners = self._entries.pop(request_id, {})
        owners.pop(owner, None)
        owners[owner] = (now + self.ttl_seconds, orjson.dumps(record))
        while len(owners) > MAX_OWNERS:
            owners.pop(next(iter(owners)))
        self._entries[request_id] = owners
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def _live(self, request_id: str) -> dict[str, tuple[float, bytes]]:
        owners = self._entries.get(request_id)
        if owners is None:
            return {}
        now = self._clock()
        for owner in [key for key, (expires, _) in owners.items() if expires <= now]:
            del owners[owner]
        if not owners:
            del self._entries[request_id]
        return owners

    async def get(self, request_id: str, owner: str) -> dict[str, Any] | None:
        """``owner``'s live record of ``request_id``."""
        entry = self._live(request_id).get(owner)
        return orjson.loads(entry[1]) if entry is not None else None

    async def get_any(self, request_id: str) -> dict[str, Any] | None:
        """The latest live record of ``request_id``."""
        return _latest([orjson.loads(record) for _, record in self._live(request_id).values()])


class RedisLookupStore:
    """In Redis: a hash per correlation id (``<prefix>:request-lookup:<id>``), a field per
    owner, each value carrying its expiry by ``clock``; the key expires with the last one."""

    def __init__(
        self,
        redis: Redis,
        prefix: str,
        ttl_seconds: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._redis = redis
        self._prefix = prefix
        self.ttl_seconds = ttl_seconds
        self._clock = clock

    def _key(self, request_id: str) -> str:
        return f"{self._prefix}:request-lookup:{request_id}"

    async def put(self, request_id: str, owner: str, record: dict[str, Any]) -> None:
        """Keep ``record`` (the key's expiry moves to this record's, plus a second)."""
        key = self._key(request_id)
        value = orjson.dumps({"expires": self._clock() + self.ttl_seconds, "record": record})
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, owner, value)
            pipe.expire(key, int(self.ttl_seconds) + 1)
            await pipe.execute()

    def _live(self, raw: bytes | str | None) -> dict[str, Any] | None:
        if raw is None:
            return None
        stored = orjson.loads(raw)
        if float(stored["expires"]) <= self._clock():
            return None
        record: dict[str, Any] = stored["record"]
        return record

    async def get(self, request_id: str, owner: str) -> dict[str, Any] | None:
        """``owner``'s live record of ``request_id``."""
        raw = await self._redis.hget(self._key(request_id), owner)
        return self._live(raw)

    async def get_any(self, request_id: str) -> dict[str, Any] | None:
        """The latest live record of ``request_id``."""
        values = await self._redis.hvals(self._key(request_id))
        return _latest([record for raw in values if (record := self._live(raw)) is not None])
