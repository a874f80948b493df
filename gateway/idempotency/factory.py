"""Builds the stage's objects from settings (called by the composition root)."""

from __future__ import annotations

from redis.asyncio import Redis

from gateway.idempotency.graphql import MutationIdempotency
from gateway.idempotency.guard import IdempotencyGuard
from gateway.idempotency.redis_store import RedisIdempotencyStore
from gateway.idempotency.settings import IdempotencySettings
from gateway.idempotency.store import IdempotencyStore, MemoryIdempotencyStore

__all__ = ["build_idempotency_guard", "build_idempotency_store", "build_mutation_idempotency"]


def build_idempotency_store(
    settings: IdempotencySettings, redis: Redis | None = None, redis_key_prefix: str = "ordergate"
) -> IdempotencyStore:
    """The record store the settings ask for (Redis needs the shared ``redis`` client)."""
    if settings.store == "redis":
        if redis is None:
            raise ValueError("idempotency.store is 'redis' but no Redis client was given")
        return RedisIdempotencyStore(redis, f"{redis_key_prefix}:{settings.key_prefix}")
    return MemoryIdempotencyStore(settings.memory_max_entries)


def build_idempotency_guard(
    settings: IdempotencySettings, redis: Redis | None = None, redis_key_prefix: str = "ordergate"
) -> IdempotencyGuard:
    """A guard over the configured store, with the configured lease and retention."""
    return IdempotencyGuard(
        build_idempotency_store(settings, redis, redis_key_prefix),
        lease_seconds=settings.lease_seconds,
        retention_seconds=settings.retention_seconds,
    )


def build_mutation_idempotency(
    settings: IdempotencySettings, redis: Redis | None = None, redis_key_prefix: str = "ordergate"
) -> MutationIdempotency:
    """The GraphQL mutation logic of the stage."""
    return MutationIdempotency(build_idempotency_guard(settings, redis, redis_key_prefix), settings)
