"""The supergraph file: loaded at start-up, watched for changes, swapped in without downtime."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from pathlib import Path

import structlog
import watchfiles

__all__ = ["read_supergraph", "sdl_hash", "watch_supergraph"]

_log = structlog.get_logger(__name__)


def sdl_hash(sdl: str) -> str:
    """The SHA-256 of a supergraph SDL, hex encoded."""
    return hashlib.sha256(sdl.encode()).hexdigest()


def read_supergraph(path: Path) -> str:
    """The SDL in ``path``; raises ``FileNotFoundError`` with a helpful message if missing."""
    if not path.is_file():
        raise FileNotFoundError(
            f"supergraph file {path} not found: run 'ordergate compose' or pass --supergraph"
        )
    return path.read_text(encoding="utf-8")


async def watch_supergraph(
    path: Path, current_hash: str, on_change: Callable[[str], Awaitable[None]]
) -> None:
    """Call ``on_change(sdl)`` each time the file's content changes; runs until cancelled.

    The directory is watched (editors and deploy tools often replace files by renaming), and a
    change that leaves the content as it was is ignored. A broken new file is the callee's to
    reject; the watcher keeps going either way.
    """
    async for changes in watchfiles.awatch(path.parent, debounce=200, recursive=False):
        if not any(Path(changed).name == path.name for _, changed in changes):
            continue
        try:
            sdl = read_supergraph(path)
        except (OSError, UnicodeDecodeError) as exc:
            _log.warning("supergraph file unreadable; keeping the loaded one", error=str(exc))
            continue
        new_hash = sdl_hash(sdl)
        if new_hash == current_hash:
            continue
        try:
            await on_change(sdl)
        except Exception as exc:
            _log.error("supergraph rejected; keeping the loaded one", error=str(exc))
            continue
        current_hash = new_hash
