"""A bare HTTP server around the engine, for the federation gateway audit.

``python tests/conformance/audit_gateway.py SUPERGRAPH PORT`` serves ``POST /graphql`` and
``GET /health`` on 127.0.0.1:PORT. It exists so that the audit can run against the engine alone,
independently of the production HTTP edge (``ordergate gateway``), which serves the same engine.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from gateway.engine import EngineOptions, build_engine
from gateway.service import GraphQLRequest, RequestContext


def create_app(supergraph_path: Path) -> Starlette:
    """The audit server's ASGI app over the supergraph at ``supergraph_path``."""
    engine = build_engine(supergraph_path.read_text(), EngineOptions(subgraph_timeout=10))

    async def graphql(request: Request) -> Response:
        body = orjson.loads(await request.body())
        result = await engine.execute(
            GraphQLRequest(
                query=body.get("query"),
                operation_name=body.get("operationName"),
                variables=body.get("variables"),
            ),
            RequestContext(request_id="audit"),
        )
        return Response(
            orjson.dumps(result.to_payload()),
            status_code=result.status_code,
            media_type="application/json",
        )

    async def health(_: Request) -> Response:
        return PlainTextResponse("ok")

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        await engine.aclose()

    return Starlette(
        routes=[Route("/graphql", graphql, methods=["POST"]), Route("/health", health)],
        lifespan=lifespan,
    )


def main() -> None:
    """Serve the supergraph given on the command line."""
    supergraph, port = Path(sys.argv[1]), int(sys.argv[2])
    uvicorn.run(create_app(supergraph), host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
