"""Store plumbing shared by gateway stages: a bounded LRU (the Redis connection
settings are :mod:`wire.redis_client`).

Every stage that keeps state has two implementations behind one protocol: in-process (the
embedded default, one process) and Redis (shared by gateway replicas). This package holds what
those implementations share; the stores themselves live with their stage.
"""

from gateway.stores.lru import LruCache

__all__ = ["LruCache"]
