"""The gateway's composition root: ``create_app(settings)`` builds the ASGI application.

Nothing happens at import time. ``create_app`` builds the process-wide pipeline services
(:class:`~gateway.pipeline.GatewayRuntime`: it reads the API key, secret and clients files, so
a broken one fails start-up), mounts the job API under ``/jobs`` and the REST routes under
their prefix (``gateway.rest``, docs/rest.md). The lifespan starts them,
loads the supergraph, builds its pipeline, starts the file watcher, the readiness client and
the background services the caller injected (``background=``: the CLI's embedded import
worker, :mod:`gateway.background`), and tears all of it down on shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Sequence

import httpx
import structlog
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount, Route, Router

from gateway.background import BackgroundFactory, BackgroundService, GatewayHandles
from gateway.engine.slot import EngineSlot, ServingEngine
from gateway.http.endpoint import GraphQLEndpoint
from gateway.http.health import ReadinessProbe, health
from gateway.http.readiness_principal import probe_headers_from
from gateway.jobs import JobsApi
from gateway.observability.lookup.wiring import build_request_lookup
from gateway.observability.observation import observed
from gateway.observability.request_id import RequestIdMiddleware
from gateway.observability.tracing_edge import TraceContextMiddleware
from gateway.observability.wiring import metrics_routes, request_recorder
from gateway.pipeline.assembly import pipeline_factory, request_stages
from gateway.pipeline.runtime import GatewayRuntime
from gateway.process.gc_tuning import GcTuner
from gateway.process.shutdown import GracefulShutdown
from gateway.rest.catalog import RouteCatalogs
from gateway.rest.contract_http import RestContract
from gateway.rest.imports import import_routes
from gateway.rest.mount import rest_prefix, rest_routes
from gateway.settings import GatewaySettings
from gateway.supergraph_file import read_supergraph, sdl_hash, watch_supergraph
from webui import WebAssetsEndpoint, default_assets_dir, graphiql_page, load_web_assets
from webui.swagger import load_swagger_ui_assets
from wire.metrics import mark_process_dead

__all__ = ["EngineFactory", "create_app"]

#: Builds an engine from a supergraph SDL (raises on an invalid supergraph).
EngineFactory = Callable[[str], ServingEngine]

_log = structlog.get_logger(__name__)


def create_app(
    settings: GatewaySettings,
    engine_factory: EngineFactory | None = None,
    *,
    graphiql_query: str = "",
    graphiql_headers: str = "",
    gc_tuner: GcTuner | None = None,
    shutdown: GracefulShutdown | None = None,
    background: Sequence[BackgroundFactory] = (),
) -> Starlette:
    """The gateway ASGI app serving ``settings.supergraph_path``.

    ``engine_factory`` replaces the request pipeline (tests serve a stand-in engine); CSRF
    prevention and authentication at the HTTP edge apply either way. ``gc_tuner`` is given by
    the gateway process only (``ordergate gateway``): it tunes the collector once the first
    supergraph is built and freezes again after each reload. ``shutdown`` too: once serving, a
    SIGTERM makes ``/ready`` answer 503 and drains before the server stops (docs/adr/0304).
    ``background`` builds the services that run beside serving once the first supergraph is
    installed (the embedded import worker, given by the CLI; ADR 0312).
    """
    slot = EngineSlot()
    runtime = GatewayRuntime(settings)
    build: EngineFactory = engine_factory or pipeline_factory(runtime)
    refreezes: set[asyncio.Task[None]] = set()

    async def refreeze_when_drained(tuner: GcTuner) -> None:
        await slot.drained()
        tuner.refreeze()

    async def install(sdl: str) -> None:
        engine = await asyncio.to_thread(build, sdl)
        reload = slot.engine is not None
        slot.install(engine)
        _log.info("supergraph loaded", supergraph=engine.supergraph_hash[:12])
        if gc_tuner is None:
            return
        if not reload:
            gc_tuner.start()
            return
        task = asyncio.create_task(refreeze_when_drained(gc_tuner))
        refreezes.add(task)
        task.add_done_callback(refreezes.discard)

    def subgraph_urls() -> dict[str, str]:
        engine = slot.engine
        return dict(engine.subgraph_urls) if engine is not None else {}

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await runtime.start()
        services: list[BackgroundService] = []
        try:
            sdl = read_supergraph(settings.supergraph_path)
            await install(sdl)
            handles = GatewayHandles(
                settings,
                runtime.jobs.backend if runtime.jobs is not None else None,
                subgraph_urls,
            )
            for factory in background:
                service = factory(handles)
                if service is not None:
                    service.start()
                    services.append(service)
            watcher = None
            if settings.watch_supergraph:
                watcher = asyncio.create_task(
                    watch_supergraph(settings.supergraph_path, sdl_hash(sdl), install)
                )
            async with httpx.AsyncClient() as probe_client:
                readiness.bind(probe_client)
                if shutdown is not None:
                    shutdown.install()
                try:
                    yield
                finally:
                    if shutdown is not None:
                        shutdown.uninstall()
                    if watcher is not None:
                        watcher.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await watcher
                    for service in reversed(services):
                        await service.stop()
                    for task in list(refreezes):
                        task.cancel()
                    await slot.aclose()
                    if gc_tuner is not None:
                        await gc_tuner.aclose()
        finally:
            await runtime.aclose()
            mark_process_dead()  # multiprocess metrics: this worker's live gauges go

    readiness = ReadinessProbe(
        slot,
        headers=probe_headers_from(settings.principal_headers),
        draining=(lambda: shutdown.draining) if shutdown is not None else (lambda: False),
    )
    page = None
    assets = None
    if settings.http.graphiql:
        assets = load_web_assets(settings.http.assets_dir or default_assets_dir())
        if not assets.complete:
            _log.warning("graphiql_assets_missing", problem=assets.problem())
        page = graphiql_page(assets, default_query=graphiql_query, default_headers=graphiql_headers)
    endpoint = GraphQLEndpoint(
        slot,
        settings.http,
        page,
        stages=request_stages(runtime),
    )
    lookup = build_request_lookup(  # GET /requests/{id} (docs/observability.md)
        settings.observability.request_lookup,
        runtime.redis,
        settings.redis.key_prefix,
        request_stages(runtime, csrf=False),
        settings.auth.realm,
    )
    recorder = request_recorder(
        settings.observability,
        runtime.metrics,
        runtime.clients,
        lookup.writer if lookup is not None else None,
    )
    routes: list[BaseRoute] = [
        Route("/graphql", observed(endpoint, recorder, "graphql")),
        Route("/health", health, methods=["GET"]),
        Route("/ready", readiness.endpoint, methods=["GET"]),
        *metrics_routes(runtime.metrics),
        *(lookup.routes() if lookup is not None else ()),
    ]
    if assets is not None:
        routes.append(Route("/assets/{name}", WebAssetsEndpoint(assets).serve, methods=["GET"]))
    # --- REST compatibility routes (docs/rest.md): the route file's prefix, e.g. /api/v1 ---
    rest_catalogs = RouteCatalogs(settings.rest.routes_file)  # compiled once per supergraph
    rest_stages = request_stages(runtime, csrf=False)  # JSON bodies only: see gateway/rest
    routes.extend(
        rest_routes(
            settings,
            slot,
            rest_stages,
            rest_catalogs,
            wrap=lambda rest: observed(rest, recorder, "rest"),
        )
    )
    # --- end of REST ---
    if runtime.jobs is not None:
        stages = request_stages(runtime, csrf=False)  # uploads: see request_stages
        jobs = JobsApi(runtime.jobs, stages, settings.jobs, settings.auth.realm)
        routes.append(Mount("/jobs", app=observed(Router(jobs.routes()), recorder, "jobs")))
        if (prefix := rest_prefix(settings)) is not None:
            # POST {prefix}/imports/{kind}: the job API's submission under the REST prefix
            # (ADR 1008); before the REST route, which takes every path under the prefix
            routes[0:0] = import_routes(jobs, prefix)
    if settings.rest.enabled and settings.rest.openapi:
        # the REST contract: /api/openapi.json and Swagger UI at /api/docs, public (ADR 1006)
        docs_assets = None
        if settings.rest.docs:
            docs_assets = load_swagger_ui_assets(settings.http.assets_dir or default_assets_dir())
            if not docs_assets.complete:
                _log.warning("swagger_ui_assets_missing", problem=docs_assets.problem())
        # first: a route file whose prefix is /api must not shadow the contract's paths
        routes[:0] = RestContract(slot, settings, rest_catalogs, docs_assets).routes()
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(RequestIdMiddleware),
            Middleware(TraceContextMiddleware, tracer=runtime.tracer),
        ],
        lifespan=lifespan,
    )
    app.state.engine_slot = slot
    app.state.runtime = runtime
    app.state.rest_catalogs = rest_catalogs
    app.state.request_lookup = lookup
    return app
