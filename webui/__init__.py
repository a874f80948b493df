"""Browser pages shared by the gateway and the subgraphs: GraphiQL (and the gateway's Swagger
UI) and their locally served files.

A small package of its own so that neither deployable imports the other: the gateway and each
subgraph serve the same GraphiQL page and the same pinned npm files (``assets/``), never a CDN.
"""

from webui.assets import (
    ASSETS_PATH,
    GRAPHIQL_FILES,
    AssetFile,
    WebAsset,
    WebAssets,
    WebAssetsEndpoint,
    default_assets_dir,
    load_asset_files,
    load_web_assets,
)
from webui.graphiql import CONTENT_SECURITY_POLICY, HtmlPage, graphiql_page
from webui.swagger import (
    SWAGGER_UI_ASSETS_PATH,
    SWAGGER_UI_FILES,
    load_swagger_ui_assets,
    swagger_ui_page,
)

__all__ = [
    "ASSETS_PATH",
    "CONTENT_SECURITY_POLICY",
    "GRAPHIQL_FILES",
    "SWAGGER_UI_ASSETS_PATH",
    "SWAGGER_UI_FILES",
    "AssetFile",
    "HtmlPage",
    "WebAsset",
    "WebAssets",
    "WebAssetsEndpoint",
    "default_assets_dir",
    "graphiql_page",
    "load_asset_files",
    "load_swagger_ui_assets",
    "load_web_assets",
    "swagger_ui_page",
]
