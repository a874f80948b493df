"""The gateway lets go of an idle subgraph connection before the subgraph's server does.

A request sent on a pooled connection at the moment the server closes it for idleness gets a
connection reset; a mutation is never retried, so the caller would see a 502 (schemathesis
found one after a 4.9 s pause in its run).
"""

from __future__ import annotations

import uvicorn

from gateway.execution.transport import IDLE_CONNECTION_SECONDS, AiohttpTransport


def test_idle_connections_are_dropped_before_uvicorn_closes_them() -> None:
    server_idle = uvicorn.Config(app=None).timeout_keep_alive  # our subgraphs' server
    assert server_idle > IDLE_CONNECTION_SECONDS
    assert IDLE_CONNECTION_SECONDS < 5  # Node's http.Server keepAliveTimeout (5 s)


async def test_the_subgraph_client_uses_that_idle_timeout() -> None:
    transport = AiohttpTransport({"orders": "http://127.0.0.1:9/graphql"}, timeout_seconds=1.0)
    try:
        session = transport._session("orders")
        assert session.connector is not None
        assert session.connector._keepalive_timeout == IDLE_CONNECTION_SECONDS
    finally:
        await transport.aclose()
