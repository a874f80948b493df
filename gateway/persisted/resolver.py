"""Which document a request runs: raw text, an APQ hash, or a trusted document id.

Wire it before parsing; the engine then parses ``resolved.query`` (cache parse, validation,
plan and cost by ``resolved.key``)::

    profile = registry.profile(client_id)
    try:
        resolved = await documents.resolve(
            query=request.query, extensions=request.extensions,
            document_id=request.document_id, profile=profile)
    except PersistedQueryError as error:
        return error.to_result()

Request forms: Apollo APQ (``extensions.persistedQuery {version: 1, sha256Hash}``, with or
without ``query``), Apollo persisted-query lists (the same extension naming a manifest entry),
GraphQL Hive / GraphQL-over-HTTP trusted documents (``documentId``, also ``sha256:<hex>``).
Modes: ``allow-all`` takes everything; ``apq`` needs a hash or an id (registration allowed);
``safelist`` takes only the client's own manifest entries. An id is looked up in the client's
own manifests only, so one client can never run another's documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gateway.persisted.apq_store import DocumentStore
from gateway.persisted.clients import ClientProfile
from gateway.persisted.documents import ResolvedDocument, is_sha256_hex, sha256_hex
from gateway.persisted.errors import (
    PersistedQueryError,
    hash_mismatch,
    not_found,
    not_in_list,
    not_supported,
    persisted_only,
)

__all__ = ["PersistedDocuments"]


def _persisted_hash(extensions: Mapping[str, Any] | None) -> str | None:
    if not extensions or "persistedQuery" not in extensions:
        return None
    persisted = extensions["persistedQuery"]
    if not isinstance(persisted, Mapping):
        raise PersistedQueryError("BAD_REQUEST", "extensions.persistedQuery must be an object")
    if persisted.get("version") != 1:
        raise PersistedQueryError(
            "PERSISTED_QUERY_VERSION_NOT_SUPPORTED", "Only persistedQuery version 1 is supported"
        )
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or not digest:
        raise PersistedQueryError(
            "BAD_REQUEST", "extensions.persistedQuery.sha256Hash must be a string"
        )
    return digest


class PersistedDocuments:
    """Resolves documents against a client's manifests and the APQ store."""

    def __init__(self, store: DocumentStore, *, apq_enabled: bool = True) -> None:
        self._store = store
        self._apq_enabled = apq_enabled

    async def resolve(
        self,
        *,
        query: str | None,
        extensions: Mapping[str, Any] | None,
        document_id: str | None,
        profile: ClientProfile,
    ) -> ResolvedDocument:
        """The document to run; raises :class:`PersistedQueryError` (use ``to_result()``)."""
        if document_id is not None:
            return self._trusted(profile, document_id, query)
        digest = _persisted_hash(extensions)
        if digest is not None:
            return await self._by_hash(profile, digest, query)
        if query is None:
            raise PersistedQueryError("BAD_REQUEST", "The request has no query")
        if profile.mode != "allow-all":
            raise persisted_only()
        return ResolvedDocument(query, sha256_hex(query), "raw")

    @staticmethod
    def _trusted(profile: ClientProfile, document_id: str, query: str | None) -> ResolvedDocument:
        document = profile.documents.get(document_id)
        if document is None:
            raise not_in_list()
        if query is not None and query != document.body:
            raise hash_mismatch("documentId does not match the query sent with it")
        return document.resolved

    async def _by_hash(
        self, profile: ClientProfile, digest: str, query: str | None
    ) -> ResolvedDocument:
        document = profile.documents.get(digest)
        if document is not None:
            if query is not None and query != document.body:
                raise hash_mismatch()
            return document.resolved
        if profile.mode == "safelist":
            raise not_in_list()
        if not self._apq_enabled:
            raise not_supported()
        digest = digest.lower()
        if query is not None:
            if not is_sha256_hex(digest) or sha256_hex(query) != digest:
                raise hash_mismatch()
            await self._store.put(digest, query)
            return ResolvedDocument(query, digest, "apq", registered=True)
        text = await self._store.get(digest) if is_sha256_hex(digest) else None
        if text is None:
            raise not_found()
        return ResolvedDocument(text, digest, "apq")
