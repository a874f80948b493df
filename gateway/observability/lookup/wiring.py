"""The request lookup of one gateway app, built by ``create_app`` from its settings: the
store, the writer the request recorder feeds, and ``GET /requests/{id}``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from redis.asyncio import Redis
from starlette.routing import Route

from gateway.observability.lookup.routes import LookupEndpoint, lookup_routes
from gateway.observability.lookup.settings import RequestLookupSettings
from gateway.observability.lookup.store import LookupStore, MemoryLookupStore, RedisLookupStore
from gateway.observability.lookup.writer import LookupWriter
from gateway.pipeline.stages import RequestHook

__all__ = ["RequestLookup", "build_request_lookup"]


@dataclass(frozen=True, slots=True)
class RequestLookup:
    """The store, its writer and its endpoint."""

    store: LookupStore
    writer: LookupWriter
    endpoint: LookupEndpoint

    def routes(self) -> list[Route]:
        """``GET /requests/{request_id}``."""
        return lookup_routes(self.endpoint)


def build_request_lookup(
    settings: RequestLookupSettings,
    redis: Redis | None,
    key_prefix: str,
    stages: Sequence[RequestHook],
    realm: str,
) -> RequestLookup | None:
    """The request lookup (``None`` when off). ``redis`` is the runtime's client (set whenever
    ``settings.store`` is ``redis``)."""
    if not settings.enabled:
        return None
    store: LookupStore
    if settings.store == "redis":
        if redis is None:
            raise ValueError("observability.request_lookup.store is redis but no Redis is set")
        store = RedisLookupStore(redis, key_prefix, settings.ttl_seconds)
    else:
        store = MemoryLookupStore(settings.ttl_seconds, settings.max_entries)
    writer = LookupWriter(store, settings)
    return RequestLookup(store, writer, LookupEndpoint(store, stages, realm))
