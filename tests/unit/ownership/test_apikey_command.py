"""``ordergate apikey create`` and ``revoke`` edit a key file the gateway then reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from gateway.auth.api_keys import ApiKeyStore
from ordergate.cli import main


def test_create_prints_the_key_once_and_stores_its_hash(tmp_path: Path) -> None:
    keys = tmp_path / "keys.yaml"
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["apikey", "create", "--client-id", "acme", "--roles", "partner",
         "--scopes", "orders:read,shipments:write", "--id", "acme-1", "--file", str(keys)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    key = re.search(r"API key \(shown once, give it to acme\): (\S+)", result.output)
    assert key is not None
    assert key.group(1) not in keys.read_text()
    record = ApiKeyStore.from_file(keys).lookup(key.group(1))
    assert record is not None
    assert (record.id, record.client_id, record.roles, record.scopes) == (
        "acme-1", "acme", ["partner"], ["orders:read", "shipments:write"]
    )  # fmt: skip
    again = runner.invoke(
        main, ["apikey", "create", "--client-id", "acme", "--id", "acme-1", "--file", str(keys)]
    )
    assert again.exit_code != 0 and "already exists" in again.output

    revoked = runner.invoke(main, ["apikey", "revoke", "acme-1", "--file", str(keys)])
    assert revoked.exit_code == 0, revoked.output
    assert ApiKeyStore.from_file(keys).lookup(key.group(1)) is None
    unknown = runner.invoke(main, ["apikey", "revoke", "nope", "--file", str(keys)])
    assert unknown.exit_code != 0 and "no key with id" in unknown.output


def test_the_file_comes_from_the_gateway_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = tmp_path / "configured.yaml"
    monkeypatch.setenv("ORDERGATE_GATEWAY_AUTH__API_KEYS__FILE", str(keys))
    result = CliRunner().invoke(main, ["apikey", "create", "--client-id", "globex"])
    assert result.exit_code == 0, result.output
    assert len(ApiKeyStore.from_file(keys)) == 1
    monkeypatch.delenv("ORDERGATE_GATEWAY_AUTH__API_KEYS__FILE")
    missing = CliRunner().invoke(main, ["apikey", "revoke", "x"])
    assert missing.exit_code == 2 and "--file" in missing.output
