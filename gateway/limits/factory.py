"""Builds the stage's objects from settings (called by the composition root)."""

from __future__ import annotations

from redis.asyncio import Redis

from gateway.limits.accounts import UNIDENTIFIED_PREFIX
from gateway.limits.buckets import BucketStore, MemoryBucketStore, PrefixRoutedBucketStore
from gateway.limits.limiter import BudgetLimiter
from gateway.limits.redis_buckets import RedisBucketStore
from gateway.limits.settings import LimitsSettings

__all__ = ["build_bucket_store", "build_budget_limiter"]


def build_bucket_store(
    settings: LimitsSettings, redis: Redis | None = None, redis_key_prefix: str = "ordergate"
) -> BucketStore:
    """The bucket store the settings ask for (Redis needs the shared ``redis`` client).

    In process, the buckets of unidentified callers live in an LRU of their own
    (``limits.unidentified.max_buckets``); in Redis every bucket expires once it is full again.
    """
    if settings.store == "redis":
        if redis is None:
            raise ValueError("limits.store is 'redis' but no Redis client was given")
        return RedisBucketStore(redis, f"{redis_key_prefix}:{settings.bucket_key_prefix}")
    return PrefixRoutedBucketStore(
        UNIDENTIFIED_PREFIX,
        MemoryBucketStore(settings.unidentified.max_buckets),
        MemoryBucketStore(settings.memory_max_buckets),
    )


def build_budget_limiter(
    settings: LimitsSettings, redis: Redis | None = None, redis_key_prefix: str = "ordergate"
) -> BudgetLimiter:
    """The limiter over the configured bucket store."""
    store = build_bucket_store(settings, redis, redis_key_prefix)
    return BudgetLimiter(store, fail_open=settings.fail_open)
