"""GraphiQL of ``ordergate dev`` in a real Chromium, with every request off this machine refused.

The gateway's page and each subgraph's page are the same (:mod:`webui`).

The page must load its scripts and styles from the gateway itself (pinned npm packages installed
into ``assets/node_modules``), start GraphiQL with the example query and the admin token, and
run that query across the four subgraphs when the run button is pressed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from live_server import live_server
from playwright.async_api import Page, Request, Route, async_playwright

from gateway.app import create_app
from gateway.settings import GatewaySettings
from ordergate.commands._serving import ServerGroup
from ordergate.commands.dev import DevOptions, build_dev_stack, prepare_databases

pytestmark = pytest.mark.browser

LOOPBACK = {"127.0.0.1", "localhost", "[::1]"}


@pytest.fixture
async def dev_stack(tmp_path: Path) -> AsyncIterator[ServerGroup]:
    """``ordergate dev`` on free ports over seeded SQLite databases in ``tmp_path``."""
    options = DevOptions(data_dir=tmp_path, seed=True, port_offset=None, log_level="warning")
    urls = await prepare_databases(options)
    group = build_dev_stack(options, urls)
    async with group:
        yield group


async def _open_offline(page: Page, url: str, leaving: list[str]) -> None:
    async def only_loopback(route: Route, request: Request) -> None:
        if urlsplit(request.url).hostname not in LOOPBACK:
            leaving.append(request.url)
            await route.abort()
            return
        await route.continue_()

    await page.route("**/*", only_loopback)
    await page.goto(url, wait_until="load")


async def test_graphiql_runs_the_example_query_with_no_cdn(
    dev_stack: ServerGroup, chromium_path: str
) -> None:
    gateway = dev_stack.url_of("gateway")
    leaving: list[str] = []
    page_errors: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path)
        try:
            page = await browser.new_page()
            page.on("pageerror", lambda error: page_errors.append(str(error)))
            await _open_offline(page, gateway, leaving)
            await page.wait_for_selector(".graphiql-container", timeout=30_000)
            editor = await page.inner_text(".graphiql-query-editor")
            assert "customers" in editor, "GraphiQL starts with the cross-subgraph example"
            await page.click(".graphiql-execute-button")
            result = page.locator(".result-window")
            await result.get_by_text('"availableQuantity"').first.wait_for(timeout=30_000)
            text = await result.inner_text()
            # each subgraph's own GraphiQL is the same local page
            subgraph = await browser.new_page()
            subgraph.on("pageerror", lambda error: page_errors.append(str(error)))
            await _open_offline(subgraph, dev_stack.url_of("orders"), leaving)
            await subgraph.wait_for_selector(".graphiql-container", timeout=30_000)
            subgraph_title = await subgraph.title()
        finally:
            await browser.close()
    assert leaving == [], f"the page tried to load from outside this machine: {leaving}"
    assert page_errors == []
    assert subgraph_title == "Ordergate orders subgraph"
    assert '"errors"' not in text
    # the result editor renders only its visible lines: the top of the answer, which holds
    # fields of orders (customers) and of inventory (a product's stock per warehouse)
    for field in ('"data"', '"customers"', '"availableQuantity"', '"warehouseCode"'):
        assert field in text, f"{field} missing from the answer GraphiQL shows"


async def test_missing_assets_say_what_to_do_in_the_browser(
    tmp_path: Path, chromium_path: str
) -> None:
    supergraph = Path(__file__).parents[1] / "integration" / "gateway" / "shop_supergraph.graphql"
    settings = GatewaySettings(
        supergraph_path=supergraph,
        watch_supergraph=False,
        http={"assets_dir": tmp_path / "empty"},  # type: ignore[arg-type]
    )
    async with live_server(create_app(settings)) as base_url:
        async with httpx.AsyncClient() as client:
            response = await client.get(f"{base_url}/graphql", headers={"accept": "text/html"})
        assert response.status_code == 503
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium_path)
            try:
                page = await browser.new_page()
                await page.goto(f"{base_url}/graphql")
                message = await page.inner_text("#graphiql-missing")
            finally:
                await browser.close()
    assert "make install" in message
    assert "graphiql" in message and "react" in message
    assert str(tmp_path) not in message, "no server path reaches the browser"
