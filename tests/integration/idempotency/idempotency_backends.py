"""The two record stores as the idempotency tests drive them (see conftest.py)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from memory_or_redis import MemoryOrRedis

from gateway.idempotency import (
    IdempotencyGuard,
    IdempotencySettings,
    IdempotencyStore,
    MemoryIdempotencyStore,
    MutationIdempotency,
    RedisIdempotencyStore,
)


@dataclass
class IdempotencyBackend(MemoryOrRedis):
    """One store implementation, plus what the tests need to drive it."""

    memory: MemoryIdempotencyStore | None = None

    def store(self, *, replica: int = 0) -> IdempotencyStore:
        """The store; with Redis, ``replica`` > 0 gets its own client, like another gateway."""
        if self.redis is None:
            if self.memory is None:
                self.memory = MemoryIdempotencyStore(1000, clock=self.clock)
            return self.memory
        return RedisIdempotencyStore(self.redis_client(replica), self.key_prefix)

    def guard(
        self, *, replica: int = 0, lease_seconds: float = 30.0, retention_seconds: float = 60.0
    ) -> IdempotencyGuard:
        """A guard over :meth:`store`."""
        return IdempotencyGuard(
            self.store(replica=replica),
            lease_seconds=lease_seconds,
            retention_seconds=retention_seconds,
        )

    def stage(
        self, settings: IdempotencySettings | None = None, *, replica: int = 0
    ) -> MutationIdempotency:
        """The GraphQL logic of the stage over this store."""
        settings = settings or IdempotencySettings()
        guard = self.guard(
            replica=replica,
            lease_seconds=settings.lease_seconds,
            retention_seconds=settings.retention_seconds,
        )
        return MutationIdempotency(guard, settings, faults=frozenset())

    async def let_pass(self, key: str, seconds: float) -> None:
        """Let ``seconds`` pass for the record of ``key``.

        The in-process store's clock moves; in Redis the key's remaining time to live is cut by
        ``seconds`` (the server's clock cannot be moved) and the test waits until Redis has
        dropped it, if that was due.
        """
        if self.redis is None:
            self.clock.now += seconds
            return
        redis_key = f"{self.key_prefix}:{key}"
        remaining = await self.redis.pttl(redis_key)
        if remaining < 0:
            return
        left = remaining - int(seconds * 1000)
        if left > 0:
            await self.redis.pexpire(redis_key, left)
            return
        await self.redis.pexpire(redis_key, 1)
        for _ in range(1000):
            if not await self.redis.exists(redis_key):
                return
            await asyncio.sleep(0.005)
        raise AssertionError(f"Redis did not expire {redis_key}")
