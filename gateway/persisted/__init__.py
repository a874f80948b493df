"""Persisted documents: automatic persisted queries, trusted documents and safelisting.

Pipeline point: before parsing. :class:`PersistedDocuments` turns a request (raw query, APQ
hash, or trusted document id) into the :class:`ResolvedDocument` to parse, following the
client's mode from :class:`ClientRegistry` (``persisted_queries/clients.yaml``).
"""

from gateway.persisted.apq_store import DocumentStore, MemoryDocumentStore, RedisDocumentStore
from gateway.persisted.clients import (
    ANONYMOUS_CLIENT,
    ClientMode,
    ClientProfile,
    ClientRegistry,
    ClientsConfig,
    ClientsConfigError,
)
from gateway.persisted.documents import ResolvedDocument, sha256_hex
from gateway.persisted.errors import PersistedQueryError
from gateway.persisted.factory import build_document_store, build_persisted_documents
from gateway.persisted.manifest import ManifestError, TrustedDocument
from gateway.persisted.reload import ClientRegistrySource
from gateway.persisted.resolver import PersistedDocuments
from gateway.persisted.settings import ApqSettings, PersistedDocumentsSettings

__all__ = [
    "ANONYMOUS_CLIENT",
    "ApqSettings",
    "ClientMode",
    "ClientProfile",
    "ClientRegistry",
    "ClientRegistrySource",
    "ClientsConfig",
    "ClientsConfigError",
    "DocumentStore",
    "ManifestError",
    "MemoryDocumentStore",
    "PersistedDocuments",
    "PersistedDocumentsSettings",
    "PersistedQueryError",
    "RedisDocumentStore",
    "ResolvedDocument",
    "TrustedDocument",
    "build_document_store",
    "build_persisted_documents",
    "sha256_hex",
]
