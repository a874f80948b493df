"""Builds the stage's objects from settings (called by the composition root)."""

from __future__ import annotations

from redis.asyncio import Redis

from gateway.persisted.apq_store import DocumentStore, MemoryDocumentStore, RedisDocumentStore
from gateway.persisted.resolver import PersistedDocuments
from gateway.persisted.settings import ApqSettings, PersistedDocumentsSettings

__all__ = ["build_document_store", "build_persisted_documents"]


def build_document_store(
    settings: ApqSettings, redis: Redis | None = None, redis_key_prefix: str = "ordergate"
) -> DocumentStore:
    """The APQ store the settings ask for (Redis needs the shared ``redis`` client)."""
    if settings.store == "redis":
        if redis is None:
            raise ValueError("persisted.apq.store is 'redis' but no Redis client was given")
        return RedisDocumentStore(
            redis,
            f"{redis_key_prefix}:{settings.key_prefix}",
            settings.ttl_seconds,
            settings.max_entries,
        )
    return MemoryDocumentStore(settings.max_entries)


def build_persisted_documents(
    settings: PersistedDocumentsSettings,
    redis: Redis | None = None,
    redis_key_prefix: str = "ordergate",
) -> PersistedDocuments:
    """The resolver with its APQ store."""
    store = build_document_store(settings.apq, redis, redis_key_prefix)
    return PersistedDocuments(store, apq_enabled=settings.apq.enabled)
