"""Errors leave the gateway without stack traces or internals, and without suggestions when
those are off.

Usage (the engine, on every error before it is sent, subgraph errors included)::

    errors = [scrub_error(error, hide_suggestions=not policy_allows) for error in errors]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["INTERNAL_EXTENSION_KEYS", "scrub_error", "strip_suggestions"]

#: extension keys that carry debugging internals (graphql-js, Apollo, Strawberry, Hot Chocolate)
INTERNAL_EXTENSION_KEYS = frozenset(
    {
        "exception",
        "stacktrace",
        "stackTrace",
        "stack",
        "traceback",
        "trace",
        "debug",
        "originalError",
    }
)
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def strip_suggestions(message: str) -> str:
    """``message`` without its "Did you mean ...?" hints."""
    return _SUGGESTION.sub("", message)


def scrub_error(error: Mapping[str, Any], *, hide_suggestions: bool) -> dict[str, Any]:
    """A copy of a GraphQL error dict without internal extensions (and suggestions if asked)."""
    scrubbed = dict(error)
    if hide_suggestions and isinstance(scrubbed.get("message"), str):
        scrubbed["message"] = strip_suggestions(scrubbed["message"])
    extensions = scrubbed.get("extensions")
    if isinstance(extensions, Mapping):
        kept = {k: v for k, v in extensions.items() if k not in INTERNAL_EXTENSION_KEYS}
        if kept:
            scrubbed["extensions"] = kept
        else:
            del scrubbed["extensions"]
    return scrubbed
