"""The two implementations of every store, as the store tests drive them (see conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass

from memory_or_redis import MemoryOrRedis

from gateway.limits.buckets import BucketStore, MemoryBucketStore
from gateway.limits.redis_buckets import RedisBucketStore
from gateway.persisted.apq_store import DocumentStore, MemoryDocumentStore, RedisDocumentStore


@dataclass
class StoreBackend(MemoryOrRedis):
    """One implementation, plus what the tests need to drive it."""

    memory_buckets: MemoryBucketStore | None = None
    memory_documents: MemoryDocumentStore | None = None

    def document_store(self, *, replica: int = 0) -> DocumentStore:
        """An APQ store; with Redis, each ``replica`` has its own client and local copy."""
        if self.redis is None:
            if self.memory_documents is None:
                self.memory_documents = MemoryDocumentStore(100)
            return self.memory_documents
        return RedisDocumentStore(self.redis_client(replica), f"{self.key_prefix}:apq", 60)

    def bucket_store(self, *, replica: int = 0) -> BucketStore:
        """A bucket store; with Redis, ``replica`` > 0 gets its own client, like a replica."""
        if self.redis is None:
            if self.memory_buckets is None:
                self.memory_buckets = MemoryBucketStore(clock=self.clock)
            return self.memory_buckets
        return RedisBucketStore(self.redis_client(replica), f"{self.key_prefix}:bucket")

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
