"""Which document a request runs, per client mode; every refusal has its stable code."""

from __future__ import annotations

from typing import Any

import pytest
from persisted_support import ORDER_QUERY, ORDERS_QUERY, OTHER_QUERY, profile

from gateway.persisted.apq_store import MemoryDocumentStore
from gateway.persisted.documents import sha256_hex
from gateway.persisted.errors import DONT_CACHE, PersistedQueryError
from gateway.persisted.resolver import PersistedDocuments

ACME = profile(
    "acme", "safelist", {"order-by-id": ORDER_QUERY, sha256_hex(ORDERS_QUERY): ORDERS_QUERY}
)
GLOBEX = profile("globex", "safelist", {"globex-products": OTHER_QUERY})
WEB = profile("web", "apq", {"web-order": ORDER_QUERY})
OPEN = profile(None, "allow-all")


def _apq(digest: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


async def _refused(resolver: PersistedDocuments, **request: Any) -> PersistedQueryError:
    request.setdefault("query", None)
    request.setdefault("extensions", None)
    request.setdefault("document_id", None)
    with pytest.raises(PersistedQueryError) as caught:
        await resolver.resolve(**request)
    return caught.value


@pytest.fixture
def resolver() -> PersistedDocuments:
    return PersistedDocuments(MemoryDocumentStore())


async def test_a_raw_query_runs_for_an_allow_all_client(resolver: PersistedDocuments) -> None:
    resolved = await resolver.resolve(
        query=ORDER_QUERY, extensions=None, document_id=None, profile=OPEN
    )
    assert (resolved.query, resolved.key, resolved.source) == (
        ORDER_QUERY,
        sha256_hex(ORDER_QUERY),
        "raw",
    )


async def test_an_unknown_hash_is_not_found_and_not_cacheable(resolver: PersistedDocuments) -> None:
    error = await _refused(resolver, extensions=_apq(sha256_hex(ORDER_QUERY)), profile=OPEN)
    assert error.code == "PERSISTED_QUERY_NOT_FOUND"
    result = error.to_result()
    assert result.status_code == 200
    assert result.headers["Cache-Control"] == DONT_CACHE
    assert result.errors == [
        {"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}
    ]


async def test_the_apq_round_trip(resolver: PersistedDocuments) -> None:
    digest = sha256_hex(ORDER_QUERY)
    with pytest.raises(PersistedQueryError):
        await resolver.resolve(query=None, extensions=_apq(digest), document_id=None, profile=OPEN)
    registered = await resolver.resolve(
        query=ORDER_QUERY, extensions=_apq(digest), document_id=None, profile=OPEN
    )
    assert (registered.source, registered.registered) == ("apq", True)
    by_hash = await resolver.resolve(
        query=None, extensions=_apq(digest.upper()), document_id=None, profile=OPEN
    )
    assert (by_hash.query, by_hash.key, by_hash.registered) == (ORDER_QUERY, digest, False)


async def test_a_mismatched_hash_is_rejected_and_not_stored(resolver: PersistedDocuments) -> None:
    wrong = sha256_hex(OTHER_QUERY)
    error = await _refused(resolver, query=ORDER_QUERY, extensions=_apq(wrong), profile=OPEN)
    assert (error.code, error.status) == ("PERSISTED_QUERY_HASH_MISMATCH", 400)
    later = await _refused(resolver, extensions=_apq(wrong), profile=OPEN)
    assert later.code == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_hash_that_is_not_a_sha256_cannot_register(resolver: PersistedDocuments) -> None:
    error = await _refused(resolver, query=ORDER_QUERY, extensions=_apq("abc"), profile=OPEN)
    assert error.code == "PERSISTED_QUERY_HASH_MISMATCH"


@pytest.mark.parametrize(
    ("extensions", "code"),
    [
        (
            {"persistedQuery": {"version": 2, "sha256Hash": "a" * 64}},
            "PERSISTED_QUERY_VERSION_NOT_SUPPORTED",
        ),
        ({"persistedQuery": "a" * 64}, "BAD_REQUEST"),
        ({"persistedQuery": {"version": 1}}, "BAD_REQUEST"),
    ],
)
async def test_malformed_persisted_query_extensions(
    resolver: PersistedDocuments, extensions: dict[str, Any], code: str
) -> None:
    assert (await _refused(resolver, extensions=extensions, profile=OPEN)).code == code


async def test_apq_can_be_turned_off() -> None:
    resolver = PersistedDocuments(MemoryDocumentStore(), apq_enabled=False)
    digest = sha256_hex(ORDER_QUERY)
    error = await _refused(resolver, query=ORDER_QUERY, extensions=_apq(digest), profile=OPEN)
    assert error.code == "PERSISTED_QUERY_NOT_SUPPORTED"
    trusted = await resolver.resolve(
        query=None, extensions=None, document_id="web-order", profile=WEB
    )
    assert trusted.source == "trusted"


async def test_a_safelisted_client_may_not_send_raw_documents(resolver: PersistedDocuments) -> None:
    error = await _refused(resolver, query=ORDER_QUERY, profile=ACME)
    assert (error.code, error.status) == ("PERSISTED_QUERY_ONLY", 400)


async def test_a_safelisted_client_runs_its_documents_by_id_hash_or_prefixed_hash(
    resolver: PersistedDocuments,
) -> None:
    by_id = await resolver.resolve(
        query=None, extensions=None, document_id="order-by-id", profile=ACME
    )
    assert (by_id.query, by_id.source, by_id.document_id, by_id.client_name) == (
        ORDER_QUERY,
        "trusted",
        "order-by-id",
        "acme",
    )
    digest = sha256_hex(ORDER_QUERY)
    by_hash = await resolver.resolve(
        query=None, extensions=_apq(digest), document_id=None, profile=ACME
    )
    assert by_hash.document_id == "order-by-id"
    prefixed = await resolver.resolve(
        query=None, extensions=None, document_id=f"sha256:{digest}", profile=ACME
    )
    assert prefixed is by_id
    apollo_list = await resolver.resolve(
        query=None, extensions=_apq(sha256_hex(ORDERS_QUERY)), document_id=None, profile=ACME
    )
    assert apollo_list.query == ORDERS_QUERY


async def test_unknown_ids_are_not_in_the_list(resolver: PersistedDocuments) -> None:
    assert (await _refused(resolver, document_id="nope", profile=ACME)).code == (
        "PERSISTED_QUERY_NOT_IN_LIST"
    )
    unknown_hash = _apq(sha256_hex("{ __typename }"))
    assert (await _refused(resolver, extensions=unknown_hash, profile=ACME)).code == (
        "PERSISTED_QUERY_NOT_IN_LIST"
    )
    registering = await _refused(
        resolver, query="{ __typename }", extensions=unknown_hash, profile=ACME
    )
    assert registering.code == "PERSISTED_QUERY_NOT_IN_LIST"


async def test_an_id_is_usable_only_by_its_own_client(resolver: PersistedDocuments) -> None:
    assert (await _refused(resolver, document_id="order-by-id", profile=GLOBEX)).code == (
        "PERSISTED_QUERY_NOT_IN_LIST"
    )
    acme_hash = _apq(sha256_hex(ORDER_QUERY))
    assert (await _refused(resolver, extensions=acme_hash, profile=GLOBEX)).code == (
        "PERSISTED_QUERY_NOT_IN_LIST"
    )
    for other in (OPEN, WEB):
        error = await _refused(resolver, document_id="order-by-id", profile=other)
        assert error.code == "PERSISTED_QUERY_NOT_IN_LIST"


async def test_a_document_id_sent_with_a_different_query_is_refused(
    resolver: PersistedDocuments,
) -> None:
    error = await _refused(resolver, query=OTHER_QUERY, document_id="order-by-id", profile=ACME)
    assert error.code == "PERSISTED_QUERY_HASH_MISMATCH"
    same = await resolver.resolve(
        query=ORDER_QUERY, extensions=None, document_id="order-by-id", profile=ACME
    )
    assert same.source == "trusted"


async def test_an_apq_client_needs_a_hash_or_an_id(resolver: PersistedDocuments) -> None:
    assert (await _refused(resolver, query=ORDER_QUERY, profile=WEB)).code == "PERSISTED_QUERY_ONLY"
    digest = sha256_hex(OTHER_QUERY)
    registered = await resolver.resolve(
        query=OTHER_QUERY, extensions=_apq(digest), document_id=None, profile=WEB
    )
    assert registered.registered
    trusted = await resolver.resolve(
        query=None, extensions=None, document_id="web-order", profile=WEB
    )
    assert trusted.query == ORDER_QUERY


async def test_a_request_without_any_document(resolver: PersistedDocuments) -> None:
    assert (await _refused(resolver, profile=OPEN)).code == "BAD_REQUEST"


async def test_a_get_request_with_only_a_hash_runs_a_registered_query(
    resolver: PersistedDocuments,
) -> None:
    import json

    from gateway.http.graphql_request import decode_get

    digest = sha256_hex(ORDER_QUERY)
    await resolver.resolve(
        query=ORDER_QUERY, extensions=_apq(digest), document_id=None, profile=OPEN
    )
    request = decode_get(
        {"extensions": json.dumps(_apq(digest)), "variables": json.dumps({"id": "1"})}
    )
    assert request.query is None
    resolved = await resolver.resolve(
        query=request.query, extensions=request.extensions, document_id=None, profile=OPEN
    )
    assert resolved.query == ORDER_QUERY
