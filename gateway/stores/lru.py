"""A bounded least-recently-used mapping for in-process caches and stores."""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

__all__ = ["LruCache"]

K = TypeVar("K")
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """At most ``max_entries`` items; reading or writing an item makes it the most recent.

    Not thread-safe: it is meant for one asyncio event loop, where no two coroutines run its
    methods at the same time (none of them awaits).

    >>> cache: LruCache[str, int] = LruCache(2)
    >>> cache.put("a", 1); cache.put("b", 2); cache.put("c", 3)
    >>> cache.get("a") is None, cache.get("c")
    (True, 3)
    """

    __slots__ = ("_items", "_max_entries")

    def __init__(self, max_entries: int) -> None:
        if max_entries <= 0:
            raise ValueError("an LRU cache needs room for at least one entry")
        self._max_entries = max_entries
        self._items: OrderedDict[K, V] = OrderedDict()

    @property
    def max_entries(self) -> int:
        """The most items kept."""
        return self._max_entries

    def get(self, key: K) -> V | None:
        """The item under ``key`` (now the most recent), or ``None``."""
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        """Store ``value`` under ``key``, evicting the least recent item when full."""
        items = self._items
        items[key] = value
        items.move_to_end(key)
        if len(items) > self._max_entries:
            items.popitem(last=False)

    def pop(self, key: K) -> V | None:
        """Remove and return the item under ``key``, if any."""
        return self._items.pop(key, None)

    def clear(self) -> None:
        """Forget every item."""
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items
