"""The Swagger UI page the gateway serves at ``/api/docs`` for the REST routes' OpenAPI.

As for GraphiQL (:mod:`webui.graphiql`, ADR 0307): the files come from the pinned npm package
``swagger-ui-dist`` (``assets/``), are served by the gateway itself under
``/api/docs/assets/<name>``, and the page's ``Content-Security-Policy`` forbids anything else,
inline scripts included (the settings travel in a JSON block, the start-up script is a served
file). Swagger UI's badge that asks validator.swagger.io about the document is switched off.

Usage::

    assets = load_swagger_ui_assets(settings.http.assets_dir or default_assets_dir())
    page = swagger_ui_page(assets, "/api/openapi.json")
"""

from __future__ import annotations

import html
from pathlib import Path

import orjson

from webui.assets import AssetFile, WebAssets, load_asset_files
from webui.graphiql import CONTENT_SECURITY_POLICY, HtmlPage

__all__ = [
    "SWAGGER_UI_ASSETS_PATH",
    "SWAGGER_UI_FILES",
    "load_swagger_ui_assets",
    "swagger_ui_page",
]

#: where the gateway serves Swagger UI's files
SWAGGER_UI_ASSETS_PATH = "/api/docs/assets"

#: every file of swagger-ui-dist the page needs, by the name it is served under
SWAGGER_UI_FILES: tuple[AssetFile, ...] = (
    AssetFile("swagger-ui-bundle.js", "swagger-ui-dist", "swagger-ui-bundle.js", "text/javascript"),
    AssetFile("swagger-ui.css", "swagger-ui-dist", "swagger-ui.css", "text/css"),
)

_START_SCRIPT = AssetFile("ordergate-swagger-ui.js", "webui", "swagger_start.js", "text/javascript")

_PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>%(title)s</title>
    <link rel="stylesheet" href="%(css)s" />
    <style>body { margin: 0; }</style>
    <script src="%(bundle)s"></script>
  </head>
  <body>
    <div id="swagger-ui">Loading Swagger UI...</div>
    <script type="application/json" id="swagger-settings">%(settings)s</script>
    <script src="%(start)s"></script>
  </body>
</html>
"""

_MISSING = """<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>%(title)s</title></head>
  <body>
    <h1>Swagger UI is not available</h1>
    <p id="swagger-ui-missing">%(problem)s</p>
    <p>The OpenAPI document itself is at <a href="%(url)s">%(url)s</a>.</p>
  </body>
</html>
"""


def load_swagger_ui_assets(directory: Path) -> WebAssets:
    """Read Swagger UI's files from ``directory`` (a ``node_modules`` folder) into memory."""
    return load_asset_files(
        directory,
        SWAGGER_UI_FILES,
        _START_SCRIPT,
        prefix=SWAGGER_UI_ASSETS_PATH,
        label="Swagger UI",
        without="The REST routes and their OpenAPI document work without them.",
    )


def swagger_ui_page(
    assets: WebAssets, openapi_url: str, title: str = "Ordergate REST API"
) -> HtmlPage:
    """The Swagger UI page showing the OpenAPI document at ``openapi_url``."""
    headers = {
        "content-security-policy": CONTENT_SECURITY_POLICY,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "cache-control": "no-store",
    }
    if not assets.complete:
        body = _MISSING % {
            "title": html.escape(title),
            "problem": html.escape(assets.problem()),
            "url": html.escape(openapi_url),
        }
        return HtmlPage(503, body.encode(), headers)
    settings = orjson.dumps({"url": openapi_url}).decode().replace("<", "\\u003c")
    body = _PAGE % {
        "title": html.escape(title),
        "settings": settings,
        "css": assets.url_of("swagger-ui.css"),
        "bundle": assets.url_of("swagger-ui-bundle.js"),
        "start": assets.url_of("ordergate-swagger-ui.js"),
    }
    return HtmlPage(200, body.encode(), headers)
