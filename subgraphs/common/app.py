"""The app factory every subgraph's ``create_app(settings)`` delegates to.

It wires, in one visible place: the database (created here, disposed by the lifespan), the
Strawberry GraphQL view at ``/graphql`` (GraphiQL on GET when enabled), the per-request
:class:`~subgraphs.common.context.SubgraphContext`, ``/health`` and ``/ready``, and the
``X-Request-ID`` middleware.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from subgraphs.common.context import (
    NoPrincipal,
    PrincipalResolver,
    SubgraphContext,
)
from subgraphs.common.db import Database
from subgraphs.common.health import health_routes
from subgraphs.common.request_id import RequestIdMiddleware, accept_request_id
from subgraphs.common.schema import SubgraphSchema
from subgraphs.common.settings import SubgraphSettings
from subgraphs.common.uow import UnitOfWork

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
    """Strawberry's ASGI view, building our context per request."""

    def __init__(self, schema: SubgraphSchema, *, graphiql: bool, context: ContextFactory) -> None:
        super().__init__(schema, graphql_ide="graphiql" if graphiql else None)
        self._context = context

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
    make_loaders: Callable[[Database], LoadersT],
    make_unit_of_work: Callable[[Database], UnitOfWorkT],
    principal_resolver: PrincipalResolver | None = None,
) -> Starlette:
    """A Starlette app serving one subgraph over ``settings.database_url``."""
    database = Database.connect(
        settings.database_url, pool_size=settings.database_pool_size, echo=settings.database_echo
    )
    resolver: PrincipalResolver = principal_resolver or NoPrincipal()

    async def build_context(request: Request) -> SubgraphContext[LoadersT, UnitOfWorkT]:
        request_id = request.state.request_id if hasattr(request.state, "request_id") else None
        return SubgraphContext(
            request=request,
            request_id=request_id or accept_request_id(None),
            loaders=make_loaders(database),
            unit_of_work_factory=_Factory(make_unit_of_work, database),
            principal=await resolver(request),
        )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        del app
        try:
            yield
        finally:
            await database.dispose()

    view = _SubgraphGraphQL(schema, graphiql=settings.graphiql, context=build_context)
    app = Starlette(
        routes=[
            Route("/graphql", view, methods=["GET", "POST"]),
            *health_routes(name, database, settings.ready_timeout_seconds),
        ],
        middleware=[Middleware(RequestIdMiddleware, service=name)],
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

    def __call__(self) -> UnitOfWorkT:
        return self.make(self.database)


def runtime_of(app: Starlette) -> SubgraphRuntime:
    """The :class:`SubgraphRuntime` of an app made by :func:`create_subgraph_app`."""
    runtime = app.state.runtime
    assert isinstance(runtime, SubgraphRuntime)
    return runtime
