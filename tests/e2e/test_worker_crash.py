"""A worker killed in the middle of an import job loses no row and duplicates none.

Production: ``ordergate worker`` processes on the Redis stream; the first is SIGKILLed once
some rows are done, a second one takes the abandoned chunk over (``XAUTOCLAIM`` after the
claim-idle time) and finishes. Embedded: the gateway's in-process backend with worker tasks;
the first is cancelled mid-chunk. The orders subgraph is slowed down by a proxy so that the kill
lands while rows are in flight. Either way: every row has exactly one order, one key.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from fault_proxy import FaultProxy
from live_server import live_server
from order_stack import count, order_inputs
from processes import start
from stack_gateway import Deployment, serve_gateway

from gateway.jobs import JobService
from subgraphs.orders.models import IdempotencyKey, Order
from wire.jobs.options import WorkerOptions
from worker.service import EmbeddedWorker

pytestmark = pytest.mark.slow

ROWS = 80
JSON = {"content-type": "application/json"}
WORKER = {"concurrency": 2, "claim_idle_seconds": 1.0, "poll_seconds": 0.2}


def orders(customers: list[str], skus: list[str]) -> bytes:
    rows: list[dict[str, Any]] = [
        {
            "customerId": customers[row % len(customers)],
            "channel": "MARKETPLACE",
            "lines": [{"sku": skus[row % len(skus)], "quantity": 1 + row % 3}],
            "shippingAddress": {
                "line1": f"{row} Crash Avenue",
                "city": "Rotterdam",
                "postalCode": "3011",
                "country": "NL",
            },
        }
        for row in range(1, ROWS + 1)
    ]
    return json.dumps(rows).encode()


async def progress(client: httpx.AsyncClient, location: str) -> dict[str, Any]:
    response = await client.get(location)
    assert response.status_code == 200, response.text
    job: dict[str, Any] = response.json()
    return job


async def wait_until(client: httpx.AsyncClient, location: str, processed: int) -> dict[str, Any]:
    for _ in range(6000):
        job = await progress(client, location)
        if job["progress"]["processed"] >= processed:
            return job
        await asyncio.sleep(0.01)
    raise AssertionError(f"the job did not get to {processed} rows: {job}")


async def test_a_worker_killed_mid_job_loses_and_duplicates_nothing(
    deployment: Deployment,
) -> None:
    databases = deployment.stack.database_urls
    customers, skus = await order_inputs(databases)
    before = await count(databases["orders"], Order)
    proxy = FaultProxy(deployment.stack.url("orders"), delay_seconds=0.02)
    async with live_server(proxy.app()) as proxy_url:
        orders_url = f"{proxy_url}/graphql"
        settings = deployment.settings(
            subgraphs={"urls": {"orders": orders_url}},
            jobs={"in_process_worker": False, "chunk_size": 10, "processing": WORKER},
        )
        async with serve_gateway(settings, deployment.writer) as (client, app):
            accepted = await client.post(
                "/jobs/imports/orders", content=orders(customers, skus), headers=JSON
            )
            assert accepted.status_code == 202, accepted.text
            location = accepted.headers["location"]
            if deployment.uses_redis:
                job = await crash_worker_processes(deployment, client, location, orders_url)
            else:
                jobs: JobService = app.state.runtime.jobs
                job = await crash_worker_tasks(jobs, client, location, orders_url)
    assert job["state"] == "completed"
    assert job["progress"]["succeeded"] == ROWS
    assert job["progress"]["failed"] == 0
    assert await count(databases["orders"], Order) == before + ROWS
    assert await count(databases["orders"], IdempotencyKey) == ROWS


async def crash_worker_tasks(
    jobs: JobService, client: httpx.AsyncClient, location: str, orders_url: str
) -> dict[str, Any]:
    options = WorkerOptions(**WORKER)
    first = EmbeddedWorker(jobs.backend, lambda: {"orders": orders_url}, options, "first")
    first.start()
    at_kill = await wait_until(client, location, 15)
    await first.kill()
    assert at_kill["progress"]["processed"] < ROWS
    second = EmbeddedWorker(jobs.backend, lambda: {"orders": orders_url}, options, "second")
    second.start()
    try:
        job = await wait_until(client, location, ROWS)
    finally:
        await second.stop()
    assert second.worker.recorded + first.worker.recorded >= ROWS
    return job


async def crash_worker_processes(
    deployment: Deployment, client: httpx.AsyncClient, location: str, orders_url: str
) -> dict[str, Any]:
    assert deployment.redis_url is not None
    environment = {
        "ORDERGATE_WORKER_REDIS__URL": deployment.redis_url,
        "ORDERGATE_WORKER_REDIS__KEY_PREFIX": deployment.key_prefix,
        "ORDERGATE_WORKER_SUPERGRAPH_PATH": str(deployment.supergraph()),
        "ORDERGATE_WORKER_SUBGRAPH_URLS": json.dumps({"orders": orders_url}),
        "ORDERGATE_WORKER_PROCESSING__CONCURRENCY": str(WORKER["concurrency"]),
        "ORDERGATE_WORKER_PROCESSING__CLAIM_IDLE_SECONDS": str(WORKER["claim_idle_seconds"]),
        "ORDERGATE_WORKER_PROCESSING__POLL_SECONDS": str(WORKER["poll_seconds"]),
        "ORDERGATE_WORKER_HEARTBEAT_FILE": str(deployment.directory / "worker.alive"),
    }
    directory = deployment.directory
    first = start(["worker", "--name", "first"], environment, directory / "worker-1.log")
    try:
        at_kill = await wait_until(client, location, 15)
    finally:
        await first.kill()
    assert at_kill["progress"]["processed"] < ROWS, first.output()
    second = start(["worker", "--name", "second"], environment, directory / "worker-2.log")
    try:
        job = await wait_until(client, location, ROWS)
    finally:
        await second.stop()
    assert second.returncode == 0, second.output()
    assert "stopped after recording" in second.output()
    assert (directory / "worker.alive").is_file()  # the health check's heartbeat
    return job
