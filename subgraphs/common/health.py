"""``/health`` (the process is alive) and ``/ready`` (its database answers) endpoints."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from subgraphs.common.db import Database

__all__ = ["health_routes"]


def health_routes(service: str, database: Database, ready_timeout: float) -> list[Route]:
    """The two probe routes of a subgraph app."""

    async def health(request: Request) -> JSONResponse:
        del request
        return JSONResponse({"status": "ok", "service": service})

    async def ready(request: Request) -> JSONResponse:
        del request
        try:
            await database.ping(ready_timeout)
        except Exception as exc:  # any failure means: not ready
            return JSONResponse(
                {"status": "unavailable", "service": service, "reason": type(exc).__name__},
                status_code=503,
            )
        return JSONResponse({"status": "ready", "service": service})

    return [
        Route("/health", health, methods=["GET", "HEAD"]),
        Route("/ready", ready, methods=["GET", "HEAD"]),
    ]
