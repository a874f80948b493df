"""Bulk imports under the REST prefix (gateway/rest/imports.py): ``POST /api/v1/imports/{kind}``
is the job API's submission endpoint, with its rights, idempotency and 202 + ``Location``."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from order_stack import count
from stack_gateway import Deployment, serve_gateway
from starlette.applications import Starlette

from gateway.jobs import JobsApi
from gateway.pipeline.assembly import request_stages
from gateway.rest.imports import import_routes
from gateway.settings import GatewaySettings
from subgraphs.inventory.models import Product

FAST_WORKER = {"backoff_seconds": 0.01, "max_backoff_seconds": 0.05, "poll_seconds": 0.05}
CSV = {"content-type": "text/csv; charset=utf-8"}


def _mount_imports(app: Starlette, settings: GatewaySettings) -> None:
    """What gateway/app.py does next to its ``/jobs`` mount."""
    runtime = app.state.runtime
    jobs = JobsApi(
        runtime.jobs, request_stages(runtime, csrf=False), settings.jobs, settings.auth.realm
    )
    app.router.routes[0:0] = import_routes(jobs)


async def _completed(client: httpx.AsyncClient, location: str, headers: dict[str, str]) -> Any:
    for _ in range(3000):
        response = await client.get(location, headers=headers)
        assert response.status_code == 200, response.text
        if response.json()["state"] == "completed":
            return response.json()
        await asyncio.sleep(0.02)
    raise AssertionError("the job never completed")


async def test_a_product_import_through_the_rest_prefix_runs_as_a_job(
    deployment: Deployment,
) -> None:
    sku = f"SKU-REST-{uuid.uuid4().hex[:6].upper()}"
    body = (
        b"sku,name,description,price,currency,weight_grams\n"
        + f"{sku},Cast iron pan,Heavy.,39.90,USD,2300\n".encode()
    )
    settings = deployment.settings(jobs={"processing": FAST_WORKER})
    key = {"idempotency-key": f'"rest-import-{uuid.uuid4()}"'}
    async with serve_gateway(settings) as (client, app):
        _mount_imports(app, settings)
        accepted = await client.post(
            "/api/v1/imports/products", content=body, headers=CSV | key | deployment.writer
        )
        assert accepted.status_code == 202, accepted.text
        job = await _completed(client, accepted.headers["location"], deployment.writer)
        # one job API: the same key at the original path replays the same job
        again = await client.post(
            "/jobs/imports/products", content=body, headers=CSV | key | deployment.writer
        )
        anonymous = await client.post("/api/v1/imports/products", content=body, headers=CSV)
        unknown = await client.post(
            "/api/v1/imports/invoices", content=body, headers=CSV | deployment.writer
        )
        wrong_method = await client.get("/api/v1/imports/products", headers=deployment.writer)
    assert accepted.headers["location"] == f"/jobs/{accepted.json()['id']}"
    assert accepted.headers["retry-after"] == "1"
    assert accepted.json()["kind"] == "products"
    assert job["progress"]["succeeded"] == 1
    inventory = deployment.stack.database_urls["inventory"]
    assert await count(inventory, Product, Product.sku == sku) == 1
    assert again.status_code == 202
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == accepted.headers["location"]
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"
    assert anonymous.json()["code"] == "AUTHENTICATION_REQUIRED"
    assert anonymous.json()["requestId"] == anonymous.headers["x-request-id"]
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "UNKNOWN_IMPORT"
    assert wrong_method.status_code == 405
    assert wrong_method.headers["allow"] == "POST"
    assert wrong_method.json()["code"] == "METHOD_NOT_ALLOWED"
    assert await count(inventory, Product, Product.sku == sku) == 1  # nothing imported twice
