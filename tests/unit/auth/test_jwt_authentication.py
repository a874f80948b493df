"""JWT authentication against a real JWKS server on loopback, with real RSA and EC keys."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from fake_clock import FakeClock
from jwt_support import AUDIENCE, ISSUER, JwksServer, SigningKey, claims, ec_key, rsa_key
from pydantic import ValidationError

from gateway.auth import (
    AuthenticationError,
    Authenticator,
    AuthErrorCode,
    AuthSettings,
    JwtIssuerSettings,
    PrincipalKind,
)

EC_ISSUER = "https://partners-idp.example.net/"

Factory = Callable[..., Authenticator]


@pytest.fixture
async def make_authenticator(jwks_server: JwksServer, clock: FakeClock) -> AsyncIterator[Factory]:
    built: list[Authenticator] = []

    def build(**overrides: Any) -> Authenticator:
        issuer: dict[str, Any] = {
            "issuer": ISSUER,
            "audiences": [AUDIENCE, "other-api"],
            "jwks_url": jwks_server.url,
            "algorithms": ["RS256"],
            "leeway_seconds": 30,
            "jwks_cache_seconds": 300,
            "jwks_refetch_cooldown_seconds": 30,
        }
        issuer.update(overrides.pop("issuer", {}))
        settings = AuthSettings(
            issuers=[JwtIssuerSettings(**issuer), *overrides.pop("extra_issuers", [])],
            role_scopes={"support": ["orders:read", "customers:read"]},
            **overrides,
        )
        authenticator = Authenticator.from_settings(settings, clock=clock)
        built.append(authenticator)
        return authenticator

    yield build
    for authenticator in built:
        await authenticator.aclose()


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def refused(authenticator: Authenticator, token: str) -> AuthenticationError:
    with pytest.raises(AuthenticationError) as caught:
        await authenticator.authenticate(bearer(token))
    return caught.value


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned_token(header: dict[str, Any], payload: dict[str, Any], signature: bytes) -> str:
    return ".".join(
        [b64(json.dumps(header).encode()), b64(json.dumps(payload).encode()), b64(signature)]
    )


async def test_valid_token_gives_a_principal_with_expanded_roles(
    jwks_server: JwksServer, make_authenticator: Factory
) -> None:
    key = rsa_key()
    jwks_server.publish(key)
    token = key.sign(
        claims(
            scope="orders:write",
            roles=["support"],
            client_id="storefront",
            customer_id="c-42",
        )
    )
    principal = await make_authenticator().authenticate(bearer(token))
    assert principal.kind is PrincipalKind.JWT
    assert principal.subject == "user-1"
    assert principal.issuer == ISSUER
    assert principal.client_id == "storefront"
    assert principal.customer_id == "c-42"
    assert principal.roles == {"support"}
    assert principal.scopes == {"orders:write", "orders:read", "customers:read"}
    assert principal.claims["scope"] == "orders:write"


async def test_two_issuers_at_once_with_their_own_claim_names(
    jwks_server: JwksServer, make_authenticator: Factory
) -> None:
    rsa, ec = rsa_key(), ec_key()
    jwks_server.publish(rsa, ec)
    partner_issuer = JwtIssuerSettings(
        issuer=EC_ISSUER,
        audiences=[AUDIENCE],
        jwks_url=jwks_server.url,
        algorithms=["ES256"],
        scope_claim="scp",
        roles_claim="realm_access.roles",
        client_id_claim="azp",
    )
    authenticator = make_authenticator(extra_issuers=[partner_issuer])
    partner = await authenticator.authenticate(
        bearer(
            ec.sign(
                claims(
                    iss=EC_ISSUER,
                    sub="acme",
                    azp="acme-client",
                    scp=["inventory:read"],
                    realm_access={"roles": ["support"]},
                )
            )
        )
    )
    assert (partner.issuer, partner.client_id) == (EC_ISSUER, "acme-client")
    assert partner.scopes == {"inventory:read", "orders:read", "customers:read"}
    user = await authenticator.authenticate(bearer(rsa.sign(claims())))
    assert user.issuer == ISSUER
    # an RS256 key cannot vouch for the ES256-only issuer
    error = await refused(authenticator, rsa.sign(claims(iss=EC_ISSUER)))
    assert error.code is AuthErrorCode.ALGORITHM_NOT_ALLOWED


async def test_alg_none_is_refused(jwks_server: JwksServer, make_authenticator: Factory) -> None:
    key = rsa_key()
    jwks_server.publish(key)
    token = unsigned_token({"alg": "none", "typ": "JWT", "kid": key.kid}, claims(), b"")
    error = await refused(make_authenticator(), token)
    assert error.code is AuthErrorCode.ALGORITHM_NOT_ALLOWED
    assert error.status == 401


async def test_hs256_signed_with_the_rsa_public_key_is_refused(
    jwks_server: JwksServer, make_authenticator: Factory
) -> None:
    key = rsa_key()
    jwks_server.publish(key)
    public_pem = key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": key.kid}
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims()).encode())}"
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    error = await refused(make_authenticator(), f"{signing_input}.{b64(signature)}")
    assert error.code is AuthErrorCode.ALGORITHM_NOT_ALLOWED


def test_an_issuer_cannot_mix_hs256_with_a_jwks_url() -> None:
    with pytest.raises(ValidationError, match="cannot be used with jwks_url"):
        JwtIssuerSettings(
            issuer=ISSUER,
            audiences=[AUDIENCE],
            jwks_url="https://idp.example.com/jwks",
            algorithms=["RS256", "HS256"],
        )


async def test_expiry_beyond_and_within_the_leeway(
    jwks_server: JwksServer, make_authenticator: Factory
) -> None:
    key = rsa_key()
    jwks_server.publish(key)
    authenticator = make_authenticator(issuer={"leeway_seconds": 60})
    import time

    now = int(time.time())
    within = await authenticator.authenticate(bearer(key.sign(claims(exp=now - 20))))
    assert within.subject == "user-1"
    error = await refused(authenticator, key.sign(claims(exp=now - 600)))
    assert error.code is AuthErrorCode.TOKEN_EXPIRED
    assert 'error="invalid_token"' in error.www_authenticate


@pytest.mark.parametrize("missing", ["exp", "iss", "aud", "sub"])
async def test_required_claims(
    missing: str, jwks_server: JwksServer, make_authenticator: Factory
) -> None:
    key = rsa_key()
    jwks_server.publish(key)
    error = await refused(make_authenticator(), key.sign(claims(**{missing: None})))
    assert error.code is AuthErrorCode.MISSING_CLAIM
    assert f'"{missing}"' in error.message


async def test_empty_subject_is_refused(
    jwks_server: JwksServer, make_authenticator: Factory
) -> None:
    key = rsa_key()
    jwks_server.publish(key)
    error = await refused(make_authenticator(), key.sign(claims(sub="")))
    assert error.code is AuthErrorCode.MISSING_CLAIM


async def test_wrong_audience(jwks_server: JwksServer, make_authenticator: Factory) -> None:
    key = rsa_key()
    jwks_server.publish(key)
    authenticator = make_authenticator()
    error = await refused(authenticator, key.sign(claims(aud="billing-api")))
    assert error.code is AuthErrorCode.INVALID_AUDIENCE
    accepted = await authenticator.authenticate(bearer(key.sign(claims(aud=["x", "other-api"]))))
    assert accepted.subject == "user-1"


@pytest.mark.parametrize(
    "issuer",
    ["https://idp.example.com.evil", "https://idp.example.com/", "HTTPS://IDP.EXAMPLE.COM"],
)
async def test_lookalike_issuers_are_refused(
    issuer: str, jwks_server: JwksServer, make_authenticator: Factory
) -> None:
    key = rsa_key()
    jwks_server.publish(key)
    error = await refused(make_authenticator(), key.sign(claims(iss=issuer)))
    assert error.code is AuthErrorCode.INVALID_ISSUER


@pytest.mark.parametrize("claim", ["nbf", "iat"])
async def test_tokens_from_the_future_are_refused(
    claim: str, jwks_server: JwksServer, make_authenticator: Factory
) -> None:
    import time

    key = rsa_key()
    jwks_server.publish(key)
    authenticator = make_authenticator()
    error = await refused(authenticator, key.sign(claims(**{claim: int(time.time()) + 3600})))
    assert error.code is AuthErrorCode.TOKEN_NOT_YET_VALID
    # a few seconds of skew are within the leeway
    ok = await authenticator.authenticate(bearer(key.sign(claims(**{claim: int(time.time()) + 5}))))
    assert ok.subject == "user-1"


async def test_bad_signature_and_unknown_kid_look_the_same(
    jwks_server: JwksServer, make_authenticator: Factory
) -> None:
    key, impostor = rsa_key(), rsa_key()
    jwks_server.publish(key)
    authenticator = make_authenticator()
    forged = SigningKey(key.kid, "RS256", impostor.private_key, {}).sign(claims())
    unknown = impostor.sign(claims())
    errors = [await refused(authenticator, token) for token in (forged, unknown)]
    assert {error.code for error in errors} == {AuthErrorCode.INVALID_SIGNATURE}
    assert errors[0].message == errors[1].message
    assert key.kid not in errors[0].message and impostor.kid not in errors[1].message


async def test_key_type_and_declared_alg_must_match_the_token(
    jwks_server: JwksServer, make_authenticator: Factory
) -> None:
    rsa, ec = rsa_key(), ec_key()
    jwks_server.publish(rsa, ec)
    authenticator = make_authenticator(issuer={"algorithms": ["RS256", "RS512", "ES256"]})
    # RS256 token naming the EC key
    wrong_type = SigningKey(ec.kid, "RS256", rsa.private_key, {}).sign(claims())
    # RS512 token with the RSA key whose JWK declares alg RS256
    wrong_alg = SigningKey(rsa.kid, "RS512", rsa.private_key, {}).sign(claims())
    for token in (wrong_type, wrong_alg):
        assert (await refused(authenticator, token)).code is AuthErrorCode.INVALID_SIGNATURE


async def test_token_without_kid_is_refused(
    jwks_server: JwksServer, make_authenticator: Factory
) -> None:
    key = rsa_key()
    jwks_server.publish(key)
    import jwt

    token = jwt.encode(claims(), key.private_key, algorithm="RS256")
    assert (await refused(make_authenticator(), token)).code is AuthErrorCode.INVALID_TOKEN


@pytest.mark.parametrize(
    "kid",
    [
        "../../dev/null",
        "/etc/passwd",
        "' OR '1'='1",
        "x'; DROP TABLE keys; --",
        "%00",
        "k" * 5000,
    ],
)
async def test_hostile_kids_are_refused_without_fetch_storms(
    kid: str, jwks_server: JwksServer, make_authenticator: Factory
) -> None:
    key = rsa_key()
    jwks_server.publish(key)
    authenticator = make_authenticator()
    await authenticator.authenticate(bearer(key.sign(claims())))
    before = jwks_server.fetches
    for _ in range(5):
        hostile = SigningKey(kid, "RS256", key.private_key, {}).sign(claims())
        assert (await refused(authenticator, hostile)).code is AuthErrorCode.INVALID_SIGNATURE
    assert jwks_server.fetches - before <= 1


async def test_random_kid_flood_costs_at_most_one_fetch_per_cooldown(
    jwks_server: JwksServer, make_authenticator: Factory, clock: FakeClock
) -> None:
    key = rsa_key()
    jwks_server.publish(key)
    authenticator = make_authenticator()
    await authenticator.authenticate(bearer(key.sign(claims())))
    assert jwks_server.fetches == 1
    clock.advance(31)  # the cooldown has passed: one refetch is allowed

    async def attempt() -> AuthErrorCode:
        random_kid = SigningKey(uuid.uuid4().hex, "RS256", key.private_key, {})
        return (await refused(authenticator, random_kid.sign(claims()))).code

    codes = await asyncio.gather(*(attempt() for _ in range(200)))
    assert set(codes) == {AuthErrorCode.INVALID_SIGNATURE}
    assert jwks_server.fetches == 2
    # the known key still works without any further fetch
    await authenticator.authenticate(bearer(key.sign(claims())))
    assert jwks_server.fetches == 2


async def test_key_rotation(
    jwks_server: JwksServer, make_authenticator: Factory, clock: FakeClock
) -> None:
    old, new = rsa_key(), rsa_key()
    jwks_server.publish(old)
    authenticator = make_authenticator()
    assert (await authenticator.authenticate(bearer(old.sign(claims())))).subject == "user-1"

    jwks_server.publish(old, new)  # the identity provider adds the next key
    clock.advance(31)
    assert (await authenticator.authenticate(bearer(new.sign(claims())))).subject == "user-1"

    jwks_server.publish(new)  # ... and later removes the old one
    clock.advance(301)  # the cached set goes stale: it still answers, and refreshes behind
    assert (await authenticator.authenticate(bearer(new.sign(claims())))).subject == "user-1"
    await authenticator.warm_up()  # let that background refresh finish
    assert jwks_server.fetches == 3
    assert (await refused(authenticator, old.sign(claims()))).code is (
        AuthErrorCode.INVALID_SIGNATURE
    )
    assert (await authenticator.authenticate(bearer(new.sign(claims())))).subject == "user-1"
    assert jwks_server.fetches == 3  # the removed kid is in the cooldown: no fetch


async def test_jwks_outage_keeps_cached_keys_working(
    jwks_server: JwksServer, make_authenticator: Factory, clock: FakeClock
) -> None:
    key = rsa_key()
    jwks_server.publish(key)
    authenticator = make_authenticator()
    await authenticator.authenticate(bearer(key.sign(claims())))
    jwks_server.down = True
    clock.advance(1000)
    principal = await authenticator.authenticate(bearer(key.sign(claims())))
    assert principal.subject == "user-1"
    await authenticator.warm_up()  # the background refresh it started fails ...
    assert jwks_server.fetches == 2
    principal = await authenticator.authenticate(bearer(key.sign(claims())))
    assert principal.subject == "user-1"  # ... and the known key goes on working
    clock.advance(31)
    await authenticator.authenticate(bearer(key.sign(claims())))
    await authenticator.warm_up()
    assert jwks_server.fetches == 3  # one retry per cooldown, not one per request


async def test_jwks_never_loaded_is_a_503(
    jwks_server: JwksServer, make_authenticator: Factory
) -> None:
    key = rsa_key()
    jwks_server.down = True
    error = await refused(make_authenticator(), key.sign(claims()))
    assert error.code is AuthErrorCode.AUTHENTICATION_UNAVAILABLE
    assert error.status == 503


async def test_garbage_tokens(jwks_server: JwksServer, make_authenticator: Factory) -> None:
    jwks_server.publish(rsa_key())
    authenticator = make_authenticator()
    for token in ("", "abc", "a.b.c", "x" * 20_000):
        assert (await refused(authenticator, token)).code is AuthErrorCode.INVALID_TOKEN


async def test_error_shape(jwks_server: JwksServer, make_authenticator: Factory) -> None:
    key = rsa_key()
    jwks_server.publish(key)
    error = await refused(make_authenticator(), key.sign(claims(aud="nope")))
    assert error.graphql_error() == {
        "message": error.message,
        "extensions": {"code": "INVALID_AUDIENCE"},
    }
    assert error.headers()["www-authenticate"].startswith('Bearer realm="ordergate"')


async def test_anonymous_only_where_allowed(make_authenticator: Factory) -> None:
    principal = await make_authenticator().authenticate({})
    assert principal.kind is PrincipalKind.ANONYMOUS and not principal.is_authenticated
    with pytest.raises(AuthenticationError) as caught:
        await make_authenticator(allow_anonymous=False).authenticate({"accept": "*/*"})
    assert caught.value.code is AuthErrorCode.AUTHENTICATION_REQUIRED
    assert "Bearer" in caught.value.www_authenticate and "ApiKey" in caught.value.www_authenticate


@pytest.mark.parametrize(
    "headers",
    [
        {"authorization": "Basic dXNlcjpwYXNz"},
        {"authorization": "Bearer abc", "x-api-key": "og_key"},
    ],
)
async def test_unusable_credentials_are_refused_even_with_anonymous_allowed(
    headers: dict[str, str], make_authenticator: Factory
) -> None:
    with pytest.raises(AuthenticationError) as caught:
        await make_authenticator().authenticate(headers)
    assert caught.value.code is AuthErrorCode.INVALID_CREDENTIALS


async def test_dev_issuer_and_demo_tokens(tmp_path: Path, clock: FakeClock) -> None:
    from gateway.auth.demo import (
        DEMO_PARTNER_CLIENT_ID,
        DEMO_ROLE_SCOPES,
        demo_issuer_settings,
        generate_dev_secret,
        mint_demo_tokens,
    )

    secret = generate_dev_secret()
    secret_file = tmp_path / "dev-secret"
    secret_file.write_bytes(secret + b"\n")
    settings = AuthSettings(
        issuers=[demo_issuer_settings(secret_file)], role_scopes=DEMO_ROLE_SCOPES
    )
    authenticator = Authenticator.from_settings(settings, clock=clock)
    try:
        tokens = mint_demo_tokens(secret, customer_id="c-7")
        admin = await authenticator.authenticate(bearer(tokens["admin"]))
        customer = await authenticator.authenticate(bearer(tokens["customer"]))
        partner = await authenticator.authenticate(bearer(tokens["partner"]))
        assert admin.scopes == set(DEMO_ROLE_SCOPES["admin"])
        assert customer.customer_id == "c-7" and "orders:write" not in customer.scopes
        assert partner.client_id == DEMO_PARTNER_CLIENT_ID
        forged = mint_demo_tokens(generate_dev_secret())["admin"]
        assert (await refused(authenticator, forged)).code is AuthErrorCode.INVALID_SIGNATURE
    finally:
        await authenticator.aclose()


def test_short_hs256_secrets_are_refused_at_start_up(tmp_path: Path) -> None:
    secret_file = tmp_path / "short"
    secret_file.write_bytes(b"too-short")
    settings = AuthSettings(
        issuers=[
            JwtIssuerSettings(
                issuer=ISSUER, audiences=[AUDIENCE], algorithms=["HS256"], secret_file=secret_file
            )
        ]
    )
    with pytest.raises(ValueError, match="shorter than 32 bytes"):
        Authenticator.from_settings(settings)
