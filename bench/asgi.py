"""An ASGI factory for ``uvicorn --factory --workers N``: settings from the environment.

The gateway's own CLI (``ordergate gateway``) serves one process; to measure how it scales with
several worker processes the benchmark starts::

    ORDERGATE_GATEWAY_SUPERGRAPH_PATH=bench/supergraph.graphql \\
    uv run uvicorn --factory bench.asgi:gateway_app --workers 2 --port 4000 \\
        --loop uvloop --http httptools --no-access-log

Each worker calls :func:`gateway_app` and reads ``ORDERGATE_GATEWAY_*`` (and the file named by
``ORDERGATE_GATEWAY_CONFIG_FILE``) itself. Host and port are uvicorn's options here.
"""

from __future__ import annotations

from starlette.applications import Starlette

__all__ = ["gateway_app"]


def gateway_app() -> Starlette:
    """Our gateway's ASGI app, configured from the environment."""
    from gateway.app import create_app
    from gateway.observability.logging import configure_logging
    from gateway.settings import GatewaySettings

    settings = GatewaySettings()
    configure_logging(settings.log_format)
    return create_app(settings)
