"""The result of authorizing one operation for one caller, and its cache key."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from graphql import DocumentNode

from gateway.authz.requirements import Requirement
from gateway.authz.settings import AuthorizationMode

__all__ = [
    "UNAUTHORIZED_CODE",
    "AuthorizationKey",
    "AuthorizationOutcome",
    "ResponsePath",
    "concrete_paths",
    "located_errors",
    "unauthorized_error",
]

UNAUTHORIZED_CODE = "UNAUTHORIZED_FIELD_OR_TYPE"
#: response keys from the root; ``"@"`` stands for "every item of the list"
ResponsePath = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AuthorizationKey:
    """Which of the operation's requirements the caller fails: all the pruning depends on.

    Two callers with the same key get the same pruned document and errors, so plans are
    cached per ``(document, key)``: users sharing scopes share plans, and scopes the operation
    never asks about do not split the cache. The empty key means "everything allowed".
    """

    failing: frozenset[Requirement] = frozenset()
    digest: str = field(default="", compare=False, hash=False)

    def __post_init__(self) -> None:
        canonical = "\n".join(sorted(repr(requirement) for requirement in self.failing))
        object.__setattr__(self, "digest", hashlib.sha256(canonical.encode()).hexdigest()[:16])

    @property
    def allows_everything(self) -> bool:
        """``True`` when the caller fails no requirement of the operation."""
        return not self.failing


def unauthorized_error(path: ResponsePath) -> dict[str, Any]:
    """The GraphQL error reported for one removed selection."""
    error: dict[str, Any] = {
        "message": "Unauthorized field or type",
        "extensions": {"code": UNAUTHORIZED_CODE},
    }
    if path:
        error["path"] = list(path)
    return error


@dataclass(frozen=True, slots=True)
class AuthorizationOutcome:
    """What to plan and what to report, for one operation and one caller.

    - ``document``: the document to plan and execute (the original one when nothing is
      removed or in ``dry_run``); ``None`` when the operation is rejected.
    - ``errors``: ``UNAUTHORIZED_FIELD_OR_TYPE`` errors to add to the response (none in
      ``dry_run``), with static paths (``"@"`` for list items).
    - ``unauthorized_paths``: what was (or in ``dry_run`` would have been) removed.
    - ``key``: the cache key; plan per ``(document text or hash, key.digest)``.
    """

    key: AuthorizationKey
    mode: AuthorizationMode
    document: DocumentNode | None
    errors: tuple[dict[str, Any], ...]
    unauthorized_paths: tuple[ResponsePath, ...]
    #: more selections were unauthorized than ``max_error_paths`` lets us report
    truncated: bool = False

    @property
    def rejected(self) -> bool:
        """The operation must not run (``reject`` mode with something unauthorized)."""
        return self.document is None


def concrete_paths(data: Any, path: ResponsePath, limit: int = 100) -> list[list[str | int]]:
    """The spec-style paths (list indices instead of ``"@"``) a static path covers in ``data``.

    For engines that prefer index paths in errors: each ``"@"`` becomes the index of every item
    of the list found there. Where a list is null or missing, the path stops at the list. When
    nothing matches (empty lists), the path up to its first ``"@"`` is returned, so the error is
    never lost. At most ``limit`` paths are returned.
    """
    # (path so far, value there, stopped at a null list)
    frontier: list[tuple[list[str | int], Any, bool]] = [([], data, False)]
    for element in path:
        advanced: list[tuple[list[str | int], Any, bool]] = []
        for prefix, value, stopped in frontier:
            if stopped:
                advanced.append((prefix, None, True))
            elif element != "@":
                child = value.get(element) if isinstance(value, dict) else None
                advanced.append(([*prefix, element], child, False))
            elif isinstance(value, list):
                advanced.extend(([*prefix, i], item, False) for i, item in enumerate(value))
            else:
                advanced.append((prefix, None, True))
            if len(advanced) >= limit:
                break
        frontier = advanced[:limit]
    found = list(dict.fromkeys(tuple(prefix) for prefix, _, _ in frontier))
    if not found:
        first_list = path.index("@") if "@" in path else len(path)
        return [list(path[:first_list])]
    return [list(prefix) for prefix in found]


def located_errors(
    errors: tuple[dict[str, Any], ...], data: Any, limit: int = 100
) -> list[dict[str, Any]]:
    """``errors`` (static ``"@"`` paths) as spec errors with index paths over ``data``.

    One error per concrete path (at most ``limit`` per static path); where a list on the way is
    empty or null, one error at that list's path, so that no removal goes unreported.
    """
    located: list[dict[str, Any]] = []
    for error in errors:
        path = error.get("path")
        if not path or "@" not in path:
            located.append(error)
            continue
        for concrete in concrete_paths(data, tuple(path), limit):
            located.append({**error, "path": concrete})
    return located
