"""Front-end assets (GraphiQL and its React) served by the process itself, never from a CDN.

The files come from pinned npm packages that ``make install`` installs with ``npm ci`` into
``assets/node_modules`` (``assets/package.json`` and its lock file pin every version); nothing
of them is copied into the repository. At start-up :func:`load_web_assets` reads the files it
knows by name into memory; a browser then fetches them from ``/assets/<name>`` with an ``ETag``
and a long ``Cache-Control`` (the page links them with a content hash, so a new version is a new
URL). When the packages are not installed the loader says which ones are missing, and the
GraphiQL page shows that message instead of a page that stays on "Loading".

Usage::

    assets = load_web_assets(settings.http.assets_dir or default_assets_dir())
    app.routes.append(Route("/assets/{name}", WebAssetsEndpoint(assets).serve))
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

__all__ = [
    "ASSETS_PATH",
    "GRAPHIQL_FILES",
    "AssetFile",
    "WebAsset",
    "WebAssets",
    "WebAssetsEndpoint",
    "default_assets_dir",
    "load_asset_files",
    "load_web_assets",
]

#: where the gateway serves the assets
ASSETS_PATH = "/assets"


@dataclass(frozen=True, slots=True)
class AssetFile:
    """A file of an npm package the gateway serves under ``name``."""

    name: str
    package: str
    path: str
    media_type: str


#: every file GraphiQL's page needs, by the name it is served under
GRAPHIQL_FILES: tuple[AssetFile, ...] = (
    AssetFile("react.production.min.js", "react", "umd/react.production.min.js", "text/javascript"),
    AssetFile(
        "react-dom.production.min.js",
        "react-dom",
        "umd/react-dom.production.min.js",
        "text/javascript",
    ),
    AssetFile("graphiql.min.js", "graphiql", "graphiql.min.js", "text/javascript"),
    AssetFile("graphiql.min.css", "graphiql", "graphiql.min.css", "text/css"),
)

#: the page's own start-up script, shipped inside this package (not an npm asset)
_START_SCRIPT = AssetFile("ordergate-graphiql.js", "webui", "graphiql_start.js", "text/javascript")

_CACHE_CONTROL = "public, max-age=31536000, immutable"


@dataclass(frozen=True, slots=True)
class WebAsset:
    """One file held in memory, with its validator."""

    name: str
    body: bytes
    media_type: str
    etag: str
    #: the npm package and version it came from (``webui`` for our own script)
    origin: str
    #: the path the files of its page are served under
    prefix: str = ASSETS_PATH

    @property
    def url(self) -> str:
        """Its URL on the gateway, with the content hash that makes it cacheable forever."""
        return f"{self.prefix}/{self.name}?v={self.etag.strip(chr(34))[:16]}"


@dataclass(frozen=True, slots=True)
class WebAssets:
    """The assets that were found, and a message naming those that were not."""

    files: dict[str, WebAsset] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    directory: Path | None = None
    #: the page the files are for, as :meth:`problem` names it
    label: str = "GraphiQL"
    #: what works without them, as :meth:`problem` says it
    without: str = "The GraphQL endpoint itself works without them."

    @property
    def complete(self) -> bool:
        """True when every file of the page is there."""
        return not self.missing

    def url_of(self, name: str) -> str:
        """The URL a page links ``name`` by."""
        return self.files[name].url

    def problem(self) -> str:
        """What to tell a person when assets are missing (no server path in it)."""
        packages = ", ".join(self.missing)
        return (
            f"{self.label}'s files are not installed (missing: {packages}). They come from "
            "pinned npm packages: run `make install` (it runs `npm ci` in assets/; needs "
            "Node.js and npm), or point ORDERGATE_GATEWAY_HTTP__ASSETS_DIR at a node_modules "
            f"folder that has them. {self.without}"
        )


def default_assets_dir() -> Path:
    """``assets/node_modules`` of the checkout (or image) the process runs from."""
    return Path(__file__).resolve().parents[1] / "assets" / "node_modules"


def load_web_assets(directory: Path) -> WebAssets:
    """Read GraphiQL's files from ``directory`` (a ``node_modules`` folder) into memory."""
    return load_asset_files(directory, GRAPHIQL_FILES, _START_SCRIPT)


def load_asset_files(
    directory: Path,
    specs: tuple[AssetFile, ...],
    start: AssetFile,
    *,
    prefix: str = ASSETS_PATH,
    label: str = "GraphiQL",
    without: str = "The GraphQL endpoint itself works without them.",
) -> WebAssets:
    """Read the files ``specs`` names from ``directory`` (a ``node_modules`` folder) and the
    page's own ``start`` script (shipped in this package) into memory, to be served under
    ``prefix``."""
    files: dict[str, WebAsset] = {}
    missing: list[str] = []
    for spec in specs:
        package_dir = directory / spec.package
        try:
            body = (package_dir / spec.path).read_bytes()
            version = _version_of(package_dir)
        except (OSError, ValueError):
            if spec.package not in missing:
                missing.append(spec.package)
            continue
        files[spec.name] = _asset(spec, body, f"{spec.package}@{version}", prefix)
    script = resources.files("webui").joinpath(start.path).read_bytes()
    files[start.name] = _asset(start, script, "webui", prefix)
    return WebAssets(
        files=files, missing=tuple(missing), directory=directory, label=label, without=without
    )


def _version_of(package_dir: Path) -> str:
    manifest = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    version = manifest.get("version")
    if not isinstance(version, str):
        raise ValueError(f"{package_dir.name} has no version")
    return version


def _asset(spec: AssetFile, body: bytes, origin: str, prefix: str) -> WebAsset:
    digest = hashlib.sha256(body).hexdigest()
    return WebAsset(
        name=spec.name,
        body=body,
        media_type=spec.media_type,
        etag=f'"{digest[:32]}"',
        origin=origin,
        prefix=prefix,
    )


class WebAssetsEndpoint:
    """``GET /assets/{name}``: a known file from memory (``304`` on a matching ``ETag``)."""

    def __init__(self, assets: WebAssets):
        self._assets = assets

    async def serve(self, request: Request) -> Response:
        """Serve one file; unknown names are 404 (nothing is read from disk per request)."""
        asset = self._assets.files.get(request.path_params.get("name", ""))
        if asset is None:
            return Response(status_code=404, media_type="text/plain", content="not found")
        headers = {
            "etag": asset.etag,
            "cache-control": _CACHE_CONTROL,
            "x-content-type-options": "nosniff",
        }
        if asset.etag in _etags(request.headers.get("if-none-match", "")):
            return Response(status_code=304, headers=headers)
        media_type = f"{asset.media_type}; charset=utf-8"
        return Response(content=asset.body, media_type=media_type, headers=headers)


def _etags(header: str) -> set[str]:
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}
