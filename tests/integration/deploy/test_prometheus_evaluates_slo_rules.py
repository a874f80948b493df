"""A real Prometheus loads the SLO rules, scrapes a prometheus-client exposition and evaluates them.

The exposition is the contract's gateway histogram, built with prometheus-client as the
gateway builds it (its text format, its ``le="0.2"`` label) and served over real HTTP; traffic
is observed in batches of 20 between scrapes: 18 fast 2xx, one 2xx slower than 0.2 s and one
fast 5xx. Prometheus (Debian's, next to ``promtool``) scrapes and evaluates every second; the
recorded SLIs must come out at 5 % each, every rule group must be healthy, and the
availability fast-burn alert (5 % errors against a 0.72 % threshold) must be pending.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from live_server import live_server
from processes import free_port
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

pytestmark = [pytest.mark.promtool, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
RULES = sorted((ROOT / "deploy" / "prometheus" / "rules").glob("*.yml"))
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)
LABELS = ("client", "client_version", "operation", "transport", "status_class")
#: how long Prometheus may take to start, scrape twice and evaluate (a deadline, not a measure)
DEADLINE_SECONDS = 60


@pytest.fixture
def prometheus_path(promtool_path: str) -> str:
    """Debian's ``prometheus`` server, installed with ``promtool`` by the same package."""
    found = shutil.which("prometheus", path=str(Path(promtool_path).parent))
    if found is None:
        pytest.fail(f"no prometheus next to {promtool_path} (apt-get install prometheus)")
    return found


def gateway_exposition() -> tuple[Starlette, Histogram]:
    """An app serving ``GET /metrics`` of the contract's request histogram, and the histogram."""
    registry = CollectorRegistry()
    requests = Histogram(
        "ordergate_gateway_requests_duration_seconds",
        "Gateway requests by outcome.",
        LABELS,
        buckets=LATENCY_BUCKETS,
        registry=registry,
    )

    async def metrics(request: Request) -> Response:
        del request
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return Starlette(routes=[Route("/metrics", metrics)]), requests


def observe_batch(requests: Histogram) -> None:
    """One batch of 20 requests: 18 fast 2xx, one 2xx over 0.2 s, one fast 5xx (no await: the
    batch is atomic for a scrape served by the same event loop)."""
    common = {
        "client": "web",
        "client_version": "2.1",
        "operation": "Orders",
        "transport": "graphql",
    }
    for _ in range(18):
        requests.labels(**common, status_class="2xx").observe(0.04)
    requests.labels(**common, status_class="2xx").observe(0.3)
    requests.labels(**common, status_class="5xx").observe(0.04)


async def traffic(requests: Histogram) -> None:
    """Batches until cancelled."""
    while True:
        observe_batch(requests)
        await asyncio.sleep(0.1)


@contextlib.contextmanager
def running_prometheus(prometheus_path: str, target: str, directory: Path) -> Iterator[str]:
    """A Prometheus scraping ``target`` every second with the repository's rules; its URL."""
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(path) for path in RULES],
        "scrape_configs": [{"job_name": "gateway", "static_configs": [{"targets": [target]}]}],
    }
    config_file = directory / "prometheus.yml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    port = free_port()
    log = directory / "prometheus.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                prometheus_path,
                f"--config.file={config_file}",
                f"--storage.tsdb.path={directory / 'data'}",
                f"--web.listen-address=127.0.0.1:{port}",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.returncode not in (0, -15):
            print(log.read_text(errors="replace"))


async def query(client: httpx.AsyncClient, base: str, expression: str) -> list[dict[str, Any]]:
    """The instant vector of ``expression`` (empty while Prometheus is not ready)."""
    try:
        response = await client.get(f"{base}/api/v1/query", params={"query": expression})
    except httpx.TransportError:
        return []
    if response.status_code != 200:
        return []
    result: list[dict[str, Any]] = response.json()["data"]["result"]
    return result


async def eventually_one_value(client: httpx.AsyncClient, base: str, expression: str) -> float:
    """Poll until ``expression`` has one sample; its value."""
    async with asyncio.timeout(DEADLINE_SECONDS):
        while True:
            result = await query(client, base, expression)
            if result:
                (sample,) = result
                return float(sample["value"][1])
            await asyncio.sleep(0.25)


@pytest.fixture
async def prometheus(prometheus_path: str, tmp_path: Path) -> AsyncIterator[str]:
    """Prometheus scraping a live exposition that receives traffic; its base URL."""
    app, requests = gateway_exposition()
    observe_batch(requests)  # every series exists from the first scrape on
    async with live_server(app, lifespan="off") as exposition:
        feeding = asyncio.create_task(traffic(requests))
        try:
            target = exposition.removeprefix("http://")
            with running_prometheus(prometheus_path, target, tmp_path) as base:
                yield base
        finally:
            feeding.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await feeding


async def test_recorded_slis_and_burn_rate_alerts_on_real_scrapes(prometheus: str) -> None:
    async with httpx.AsyncClient(timeout=5) as client:
        errors = await eventually_one_value(
            client, prometheus, "ordergate:gateway_requests_5xx:ratio_rate5m"
        )
        slow = await eventually_one_value(
            client, prometheus, "ordergate:gateway_requests_over_200ms:ratio_rate5m"
        )
        assert errors == pytest.approx(0.05, abs=1e-9)
        assert slow == pytest.approx(0.05, abs=1e-9)

        groups = (await client.get(f"{prometheus}/api/v1/rules")).json()["data"]["groups"]
        rules = [rule for group in groups for rule in group["rules"]]
        assert {group["file"] for group in groups} == {str(path) for path in RULES}
        assert len(rules) == sum(
            len(group["rules"])
            for path in RULES
            for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]
        )
        assert all(rule["health"] == "ok" for rule in rules), [
            (rule["name"], rule.get("lastError")) for rule in rules if rule["health"] != "ok"
        ]

        async with asyncio.timeout(DEADLINE_SECONDS):
            while True:
                alerts = (await client.get(f"{prometheus}/api/v1/alerts")).json()["data"]["alerts"]
                names = {alert["labels"]["alertname"]: alert["state"] for alert in alerts}
                if {"OrdergateAvailabilityFastBurn", "OrdergateErrorRateFastBurn"} <= set(names):
                    break
                await asyncio.sleep(0.25)
        # 5 % errors burn both error budgets fast; 5 % slow is exactly the latency budget (1x)
        assert names["OrdergateAvailabilityFastBurn"] == "pending"  # `for: 2m` not yet passed
        assert names["OrdergateErrorRateFastBurn"] == "pending"
        assert "OrdergateLatencyFastBurn" not in names
