"""Serve an ASGI app with uvicorn on a real loopback socket inside the test's event loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Literal

import uvicorn
from starlette.types import ASGIApp


@asynccontextmanager
async def live_server(
    app: ASGIApp, host: str = "127.0.0.1", lifespan: Literal["on", "off"] = "on"
) -> AsyncIterator[str]:
    """Run ``app`` (lifespan included unless ``off``) on an ephemeral port; yields its base URL."""
    config = uvicorn.Config(
        app,
        host=host,
        port=0,
        lifespan=lifespan,
        log_level="warning",
        access_log=False,
        proxy_headers=False,  # as the gateway is served: the ASGI peer is the TCP peer
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("server stopped before it started")
        await asyncio.sleep(0.005)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def live_graphql_servers(
    apps: Mapping[str, ASGIApp], path: str = "/graphql"
) -> AsyncIterator[dict[str, str]]:
    """Serve each named app (no lifespan) on its own port; yields ``{name: graphql URL}``."""
    async with AsyncExitStack() as stack:
        urls: dict[str, str] = {}
        for name, app in apps.items():
            base = await stack.enter_async_context(live_server(app, lifespan="off"))
            urls[name] = f"{base}{path}"
        yield urls
