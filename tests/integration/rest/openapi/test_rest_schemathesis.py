"""Schemathesis against the live app: the gateway and the four seeded subgraphs over real HTTP,
an admin token, every REST route of the repository's route file. No answer may be a 5xx, and
every answer must match the OpenAPI document the gateway serves (status code, content type,
body schema).

The run is bounded and deterministic: positive data only, at most 10 examples per operation
and phase, a fixed seed, one worker. Generated ids rarely exist, so the run is given the
seeded order and customer ids (and skus) as dictionaries; the stateful phase follows the
document's links from a created order to the routes under its ``Location``.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from live_server import live_server
from order_stack import prepare_stack, rows, serve_stack, stack_database_urls
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from stack_gateway import Deployment

from gateway.auth.demo import DEMO_ROLE_SCOPES, demo_issuer_settings, mint_demo_tokens
from gateway.composition._api_schema import api_schema_of
from gateway.rest.catalog import load_catalog
from ordergate.gateway_app import gateway_app

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[4]
ROUTES = ROOT / "persisted_queries" / "rest-routes.yaml"
PRINCIPAL_SECRET = "principal-signing-secret-for-the-schemathesis-run-0123"
JWT_SECRET = b"jwt-hs256-secret-for-the-schemathesis-run-0123456789abcdef"
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)
CHECK_FUNCTIONS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)
ADDRESS = {"line1": "1 Main St", "city": "Springfield", "postalCode": "12345", "country": "US"}
UNKNOWN = "00000000-0000-4000-8000-000000000000"


@dataclass
class LiveApp:
    """The served gateway, an admin token, and ids that exist in its databases."""

    base_url: str
    admin_token: str
    supergraph: Path
    order_ids: list[str]
    customer_ids: list[str]
    skus: list[str]


@pytest.fixture
async def live_app(tmp_path: Path) -> AsyncIterator[LiveApp]:
    urls = stack_database_urls("sqlite", tmp_path, None)
    await prepare_stack(urls)
    orders = await rows(urls["orders"], "SELECT id, customer_id FROM orders ORDER BY number")
    skus = await rows(urls["orders"], "SELECT sku FROM catalog_items ORDER BY sku")
    async with serve_stack(
        urls, principal_mode="required", principal_secret=PRINCIPAL_SECRET
    ) as stack:
        deployment = Deployment("embedded", stack, tmp_path)
        secret = tmp_path / "jwt.secret"
        secret.write_bytes(JWT_SECRET)
        settings = deployment.settings(
            auth={
                "issuers": [demo_issuer_settings(secret).model_dump()],
                "role_scopes": DEMO_ROLE_SCOPES,
            },
            principal_headers={"mode": "signed", "secret": PRINCIPAL_SECRET},
            rest={"routes_file": str(ROUTES)},
        )
        async with live_server(gateway_app(settings)) as base_url:
            yield LiveApp(
                base_url=base_url,
                admin_token=mint_demo_tokens(JWT_SECRET)["admin"],
                supergraph=settings.supergraph_path,
                order_ids=[_uuid(row["id"]) for row in orders[:8]],
                customer_ids=sorted({_uuid(row["customer_id"]) for row in orders})[:4],
                skus=[str(row["sku"]) for row in skus[:6]],
            )


def _uuid(value: object) -> str:
    text = str(value).replace("-", "")
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:32]}"


def _config(app: LiveApp) -> str:
    """The run's schemathesis.toml: the admin token for the bearer scheme, seeded ids."""
    return f"""
[auth.openapi.bearerAuth]
bearer = "${{ORDERGATE_TEST_ADMIN_TOKEN}}"

[dictionaries.orders]
values = {json.dumps(app.order_ids)}
[dictionaries.customers]
values = {json.dumps(app.customer_ids)}
[dictionaries.skus]
values = {json.dumps(app.skus)}

[parameters]
"path.id" = {{ dictionary = "orders", probability = 0.8 }}
"query.customerId" = {{ dictionary = "customers", probability = 0.5 }}
"body.customerId" = {{ dictionary = "customers", probability = 0.8 }}
"body.sku" = {{ dictionary = "skus", probability = 0.8 }}
"""


