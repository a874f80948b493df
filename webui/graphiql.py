"""The GraphiQL page the gateway and the subgraphs serve on a browser GET of ``/graphql``.

Every script and stylesheet it loads comes from the serving process itself (``/assets/...``,
see :mod:`webui.assets`); a ``Content-Security-Policy`` forbids anything else, inline scripts
included. When the assets are not installed the page says so (HTTP 503) instead of staying on
"Loading".
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import orjson

from webui.assets import WebAssets

__all__ = ["CONTENT_SECURITY_POLICY", "HtmlPage", "graphiql_page"]

#: what the page may load: only the gateway's own files; styles inline because GraphiQL sets them
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

_PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>%(title)s</title>
    <link rel="stylesheet" href="%(css)s" />
    <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
    <script src="%(react)s"></script>
    <script src="%(react_dom)s"></script>
    <script src="%(graphiql)s"></script>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL...</div>
    <script type="application/json" id="graphiql-settings">%(settings)s</script>
    <script src="%(start)s"></script>
  </body>
</html>
"""

_MISSING = """<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>%(title)s</title></head>
  <body>
    <h1>GraphiQL is not available</h1>
    <p id="graphiql-missing">%(problem)s</p>
  </body>
</html>
"""


@dataclass(frozen=True, slots=True)
class HtmlPage:
    """A ready HTML response: status, body and headers."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def graphiql_page(
    assets: WebAssets,
    title: str = "Ordergate GraphiQL",
    default_query: str = "",
    default_headers: str = "",
) -> HtmlPage:
    """The GraphiQL page, pre-filled with an example query and request headers."""
    headers = {
        "content-security-policy": CONTENT_SECURITY_POLICY,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "cache-control": "no-store",
    }
    if not assets.complete:
        body = _MISSING % {"title": html.escape(title), "problem": html.escape(assets.problem())}
        return HtmlPage(503, body.encode(), headers)
    settings = orjson.dumps({"query": default_query, "headers": default_headers}).decode()
    # JSON inside <script>: keep "</script>" from closing the element early.
    settings = settings.replace("<", "\\u003c")
    body = _PAGE % {
        "title": html.escape(title),
        "settings": settings,
        "css": assets.url_of("graphiql.min.css"),
        "react": assets.url_of("react.production.min.js"),
        "react_dom": assets.url_of("react-dom.production.min.js"),
        "graphiql": assets.url_of("graphiql.min.js"),
        "start": assets.url_of("ordergate-graphiql.js"),
    }
    return HtmlPage(200, body.encode(), headers)
