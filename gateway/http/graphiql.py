"""The GraphiQL page served on a browser GET of the GraphQL endpoint."""

from __future__ import annotations

import html

import orjson

__all__ = ["graphiql_page", "wants_html"]

_PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>%(title)s</title>
    <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
    <link rel="stylesheet" crossorigin href="https://unpkg.com/graphiql@3.8.3/graphiql.min.css"
      integrity="sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM" />
    <script crossorigin src="https://unpkg.com/react@18.2.0/umd/react.production.min.js"
      integrity="sha384-tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8"></script>
    <script crossorigin src="https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js"
      integrity="sha384-bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh"></script>
    <script crossorigin src="https://unpkg.com/graphiql@3.8.3/graphiql.min.js"
      integrity="sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie"></script>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL...</div>
    <script>
      const settings = %(settings)s;
      const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
      ReactDOM.createRoot(document.getElementById("graphiql")).render(
        React.createElement(GraphiQL, {
          fetcher,
          defaultQuery: settings.query,
          defaultHeaders: settings.headers,
          isHeadersEditorEnabled: true,
          shouldPersistHeaders: true,
        })
      );
    </script>
  </body>
</html>
"""


def wants_html(accept: str | None) -> bool:
    """True when a GET comes from a browser (HTML preferred over JSON)."""
    return bool(accept) and "text/html" in accept.lower()  # type: ignore[union-attr]


def graphiql_page(
    title: str = "Ordergate GraphiQL", default_query: str = "", default_headers: str = ""
) -> bytes:
    """The GraphiQL HTML, pre-filled with an example query and request headers."""
    settings = orjson.dumps({"query": default_query, "headers": default_headers}).decode()
    # JSON inside <script>: keep "</script>" from closing the element early.
    settings = settings.replace("<", "\\u003c")
    return (_PAGE % {"title": html.escape(title), "settings": settings}).encode()
