"""The REST routes on the gateway's HTTP app: one ``Mount`` at the route file's prefix.

``rest.enabled: false`` mounts nothing (every REST path is then the app's 404), and so does a
route file that does not exist (no routes: the setting's documented meaning). The prefix is
read from the route file when the app is built (a file that cannot be read or parsed gives the
default ``/api/v1`` and no routes, logged once per supergraph by the catalog).
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.routing import Mount

from gateway.engine.slot import EngineSlot
from gateway.pipeline.stages import RequestHook
from gateway.rest.catalog import RouteCatalogs
from gateway.rest.config import RouteConfigError, RouteFile, load_route_file
from gateway.rest.endpoint import RestEndpoint
from gateway.settings import GatewaySettings

__all__ = ["rest_routes"]


def rest_routes(
    settings: GatewaySettings, slot: EngineSlot, stages: Sequence[RequestHook]
) -> list[Mount]:
    """The mount serving the REST routes (none when REST is disabled)."""
    rest = settings.rest
    if not rest.enabled or not rest.routes_file.exists():
        return []
    try:
        prefix = load_route_file(rest.routes_file).prefix
    except RouteConfigError:
        prefix = RouteFile().prefix
    endpoint = RestEndpoint(
        slot,
        RouteCatalogs(rest.routes_file),
        stages=stages,
        max_body_bytes=settings.http.max_request_bytes,
        credential_headers=("Authorization", _header_name(settings.auth.api_keys.header)),
    )
    return [Mount(prefix, app=endpoint)]


def _header_name(name: str) -> str:
    return "-".join(part.capitalize() for part in name.split("-"))
