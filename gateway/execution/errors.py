"""GraphQL errors produced while executing a plan, shaped for the client."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["fetch_failure_error", "repath_subgraph_error"]

#: extension keys that may reveal subgraph internals; dropped when errors are masked
_INTERNAL_EXTENSIONS = frozenset(
    {"exception", "stacktrace", "stackTrace", "trace", "originalError"}
)


def repath_subgraph_error(
    error: Any,
    service: str,
    prefix: Sequence[str | int] | None,
    *,
    mask: bool,
) -> dict[str, Any]:
    """A subgraph error moved to the client's response path, with ``serviceName`` added.

    ``prefix`` is the client path the subgraph path is relative to (``None`` drops the path).
    """
    if not isinstance(error, dict):
        error = {"message": str(error)}
    message = error.get("message")
    shaped: dict[str, Any] = {"message": message if isinstance(message, str) else "Subgraph error"}
    path = error.get("path")
    if prefix is not None and isinstance(path, list):
        shaped["path"] = [*prefix, *path]
    elif prefix is not None and prefix:
        shaped["path"] = list(prefix)
    extensions = error.get("extensions")
    extensions = dict(extensions) if isinstance(extensions, dict) else {}
    if mask:
        for key in _INTERNAL_EXTENSIONS:
            extensions.pop(key, None)
    extensions.setdefault("code", "DOWNSTREAM_SERVICE_ERROR")
    extensions["serviceName"] = service
    shaped["extensions"] = extensions
    return shaped


def fetch_failure_error(
    service: str, code: str, detail: str, path: Sequence[str | int] | None, *, mask: bool
) -> dict[str, Any]:
    """The error for a subgraph call that failed as a whole (network, status, timeout)."""
    message = (
        f"Could not fetch from subgraph {service}"
        if mask
        else f"Could not fetch from subgraph {service}: {detail}"
    )
    error: dict[str, Any] = {"message": message}
    if path:
        error["path"] = list(path)
    error["extensions"] = {"code": code, "serviceName": service}
    return error
