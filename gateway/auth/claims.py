"""Reading principal attributes (scopes, roles, client and customer ids) out of claims."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["claim_value", "expand_roles", "optional_string", "string_set"]

_MISSING = object()


def claim_value(claims: Mapping[str, Any], name: str) -> Any:
    """The claim ``name``, or ``None``.

    A name is first looked up as is (so namespaced claims such as
    ``https://example.com/roles`` work); failing that, a dotted name walks nested objects
    (``realm_access.roles``).
    """
    if name in claims:
        return claims[name]
    value: Any = claims
    for part in name.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part, _MISSING)
        if value is _MISSING:
            return None
    return value


def string_set(value: Any) -> frozenset[str]:
    """Strings from a space-separated string or a list of strings; anything else is empty."""
    if isinstance(value, str):
        return frozenset(value.split())
    if isinstance(value, list | tuple):
        return frozenset(item for item in value if isinstance(item, str) and item)
    return frozenset()


def expand_roles(
    roles: Iterable[str], scopes: Iterable[str], role_scopes: Mapping[str, Iterable[str]]
) -> frozenset[str]:
    """``scopes`` plus every scope that one of ``roles`` grants."""
    expanded = set(scopes)
    for role in roles:
        expanded.update(role_scopes.get(role, ()))
    return frozenset(expanded)


def optional_string(value: Any) -> str | None:
    """``value`` when it is a non-empty string (numbers are turned into strings), else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | str) and str(value):
        return str(value)
    return None