async def _explicit_cases(app: LiveApp) -> tuple[list[int], str]:
    """The order lifecycle with valid data (which generation rarely finds), each answer checked
    by schemathesis against the served document. Returns the statuses seen and the id of an
    order it created (and left PENDING)."""
    async with httpx.AsyncClient(base_url=app.base_url, timeout=30) as http:
        schema = schemathesis.openapi.from_dict((await http.get("/api/openapi.json")).json())
        auth = {"Authorization": f"Bearer {app.admin_token}"}
        statuses: list[int] = []

        async def check(template: str, method: str, path: str, **request: Any) -> httpx.Response:
            case = schema[template][method].Case(
                path_parameters=request.pop("path_parameters", None),
                query=request.get("params"),
                headers={**auth, **request.get("headers", {})},
                body=request.get("json", NOT_SET),
            )
            headers = {**auth, **request.pop("headers", {})}
            response = await http.request(method, path, headers=headers, **request)
            case.validate_response(response, checks=list(CHECK_FUNCTIONS))
            statuses.append(response.status_code)
            return response

        body = {
            "customerId": app.customer_ids[0],
            "channel": "B2B",
            "lines": [{"sku": app.skus[0], "quantity": 2}],
            "shippingAddress": ADDRESS,
        }
        key = {"Idempotency-Key": "schemathesis-explicit-1"}
        orders = "/api/v1/orders"
        one = "/api/v1/orders/{id}"
        created = await check(orders, "POST", orders, json=body, headers=key)
        assert created.status_code == 201, created.text
        order_id = created.json()["id"]
        replayed = await check(orders, "POST", orders, json=body, headers=key)
        assert replayed.headers["idempotent-replayed"] == "true"
        ids = {"id": order_id}
        fetched = await check(one, "GET", f"{orders}/{order_id}", path_parameters=ids)
        etag = {"If-None-Match": fetched.headers["etag"]}
        await check(one, "GET", f"{orders}/{order_id}", path_parameters=ids, headers=etag)
        page = await check(orders, "GET", orders, params={"limit": "2"})
        assert 'rel="next"' in page.headers["link"]
        second = await check(orders, "POST", orders, json=body, headers={"Idempotency-Key": "k2"})
        other = {"id": second.json()["id"]}
        cancel = f"{orders}/{other['id']}"
        await check(one, "DELETE", cancel, path_parameters=other, params={"reason": "test"})
        await check(one, "DELETE", cancel, path_parameters=other)  # cancelled already: 409
        await check(one, "GET", f"{orders}/{UNKNOWN}", path_parameters={"id": UNKNOWN})
        await check(orders, "POST", orders, json=body)  # no Idempotency-Key: 400
        wrong = {**body, "channel": "PIGEON"}
        await check(orders, "POST", orders, json=wrong, headers={"Idempotency-Key": "k3"})
    return statuses, order_id


async def test_schemathesis_finds_no_server_error_and_no_answer_off_the_spec(
    live_app: LiveApp, tmp_path: Path
) -> None:
    statuses, pending_order = await _explicit_cases(live_app)
    assert statuses == [201, 201, 200, 304, 200, 201, 200, 409, 404, 400, 400]
    live_app.order_ids.append(pending_order)
    config = tmp_path / "schemathesis.toml"
    config.write_text(_config(live_app), encoding="utf-8")
    reports = tmp_path / "reports"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        f"{live_app.base_url}/api/openapi.json",
        "--checks",
        ",".join(CHECKS),
        "--mode",
        "positive",
        "--max-examples",
        "10",
        "--seed",
        "20261207",
        "--workers",
        "1",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--request-timeout",
        "30",
        "--report",
        "har",
        "--report-dir",
        str(reports),
        cwd=tmp_path,
        env={
            **os.environ,
            "ORDERGATE_TEST_ADMIN_TOKEN": live_app.admin_token,
            "NO_COLOR": "1",
            "SCHEMATHESIS_TELEMETRY": "false",
        },
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    text = output.decode(errors="replace")
    assert process.returncode == 0, text
    assert "passed" in text and "failed" not in text.split("SUMMARY")[-1], text

    # what was exercised: every route, and real answers, not only refusals
    catalog = load_catalog(ROUTES, api_schema_of(live_app.supergraph.read_text()))
    har = json.loads(next(reports.glob("har-*.json")).read_text(encoding="utf-8"))
    seen: Counter[tuple[str, str, int]] = Counter()
    for entry in har["log"]["entries"]:
        method = entry["request"]["method"]
        path = httpx.URL(entry["request"]["url"]).path
        route = next(
            (r for r in catalog.routes if r.method == method and r.pattern.match(path)), None
        )
        assert route is not None, f"{method} {path} is no route"
        seen[(route.id, method, entry["response"]["status"])] += 1
    tested = {route_id for route_id, _, _ in seen}
    assert tested == {route.id for route in catalog.routes}
    successes = {route_id for (route_id, _, status) in seen if status < 300}
    assert {"getOrder", "listOrders", "cancelOrder"} <= successes, seen
    assert all(status < 500 for (_, _, status) in seen), seen
