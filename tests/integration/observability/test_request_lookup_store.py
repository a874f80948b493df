"""The request lookup's stores, in process and on the real Redis: records kept per correlation
id and owner, read back only by their owner (or any with the admin scope), expired by the
store's clock, and bounded in memory (docs/observability.md "Request lookup")."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from fake_clock import FakeClock
from redis.asyncio import Redis

from gateway.auth.principal import ANONYMOUS, Principal, PrincipalKind
from gateway.observability.lookup.query import READ_ANY_SCOPE, lookup_request, owner_key
from gateway.observability.lookup.store import LookupStore, MemoryLookupStore, RedisLookupStore

TTL = 86400.0
ACME = Principal(PrincipalKind.API_KEY, subject="acme", client_id="acme")
GLOBEX = Principal(PrincipalKind.API_KEY, subject="globex", client_id="globex")
ADMIN = Principal(
    PrincipalKind.JWT, subject="ops-1", issuer="https://id", scopes=frozenset({READ_ANY_SCOPE})
)


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def store_kind(request: pytest.FixtureRequest) -> str | None:
    """``None`` for the memory store, the Redis URL for the Redis one (resolved outside any
    event loop)."""
    return None if request.param == "memory" else str(request.getfixturevalue("redis_url"))


@pytest.fixture
async def store_and_clock(store_kind: str | None) -> AsyncIterator[tuple[LookupStore, FakeClock]]:
    """A store of each kind on a hand-moved clock (Redis: under a prefix removed afterwards)."""
    clock = FakeClock(1_000_000.0)
    if store_kind is None:
        yield MemoryLookupStore(TTL, 100, clock), clock
        return
    redis = Redis.from_url(store_kind)
    prefix = f"ordergate-test:lookup:{uuid.uuid4().hex[:10]}"
    try:
        yield RedisLookupStore(redis, prefix, TTL, clock), clock
    finally:
        keys = [key async for key in redis.scan_iter(match=f"{prefix}:*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()


def _record(request_id: str, who: str, at: float = 0.0) -> dict[str, Any]:
    return {"requestId": request_id, "client": who, "recordedAt": at, "status": 200}


async def test_a_record_is_read_by_its_owner_only(
    store_and_clock: tuple[LookupStore, FakeClock],
) -> None:
    store, _ = store_and_clock
    await store.put("r-1", owner_key(ACME), _record("r-1", "acme"))
    assert await lookup_request(store, "r-1", ACME) == _record("r-1", "acme")
    assert await lookup_request(store, "r-1", GLOBEX) is None
    assert await lookup_request(store, "r-1", ANONYMOUS) is None
    assert await lookup_request(store, "r-1", ADMIN) == _record("r-1", "acme")
    assert await lookup_request(store, "r-unknown", ACME) is None


async def test_the_same_id_sent_by_another_client_neither_replaces_nor_reveals(
    store_and_clock: tuple[LookupStore, FakeClock],
) -> None:
    store, _ = store_and_clock
    await store.put("shared", owner_key(ACME), _record("shared", "acme", 1.0))
    await store.put("shared", owner_key(GLOBEX), _record("shared", "globex", 2.0))
    acme = await lookup_request(store, "shared", ACME)
    globex = await lookup_request(store, "shared", GLOBEX)
    assert acme is not None and acme["client"] == "acme"
    assert globex is not None and globex["client"] == "globex"
    latest = await lookup_request(store, "shared", ADMIN)
    assert latest is not None and latest["client"] == "globex"


async def test_records_expire_by_the_store_clock(
    store_and_clock: tuple[LookupStore, FakeClock],
) -> None:
    store, clock = store_and_clock
    await store.put("r-ttl", owner_key(ACME), _record("r-ttl", "acme"))
    clock.advance(TTL - 1)
    assert await store.get("r-ttl", owner_key(ACME)) is not None
    clock.advance(1)
    assert await store.get("r-ttl", owner_key(ACME)) is None
    assert await store.get_any("r-ttl") is None


async def test_the_memory_store_keeps_at_most_max_entries() -> None:
    store = MemoryLookupStore(TTL, 3, FakeClock())
    for number in range(10):
        await store.put(f"r-{number}", owner_key(ACME), _record(f"r-{number}", "acme"))
    assert len(store) == 3
    assert await store.get("r-6", owner_key(ACME)) is None
    assert [await store.get(f"r-{n}", owner_key(ACME)) is not None for n in (7, 8, 9)] == [
        True,
        True,
        True,
    ]
