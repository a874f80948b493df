"""Manifests: the shapes read, and the mistakes refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gateway.persisted.documents import sha256_hex
from gateway.persisted.manifest import (
    ManifestError,
    TrustedDocument,
    dump_manifest,
    load_manifest,
    merge_documents,
    parse_manifest,
)

BODY = "query Order($id: ID!) { order(id: $id) { id } }"


def test_our_format_round_trips(tmp_path: Path) -> None:
    documents = [TrustedDocument("b", "{ b }", "acme"), TrustedDocument("a", BODY, "acme")]
    path = tmp_path / "acme.json"
    path.write_text(dump_manifest(documents))
    data = json.loads(path.read_text())
    assert data["format"] == "ordergate-persisted-documents"
    assert [entry["id"] for entry in data["documents"]] == ["a", "b"]
    loaded = load_manifest(path, "acme")
    assert {(d.id, d.body, d.client_name) for d in loaded} == {
        ("a", BODY, "acme"),
        ("b", "{ b }", "acme"),
    }


def test_a_bare_list_and_apollo_manifests_are_read() -> None:
    bare = [{"id": "x", "body": BODY, "clientName": "acme"}]
    assert [d.id for d in parse_manifest(bare, "acme")] == ["x"]
    apollo = {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [{"id": sha256_hex(BODY), "name": "Order", "type": "query", "body": BODY}],
    }
    (document,) = parse_manifest(apollo, "acme")
    assert (document.id, document.sha256, document.client_name) == (
        sha256_hex(BODY),
        sha256_hex(BODY),
        "acme",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([{"id": "x", "body": BODY, "clientName": "globex"}], "belongs to 'globex'"),
        ([{"id": "x", "body": "query {"}], "does not parse"),
        ([{"id": "x", "body": BODY, "extra": 1}], "unknown keys"),
        ([{"body": BODY}], "no 'id'"),
        ([{"id": "x", "body": "  "}], "no 'body'"),
        ([{"id": "x", "body": BODY}, {"id": "x", "body": "{ other }"}], "two different bodies"),
        ({"format": "something-else", "documents": []}, "unknown manifest format"),
        ({"documents": [], "version": 2}, "unsupported version"),
        ("not a manifest", "expected a list"),
    ],
)
def test_mistakes_are_refused(data: Any, message: str) -> None:
    with pytest.raises(ManifestError, match=message):
        parse_manifest(data, "acme")


def test_merging_keeps_identical_entries_once() -> None:
    a = TrustedDocument("a", BODY, "acme")
    merged = merge_documents(
        [a], [TrustedDocument("a", BODY, "acme"), TrustedDocument("b", "{ b }", "acme")]
    )
    assert [d.id for d in merged] == ["a", "b"]


def test_an_unreadable_file_is_a_manifest_error(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(ManifestError, match="cannot read"):
        load_manifest(tmp_path / "broken.json", "acme")
    with pytest.raises(ManifestError, match="cannot read"):
        load_manifest(tmp_path / "missing.json", "acme")
