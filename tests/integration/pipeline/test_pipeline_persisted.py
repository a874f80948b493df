"""Persisted documents over real HTTP, against the in-process and the Redis stores: APQ,
trusted documents, safelisting, GET by hash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from pipeline_support import (
    PARTNER_ORDERS,
    PARTNER_ORDERS_ID,
    PREFLIGHT,
    Credentials,
    StoreChoice,
    Subgraphs,
    apq,
    error_codes,
    gateway_settings,
    merged,
    serve,
    write_clients,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

QUERY = 'query Order { order(id: "o2") { number } }'


def _settings(
    tmp_path: Path, subgraphs: Subgraphs, credentials: Credentials, store: StoreChoice
) -> Any:
    write_clients(tmp_path)
    sections = merged(store.sections, {"auth": credentials.auth_settings()})
    return gateway_settings(tmp_path, subgraphs.urls, **sections)


async def test_apq_register_then_use_by_hash(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path, store: StoreChoice
) -> None:
    settings = _settings(tmp_path, subgraphs, credentials, store)
    async with serve(settings) as (client, _):
        unknown = await client.post("/graphql", json={"extensions": apq(QUERY)})
        registered = await client.post("/graphql", json={"query": QUERY, "extensions": apq(QUERY)})
        by_hash = await client.post("/graphql", json={"extensions": apq(QUERY)})
        by_get = await client.get(
            "/graphql",
            params={"extensions": orjson.dumps(apq(QUERY)).decode()},
            headers=PREFLIGHT,
        )
    assert unknown.status_code == 200
    assert error_codes(unknown.json()) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert unknown.headers["cache-control"] == "private, no-cache, must-revalidate"
    for response in (registered, by_hash, by_get):
        assert response.status_code == 200
        assert response.json()["data"] == {"order": {"number": "SO-2"}}


async def test_a_mismatched_hash_is_refused_and_stores_nothing(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path, store: StoreChoice
) -> None:
    settings = _settings(tmp_path, subgraphs, credentials, store)
    other = '{ order(id: "o3") { number } }'
    async with serve(settings) as (client, _):
        mismatch = await client.post("/graphql", json={"query": other, "extensions": apq(QUERY)})
        after = await client.post("/graphql", json={"extensions": apq(QUERY)})
    assert mismatch.status_code == 400
    assert error_codes(mismatch.json()) == ["PERSISTED_QUERY_HASH_MISMATCH"]
    assert error_codes(after.json()) == ["PERSISTED_QUERY_NOT_FOUND"]


async def test_replicas_share_registrations_only_through_redis(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path, store: StoreChoice
) -> None:
    settings = _settings(tmp_path, subgraphs, credentials, store)
    query = 'query Replicated { order(id: "o1") { id } }'
    async with serve(settings) as (first, _), serve(settings) as (second, _):
        await first.post("/graphql", json={"query": query, "extensions": apq(query)})
        on_second = await second.post("/graphql", json={"extensions": apq(query)})
    if store.kind == "redis":
        assert on_second.json()["data"] == {"order": {"id": "o1"}}
    else:
        assert error_codes(on_second.json()) == ["PERSISTED_QUERY_NOT_FOUND"]


async def test_a_safelisted_partner_runs_only_its_manifest(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path, store: StoreChoice
) -> None:
    key = credentials.add_api_key("acme-1", "acme", ["orders:read"])
    settings = _settings(tmp_path, subgraphs, credentials, store)
    acme = {"x-api-key": key}
    before = subgraphs.log.total()
    async with serve(settings) as (client, _):
        raw = await client.post("/graphql", json={"query": PARTNER_ORDERS}, headers=acme)
        unknown_hash = await client.post("/graphql", json={"extensions": apq(QUERY)}, headers=acme)
        refused_calls = subgraphs.log.total() - before
        by_id = await client.post(
            "/graphql",
            json={"documentId": PARTNER_ORDERS_ID, "variables": {"first": 2}},
            headers=acme,
        )
        by_hash = await client.post(
            "/graphql",
            json={"extensions": apq(PARTNER_ORDERS), "variables": {"first": 1}},
            headers=acme,
        )
        by_get = await client.get(
            "/graphql",
            params={"documentId": PARTNER_ORDERS_ID, "variables": '{"first": 1}'},
            headers={**acme, **PREFLIGHT},
        )
    assert raw.status_code == 400
    assert error_codes(raw.json()) == ["PERSISTED_QUERY_ONLY"]
    assert unknown_hash.status_code == 400
    assert error_codes(unknown_hash.json()) == ["PERSISTED_QUERY_NOT_IN_LIST"]
    assert refused_calls == 0
    assert by_id.json()["data"] == {
        "orders": [{"id": "o1", "number": "SO-1"}, {"id": "o2", "number": "SO-2"}]
    }
    assert by_hash.json()["data"] == {"orders": [{"id": "o1", "number": "SO-1"}]}
    assert by_get.json()["data"] == by_hash.json()["data"]


async def test_another_clients_document_id_looks_exactly_like_an_unknown_one(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path, store: StoreChoice
) -> None:
    settings = _settings(tmp_path, subgraphs, credentials, store)
    beta = credentials.bearer("beta", client_id="beta")
    async with serve(settings) as (client, _):
        foreign = await client.post(
            "/graphql", json={"documentId": PARTNER_ORDERS_ID}, headers=beta
        )
        unknown = await client.post("/graphql", json={"documentId": "no-such-id"}, headers=beta)
        anonymous = await client.post("/graphql", json={"documentId": PARTNER_ORDERS_ID})
    for response in (foreign, anonymous):
        assert response.status_code == unknown.status_code == 400
        assert response.json()["errors"][0]["message"] == unknown.json()["errors"][0]["message"]
        assert error_codes(response.json()) == ["PERSISTED_QUERY_NOT_IN_LIST"]


async def test_an_apq_client_may_not_send_raw_documents(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path, store: StoreChoice
) -> None:
    settings = _settings(tmp_path, subgraphs, credentials, store)
    web = credentials.bearer("storefront", client_id="web")
    async with serve(settings) as (client, _):
        raw = await client.post("/graphql", json={"query": QUERY}, headers=web)
        registered = await client.post(
            "/graphql", json={"query": QUERY, "extensions": apq(QUERY)}, headers=web
        )
    assert error_codes(raw.json()) == ["PERSISTED_QUERY_ONLY"]
    assert registered.json()["data"] == {"order": {"number": "SO-2"}}
