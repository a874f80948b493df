"""Token buckets: the in-process and Redis stores behave the same, and Redis never overspends."""

from __future__ import annotations

import asyncio

import pytest
from store_backends import StoreBackend

CAPACITY = 100.0
RATE = 10.0


async def test_a_new_bucket_is_full(store_backend: StoreBackend) -> None:
    store = store_backend.bucket_store()
    state = await store.apply("a", "peek", 0, CAPACITY, RATE)
    assert state.admitted
    assert state.tokens == CAPACITY


async def test_take_admits_what_the_bucket_holds_and_refuses_more(
    store_backend: StoreBackend,
) -> None:
    store = store_backend.bucket_store()
    first = await store.apply("a", "take", 70, CAPACITY, 0)
    assert (first.admitted, first.tokens) == (True, 30)
    refused = await store.apply("a", "take", 31, CAPACITY, 0)
    assert (refused.admitted, refused.tokens, refused.retry_after_seconds) == (False, 30, None)
    exact = await store.apply("a", "take", 30, CAPACITY, 0)
    assert (exact.admitted, exact.tokens) == (True, 0)


async def test_a_refused_take_says_when_it_would_fit(store_backend: StoreBackend) -> None:
    store = store_backend.bucket_store()
    await store.apply("a", "take", 95, CAPACITY, RATE)
    refused = await store.apply("a", "take", 45, CAPACITY, RATE)
    assert not refused.admitted
    assert refused.retry_after_seconds == pytest.approx((45 - refused.tokens) / RATE)
    assert 3.9 <= refused.retry_after_seconds <= 4.0  # a little refill may have happened


async def test_buckets_refill_over_time_up_to_the_capacity(store_backend: StoreBackend) -> None:
    store = store_backend.bucket_store()
    await store.apply("a", "take", 80, CAPACITY, RATE)
    await store_backend.advance("a", 3)
    after_three = await store.apply("a", "peek", 0, CAPACITY, RATE)
    assert after_three.tokens == pytest.approx(50, abs=0.5)
    await store_backend.advance("a", 60)
    full = await store.apply("a", "peek", 0, CAPACITY, RATE)
    assert full.tokens == CAPACITY


async def test_refunds_are_capped_at_the_capacity(store_backend: StoreBackend) -> None:
    store = store_backend.bucket_store()
    await store.apply("a", "take", 40, CAPACITY, 0)
    partly = await store.apply("a", "refund", 25, CAPACITY, 0)
    assert partly.tokens == 85
    capped = await store.apply("a", "refund", 500, CAPACITY, 0)
    assert capped.tokens == CAPACITY


async def test_fractional_costs_are_kept_exactly(store_backend: StoreBackend) -> None:
    store = store_backend.bucket_store()
    for _ in range(4):
        await store.apply("a", "take", 2.5, 10, 0)
    state = await store.apply("a", "take", 0.5, 10, 0)
    assert (state.admitted, state.tokens) == (False, 0)


async def test_a_lower_capacity_applies_at_once(store_backend: StoreBackend) -> None:
    store = store_backend.bucket_store()
    state = await store.apply("a", "peek", 0, CAPACITY, 0)
    assert state.tokens == CAPACITY
    assert (await store.apply("a", "peek", 0, 20, 0)).tokens == 20


async def test_one_client_exhausting_its_bucket_leaves_another_untouched(
    store_backend: StoreBackend,
) -> None:
    store = store_backend.bucket_store()
    admitted = [(await store.apply("client-a", "take", 30, CAPACITY, 0)).admitted for _ in range(4)]
    assert admitted == [True, True, True, False]
    assert (await store.apply("client-a", "take", 10, CAPACITY, 0)).tokens == 0
    assert not (await store.apply("client-a", "take", 1, CAPACITY, 0)).admitted
    other = await store.apply("client-b", "take", 30, CAPACITY, 0)
    assert (other.admitted, other.tokens) == (True, 70)


async def test_concurrent_requests_never_overspend(store_backend: StoreBackend) -> None:
    """200 concurrent requests of cost 1 against a budget of 50, spread over four "replicas"."""
    stores = [store_backend.bucket_store(replica=index) for index in range(4)]

    async def one(index: int) -> bool:
        state = await stores[index % 4].apply("shared", "take", 1, 50, 0)
        return state.admitted

    admitted = await asyncio.gather(*(one(index) for index in range(200)))
    assert sum(admitted) == 50
    final = await stores[0].apply("shared", "peek", 0, 50, 0)
    assert final.tokens == 0


@pytest.mark.redis
async def test_redis_buckets_are_namespaced_and_expire_once_full(redis_url: str) -> None:
    import uuid

    from redis.asyncio import Redis

    from gateway.limits.redis_buckets import RedisBucketStore

    client = Redis.from_url(redis_url)
    prefix = f"ordergate-test:{uuid.uuid4().hex}"
    store = RedisBucketStore(client, prefix)
    try:
        await store.apply("a", "take", 20, 100, 10)
        assert store.key("a") == f"{prefix}:a"
        ttl_ms = await client.pttl(store.key("a"))
        assert 2_000 < ttl_ms <= 3_000  # 20 units at 10/s refill in 2 s, plus a second
        await store.apply("q", "take", 1, 100, 0)
        assert await client.pttl(store.key("q")) == -1  # a quota that never refills stays
    finally:
        await client.delete(store.key("a"), store.key("q"))
        await client.aclose()
