"""Store plumbing shared by gateway stages: a bounded LRU and the Redis connection settings.

Every stage that keeps state has two implementations behind one protocol: in-process (the
embedded default, one process) and Redis (shared by gateway replicas). This package holds what
those implementations share; the stores themselves live with their stage.
"""

from gateway.stores.lru import LruCache
from gateway.stores.redis_client import RedisSettings, create_redis_client

__all__ = ["LruCache", "RedisSettings", "create_redis_client"]
