"""The gateway's principal header stage: what it adds to subgraph fetches, and its settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from gateway.auth.principal import ANONYMOUS, Principal, PrincipalKind
from gateway.auth.principal_forwarding import PrincipalHeaderSources, subgraph_headers_from
from gateway.engine.types import RequestContext
from gateway.settings import GatewaySettings
from wire.forwarding import PrincipalHeadersSettings
from wire.principal import (
    PRINCIPAL_HEADER,
    SIGNATURE_HEADER,
    decode_claims,
    verify,
)

SECRET = "a-shared-secret-of-at-least-32-bytes!"
ALICE = Principal(
    kind=PrincipalKind.JWT, subject="alice", customer_id="c-1", scopes=frozenset({"orders:read"})
)
BOB = Principal(kind=PrincipalKind.JWT, subject="bob", customer_id="c-2")


def test_forwarding_is_off_by_default() -> None:
    headers = subgraph_headers_from(GatewaySettings().principal_headers)
    built = headers.build(RequestContext(request_id="r1", principal=ALICE))
    assert built is not None
    assert dict(built.values) == {"x-request-id": "r1"}
    assert built.identity == ()


def test_signed_headers_verify_and_only_the_principal_is_identity() -> None:
    settings = PrincipalHeadersSettings(mode="signed", secret=SECRET)
    headers = subgraph_headers_from(settings)
    alice = headers.build(RequestContext(request_id="r1", principal=ALICE))
    alice_again = headers.build(RequestContext(request_id="r2", principal=ALICE))
    bob = headers.build(RequestContext(request_id="r3", principal=BOB))
    assert alice is not None and alice_again is not None and bob is not None
    values = alice.values
    claims = verify(
        SECRET.encode(),
        values[PRINCIPAL_HEADER],
        values[SIGNATURE_HEADER],
        "r1",
        now=float(values[SIGNATURE_HEADER].split(",")[0].removeprefix("t=")),
        max_skew_seconds=1,
    )
    assert claims.subject == "alice" and claims.customer_id == "c-1"
    # the same principal in two requests may share a deduplicated fetch; two principals never
    assert alice.identity == alice_again.identity
    assert alice.identity != bob.identity
    assert values[SIGNATURE_HEADER] != alice_again.values[SIGNATURE_HEADER]


def test_trusted_mode_sends_no_signature() -> None:
    headers = subgraph_headers_from(PrincipalHeadersSettings(mode="trusted"))
    built = headers.build(RequestContext(request_id="r1", principal=ANONYMOUS))
    assert built is not None
    assert SIGNATURE_HEADER not in built.values
    assert decode_claims(built.values[PRINCIPAL_HEADER]).kind == "anonymous"


def test_the_signature_is_made_once_per_request() -> None:
    ticks = iter(range(1_000, 2_000))
    sources = PrincipalHeaderSources(SECRET.encode(), clock=lambda: float(next(ticks)))
    context = RequestContext(request_id="r1", principal=ALICE)
    first = sources.signature_value(context)
    assert sources.signature_value(context) == first  # cached on the request, clock not read
    assert first is not None and first.startswith("t=1000,")


def test_settings_refuse_weak_or_missing_secrets(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="needs a secret"):
        PrincipalHeadersSettings(mode="signed")
    with pytest.raises(ValidationError, match="shorter than 32"):
        PrincipalHeadersSettings(mode="signed", secret="short")
    short = tmp_path / "secret"
    short.write_text("short\n")
    with pytest.raises(ValueError, match="shorter than 32"):
        subgraph_headers_from(PrincipalHeadersSettings(mode="signed", secret_file=short))
    good = tmp_path / "good"
    good.write_text(SECRET + "\n")
    assert subgraph_headers_from(PrincipalHeadersSettings(mode="signed", secret_file=good))


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERGATE_GATEWAY_PRINCIPAL_HEADERS__MODE", "signed")
    monkeypatch.setenv("ORDERGATE_GATEWAY_PRINCIPAL_HEADERS__SECRET", SECRET)
    settings = GatewaySettings().principal_headers
    assert settings.mode == "signed"
    assert settings.load_secret() == SECRET.encode()
