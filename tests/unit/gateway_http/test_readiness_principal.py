"""The readiness probe's principal: signed like a request's, verifiable by a subgraph, and
without any right."""

from __future__ import annotations

import pytest

from gateway.http.readiness_principal import READINESS_SUBJECT, probe_headers_from
from subgraphs.common.caller import Principal
from subgraphs.common.ownership import AccessKind, OwnershipPolicy
from wire.forwarding import PrincipalHeadersSettings
from wire.principal import PRINCIPAL_HEADER, SIGNATURE_HEADER, verify

SECRET = "readiness-unit-secret-0123456789-abcdefghij"


def test_signed_probe_headers_verify_and_carry_no_rights() -> None:
    headers = probe_headers_from(
        PrincipalHeadersSettings(mode="signed", secret=SECRET), clock=lambda: 1_000.0
    )()
    claims = verify(
        SECRET.encode(),
        headers[PRINCIPAL_HEADER],
        headers[SIGNATURE_HEADER],
        headers["x-request-id"],
        now=1_010.0,
        max_skew_seconds=60,
    )
    assert claims.subject == READINESS_SUBJECT
    assert claims.kind == "anonymous"
    assert (claims.scopes, claims.roles, claims.customer_id, claims.client_id) == (
        frozenset(),
        frozenset(),
        None,
        None,
    )
    policy = OwnershipPolicy.of(["admin"], ["orders:read", "orders:write"])
    principal = Principal(
        kind=claims.kind,
        subject=claims.subject,
        customer_id=claims.customer_id,
        client_id=claims.client_id,
        roles=claims.roles,
        scopes=claims.scopes,
    )
    assert policy.access_for(principal).kind is AccessKind.NOTHING


def test_each_probe_has_its_own_request_id() -> None:
    make = probe_headers_from(PrincipalHeadersSettings(mode="signed", secret=SECRET))
    first, second = make(), make()
    assert first["x-request-id"] != second["x-request-id"]
    assert first[SIGNATURE_HEADER] != second[SIGNATURE_HEADER]


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("off", {"x-request-id"}), ("trusted", {"x-request-id", PRINCIPAL_HEADER})],
)
def test_the_forwarding_mode_decides_which_headers_go(mode: str, expected: set[str]) -> None:
    headers = probe_headers_from(PrincipalHeadersSettings(mode=mode))()  # type: ignore[arg-type]
    assert set(headers) == expected
