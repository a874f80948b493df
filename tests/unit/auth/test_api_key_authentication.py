"""API keys: hashed storage, header forms, role expansion, revocation by reloading the file."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fake_clock import FakeClock

from gateway.auth import (
    ApiKeySettings,
    ApiKeyStore,
    AuthenticationError,
    Authenticator,
    AuthErrorCode,
    AuthSettings,
    PrincipalKind,
    generate_api_key,
    hash_api_key,
)
from gateway.auth.api_keys import ApiKeyFileError

PARTNER_KEY = generate_api_key()
OTHER_KEY = generate_api_key()


def write_keys(path: Path, *, revoked: bool = False) -> None:
    entries: list[dict[str, Any]] = [
        {
            "id": "acme-1",
            "hash": hash_api_key(PARTNER_KEY),
            "client_id": "acme",
            "roles": ["partner"],
            "scopes": ["shipments:write"],
            "customer_id": "c-9",
            "revoked": revoked,
        },
        {"id": "globex-1", "hash": hash_api_key(OTHER_KEY), "client_id": "globex"},
    ]
    path.write_text(yaml.safe_dump({"keys": entries}))


def write_broken_file(path: Path) -> None:
    path.write_text("keys: [ {id: x, hash: nope} ]")


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "api-keys.yaml"
    write_keys(path)
    return path


@pytest.fixture
async def authenticator(key_file: Path, clock: FakeClock) -> AsyncIterator[Authenticator]:
    settings = AuthSettings(
        api_keys=ApiKeySettings(file=key_file, reload_interval_seconds=5),
        role_scopes={"partner": ["orders:read", "inventory:read"]},
        allow_anonymous=False,
    )
    built = Authenticator.from_settings(settings, clock=clock)
    yield built
    await built.aclose()


async def refused(authenticator: Authenticator, headers: dict[str, str]) -> AuthenticationError:
    with pytest.raises(AuthenticationError) as caught:
        await authenticator.authenticate(headers)
    return caught.value


def test_hash_is_sha256_and_never_the_key() -> None:
    stored = hash_api_key(PARTNER_KEY)
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", stored)
    assert PARTNER_KEY not in stored
    assert hash_api_key(PARTNER_KEY) == stored != hash_api_key(OTHER_KEY)
    assert generate_api_key() != generate_api_key()


@pytest.mark.parametrize(
    "headers",
    [{"x-api-key": PARTNER_KEY}, {"authorization": f"ApiKey {PARTNER_KEY}"}],
)
async def test_a_valid_key_gives_the_partner_principal(
    headers: dict[str, str], authenticator: Authenticator
) -> None:
    principal = await authenticator.authenticate(headers)
    assert principal.kind is PrincipalKind.API_KEY
    assert (principal.subject, principal.client_id, principal.customer_id) == (
        "acme",
        "acme",
        "c-9",
    )
    assert principal.roles == {"partner"}
    assert principal.scopes == {"shipments:write", "orders:read", "inventory:read"}
    assert principal.claims["key_id"] == "acme-1"


async def test_keys_map_to_their_own_client(authenticator: Authenticator) -> None:
    principal = await authenticator.authenticate({"x-api-key": OTHER_KEY})
    assert principal.client_id == "globex" and principal.scopes == frozenset()


@pytest.mark.parametrize(
    "key", ["", "og_unknown", PARTNER_KEY + "x", PARTNER_KEY.upper(), "k" * 10_000]
)
async def test_unknown_keys_are_refused(key: str, authenticator: Authenticator) -> None:
    error = await refused(authenticator, {"x-api-key": key})
    assert error.code is AuthErrorCode.INVALID_API_KEY
    assert error.status == 401 and error.www_authenticate.startswith("ApiKey")


async def test_revoked_key_is_refused_once_the_file_is_reloaded(
    authenticator: Authenticator, key_file: Path, clock: FakeClock
) -> None:
    assert (await authenticator.authenticate({"x-api-key": PARTNER_KEY})).client_id == "acme"
    write_keys(key_file, revoked=True)
    clock.advance(6)  # the reload interval passes; the next request sees the new file
    unknown = await refused(authenticator, {"x-api-key": "og_never_issued"})
    revoked = await refused(authenticator, {"x-api-key": PARTNER_KEY})
    assert revoked.code is unknown.code is AuthErrorCode.INVALID_API_KEY
    assert revoked.message == unknown.message  # revoked and unknown look the same
    assert (await authenticator.authenticate({"x-api-key": OTHER_KEY})).client_id == "globex"


async def test_explicit_reload_and_a_broken_file_keeps_previous_keys(
    authenticator: Authenticator, key_file: Path
) -> None:
    write_broken_file(key_file)
    await authenticator.reload_api_keys()
    assert (await authenticator.authenticate({"x-api-key": PARTNER_KEY})).client_id == "acme"
    write_keys(key_file, revoked=True)
    await authenticator.reload_api_keys()
    assert (await refused(authenticator, {"x-api-key": PARTNER_KEY})).code is (
        AuthErrorCode.INVALID_API_KEY
    )


def test_toml_files_work_too(tmp_path: Path) -> None:
    path = tmp_path / "keys.toml"
    path.write_text(
        f'[[keys]]\nid = "t-1"\nhash = "{hash_api_key(PARTNER_KEY)}"\nclient_id = "tomlco"\n'
    )
    store = ApiKeyStore.from_file(path)
    record = store.lookup(PARTNER_KEY)
    assert record is not None and record.client_id == "tomlco"
    assert store.lookup(OTHER_KEY) is None


@pytest.mark.parametrize(
    "content",
    [
        "keys: [{id: a, hash: 'sha256:abc', client_id: x}]",  # not a sha256 digest
        f"keys: [{{id: a, hash: '{hash_api_key('k')}', client_id: x, colour: red}}]",  # extra key
        f"keys: [{{id: a, hash: '{hash_api_key('k')}', client_id: x}},"
        f" {{id: a, hash: '{hash_api_key('j')}', client_id: y}}]",  # duplicate id
        "keys: [",
    ],
)
def test_invalid_key_files_are_refused_at_start_up(content: str, tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text(content)
    with pytest.raises(ApiKeyFileError):
        Authenticator.from_settings(AuthSettings(api_keys=ApiKeySettings(file=path)))


async def test_keys_disabled_means_every_key_is_refused() -> None:
    authenticator = Authenticator.from_settings(AuthSettings())
    try:
        error = await refused(authenticator, {"x-api-key": PARTNER_KEY})
        assert error.code is AuthErrorCode.INVALID_API_KEY
    finally:
        await authenticator.aclose()


async def test_custom_header_name(key_file: Path) -> None:
    settings = AuthSettings(api_keys=ApiKeySettings(file=key_file, header="X-Partner-Key"))
    authenticator = Authenticator.from_settings(settings)
    try:
        principal = await authenticator.authenticate({"x-partner-key": PARTNER_KEY})
        assert principal.client_id == "acme"
        assert (await authenticator.authenticate({"x-api-key": PARTNER_KEY})).kind is (
            PrincipalKind.ANONYMOUS
        )
    finally:
        await authenticator.aclose()
