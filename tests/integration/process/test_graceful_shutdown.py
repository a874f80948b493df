"""``ordergate gateway`` stopping on SIGTERM as a real process: ``/ready`` turns 503 at once,
requests are still served during the drain, a request in flight finishes with 200 after the
gateway stopped accepting, and the process exits by itself with status 0.

The slow subgraph is the real orders subgraph behind a proxy that holds one chosen request until
the test releases it, so nothing depends on timing; every wait is bounded and generous.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from fault_proxy import FaultProxy
from live_server import live_server
from order_stack import serve_stack
from processes import OrdergateProcess, free_port, start, wait_until_healthy

from gateway.composition import SubgraphSource, compose
from ordergate.commands.migrate import migrate_databases
from subgraphs.registry import SUBGRAPH_NAMES, sqlite_url
from subgraphs.snapshots import sdl_of

pytestmark = pytest.mark.slow

#: the id the held request asks for (the proxy holds the subgraph fetch carrying it)
HELD_ID = "5e1d0000-0000-4000-8000-00000000d1a1"
HELD_QUERY = "query Held($id: ID!) { order(id: $id) { id } }"
#: stores kept per process are refused with several workers: the features are off here
SHARED_NOTHING = {
    "ORDERGATE_GATEWAY_LIMITS__ENABLED": "false",
    "ORDERGATE_GATEWAY_IDEMPOTENCY__ENABLED": "false",
    "ORDERGATE_GATEWAY_JOBS__ENABLED": "false",
}


@contextlib.asynccontextmanager
async def slow_orders(tmp_path: Path) -> AsyncIterator[tuple[FaultProxy, Path]]:
    """The four subgraphs (orders behind a holding proxy), and a supergraph over them."""
    databases = {name: sqlite_url(tmp_path, name) for name in SUBGRAPH_NAMES}
    await migrate_databases(databases)
    async with serve_stack(databases) as stack:
        proxy = FaultProxy(stack.url("orders"), hold={HELD_ID})
        async with live_server(proxy.app()) as proxy_url:
            urls = stack.urls | {"orders": f"{proxy_url}/graphql"}
            sources = [SubgraphSource(name, urls[name], sdl_of(name)) for name in SUBGRAPH_NAMES]
            supergraph = tmp_path / "supergraph.graphql"
            supergraph.write_text(compose(sources).supergraph_sdl, encoding="utf-8")
            try:
                yield proxy, supergraph
            finally:
                proxy.release()


async def _until(condition: str, check: Callable[[], Awaitable[bool]], seconds: float = 60) -> None:
    for _ in range(int(seconds * 10)):
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"never: {condition}")


async def _refused(base_url: str) -> bool:
    try:
        async with httpx.AsyncClient(timeout=2) as client:
            await client.get(f"{base_url}/health")
    except httpx.ConnectError:
        return True
    except httpx.TransportError:
        return False
    return False


def _gateway(tmp_path: Path, supergraph: Path, port: int, workers: int) -> OrdergateProcess:
    environment = {
        "ORDERGATE_GATEWAY_SUPERGRAPH_PATH": str(supergraph),
        "ORDERGATE_GATEWAY_SUBGRAPHS__TIMEOUT_SECONDS": "300",
        "ORDERGATE_GATEWAY_RUNTIME__SHUTDOWN__DRAIN_SECONDS": "10",
        "ORDERGATE_GATEWAY_RUNTIME__SHUTDOWN__GRACE_SECONDS": "120",
        **(SHARED_NOTHING if workers > 1 else {}),
    }
    arguments = ["gateway", "--port", str(port), "--no-watch", "--workers", str(workers)]
    return start(arguments, environment, tmp_path / "gateway.log")


@pytest.mark.parametrize("workers", [1, 2])
async def test_sigterm_drains_then_lets_the_request_in_flight_finish(
    tmp_path: Path, workers: int
) -> None:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    async with slow_orders(tmp_path) as (proxy, supergraph):
        process = _gateway(tmp_path, supergraph, port, workers)
        try:
            await wait_until_healthy(process, base_url)
            async with httpx.AsyncClient(base_url=base_url, timeout=300) as client:
                await _until("ready", lambda: _status(client, "/ready", 200))
                body = {"query": HELD_QUERY, "variables": {"id": HELD_ID}}
                held = asyncio.create_task(client.post("/graphql", json=body))
                await _until("the request reached the subgraph", lambda: _held(proxy))
                process.process.send_signal(signal.SIGTERM)
                async with httpx.AsyncClient(base_url=base_url, timeout=10) as fresh:
                    # at once in one process; with workers, once the supervisor forwarded it
                    await _until("/ready is 503", lambda: _status(fresh, "/ready", 503), 20)
                    draining = await fresh.get("/ready", headers={"connection": "close"})
                    alive = await fresh.get("/health", headers={"connection": "close"})
                    served = await fresh.post(
                        "/graphql",
                        json={"query": "{ orders(first: 1) { edges { node { id } } } }"},
                        headers={"connection": "close"},
                    )
                assert draining.status_code == 503
                assert draining.json() == {"status": "unavailable", "reason": "shutting down"}
                assert alive.status_code == 200
                assert served.status_code == 200 and "errors" not in served.json()
                if workers == 1:  # the drain ends by itself: the port is closed, A still runs
                    await _until("the listener closed", lambda: _refused(base_url))
                    assert not held.done() and process.returncode is None
                proxy.release()
                answer = await asyncio.wait_for(held, 120)
            assert answer.status_code == 200
            assert answer.json()["data"] == {"order": None}
            assert "errors" not in answer.json()
            assert await process.wait(120) == 0
        finally:
            await process.stop()
    assert "draining before shutdown" in process.output()


async def _status(client: httpx.AsyncClient, path: str, status: int) -> bool:
    try:
        response = await client.get(path, headers={"connection": "close"})
        return response.status_code == status
    except httpx.TransportError:
        return False


async def _held(proxy: FaultProxy) -> bool:
    return proxy.held > 0
