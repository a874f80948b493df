"""The two implementations of every store, as the store tests drive them (see conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from redis.asyncio import Redis

from gateway.limits.buckets import BucketStore, MemoryBucketStore
from gateway.limits.redis_buckets import RedisBucketStore
from gateway.persisted.apq_store import DocumentStore, MemoryDocumentStore, RedisDocumentStore


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class StoreBackend:
    """One implementation, plus what the tests need to drive it."""

    name: str
    key_prefix: str
    redis_url: str | None = None
    redis: Redis | None = None
    clock: FakeClock = field(default_factory=FakeClock)
    replicas: list[Redis] = field(default_factory=list)
    memory_buckets: MemoryBucketStore | None = None
    memory_documents: MemoryDocumentStore | None = None

    def _client(self, replica: int) -> Redis:
        assert self.redis is not None and self.redis_url is not None
        if not replica:
            return self.redis
        while len(self.replicas) < replica:
            self.replicas.append(Redis.from_url(self.redis_url))
        return self.replicas[replica - 1]

    def document_store(self, *, replica: int = 0) -> DocumentStore:
        """An APQ store; with Redis, each ``replica`` has its own client and local copy."""
        if self.redis is None:
            if self.memory_documents is None:
                self.memory_documents = MemoryDocumentStore(100)
            return self.memory_documents
        return RedisDocumentStore(self._client(replica), f"{self.key_prefix}:apq", 60)

    def bucket_store(self, *, replica: int = 0) -> BucketStore:
        """A bucket store; with Redis, ``replica`` > 0 gets its own client, like a replica."""
        if self.redis is None:
            if self.memory_buckets is None:
                self.memory_buckets = MemoryBucketStore(clock=self.clock)
            return self.memory_buckets
        return RedisBucketStore(self._client(replica), f"{self.key_prefix}:bucket")

    async def advance(self, client_id: str, seconds: float) -> None:
        """Let ``seconds`` pass for the bucket of ``client_id``.

        In Redis the bucket's last-update time is moved back (the script reads the server's
        clock, which a test cannot move).
        """
        if self.redis is None:
            self.clock.now += seconds
            return
        key = f"{self.key_prefix}:bucket:{client_id}"
        if await self.redis.exists(key):
            await self.redis.hincrby(key, "updated", -int(seconds * 1_000_000))
