"""The app factory every subgraph's ``create_app(settings)`` delegates to.

It wires, in one visible place: the database (created here, disposed by the lifespan), the
Strawberry GraphQL view at ``/graphql`` (GraphiQL on GET when enabled) behind the principal
check (the gateway's forwarded principal, refused with 401 when it cannot be trusted), the
per-request :class:`~subgraphs.common.context.SubgraphContext` with the request's
:class:`~subgraphs.common.ownership.Access` (given to the loaders and units of work, whose
repositories apply it), ``/health`` and ``/ready``, and the ``X-Request-ID`` middleware.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Generic, TypeVar

from prometheus_client import CollectorRegistry
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from subgraphs.common.context import (
    NoPrincipal,
    PrincipalResolver,
    SubgraphContext,
)
from subgraphs.common.db import Database
from subgraphs.common.health import health_routes
from subgraphs.common.idempotency import IdempotencyKeyRow
from subgraphs.common.idempotency_purge import IdempotencyKeyPurger
from subgraphs.common.metrics import SubgraphMetrics, TimedRoute
from subgraphs.common.ownership import Access, OwnershipPolicy
from subgraphs.common.principal import PrincipalRejectedError
from subgraphs.common.request_id import RequestIdMiddleware, accept_request_id
from subgraphs.common.schema import SubgraphSchema
from subgraphs.common.settings import SubgraphSettings
from subgraphs.common.tracing import ServerSpanMiddleware
from subgraphs.common.uow import UnitOfWork
from webui import HtmlPage, WebAssetsEndpoint, default_assets_dir, graphiql_page, load_web_assets
from wire.metrics import MetricsEndpoint
from wire.tracing import build_tracing

__all__ = ["SubgraphRuntime", "create_subgraph_app", "runtime_of"]

LoadersT = TypeVar("LoadersT")
UnitOfWorkT = TypeVar("UnitOfWorkT", bound=UnitOfWork)

ContextFactory = Callable[[Request], Awaitable[SubgraphContext[Any, Any]]]


@dataclass(frozen=True, slots=True)
class SubgraphRuntime:
    """What a running subgraph app holds (``app.state.runtime``): tests and the CLI use it."""

    name: str
    settings: SubgraphSettings
    database: Database
    schema: SubgraphSchema


class _SubgraphGraphQL(GraphQL[SubgraphContext[Any, Any], None]):
    """Strawberry's ASGI view, building our context per request; GraphiQL from local files."""

    def __init__(
        self, schema: SubgraphSchema, *, graphiql: HtmlPage | None, context: ContextFactory
    ) -> None:
        super().__init__(schema, graphql_ide="graphiql" if graphiql is not None else None)
        self._context = context
        self._graphiql = graphiql

    async def render_graphql_ide(self, request: Request) -> Response:
        """The shared GraphiQL page (its files from ``/assets``), not Strawberry's CDN page."""
        del request
        page = self._graphiql
        assert page is not None, "Strawberry renders the IDE only when it is enabled"
        return HTMLResponse(page.body, status_code=page.status, headers=page.headers)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> SubgraphContext[Any, Any]:
        del response
        assert isinstance(request, Request), "subgraphs serve no subscriptions"
        return await self._context(request)


