"""``ordergate gateway`` as real processes: the access line of every request in the process's
output, and ``/metrics`` summed over the worker processes of ``--workers 2``."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from metrics_scrape import parse
from processes import OrdergateProcess, free_port, start, wait_until_healthy
from prometheus_client import multiprocess
from stack_gateway import Deployment

pytestmark = pytest.mark.slow

#: stores kept per process are refused with several workers: the features are off here
SHARED_NOTHING = {
    "ORDERGATE_GATEWAY_LIMITS__ENABLED": "false",
    "ORDERGATE_GATEWAY_IDEMPOTENCY__ENABLED": "false",
    "ORDERGATE_GATEWAY_JOBS__ENABLED": "false",
}
PING = "query Ping { __typename }"
PRODUCT = "query Product($sku: String!) { product(sku: $sku) { name } }"
PREFLIGHT = {"apollo-require-preflight": "true"}
#: what must never appear in the log: credentials, cookies and variable values
SECRETS = (
    "not-a-real-token-7Hq2",
    "og_bogus-key-9Zt4",
    "cookie-secret-5Kw1",
    "SKU-VARIABLE-SECRET-1234",
    "GET-VARIABLE-SECRET-5678",
)


def _access_lines(process: OrdergateProcess) -> list[dict[str, Any]]:
    lines = []
    for line in process.output().splitlines():
        if line.startswith("{"):
            event = json.loads(line)
            if event.get("logger") == "gateway.access":
                lines.append(event)
    return lines


async def test_every_request_leaves_one_access_line_without_secrets(
    deployment: Deployment, tmp_path: Path
) -> None:
    port = free_port()
    environment = {**deployment.environment(), "ORDERGATE_GATEWAY_LOG_FORMAT": "json"}
    process = start(["gateway", "--port", str(port), "--no-watch"], environment,
                    tmp_path / "gateway.log")  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    sent: list[httpx.Response] = []
    try:
        await wait_until_healthy(process, base_url)
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            sent.append(
                await client.post(
                    "/graphql",
                    json={"query": PRODUCT, "variables": {"sku": SECRETS[3]}},
                    headers={**deployment.writer, "cookie": f"session={SECRETS[2]}"},
                )
            )
            sent.append(
                await client.post(
                    "/graphql",
                    json={"query": PING},
                    headers={"authorization": f"Bearer {SECRETS[0]}"},
                )
            )
            sent.append(
                await client.post(
                    "/graphql", json={"query": PING}, headers={"x-api-key": SECRETS[1]}
                )
            )
            sent.append(
                await client.post(
                    "/graphql", json={"query": "{ orders(first: 2 "}, headers=deployment.writer
                )
            )
            sent.append(
                await client.get(
                    "/graphql",
                    params={"query": PRODUCT, "variables": json.dumps({"sku": SECRETS[4]})},
                    headers={**PREFLIGHT, **deployment.writer},
                )
            )
        for _ in range(100):  # the line is written once the response has gone
            if len(_access_lines(process)) >= len(sent):
                break
            await asyncio.sleep(0.05)
    finally:
        await process.stop()
    assert [response.status_code for response in sent] == [200, 401, 401, 400, 200]
    lines = _access_lines(process)
    assert [line["request_id"] for line in lines] == [r.headers["x-request-id"] for r in sent]
    assert [line["status"] for line in lines] == [200, 401, 401, 400, 200]
    product, bearer, key, broken, get = lines
    assert product["client"] == "test-writer"
    assert product["operation"] == "Product"
    assert len(product["document_hash"]) == 64
    assert product["transport"] == "graphql"
    assert product["cost"]["requested"] >= product["cost"]["actual"] >= 0
    assert product["error_codes"] == []
    assert product["duration_ms"] > 0
    assert bearer["error_codes"] == [sent[1].json()["errors"][0]["extensions"]["code"]]
    assert bearer["authenticated"] is False and "client" not in bearer
    assert key["error_codes"] == ["INVALID_API_KEY"]
    assert broken["error_codes"] == ["GRAPHQL_PARSE_FAILED"]
    assert "operation" not in broken
    assert get["method"] == "GET" and get["path"] == "/graphql"
    output = process.output()
    assert deployment.writer_key not in output
    for secret in SECRETS:
        assert secret not in output, secret


def _ping_counts(directory: Path) -> dict[str, float]:
    """Ping requests per worker, from each worker's own histogram file."""
    counts = {}
    for file in directory.glob("histogram_*.db"):
        pid = file.stem.removeprefix("histogram_")
        metrics = multiprocess.MultiProcessCollector.merge([str(file)], accumulate=True)
        counts[pid] = sum(
            sample.value
            for family in metrics
            for sample in family.samples
            if sample.name == "ordergate_gateway_requests_duration_seconds_count"
            and sample.labels.get("operation") == "Ping"
        )
    return counts


async def test_metrics_of_two_workers_are_summed(tmp_path: Path) -> None:
    port = free_port()
    base_dir = tmp_path / "metrics"
    environment = {
        **SHARED_NOTHING,
        "ORDERGATE_GATEWAY_LOG_FORMAT": "json",
        "ORDERGATE_GATEWAY_OBSERVABILITY__METRICS__MULTIPROCESS_BASE_DIR": str(base_dir),
    }
    process = start(["gateway", "--port", str(port), "--no-watch", "--workers", "2"],
                    environment, tmp_path / "gateway.log")  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    run = base_dir / f"run-{process.process.pid}"
    sent = 0
    try:
        await wait_until_healthy(process, base_url)
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:

            async def ping() -> None:
                response = await client.post(
                    "/graphql", json={"query": PING}, headers={"connection": "close"}
                )
                assert response.json()["data"] == {"__typename": "Query"}

            for _ in range(100):  # new connections until both workers served some
                await asyncio.gather(*(ping() for _ in range(8)))
                sent += 8
                per_worker = _ping_counts(run)
                if len([count for count in per_worker.values() if count > 0]) == 2:
                    break
            scrapes = [
                parse((await client.get("/metrics", headers={"connection": "close"})).text)
                for _ in range(6)
            ]
    finally:
        await process.stop()
    assert len([count for count in per_worker.values() if count > 0]) == 2, per_worker
    assert sum(per_worker.values()) == sent
    requests = "ordergate_gateway_requests_duration_seconds_count"
    for metrics in scrapes:  # whichever worker answers the scrape shows every worker's counts
        assert metrics.value(requests, operation="Ping", status_class="2xx") == sent
