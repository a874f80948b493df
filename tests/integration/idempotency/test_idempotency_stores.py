"""The record stores: one suite, in process and in Redis."""

from __future__ import annotations

import asyncio

import pytest
from idempotency_backends import IdempotencyBackend

from gateway.idempotency import (
    IdempotencyError,
    IdempotencyGuard,
    IdempotencyRecord,
    RedisIdempotencyStore,
    Replay,
    StoredResponse,
)

RESPONSE = StoredResponse(200, b'{"data":{"createOrder":{"id":"1"}}}')


async def test_one_claim_wins_among_many(idempotency_backend: IdempotencyBackend) -> None:
    stores = [idempotency_backend.store(replica=index % 3) for index in range(20)]
    records = [IdempotencyRecord(f"owner{index}", "f1") for index in range(20)]
    outcomes = await asyncio.gather(
        *(store.claim("k", record, 30) for store, record in zip(stores, records, strict=True))
    )
    winners = [index for index, outcome in enumerate(outcomes) if outcome is None]
    assert len(winners) == 1
    winner = records[winners[0]]
    assert all(outcome == winner for outcome in outcomes if outcome is not None)


async def test_only_the_owner_completes_or_releases(
    idempotency_backend: IdempotencyBackend,
) -> None:
    store = idempotency_backend.store()
    assert await store.claim("k", IdempotencyRecord("me", "f1"), 30) is None
    assert not await store.complete("k", IdempotencyRecord("other", "f1", RESPONSE), 60)
    await store.release("k", "other")
    assert await store.get("k") == IdempotencyRecord("me", "f1")
    assert await store.complete("k", IdempotencyRecord("me", "f1", RESPONSE), 60)
    await store.release("k", "me")  # a done record is never released
    assert await store.get("k") == IdempotencyRecord("me", "f1", RESPONSE)
    assert not await store.renew("k", "me", 30)


async def test_a_released_key_can_be_claimed_again(idempotency_backend: IdempotencyBackend) -> None:
    store = idempotency_backend.store()
    assert await store.claim("k", IdempotencyRecord("first", "f1"), 30) is None
    await store.release("k", "first")
    assert await store.get("k") is None
    assert await store.claim("k", IdempotencyRecord("second", "f1"), 30) is None


async def test_a_claim_whose_lease_ran_out_frees_the_key_and_cannot_complete(
    idempotency_backend: IdempotencyBackend,
) -> None:
    store = idempotency_backend.store()
    assert await store.claim("k", IdempotencyRecord("crashed", "f1"), 5) is None
    await idempotency_backend.let_pass("k", 2)
    assert await store.renew("k", "crashed", 5)  # still alive: renewed for 5 more
    await idempotency_backend.let_pass("k", 4)
    assert await store.get("k") is not None
    await idempotency_backend.let_pass("k", 2)
    assert await store.get("k") is None
    assert await store.claim("k", IdempotencyRecord("retry", "f1"), 5) is None
    assert not await store.complete("k", IdempotencyRecord("crashed", "f1", RESPONSE), 60)
    assert await store.get("k") == IdempotencyRecord("retry", "f1")


async def test_done_records_expire_after_the_retention(
    idempotency_backend: IdempotencyBackend,
) -> None:
    guard = idempotency_backend.guard(retention_seconds=3600)
    claim = await guard.claim("k", "f1")
    assert not isinstance(claim, Replay)
    assert await claim.complete(RESPONSE)
    if idempotency_backend.redis is not None:
        ttl = await idempotency_backend.redis.pttl(f"{idempotency_backend.key_prefix}:k")
        assert 3_590_000 < ttl <= 3_600_000
    await idempotency_backend.let_pass("k", 3599)
    assert await guard.claim("k", "f1") == Replay(RESPONSE)
    await idempotency_backend.let_pass("k", 2)
    again = await guard.claim("k", "f1")
    assert not isinstance(again, Replay)
    await again.release()


async def test_the_guard_replays_refuses_reuse_and_in_flight(
    idempotency_backend: IdempotencyBackend,
) -> None:
    first = idempotency_backend.guard()
    second = idempotency_backend.guard(replica=1)
    claim = await first.claim("k", "f1")
    assert not isinstance(claim, Replay)
    with pytest.raises(IdempotencyError) as in_flight:
        await second.claim("k", "f1")
    assert (in_flight.value.code, in_flight.value.status) == ("IDEMPOTENCY_KEY_IN_FLIGHT", 409)
    assert in_flight.value.headers() == {"retry-after": "1"}
    with pytest.raises(IdempotencyError) as reused:
        await second.claim("k", "f2")
    assert (reused.value.code, reused.value.status) == ("IDEMPOTENCY_KEY_REUSED", 422)
    assert await claim.complete(RESPONSE)
    assert await second.claim("k", "f1") == Replay(RESPONSE)
    with pytest.raises(IdempotencyError) as reused_after:
        await second.claim("k", "f2")
    assert reused_after.value.code == "IDEMPOTENCY_KEY_REUSED"


@pytest.mark.redis
async def test_a_running_claim_renews_its_lease(redis_url: str, test_run_id: str) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(redis_url)
    prefix = f"ordergate-test:{test_run_id}:renewal"
    try:
        guard = IdempotencyGuard(
            RedisIdempotencyStore(client, prefix), lease_seconds=0.3, retention_seconds=60
        )
        claim = await guard.claim("k", "f1")
        assert not isinstance(claim, Replay)
        renewed = False
        for _ in range(200):  # renewed every 0.1 s: the time to live climbs back up
            before = await client.pttl(f"{prefix}:k")
            await asyncio.sleep(0.02)
            if await client.pttl(f"{prefix}:k") > before:
                renewed = True
                break
        assert renewed
        assert await claim.complete(RESPONSE)
    finally:
        await client.delete(f"{prefix}:k")
        await client.aclose()


async def test_an_unreachable_store_refuses_with_503() -> None:
    from redis.asyncio import Redis

    client = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
    try:
        guard = IdempotencyGuard(
            RedisIdempotencyStore(client, "down"), lease_seconds=30, retention_seconds=60
        )
        with pytest.raises(IdempotencyError) as caught:
            await guard.claim("k", "f1")
        assert (caught.value.code, caught.value.status) == ("IDEMPOTENCY_UNAVAILABLE", 503)
    finally:
        await client.aclose()
