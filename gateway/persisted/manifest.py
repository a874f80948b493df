"""Trusted-document manifests: per-client lists of ``{id, body, clientName}``.

Three JSON shapes are read:

- ours: ``{"format": "ordergate-persisted-documents", "version": 1, "documents": [...]}``
  (written by ``ordergate pq extract`` and ``ordergate pq push``);
- a bare JSON array of entries;
- Apollo's ``{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [...]}``.

Every body must parse as GraphQL; one id names one body; an entry's ``clientName``, when given,
must be the client the manifest belongs to.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphql import GraphQLError, parse

from gateway.persisted.documents import ResolvedDocument, sha256_hex

__all__ = [
    "MANIFEST_FORMAT",
    "ManifestError",
    "TrustedDocument",
    "dump_manifest",
    "load_manifest",
    "merge_documents",
    "parse_manifest",
]

MANIFEST_FORMAT = "ordergate-persisted-documents"
APOLLO_FORMAT = "apollo-persisted-query-manifest"
_ENTRY_KEYS = {"id", "body", "clientName", "name", "type"}


class ManifestError(ValueError):
    """A manifest that cannot be used as it is."""


@dataclass(frozen=True, slots=True)
class TrustedDocument:
    """One registered document of one client."""

    id: str
    body: str
    client_name: str
    sha256: str = field(init=False)
    resolved: ResolvedDocument = field(init=False)

    def __post_init__(self) -> None:
        digest = sha256_hex(self.body)
        object.__setattr__(self, "sha256", digest)
        object.__setattr__(
            self,
            "resolved",
            ResolvedDocument(self.body, digest, "trusted", self.id, self.client_name),
        )

    def to_json(self) -> dict[str, str]:
        """The manifest entry."""
        return {"id": self.id, "body": self.body, "clientName": self.client_name}


def _entries(data: Any, where: str) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if data.get("format") == APOLLO_FORMAT:
            operations = data.get("operations")
            if isinstance(operations, list):
                return operations
        elif "documents" in data and set(data) <= {"format", "version", "documents"}:
            if data.get("format", MANIFEST_FORMAT) != MANIFEST_FORMAT:
                raise ManifestError(f"{where}: unknown manifest format {data.get('format')!r}")
            if data.get("version", 1) != 1:
                raise ManifestError(f"{where}: unsupported version {data.get('version')!r}")
            documents = data["documents"]
            if isinstance(documents, list):
                return documents
    raise ManifestError(f"{where}: expected a list of documents or a manifest object")


def _document(entry: Any, client_name: str, where: str) -> TrustedDocument:
    if not isinstance(entry, dict):
        raise ManifestError(f"{where}: an entry is not an object")
    unknown = set(entry) - _ENTRY_KEYS
    if unknown:
        raise ManifestError(f"{where}: unknown keys {sorted(unknown)} in an entry")
    document_id, body = entry.get("id"), entry.get("body")
    if not isinstance(document_id, str) or not document_id:
        raise ManifestError(f"{where}: an entry has no 'id'")
    if not isinstance(body, str) or not body.strip():
        raise ManifestError(f"{where}: entry {document_id!r} has no 'body'")
    owner = entry.get("clientName", client_name)
    if owner != client_name:
        raise ManifestError(
            f"{where}: entry {document_id!r} belongs to {owner!r}, not to {client_name!r}"
        )
    try:
        parse(body, no_location=True)
    except GraphQLError as error:
        raise ManifestError(
            f"{where}: entry {document_id!r} does not parse: {error.message}"
        ) from error
    return TrustedDocument(document_id, body, client_name)


def parse_manifest(data: Any, client_name: str, where: str = "manifest") -> list[TrustedDocument]:
    """The documents of a decoded manifest, for ``client_name``."""
    documents = [_document(entry, client_name, where) for entry in _entries(data, where)]
    return merge_documents([], documents, where)


def load_manifest(path: Path, client_name: str) -> list[TrustedDocument]:
    """The documents of the manifest file ``path``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ManifestError(f"{path}: cannot read the manifest: {error}") from error
    return parse_manifest(data, client_name, str(path))


def merge_documents(
    existing: Iterable[TrustedDocument], added: Iterable[TrustedDocument], where: str = "manifest"
) -> list[TrustedDocument]:
    """``existing`` plus ``added``; an id may appear twice only with the same body."""
    by_id: dict[str, TrustedDocument] = {}
    for document in (*existing, *added):
        known = by_id.get(document.id)
        if known is not None and known.body != document.body:
            raise ManifestError(f"{where}: id {document.id!r} names two different bodies")
        by_id.setdefault(document.id, document)
    return list(by_id.values())


def dump_manifest(documents: Iterable[TrustedDocument]) -> str:
    """The manifest file text for ``documents`` (ours, sorted by id, stable for diffs)."""
    payload: Mapping[str, Any] = {
        "format": MANIFEST_FORMAT,
        "version": 1,
        "documents": [d.to_json() for d in sorted(documents, key=lambda d: d.id)],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
