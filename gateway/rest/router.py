"""Which route a method and path call: a match, 405 (with the methods of the path) or none.

A path may match several templates (``/orders/recent`` and ``/orders/{id}``): the route with
the most literal characters wins among those of the request's method, so a literal segment
beats a parameter. ``HEAD`` is not served (405 listing ``GET``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gateway.rest.compile import CompiledRoute

__all__ = ["MethodNotAllowed", "RouteMatch", "match_route"]


@dataclass(frozen=True, slots=True)
class RouteMatch:
    """The route a request calls and its path parameters (as decoded in the ASGI path)."""

    route: CompiledRoute
    path_params: dict[str, str]


@dataclass(frozen=True, slots=True)
class MethodNotAllowed:
    """The path exists, not for this method: the methods it has, for ``Allow``."""

    allowed: tuple[str, ...]

    @property
    def allow_header(self) -> str:
        """The ``Allow`` header value."""
        return ", ".join(self.allowed)


def _literal_length(route: CompiledRoute) -> int:
    length = 0
    depth = 0
    for char in route.path:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0:
            length += 1
    return length


def match_route(
    routes: Iterable[CompiledRoute], method: str, path: str
) -> RouteMatch | MethodNotAllowed | None:
    """The route for ``method`` and ``path`` (``None``: no route has this path)."""
    candidates: list[tuple[CompiledRoute, dict[str, str]]] = []
    for route in routes:
        found = route.pattern.match(path)
        if found is not None:
            candidates.append((route, found.groupdict()))
    if not candidates:
        return None
    same_method = [c for c in candidates if c[0].method == method]
    if not same_method:
        return MethodNotAllowed(tuple(sorted({route.method for route, _ in candidates})))
    route, params = max(same_method, key=lambda candidate: _literal_length(candidate[0]))
    return RouteMatch(route, params)
