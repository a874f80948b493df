"""CSRF prevention: the pure check, and the ASGI middleware behind a real server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from live_server import live_server
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from gateway.hardening import CsrfPreventionMiddleware, CsrfSettings, csrf_violation

SETTINGS = CsrfSettings()


@pytest.mark.parametrize(
    ("method", "headers"),
    [
        ("POST", {"content-type": "text/plain"}),
        ("POST", {"content-type": "TEXT/PLAIN; charset=utf-8"}),
        ("POST", {"content-type": "application/x-www-form-urlencoded"}),
        ("POST", {"content-type": "multipart/form-data; boundary=x"}),
        ("POST", {}),
        ("POST", {"content-type": "text/plain, application/json"}),  # unparseable: not trusted
        ("GET", {}),
        ("HEAD", {"accept": "application/json"}),
    ],
)
def test_requests_a_browser_sends_without_preflight_are_refused(
    method: str, headers: dict[str, str]
) -> None:
    problem = csrf_violation(method, headers, SETTINGS)
    assert problem is not None
    assert problem.graphql_error()["extensions"] == {"code": "CSRF_PREFLIGHT_REQUIRED"}
    assert problem.status == 400


@pytest.mark.parametrize(
    ("method", "headers"),
    [
        ("POST", {"content-type": "application/json"}),
        ("POST", {"content-type": "application/json; charset=utf-8"}),
        ("POST", {"content-type": "application/graphql-response+json"}),
        ("POST", {"content-type": "text/plain", "apollo-require-preflight": "true"}),
        ("GET", {"x-apollo-operation-name": "Orders"}),
        ("GET", {"apollo-require-preflight": ""}),
        ("PUT", {"content-type": "text/plain"}),  # not a simple method: always preflighted
    ],
)
def test_preflighted_requests_pass(method: str, headers: dict[str, str]) -> None:
    assert csrf_violation(method, headers, SETTINGS) is None


def test_custom_headers_and_switching_off() -> None:
    custom = CsrfSettings(required_headers=["X-Ordergate-Preflight"])
    assert csrf_violation("GET", {"x-ordergate-preflight": "1"}, custom) is None
    assert csrf_violation("GET", {"apollo-require-preflight": "1"}, custom) is not None
    assert csrf_violation("GET", {}, CsrfSettings(enabled=False)) is None


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async def endpoint(request: Request) -> JSONResponse:
        return JSONResponse({"data": {"ran": True}})

    app = Starlette(
        routes=[Route("/graphql", endpoint, methods=["GET", "POST"]), Route("/other", endpoint)],
        middleware=[Middleware(CsrfPreventionMiddleware, settings=SETTINGS)],
    )
    async with live_server(app) as base_url, httpx.AsyncClient(base_url=base_url) as http:
        yield http


async def test_middleware_blocks_text_plain_post_without_preflight(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/graphql", content='{"query":"{ a }"}', headers={"content-type": "text/plain"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "CSRF_PREFLIGHT_REQUIRED"
    allowed = await client.post(
        "/graphql",
        content='{"query":"{ a }"}',
        headers={"content-type": "text/plain", "apollo-require-preflight": "true"},
    )
    assert allowed.json() == {"data": {"ran": True}}


async def test_middleware_lets_pages_and_json_through(client: httpx.AsyncClient) -> None:
    page = await client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    blocked = await client.get("/graphql", params={"query": "{ a }"})
    assert blocked.status_code == 400
    preflighted = await client.get(
        "/graphql", params={"query": "{ a }"}, headers={"x-apollo-operation-name": "A"}
    )
    assert preflighted.status_code == 200
    json_post = await client.post("/graphql", json={"query": "{ a }"})
    assert json_post.status_code == 200
    other = await client.get("/other", params={"query": "{ a }"})
    assert other.status_code == 200
