"""Where subgraph SDLs come from: snapshot files, or the running subgraphs themselves.

A running Federation subgraph answers ``{ _service { sdl } }`` with its SDL (including the
federation directives, unlike introspection). Every subgraph that cannot be read is reported,
not just the first one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path

import httpx

from gateway.composition.compose import SubgraphSource
from gateway.composition.errors import CompositionError, CompositionFailedError, ErrorCode
from ordergate.subgraph_sources.config import SubgraphConfig, SubgraphsConfig

__all__ = ["SERVICE_SDL_QUERY", "fetch_sources", "read_sources"]

SERVICE_SDL_QUERY = "query SubgraphServiceSdl { _service { sdl } }"


def _unavailable(name: str, message: str) -> CompositionError:
    return CompositionError(ErrorCode.SUBGRAPH_SDL_UNAVAILABLE, message, name)


def read_sources(config: SubgraphsConfig, base: Path) -> list[SubgraphSource]:
    """The SDL snapshot of every subgraph of ``config`` (paths relative to ``base``)."""
    sources: list[SubgraphSource] = []
    errors: list[CompositionError] = []
    for subgraph in config.subgraphs:
        path = subgraph.sdl_path(base)
        try:
            sdl = path.read_text()
        except OSError as exc:
            errors.append(_unavailable(subgraph.name, f"cannot read {path}: {exc.strerror}"))
            continue
        sources.append(SubgraphSource(subgraph.name, subgraph.url, sdl, str(path)))
    if errors:
        raise CompositionFailedError(errors)
    return sources


async def _fetch_one(
    client: httpx.AsyncClient, subgraph: SubgraphConfig
) -> SubgraphSource | CompositionError:
    url = subgraph.introspection_url or subgraph.url
    try:
        response = await client.post(
            url,
            json={"query": SERVICE_SDL_QUERY, "operationName": "SubgraphServiceSdl"},
            headers={"accept": "application/graphql-response+json, application/json"},
        )
    except httpx.HTTPError as exc:
        return _unavailable(subgraph.name, f"cannot reach {url}: {exc!r}")
    if response.status_code != httpx.codes.OK:
        return _unavailable(subgraph.name, f"{url} answered HTTP {response.status_code}")
    try:
        payload = response.json()
    except ValueError:
        return _unavailable(subgraph.name, f"{url} did not answer with JSON")
    errors = payload.get("errors") if isinstance(payload, dict) else None
    data = payload.get("data") if isinstance(payload, dict) else None
    service = data.get("_service") if isinstance(data, dict) else None
    sdl = service.get("sdl") if isinstance(service, dict) else None
    if not isinstance(sdl, str):
        detail = f": {errors[0].get('message')}" if isinstance(errors, list) and errors else ""
        return _unavailable(
            subgraph.name, f"{url} did not return `_service {{ sdl }}` (is it a subgraph?){detail}"
        )
    return SubgraphSource(subgraph.name, subgraph.url, sdl, url)


async def fetch_sources(
    config: SubgraphsConfig,
    *,
    client: httpx.AsyncClient | None = None,
    request_timeout: float = 10.0,
    headers: Mapping[str, str] | None = None,
) -> list[SubgraphSource]:
    """Ask every running subgraph of ``config`` for its SDL, concurrently.

    ``request_timeout`` (seconds) and ``headers`` apply when no ``client`` is given.
    """
    own_client = client is None
    http = client or httpx.AsyncClient(timeout=request_timeout, headers=dict(headers or {}))
    try:
        results = await asyncio.gather(*(_fetch_one(http, s) for s in config.subgraphs))
    finally:
        if own_client:
            await http.aclose()
    errors = [r for r in results if isinstance(r, CompositionError)]
    if errors:
        raise CompositionFailedError(errors)
    return [r for r in results if isinstance(r, SubgraphSource)]