def create_subgraph_app(
    *,
    name: str,
    settings: SubgraphSettings,
    schema: SubgraphSchema,
    make_loaders: Callable[[Database, Access], LoadersT],
    make_unit_of_work: Callable[[Database], UnitOfWorkT],
    principal_resolver: PrincipalResolver | None = None,
    ownership: OwnershipPolicy | None = None,
    idempotency_model: type[IdempotencyKeyRow] | None = None,
) -> Starlette:
    """A Starlette app serving one subgraph over ``settings.database_url``.

    ``principal_resolver`` verifies the gateway's principal headers (default: nobody is
    verified); ``ownership`` turns the principal into the request's access (default: the
    policy of ``settings``); ``idempotency_model``, the subgraph's key table, is purged of rows
    older than ``settings.idempotency_retention_hours`` while the app runs.
    """
    database = Database.connect(
        settings.database_url, pool_size=settings.database_pool_size, echo=settings.database_echo
    )
    resolver: PrincipalResolver = principal_resolver or NoPrincipal()
    policy = ownership or OwnershipPolicy.of(
        settings.ownership_staff_roles, settings.ownership_scopes
    )
    metrics = (
        SubgraphMetrics(name, database.engine.pool, CollectorRegistry(auto_describe=True))
        if settings.metrics
        else None
    )

    async def build_context(request: Request) -> SubgraphContext[LoadersT, UnitOfWorkT]:
        request_id = request.state.request_id if hasattr(request.state, "request_id") else None
        principal = request.scope.get("state", {}).get("principal")
        access = policy.access_for(principal)
        return SubgraphContext(
            request=request,
            request_id=request_id or accept_request_id(None),
            loaders=make_loaders(database, access),
            unit_of_work_factory=_Factory(make_unit_of_work, database, access),
            principal=principal,
            access=access,
            metrics=metrics,
        )

    purger = (
        IdempotencyKeyPurger(
            database,
            idempotency_model,
            retention=timedelta(hours=settings.idempotency_retention_hours),
            interval_seconds=settings.idempotency_purge_interval_seconds,
        )
        if idempotency_model is not None and settings.idempotency_retention_hours > 0
        else None
    )

    tracing = build_tracing(settings.tracing, default_service=f"ordergate-{name}")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        del app
        if purger is not None:
            await purger.start()
        try:
            yield
        finally:
            if purger is not None:
                await purger.stop()
            await database.dispose()
            if tracing is not None:  # exports the spans still queued
                await asyncio.to_thread(tracing.shutdown)

    page: HtmlPage | None = None
    routes = [*health_routes(name, database, settings.ready_timeout_seconds)]
    if settings.graphiql:
        assets = load_web_assets(settings.assets_dir or default_assets_dir())
        page = graphiql_page(assets, title=f"Ordergate {name} subgraph")
        routes.append(Route("/assets/{name}", WebAssetsEndpoint(assets).serve, methods=["GET"]))
    view = _SubgraphGraphQL(schema, graphiql=page, context=build_context)
    graphql: ASGIApp = _PrincipalGate(view, resolver)
    if metrics is not None:
        graphql = TimedRoute(graphql, metrics)
        routes.append(Route("/metrics", MetricsEndpoint(metrics.registry), methods=["GET"]))
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            *routes,
        ],
        middleware=[
            # outermost when tracing: the request's log line carries its trace_id too
            *(
                [Middleware(ServerSpanMiddleware, tracer=tracing.tracer, service=name)]
                if tracing is not None
                else []
            ),
            Middleware(RequestIdMiddleware, service=name),
        ],
        lifespan=lifespan,
    )
    app.state.runtime = SubgraphRuntime(
        name=name, settings=settings, database=database, schema=schema
    )
    return app


@dataclass(frozen=True, slots=True)
class _Factory(Generic[UnitOfWorkT]):
    make: Callable[[Database], UnitOfWorkT]
    database: Database
    access: Access

    def __call__(self) -> UnitOfWorkT:
        unit_of_work = self.make(self.database)
        unit_of_work.access = self.access
        return unit_of_work


class _PrincipalGate:
    """Resolves the request's principal before GraphQL runs (into ``scope["state"]``); a
    principal that cannot be trusted is refused with 401 and a GraphQL error."""

    def __init__(self, app: ASGIApp, resolver: PrincipalResolver) -> None:
        self.app = app
        self.resolver = resolver

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        try:
            principal = await self.resolver(request)
        except PrincipalRejectedError as error:
            state = scope.get("state", {})
            extensions = {"code": error.code, "requestId": state.get("request_id")}
            body = {"errors": [{"message": error.message, "extensions": extensions}]}
            await JSONResponse(body, status_code=401)(scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)


def runtime_of(app: Starlette) -> SubgraphRuntime:
    """The :class:`SubgraphRuntime` of an app made by :func:`create_subgraph_app`."""
    runtime = app.state.runtime
    assert isinstance(runtime, SubgraphRuntime)
    return runtime
