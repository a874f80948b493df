"""Whether a GET of the GraphQL endpoint comes from a browser that wants GraphiQL's page.

The page itself is :func:`webui.graphiql_page` (shared with the subgraphs).
"""

from __future__ import annotations

__all__ = ["wants_html"]


def wants_html(accept: str | None) -> bool:
    """True when a GET comes from a browser (HTML preferred over JSON)."""
    return bool(accept) and "text/html" in accept.lower()  # type: ignore[union-attr]
