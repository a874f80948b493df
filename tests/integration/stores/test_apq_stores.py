"""Automatic persisted queries against both stores; in Redis they are shared by replicas."""

from __future__ import annotations

import pytest
from store_backends import StoreBackend

from gateway.limits.budget import BudgetPolicy
from gateway.persisted.apq_store import RedisDocumentStore
from gateway.persisted.clients import ClientProfile
from gateway.persisted.documents import sha256_hex
from gateway.persisted.errors import PersistedQueryError
from gateway.persisted.resolver import PersistedDocuments

QUERY = "query Order($id: ID!) { order(id: $id) { id status total { amount currency } } }"
DIGEST = sha256_hex(QUERY)
OPEN = ClientProfile(None, "allow-all", BudgetPolicy())
APQ = {"persistedQuery": {"version": 1, "sha256Hash": DIGEST}}


async def test_a_document_store_returns_what_was_put(store_backend: StoreBackend) -> None:
    store = store_backend.document_store()
    assert await store.get(DIGEST) is None
    await store.put(DIGEST, QUERY)
    assert await store.get(DIGEST) == QUERY


async def test_unknown_then_registered_then_by_hash(store_backend: StoreBackend) -> None:
    resolver = PersistedDocuments(store_backend.document_store())
    with pytest.raises(PersistedQueryError) as caught:
        await resolver.resolve(query=None, extensions=APQ, document_id=None, profile=OPEN)
    assert caught.value.code == "PERSISTED_QUERY_NOT_FOUND"
    await resolver.resolve(query=QUERY, extensions=APQ, document_id=None, profile=OPEN)
    resolved = await resolver.resolve(query=None, extensions=APQ, document_id=None, profile=OPEN)
    assert resolved.query == QUERY


async def test_a_mismatched_hash_stores_nothing(store_backend: StoreBackend) -> None:
    store = store_backend.document_store()
    resolver = PersistedDocuments(store)
    wrong = {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex("{ other }")}}
    with pytest.raises(PersistedQueryError) as caught:
        await resolver.resolve(query=QUERY, extensions=wrong, document_id=None, profile=OPEN)
    assert caught.value.code == "PERSISTED_QUERY_HASH_MISMATCH"
    assert await store.get(sha256_hex("{ other }")) is None
    assert await store.get(DIGEST) is None
    if store_backend.redis is not None:
        assert await store_backend.redis.keys(f"{store_backend.key_prefix}:apq:*") == []


@pytest.mark.redis
async def test_a_registration_on_one_replica_serves_another(redis_url: str) -> None:
    import uuid

    from redis.asyncio import Redis

    prefix = f"ordergate-test:{uuid.uuid4().hex}:apq"
    clients = [Redis.from_url(redis_url), Redis.from_url(redis_url)]
    try:
        first, second = (
            PersistedDocuments(RedisDocumentStore(client, prefix, 60)) for client in clients
        )
        await first.resolve(query=QUERY, extensions=APQ, document_id=None, profile=OPEN)
        resolved = await second.resolve(query=None, extensions=APQ, document_id=None, profile=OPEN)
        assert resolved.query == QUERY
        assert 0 < await clients[0].ttl(f"{prefix}:{DIGEST}") <= 60
    finally:
        await clients[0].delete(f"{prefix}:{DIGEST}")
        for client in clients:
            await client.aclose()


async def test_an_unreachable_redis_is_a_miss_not_a_failure() -> None:
    from redis.asyncio import Redis

    client = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
    store = RedisDocumentStore(client, "unreachable")
    try:
        resolver = PersistedDocuments(store)
        with pytest.raises(PersistedQueryError) as caught:
            await resolver.resolve(query=None, extensions=APQ, document_id=None, profile=OPEN)
        assert caught.value.code == "PERSISTED_QUERY_NOT_FOUND"
        registered = await resolver.resolve(
            query=QUERY, extensions=APQ, document_id=None, profile=OPEN
        )
        assert registered.query == QUERY
        again = await resolver.resolve(query=None, extensions=APQ, document_id=None, profile=OPEN)
        assert again.query == QUERY  # kept in the replica's own copy
    finally:
        await client.aclose()
