"""``GET /api/openapi.json`` and ``GET /api/docs``: the REST contract, readable by anyone.

The OpenAPI document describes the routes compiled against the supergraph being served
(:class:`~gateway.rest.catalog.RouteCatalogs`), generated once per supergraph hash (a hot
reload makes the next request build the new one) and answered with an ``ETag`` (``304`` on
``If-None-Match``). Swagger UI at ``/api/docs`` shows it with files the gateway serves itself
(:mod:`webui.swagger`). Both are public: the contract holds no data, and a client generator
must be able to read it without credentials (ADR 1006).

Usage::

    contract = RestContract(slot, settings, RouteCatalogs(settings.rest.routes_file), assets)
    routes.extend(contract.routes())
"""

from __future__ import annotations

import asyncio
import hashlib

import orjson
from graphql import GraphQLSchema
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.engine.core import Engine
from gateway.engine.slot import EngineSlot, ServingEngine
from gateway.pipeline.serving import SupergraphPipeline
from gateway.rest.catalog import RouteCatalogs
from gateway.rest.openapi import build_openapi, render_openapi
from gateway.settings import GatewaySettings
from webui import HtmlPage, WebAssets, WebAssetsEndpoint, swagger_ui_page

__all__ = ["DOCS_PATH", "OPENAPI_PATH", "RestContract", "served_api_schema"]

OPENAPI_PATH = "/api/openapi.json"
DOCS_PATH = "/api/docs"


def served_api_schema(engine: ServingEngine) -> GraphQLSchema | None:
    """The API schema ``engine`` serves (``None`` for an engine that is not the gateway's)."""
    if isinstance(engine, SupergraphPipeline):
        return engine.engine.supergraph.api_schema
    if isinstance(engine, Engine):
        return engine.supergraph.api_schema
    return None


class RestContract:
    """The OpenAPI document of the served supergraph's routes, and the Swagger UI page."""

    def __init__(
        self,
        slot: EngineSlot,
        settings: GatewaySettings,
        catalogs: RouteCatalogs,
        assets: WebAssets | None = None,
    ) -> None:
        self._slot = slot
        self._catalogs = catalogs
        self._api_key_header = settings.auth.api_keys.header
        self._openapi = settings.rest.enabled and settings.rest.openapi
        self._assets = assets if self._openapi and settings.rest.docs else None
        self._page: HtmlPage | None = None
        if self._assets is not None:
            self._page = swagger_ui_page(self._assets, OPENAPI_PATH)
        #: (supergraph hash, document bytes, ETag)
        self._current: tuple[str, bytes, str] | None = None
        self._lock = asyncio.Lock()

    def routes(self) -> list[Route]:
        """The routes to add to the app (none when the settings turn the pages off)."""
        routes: list[Route] = []
        if self._openapi:
            routes.append(Route(OPENAPI_PATH, self.openapi, methods=["GET"]))
        if self._assets is not None:
            routes.append(Route(DOCS_PATH, self.docs, methods=["GET"]))
            serve = WebAssetsEndpoint(self._assets).serve
            routes.append(Route(f"{DOCS_PATH}/assets/{{name}}", serve, methods=["GET"]))
        return routes

    async def document(self) -> tuple[bytes, str] | None:
        """The OpenAPI document of the served supergraph and its ETag (``None`` before a
        supergraph is loaded, or when the engine is not the gateway's)."""
        engine = self._slot.engine
        if engine is None:
            return None
        supergraph_hash = engine.supergraph_hash
        current = self._current
        if current is not None and current[0] == supergraph_hash:
            return current[1], current[2]
        schema = served_api_schema(engine)
        if schema is None:
            return None
        async with self._lock:
            current = self._current
            if current is None or current[0] != supergraph_hash:
                body = await asyncio.to_thread(self._build, supergraph_hash, schema)
                etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
                current = (supergraph_hash, body, etag)
                self._current = current
        return current[1], current[2]

    def _build(self, supergraph_hash: str, schema: GraphQLSchema) -> bytes:
        catalog = self._catalogs.for_supergraph(supergraph_hash, schema)
        return render_openapi(build_openapi(catalog, schema, api_key_header=self._api_key_header))

    async def openapi(self, request: Request) -> Response:
        """``GET /api/openapi.json``."""
        found = await self.document()
        if found is None:
            return _unavailable()
        body, etag = found
        headers = {
            "etag": etag,
            "cache-control": "no-cache",
            "x-content-type-options": "nosniff",
        }
        if etag in _etags(request.headers.get("if-none-match", "")):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="application/json", headers=headers)

    async def docs(self, request: Request) -> Response:
        """``GET /api/docs``: Swagger UI (503 naming the missing package when not installed)."""
        page = self._page
        assert page is not None
        return Response(
            page.body, status_code=page.status, media_type="text/html", headers=page.headers
        )


def _unavailable() -> Response:
    body = {
        "type": "about:blank",
        "title": "Service Unavailable",
        "status": 503,
        "detail": "No supergraph is being served yet.",
    }
    return Response(
        orjson.dumps(body),
        status_code=503,
        media_type="application/problem+json",
        headers={"retry-after": "1"},
    )


def _etags(header: str) -> set[str]:
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}
