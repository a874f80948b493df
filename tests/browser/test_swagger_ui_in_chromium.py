"""Swagger UI at ``/api/docs`` in a real Chromium, with every request off this machine refused.

The page must load Swagger UI from the gateway itself (the pinned swagger-ui-dist package in
``assets/node_modules``), under its Content-Security-Policy (no inline script, nothing from
another host, not even the validator badge), read ``/api/openapi.json`` and show every REST
route as an operation.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from live_server import live_server
from playwright.async_api import ConsoleMessage, Page, Request, Route, async_playwright

from gateway.app import create_app
from gateway.composition._api_schema import api_schema_of
from gateway.rest.catalog import load_catalog
from gateway.settings import GatewaySettings

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ROUTES = ROOT / "persisted_queries" / "rest-routes.yaml"
SUPERGRAPH = ROOT / "schema" / "supergraph.graphql"
LOOPBACK = {"127.0.0.1", "localhost", "[::1]"}


async def _open_offline(page: Page, url: str, leaving: list[str]) -> None:
    async def only_loopback(route: Route, request: Request) -> None:
        if urlsplit(request.url).hostname not in LOOPBACK:
            leaving.append(request.url)
            await route.abort()
            return
        await route.continue_()

    await page.route("**/*", only_loopback)
    await page.goto(url, wait_until="load")


async def test_swagger_ui_shows_every_route_with_no_cdn(chromium_path: str) -> None:
    catalog = load_catalog(ROUTES, api_schema_of(SUPERGRAPH.read_text(encoding="utf-8")))
    expected = sorted((route.method, route.path) for route in catalog.routes)
    assert expected, "the repository has routes"
    settings = GatewaySettings(
        supergraph_path=SUPERGRAPH,
        watch_supergraph=False,
        rest={"routes_file": ROUTES},  # type: ignore[arg-type]
        auth={"allow_anonymous": False},  # type: ignore[arg-type]
    )
    leaving: list[str] = []
    page_errors: list[str] = []
    console_errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            console_errors.append(message.text)

    async with live_server(create_app(settings)) as base_url, async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path)
        try:
            page = await browser.new_page()
            page.on("pageerror", lambda error: page_errors.append(str(error)))
            page.on("console", on_console)
            await _open_offline(page, f"{base_url}/api/docs", leaving)
            await page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
            title = await page.inner_text(".swagger-ui .info .title")
            shown = []
            for block in await page.locator(".swagger-ui .opblock").all():
                method = await block.locator(".opblock-summary-method").inner_text()
                path = await block.locator(".opblock-summary-path").get_attribute("data-path")
                shown.append((method.upper(), path))
            # open one operation: its parameters come from the route's bindings
            await page.locator("#operations-orders-cancelOrder .opblock-summary").click()
            parameters = page.locator("#operations-orders-cancelOrder .parameters")
            await parameters.wait_for(timeout=30_000)
            parameter_text = await parameters.inner_text()
        finally:
            await browser.close()
    assert leaving == [], f"the page tried to load from outside this machine: {leaving}"
    assert page_errors == []
    assert console_errors == [], "no CSP violation, no failed load"
    assert "Ordergate REST API" in title
    # an operation with two tags is shown under each of them
    assert sorted(set(shown)) == expected
    for name in ("id", "reason", "expectedVersion"):
        assert name in parameter_text
