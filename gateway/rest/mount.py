"""The REST routes on the gateway's HTTP app: one route taking every path under the prefix.

``rest.enabled: false`` mounts nothing (every REST path is then the app's 404), and so does a
route file that does not exist (no routes: the setting's documented meaning). The prefix is
read from the route file when the app is built (a file that cannot be read or parsed gives the
default ``/api/v1`` and no routes, logged once per supergraph by the catalog).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from starlette.datastructures import URLPath
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.auth.anonymous_mutations import AnonymousMutationStage
from gateway.engine.slot import EngineSlot
from gateway.pipeline.stages import RequestHook
from gateway.rest.catalog import RouteCatalogs
from gateway.rest.config import RouteConfigError, RouteFile, load_route_file
from gateway.rest.endpoint import RestEndpoint
from gateway.settings import GatewaySettings

__all__ = ["PrefixRoute", "rest_prefix", "rest_routes"]


class PrefixRoute(BaseRoute):
    """Every HTTP path equal to ``prefix`` or under ``prefix/`` goes to ``app``, whatever it
    holds (a Starlette ``Mount`` matches with a regular expression whose ``.`` stops at a
    decoded newline, and a path like ``/api/v1/orders/a%0Ab`` then got the app's plain-text
    404 instead of the REST endpoint's problem document)."""

    def __init__(self, prefix: str, app: ASGIApp) -> None:
        self.prefix = prefix
        self.app = app

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """A full match for HTTP requests under the prefix."""
        if scope["type"] == "http":
            path: str = scope["path"]
            if path == self.prefix or path.startswith(self.prefix + "/"):
                return Match.FULL, {}
        return Match.NONE, {}

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        """No named routes here."""
        raise NoMatchFound(name, path_params)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hand the request to the REST endpoint."""
        await self.app(scope, receive, send)


def rest_prefix(settings: GatewaySettings) -> str | None:
    """The prefix the REST routes are served under (``None``: REST is off or has no route
    file). A file that cannot be read gives the default prefix (its problem is logged by the
    catalog)."""
    rest = settings.rest
    if not rest.enabled or not rest.routes_file.exists():
        return None
    try:
        return load_route_file(rest.routes_file).prefix
    except RouteConfigError:
        return RouteFile().prefix


def rest_routes(
    settings: GatewaySettings,
    slot: EngineSlot,
    stages: Sequence[RequestHook],
    catalogs: RouteCatalogs | None = None,
    wrap: Callable[[ASGIApp], ASGIApp] | None = None,
) -> list[BaseRoute]:
    """The route serving the REST paths (none when REST is disabled); ``catalogs`` lets other
    REST pages (OpenAPI) share the routes compiled once per supergraph; ``wrap`` wraps the
    endpoint (metrics and the access line)."""
    rest = settings.rest
    prefix = rest_prefix(settings)
    if prefix is None:
        return []
    endpoint = RestEndpoint(
        slot,
        catalogs or RouteCatalogs(rest.routes_file),
        stages=stages,
        anonymous=AnonymousMutationStage(settings.auth),
        max_body_bytes=settings.http.max_request_bytes,
        credential_headers=("Authorization", _header_name(settings.auth.api_keys.header)),
    )
    return [PrefixRoute(prefix, wrap(endpoint) if wrap is not None else endpoint)]


def _header_name(name: str) -> str:
    return "-".join(part.capitalize() for part in name.split("-"))
