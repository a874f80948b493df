"""Where automatic persisted queries live: in this process, or in Redis for all replicas.

Both stores map a document's SHA-256 to its text. Documents never change under a hash, so the
Redis store keeps a bounded in-process copy in front: a hash seen once by a replica is a
dictionary lookup from then on, and only first sightings cost a round trip.
"""

from __future__ import annotations

from typing import Protocol

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from gateway.stores.lru import LruCache

__all__ = ["DocumentStore", "MemoryDocumentStore", "RedisDocumentStore"]

_log = structlog.get_logger(__name__)


class DocumentStore(Protocol):
    """Documents by SHA-256 (hex)."""

    async def get(self, sha256: str) -> str | None:
        """The document registered under ``sha256``, or ``None``."""
        ...

    async def put(self, sha256: str, document: str) -> None:
        """Register ``document`` under ``sha256`` (the caller checked the hash)."""
        ...


class MemoryDocumentStore:
    """A bounded LRU in this process (the embedded default)."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._documents: LruCache[str, str] = LruCache(max_entries)

    async def get(self, sha256: str) -> str | None:
        """A dictionary lookup."""
        return self._documents.get(sha256)

    async def put(self, sha256: str, document: str) -> None:
        """Keep ``document``, evicting the least recently used one when full."""
        self._documents.put(sha256, document)


class RedisDocumentStore:
    """Documents under ``<key_prefix>:<sha256>`` in Redis, shared by every replica.

    Redis failures never fail a request: a failed read is a miss (the client then sends the
    query along) and a failed write is logged.
    """

    def __init__(
        self,
        redis: Redis,
        key_prefix: str,
        ttl_seconds: int | None = 86_400,
        local_entries: int = 10_000,
    ) -> None:
        self._redis = redis
        self._key_prefix = key_prefix
        self._ttl_seconds = ttl_seconds or None
        self._local: LruCache[str, str] = LruCache(local_entries)

    def key(self, sha256: str) -> str:
        """The Redis key of a document."""
        return f"{self._key_prefix}:{sha256}"

    async def get(self, sha256: str) -> str | None:
        """From the local copy, else from Redis (then kept locally)."""
        document = self._local.get(sha256)
        if document is not None:
            return document
        try:
            raw = await self._redis.get(self.key(sha256))
        except (RedisError, OSError) as error:
            _log.warning("APQ store unavailable; treating as a miss", error=str(error))
            return None
        if raw is None:
            return None
        document = raw.decode() if isinstance(raw, bytes) else str(raw)
        self._local.put(sha256, document)
        return document

    async def put(self, sha256: str, document: str) -> None:
        """Write to Redis (with the TTL) and keep a local copy."""
        self._local.put(sha256, document)
        try:
            await self._redis.set(self.key(sha256), document.encode(), ex=self._ttl_seconds)
        except (RedisError, OSError) as error:
            _log.warning("APQ store unavailable; document kept locally only", error=str(error))
