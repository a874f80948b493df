"""The clients file: YAML or TOML, unknown keys rejected, manifests attached, reloadable."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from gateway.persisted.clients import ClientRegistry, ClientsConfigError
from gateway.persisted.documents import sha256_hex
from gateway.persisted.manifest import TrustedDocument, dump_manifest
from gateway.persisted.reload import ClientRegistrySource

BODY = "query Order($id: ID!) { order(id: $id) { id } }"

YAML = """
defaults:
  mode: allow-all
  budget: {capacity: 500, refill_per_second: 5, max_operation_cost: 200, mode: measure}
clients:
  acme-partner:
    mode: safelist
    manifests: [partner/acme.json]
    budget: {capacity: 5000, refill_per_second: 100, max_operation_cost: 1000}
  web-app:
    mode: apq
"""


def _write_manifest(path: Path, client: str, *documents: tuple[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_manifest(TrustedDocument(i, b, client) for i, b in documents))


def test_a_yaml_clients_file(tmp_path: Path) -> None:
    (tmp_path / "clients.yaml").write_text(YAML)
    _write_manifest(tmp_path / "partner" / "acme.json", "acme-partner", ("order", BODY))
    registry = ClientRegistry.load(tmp_path / "clients.yaml")

    acme = registry.profile("acme-partner")
    assert (acme.mode, acme.budget.capacity, acme.budget.mode) == ("safelist", 5000, "enforce")
    assert acme.documents["order"].body == BODY
    assert acme.documents[sha256_hex(BODY)] is acme.documents["order"]

    web = registry.profile("web-app")
    assert (web.mode, web.budget.capacity, web.budget.mode) == ("apq", 500, "measure")
    assert registry.profile("someone-else") is registry.default
    assert registry.profile(None).mode == "allow-all"


def test_a_toml_clients_file(tmp_path: Path) -> None:
    (tmp_path / "clients.toml").write_text(
        '[defaults]\nmode = "apq"\n\n[clients.acme]\nmode = "safelist"\n'
        "[clients.acme.budget]\ncapacity = 100\nrefill_per_second = 1\nmax_operation_cost = 50\n"
    )
    registry = ClientRegistry.load(tmp_path / "clients.toml")
    assert registry.profile("acme").budget.max_operation_cost == 50
    assert registry.profile("other").mode == "apq"


def test_the_conventional_manifest_is_attached(tmp_path: Path) -> None:
    (tmp_path / "clients.yaml").write_text("clients:\n  acme: {mode: safelist}\n")
    _write_manifest(tmp_path / "manifests" / "acme.json", "acme", ("order", BODY))
    assert "order" in ClientRegistry.load(tmp_path / "clients.yaml").profile("acme").documents


def test_no_file_means_everyone_allow_all_on_the_gateway_default_budget(tmp_path: Path) -> None:
    registry = ClientRegistry.load(tmp_path / "absent.yaml")
    assert registry.profile("x").mode == "allow-all"
    assert registry.profile("x").budget is None  # limits.unidentified.budget applies


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("clients:\n  acme: {mode: safelist, burst: 3}\n", "extra_forbidden"),
        ("defaults: {mode: everything}\n", "literal_error"),
        ("limits: {}\n", "extra_forbidden"),
        ("clients:\n  ../etc: {}\n", "must match"),
        (
            "clients:\n  acme:\n    budget: {capacity: 10, max_operation_cost: 20}\n",
            "exceeds the capacity",
        ),
        ("clients:\n  acme: {manifests: [missing.json]}\n", "cannot read"),
        ("clients: [\n", "while parsing"),
    ],
)
def test_broken_files_are_refused(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "clients.yaml").write_text(text)
    with pytest.raises(ClientsConfigError, match=message):
        ClientRegistry.load(tmp_path / "clients.yaml")


def test_an_explicit_reload_swaps_and_a_broken_file_keeps_the_old_registry(tmp_path: Path) -> None:
    path = tmp_path / "clients.yaml"
    path.write_text("clients:\n  acme: {mode: apq}\n")
    source = ClientRegistrySource(path)
    assert source.current.profile("acme").mode == "apq"
    path.write_text("clients:\n  acme: {mode: safelist}\n")
    source.reload()
    assert source.current.profile("acme").mode == "safelist"
    path.write_text("clients:\n  acme: {mode: nonsense}\n")
    with pytest.raises(ClientsConfigError):
        source.reload()
    assert source.current.profile("acme").mode == "safelist"


async def test_a_changed_manifest_is_picked_up_by_the_watcher(tmp_path: Path) -> None:
    path = tmp_path / "clients.yaml"
    path.write_text("clients:\n  acme: {mode: safelist}\n")
    source = ClientRegistrySource(path)
    watcher = asyncio.create_task(source.watch(debounce_ms=50))
    try:
        await asyncio.sleep(0.2)  # let the watcher start
        _write_manifest(tmp_path / "manifests" / "acme.json", "acme", ("order", BODY))
        for _ in range(200):
            if "order" in source.current.profile("acme").documents:
                break
            await asyncio.sleep(0.025)
        assert "order" in source.current.profile("acme").documents
    finally:
        watcher.cancel()
        with pytest.raises(asyncio.CancelledError):
            await watcher
