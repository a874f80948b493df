"""The forwarded principal's wire format: canonical claims, HMAC signature, freshness."""

from __future__ import annotations

import pytest

from gateway.auth.principal import ANONYMOUS, Principal, PrincipalKind, claims_of
from wire.principal import (
    PrincipalClaims,
    PrincipalHeaderError,
    decode_claims,
    encode_claims,
    sign,
    verify,
)

SECRET = b"s" * 32
NOW = 1_800_000_000

CUSTOMER = Principal(
    kind=PrincipalKind.JWT,
    subject="user-1",
    issuer="https://idp.example",
    customer_id="6d1c3a0e-1d7f-4b8e-9a51-3f1f0f8e2b11",
    roles=frozenset({"customer"}),
    scopes=frozenset({"orders:read", "payments:read"}),
)


def test_claims_round_trip_and_are_canonical() -> None:
    claims = claims_of(CUSTOMER)
    value = encode_claims(claims)
    assert decode_claims(value) == claims
    reordered = PrincipalClaims(
        kind="jwt",
        subject="user-1",
        customer_id=CUSTOMER.customer_id,
        roles=frozenset(["customer"]),
        scopes=frozenset(["payments:read", "orders:read"]),
    )
    assert encode_claims(reordered) == value  # equal principals, byte-equal headers
    assert encode_claims(claims_of(ANONYMOUS)) != value


def test_a_fresh_signature_verifies() -> None:
    value = encode_claims(claims_of(CUSTOMER))
    signature = sign(SECRET, value, "req-1", issued_at=NOW)
    claims = verify(SECRET, value, signature, "req-1", now=NOW + 5, max_skew_seconds=60)
    assert claims.customer_id == CUSTOMER.customer_id
    assert claims.scopes == CUSTOMER.scopes


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("other secret", "INVALID_PRINCIPAL_SIGNATURE"),
        ("other request id", "INVALID_PRINCIPAL_SIGNATURE"),
        ("tampered claims", "INVALID_PRINCIPAL_SIGNATURE"),
        ("no signature", "INVALID_PRINCIPAL_SIGNATURE"),
        ("garbage signature", "INVALID_PRINCIPAL_SIGNATURE"),
        ("stale", "PRINCIPAL_SIGNATURE_EXPIRED"),
        ("future", "PRINCIPAL_SIGNATURE_EXPIRED"),
    ],
)
def test_forged_or_stale_signatures_are_refused(change: str, code: str) -> None:
    value = encode_claims(claims_of(CUSTOMER))
    signature: str | None = sign(SECRET, value, "req-1", issued_at=NOW)
    secret, request_id, now = SECRET, "req-1", float(NOW)
    if change == "other secret":
        secret = b"t" * 32
    elif change == "other request id":
        request_id = "req-2"
    elif change == "tampered claims":
        admin = Principal(kind=PrincipalKind.JWT, subject="user-1", roles=frozenset({"admin"}))
        value = encode_claims(claims_of(admin))
    elif change == "no signature":
        signature = None
    elif change == "garbage signature":
        signature = "t=abc,v1=???"
    elif change == "stale":
        now = NOW + 61
    elif change == "future":
        now = NOW - 61
    with pytest.raises(PrincipalHeaderError) as raised:
        verify(secret, value, signature, request_id, now=now, max_skew_seconds=60)
    assert raised.value.code == code


@pytest.mark.parametrize("value", ["", "not base64 !", "e30", "eyJ2IjoyfQ", "x" * 9000])
def test_malformed_claims_are_refused(value: str) -> None:
    with pytest.raises(PrincipalHeaderError) as raised:
        decode_claims(value)
    assert raised.value.code == "INVALID_PRINCIPAL"
