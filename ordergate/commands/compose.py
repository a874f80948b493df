"""``ordergate compose``: compose the subgraph SDLs into ``schema/supergraph.graphql``.

Exit codes: 0 success (or up to date with ``--check``); 1 composition errors, or a stale
supergraph with ``--check``; 2 unreadable config or unavailable subgraph SDLs.
"""

from __future__ import annotations

import asyncio
import difflib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # the command imports the composer only when it runs (fast --help)
    from gateway.composition.compose import CompositionResult, SubgraphSource
    from gateway.composition.errors import CompositionFailedError
    from ordergate.subgraph_sources.config import SubgraphsConfig

__all__ = ["compose_command"]


def _load_sources(
    config: SubgraphsConfig, base: Path, live: bool, timeout: float
) -> list[SubgraphSource]:
    from ordergate.subgraph_sources.sources import fetch_sources, read_sources

    if live:
        return asyncio.run(fetch_sources(config, request_timeout=timeout))
    return read_sources(config, base)


def _fail(failure: CompositionFailedError, sources: list[SubgraphSource], as_json: bool) -> None:
    from gateway.composition.errors import ErrorCode
    from gateway.composition.report import format_errors

    source_codes = {ErrorCode.SUBGRAPH_CONFIG_INVALID, ErrorCode.SUBGRAPH_SDL_UNAVAILABLE}
    if as_json:
        click.echo(json.dumps({"errors": [e.to_dict() for e in failure.errors]}, indent=2))
    else:
        click.echo(format_errors(failure.errors, {s.name: s for s in sources}), err=True, nl=False)
    codes = {e.code for e in failure.errors}
    sys.exit(2 if codes <= source_codes else 1)


def _check(result: CompositionResult, output: Path) -> None:
    current = output.read_text() if output.is_file() else ""
    if current == result.supergraph_sdl:
        click.echo(f"{output} is up to date ({len(result.subgraph_names)} subgraphs)")
        return
    diff = difflib.unified_diff(
        current.splitlines(keepends=True),
        result.supergraph_sdl.splitlines(keepends=True),
        fromfile=f"{output} (committed)",
        tofile=f"{output} (composed)",
    )
    shown = "".join(list(diff)[:80])
    click.echo(
        f"{output} is stale: run `ordergate compose` and commit the result\n{shown}", err=True
    )
    sys.exit(1)


@click.command("compose")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("schema/subgraphs.yaml"),
    show_default=True,
    help="Subgraph list (names, URLs, SDL snapshot paths).",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Supergraph file [default: the config's `supergraph`, next to the config].",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the supergraph is stale.")
@click.option("--live", is_flag=True, help="Fetch SDLs from the running subgraphs (_service).")
@click.option("--save-sdl", is_flag=True, help="With --live: update the SDL snapshot files.")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds per live fetch.")
@click.option("--json", "as_json", is_flag=True, help="Report errors as JSON on stdout.")
@click.option("--hints", "show_hints", is_flag=True, help="Print composition hints.")
def compose_command(
    config_path: Path,
    output: Path | None,
    check: bool,
    live: bool,
    save_sdl: bool,
    timeout: float,
    as_json: bool,
    show_hints: bool,
) -> None:
    """Compose the subgraphs of schema/subgraphs.yaml into schema/supergraph.graphql."""
    from gateway.composition.compose import compose
    from gateway.composition.errors import CompositionFailedError
    from ordergate.subgraph_sources.config import load_config

    sources: list[SubgraphSource] = []
    try:
        config = load_config(config_path)
        base = config_path.parent
        sources = _load_sources(config, base, live, timeout)
        result = compose(sources)
    except CompositionFailedError as failure:
        _fail(failure, sources, as_json)
        return
    target = output or base / config.supergraph
    if live and save_sdl:
        for subgraph, source in zip(config.subgraphs, sources, strict=True):
            path = subgraph.sdl_path(base)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(source.sdl if source.sdl.endswith("\n") else source.sdl + "\n")
    if check:
        _check(result, target)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(result.supergraph_sdl)
    names = ", ".join(result.subgraph_names)
    click.echo(f"wrote {target} from {len(result.subgraph_names)} subgraphs ({names})")
    if show_hints:
        for hint in result.hints:
            click.echo(f"hint {hint.code}: {hint.message}", err=True)
    elif result.hints:
        click.echo(f"{len(result.hints)} hints (--hints to show them)", err=True)
