"""The repository's own persisted_queries/: it loads, and the manifests match their sources."""

from __future__ import annotations

from pathlib import Path

from gateway.persisted.clients import ClientRegistry
from gateway.persisted.extract import extract_documents
from gateway.persisted.manifest import load_manifest

ROOT = Path(__file__).parents[3] / "persisted_queries"


def test_the_shipped_clients_file_loads() -> None:
    registry = ClientRegistry.load(ROOT / "clients.yaml")
    partner = registry.profile("acme-partner")
    assert partner.mode == "safelist"
    assert partner.budget is not None and partner.budget.mode == "enforce"
    assert len({document.id for document in partner.documents.values()}) == 2
    assert registry.profile("ordergate-web").mode == "apq"
    # unidentified callers run on the gateway's enforced default (limits.unidentified.budget)
    assert registry.profile(None).budget is None


def test_each_manifest_matches_its_operations_folder() -> None:
    """Run ``ordergate pq extract persisted_queries/operations/<client> --client <client>`` and
    ``ordergate pq push`` when this fails."""
    for folder in sorted((ROOT / "operations").iterdir()):
        sources = {str(path): path.read_text() for path in sorted(folder.rglob("*.graphql"))}
        extracted = extract_documents(sources, folder.name)
        manifest = load_manifest(ROOT / "manifests" / f"{folder.name}.json", folder.name)
        assert {(d.id, d.body) for d in manifest} == {(d.id, d.body) for d in extracted}
