"""Keeps the current :class:`ClientRegistry` and replaces it when the files change.

A reload builds a whole new registry (config and every manifest) before swapping it in, so a
request sees either the old or the new one, and a broken file leaves the old one in place.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import structlog
import watchfiles

from gateway.persisted.clients import ClientRegistry

__all__ = ["ClientRegistrySource"]

_log = structlog.get_logger(__name__)


class ClientRegistrySource:
    """The registry of one clients file, reloadable on demand or on change."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._current = ClientRegistry.load(path)

    @property
    def path(self) -> Path:
        """The clients file."""
        return self._path

    @property
    def current(self) -> ClientRegistry:
        """The registry to use for the next request."""
        return self._current

    def reload(self) -> ClientRegistry:
        """Load the files again and swap; raises (keeping the old registry) when they are broken."""
        registry = ClientRegistry.load(self._path)
        self._current = registry
        _log.info("clients reloaded", clients=len(registry.clients))
        return registry

    async def watch(self, debounce_ms: int = 200) -> None:
        """Reload whenever something under the clients file's directory changes; runs until
        cancelled. Broken files are logged and skipped."""
        directory = self._path.parent
        directory.mkdir(parents=True, exist_ok=True)
        async for _changes in watchfiles.awatch(directory, debounce=debounce_ms, recursive=True):
            try:
                await asyncio.to_thread(self.reload)
            except Exception as error:
                _log.error("clients file rejected; keeping the loaded one", error=str(error))
