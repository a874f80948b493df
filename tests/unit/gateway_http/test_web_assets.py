"""GraphiQL's page and files come from the gateway: pinned npm packages, never a CDN."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from webui import (
    CONTENT_SECURITY_POLICY,
    GRAPHIQL_FILES,
    WebAssetsEndpoint,
    default_assets_dir,
    graphiql_page,
    load_web_assets,
)

ASSETS_PACKAGE = Path(__file__).parents[3] / "assets" / "package.json"


def _fake_node_modules(root: Path, *, skip: str | None = None) -> Path:
    for spec in GRAPHIQL_FILES:
        if spec.package == skip:
            continue
        package = root / spec.package
        (package / spec.path).parent.mkdir(parents=True, exist_ok=True)
        (package / spec.path).write_text(f"/* {spec.name} */", encoding="utf-8")
        (package / "package.json").write_text('{"version": "9.9.9"}', encoding="utf-8")
    return root


def _client(root: Path) -> httpx.AsyncClient:
    endpoint = WebAssetsEndpoint(load_web_assets(root))
    app = Starlette(routes=[Route("/assets/{name}", endpoint.serve, methods=["GET"])])
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")


def test_the_page_links_only_the_gateways_own_files(tmp_path: Path) -> None:
    assets = load_web_assets(_fake_node_modules(tmp_path))
    page = graphiql_page(assets, default_query="{ a }", default_headers='{"x": "</script>"}')
    body = page.body.decode()
    assert page.status == 200
    assert "://" not in body, "no absolute URL: nothing is loaded from another host"
    linked = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert len(linked) == len(GRAPHIQL_FILES) + 1
    assert all(url.startswith("/assets/") for url in linked)
    assert '</script>"' not in body.split('id="graphiql-settings">')[1].split("</script>")[0]
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY, "no inline or foreign scripts"


def test_a_missing_package_is_named_on_the_page(tmp_path: Path) -> None:
    assets = load_web_assets(_fake_node_modules(tmp_path, skip="graphiql"))
    assert not assets.complete
    assert assets.missing == ("graphiql",)
    page = graphiql_page(assets)
    assert page.status == 503
    assert b"graphiql" in page.body and b"make install" in page.body
    assert str(tmp_path).encode() not in page.body


async def test_files_are_served_with_validators(tmp_path: Path) -> None:
    async with _client(_fake_node_modules(tmp_path)) as client:
        first = await client.get("/assets/graphiql.min.js")
        assert first.status_code == 200
        assert first.text == "/* graphiql.min.js */"
        assert first.headers["content-type"].startswith("text/javascript")
        assert first.headers["x-content-type-options"] == "nosniff"
        again = await client.get(
            "/assets/graphiql.min.js", headers={"if-none-match": first.headers["etag"]}
        )
        assert again.status_code == 304
        assert again.content == b""
        css = await client.get("/assets/graphiql.min.css")
        assert css.headers["content-type"].startswith("text/css")
        start = await client.get("/assets/ordergate-graphiql.js")
        assert "graphiql-settings" in start.text


@pytest.mark.parametrize(
    "path",
    ["/assets/package.json", "/assets/..%2Fpackage.json", "/assets/%2E%2E%2Fgraphiql"],
)
async def test_only_known_files_are_served(tmp_path: Path, path: str) -> None:
    async with _client(_fake_node_modules(tmp_path)) as client:
        response = await client.get(path)
    assert response.status_code == 404


def test_every_served_package_is_pinned_in_the_lock() -> None:
    manifest = json.loads(ASSETS_PACKAGE.read_text(encoding="utf-8"))
    lock = json.loads((ASSETS_PACKAGE.parent / "package-lock.json").read_text(encoding="utf-8"))
    pinned = manifest["dependencies"]
    for spec in GRAPHIQL_FILES:
        assert re.fullmatch(r"\d+\.\d+\.\d+", pinned[spec.package]), "an exact version"
        locked = lock["packages"][f"node_modules/{spec.package}"]
        assert locked["version"] == pinned[spec.package]
        assert locked["integrity"].startswith("sha512-")
    assert default_assets_dir() == ASSETS_PACKAGE.parent / "node_modules"


def test_the_installed_packages_are_the_pinned_ones() -> None:
    """After ``make install`` the gateway serves exactly the locked versions."""
    assets = load_web_assets(default_assets_dir())
    assert assets.complete, assets.problem()
    pinned = json.loads(ASSETS_PACKAGE.read_text(encoding="utf-8"))["dependencies"]
    for spec in GRAPHIQL_FILES:
        assert assets.files[spec.name].origin == f"{spec.package}@{pinned[spec.package]}"
