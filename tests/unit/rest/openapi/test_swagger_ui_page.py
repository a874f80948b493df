"""Swagger UI's page and files: from the pinned swagger-ui-dist package, never a CDN."""

from __future__ import annotations

import json
import re
from pathlib import Path

from webui import (
    CONTENT_SECURITY_POLICY,
    SWAGGER_UI_FILES,
    default_assets_dir,
    load_swagger_ui_assets,
    swagger_ui_page,
)

ASSETS_PACKAGE = Path(__file__).resolve().parents[4] / "assets" / "package.json"


def _fake_node_modules(root: Path) -> Path:
    for spec in SWAGGER_UI_FILES:
        package = root / spec.package
        package.mkdir(parents=True, exist_ok=True)
        (package / spec.path).write_text(f"/* {spec.name} */", encoding="utf-8")
        (package / "package.json").write_text('{"version": "9.9.9"}', encoding="utf-8")
    return root


def test_the_page_links_only_the_gateways_own_files(tmp_path: Path) -> None:
    assets = load_swagger_ui_assets(_fake_node_modules(tmp_path))
    page = swagger_ui_page(assets, "/api/openapi.json?</script>")
    body = page.body.decode()
    assert page.status == 200
    assert "://" not in body
    linked = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert len(linked) == len(SWAGGER_UI_FILES) + 1, "the package's files and the start script"
    assert all(url.startswith("/api/docs/assets/") for url in linked)
    settings = body.split('id="swagger-settings">')[1].split("</script>")[0]
    assert json.loads(settings) == {"url": "/api/openapi.json?</script>"}
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    start = assets.files["ordergate-swagger-ui.js"].body.decode()
    assert "validatorUrl: null" in start, "no badge fetched from validator.swagger.io"


def test_a_missing_package_is_named_on_the_page(tmp_path: Path) -> None:
    assets = load_swagger_ui_assets(tmp_path)
    assert assets.missing == ("swagger-ui-dist",)
    page = swagger_ui_page(assets, "/api/openapi.json")
    assert page.status == 503
    body = page.body.decode()
    assert "files are not installed (missing: swagger-ui-dist)" in body
    assert "make install" in body and str(tmp_path) not in body


def test_swagger_ui_is_pinned_and_installed_at_the_locked_version() -> None:
    pinned = json.loads(ASSETS_PACKAGE.read_text(encoding="utf-8"))["dependencies"]
    lock = json.loads((ASSETS_PACKAGE.parent / "package-lock.json").read_text(encoding="utf-8"))
    assert pinned["swagger-ui-dist"] == "5.36.0"
    locked = lock["packages"]["node_modules/swagger-ui-dist"]
    assert locked["version"] == "5.36.0"
    assert locked["integrity"].startswith("sha512-")
    assets = load_swagger_ui_assets(default_assets_dir())
    assert assets.complete, assets.problem()
    for spec in SWAGGER_UI_FILES:
        assert assets.files[spec.name].origin == "swagger-ui-dist@5.36.0"
