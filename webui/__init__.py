"""Browser pages shared by the gateway and the subgraphs: GraphiQL and its locally served files.

A small package of its own so that neither deployable imports the other: the gateway and each
subgraph serve the same GraphiQL page and the same pinned npm files (``assets/``), never a CDN.
"""

from webui.assets import (
    ASSETS_PATH,
    GRAPHIQL_FILES,
    WebAsset,
    WebAssets,
    WebAssetsEndpoint,
    default_assets_dir,
    load_web_assets,
)
from webui.graphiql import CONTENT_SECURITY_POLICY, HtmlPage, graphiql_page

__all__ = [
    "ASSETS_PATH",
    "CONTENT_SECURITY_POLICY",
    "GRAPHIQL_FILES",
    "HtmlPage",
    "WebAsset",
    "WebAssets",
    "WebAssetsEndpoint",
    "default_assets_dir",
    "graphiql_page",
    "load_web_assets",
]
