"""Helpers of the job tests: import files, polling a job, the fast worker settings."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import orjson
from order_stack import create_order_input

#: worker settings that make retries quick
FAST_WORKER = {"backoff_seconds": 0.01, "max_backoff_seconds": 0.05, "poll_seconds": 0.05}


def orders_file(customers: list[str], skus: list[str], count: int, **bad: str) -> bytes:
    """``count`` valid orders as JSON; ``bad`` maps ``"<row>"`` to a broken sku."""
    rows: list[dict[str, Any]] = []
    for row in range(1, count + 1):
        order = create_order_input(customers[row % len(customers)], [skus[row % len(skus)]])
        order["shippingAddress"]["line1"] = f"{row} Import Street"
        if str(row) in bad:
            order["lines"][0]["sku"] = bad[str(row)]
        rows.append(order)
    return orjson.dumps(rows)


async def wait_for_completion(
    client: httpx.AsyncClient, location: str, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """Poll the job until it is completed (the test does not honour Retry-After's full second)."""
    for _ in range(3000):
        response = await client.get(location, headers=headers)
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        if job["state"] == "completed":
            assert "retry-after" not in response.headers
            return job
        assert response.headers["retry-after"] == "1"
        await asyncio.sleep(0.02)
    raise AssertionError(f"the job never completed: {job}")
