"""Authentication at the edge over real HTTP: tokens, API keys, anonymous access."""

from __future__ import annotations

from pathlib import Path

import jwt
import pytest
from pipeline_support import (
    AUDIENCE,
    ISSUER,
    Credentials,
    Subgraphs,
    error_codes,
    gateway_settings,
    serve,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

ORDER = {"query": '{ order(id: "o1") { number } }'}


async def test_a_valid_token_is_served(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    settings = gateway_settings(tmp_path, subgraphs.urls, auth=credentials.auth_settings())
    async with serve(settings) as (client, _):
        response = await client.post("/graphql", json=ORDER, headers=credentials.bearer())
    assert response.status_code == 200
    assert response.json()["data"] == {"order": {"number": "SO-1"}}


async def test_alg_none_and_expired_tokens_are_401_with_a_challenge(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    settings = gateway_settings(tmp_path, subgraphs.urls, auth=credentials.auth_settings())
    unsigned = jwt.encode(
        {"iss": ISSUER, "aud": AUDIENCE, "sub": "mallory", "exp": 2_000_000_000},
        key=None,
        algorithm="none",
    )
    before = subgraphs.log.total()
    async with serve(settings) as (client, _):
        none = await client.post(
            "/graphql", json=ORDER, headers={"authorization": f"Bearer {unsigned}"}
        )
        expired = await client.post(
            "/graphql", json=ORDER, headers=credentials.bearer(expires_in=-60)
        )
    assert none.status_code == 401
    assert error_codes(none.json()) == ["ALGORITHM_NOT_ALLOWED"]
    assert none.headers["www-authenticate"].startswith("Bearer")
    assert 'error="invalid_token"' in none.headers["www-authenticate"]
    assert expired.status_code == 401
    assert error_codes(expired.json()) == ["TOKEN_EXPIRED"]
    assert 'error="invalid_token"' in expired.headers["www-authenticate"]
    for response in (none, expired):
        payload = response.json()
        assert "data" not in payload
        assert payload["errors"][0]["extensions"]["requestId"] == response.headers["x-request-id"]
    assert subgraphs.log.total() == before


async def test_a_revoked_api_key_is_refused_like_an_unknown_one(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    key = credentials.add_api_key("acme-1", "acme", ["orders:read"])
    settings = gateway_settings(tmp_path, subgraphs.urls, auth=credentials.auth_settings())
    async with serve(settings) as (client, _):
        accepted = await client.post("/graphql", json=ORDER, headers={"x-api-key": key})
        credentials.revoke("acme-1")
        revoked = await client.post("/graphql", json=ORDER, headers={"x-api-key": key})
        unknown = await client.post("/graphql", json=ORDER, headers={"x-api-key": "nope"})
    assert accepted.status_code == 200
    assert accepted.json()["data"] == {"order": {"number": "SO-1"}}
    assert revoked.status_code == 401
    assert error_codes(revoked.json()) == ["INVALID_API_KEY"]
    assert revoked.json()["errors"][0]["message"] == unknown.json()["errors"][0]["message"]
    assert "www-authenticate" in revoked.headers


@pytest.mark.parametrize("allow_anonymous", [True, False])
async def test_anonymous_access_follows_the_settings(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path, allow_anonymous: bool
) -> None:
    auth = credentials.auth_settings(allow_anonymous=allow_anonymous)
    settings = gateway_settings(tmp_path, subgraphs.urls, auth=auth)
    async with serve(settings) as (client, _):
        response = await client.post("/graphql", json=ORDER)
        batch = await client.post("/graphql", json=[ORDER, ORDER])
    if allow_anonymous:
        assert response.status_code == 200
        assert response.json()["data"] == {"order": {"number": "SO-1"}}
        assert batch.status_code == 200
        assert len(batch.json()) == 2
    else:
        assert response.status_code == 401
        assert error_codes(response.json()) == ["AUTHENTICATION_REQUIRED"]
        assert batch.status_code == 401  # the whole HTTP request is refused, once
        assert error_codes(batch.json()) == ["AUTHENTICATION_REQUIRED"]


async def test_anonymous_callers_lose_authenticated_fields(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    settings = gateway_settings(tmp_path, subgraphs.urls, auth=credentials.auth_settings())
    query = {"query": '{ me { id } order(id: "o1") { number } }'}
    async with serve(settings) as (client, _):
        anonymous = await client.post("/graphql", json=query)
        signed_in = await client.post(
            "/graphql", json=query, headers=credentials.bearer(scopes="customers:read")
        )
    assert anonymous.json()["data"] == {"me": None, "order": {"number": "SO-1"}}
    assert anonymous.json()["errors"][0]["path"] == ["me"]
    assert error_codes(anonymous.json()) == ["UNAUTHORIZED_FIELD_OR_TYPE"]
    assert signed_in.json()["data"]["me"] == {"id": "c1"}
    assert "errors" not in signed_in.json()
