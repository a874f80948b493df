"""What the subgraph commands share: where each database is, and how to show a URL."""

from __future__ import annotations

from pathlib import Path

import click

from subgraphs.registry import SUBGRAPH_NAMES, definition, sqlite_url

__all__ = [
    "DEFAULT_DATA_DIR",
    "data_dir_option",
    "database_urls",
    "names_argument",
    "printable_url",
]

#: Where ``ordergate dev`` keeps its SQLite databases (relative to the working directory).
DEFAULT_DATA_DIR = Path("data")

names_argument = click.argument(
    "names", nargs=-1, type=click.Choice(SUBGRAPH_NAMES), metavar="[SUBGRAPH]..."
)
data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Use SQLite files DATA_DIR/<subgraph>.db instead of the configured database URLs.",
)


def database_urls(
    names: tuple[str, ...], data_dir: Path | None, database_url: str | None = None
) -> dict[str, str]:
    """``name -> database URL`` for ``names`` (all subgraphs when empty).

    ``database_url`` (one subgraph only) wins, then ``data_dir``, then each subgraph's settings
    (``ORDERGATE_<NAME>_DATABASE_URL`` or its default).
    """
    chosen = names or SUBGRAPH_NAMES
    if database_url is not None:
        if len(chosen) != 1:
            raise click.UsageError("--database-url needs exactly one SUBGRAPH")
        return {chosen[0]: database_url}
    if data_dir is not None:
        return {name: sqlite_url(data_dir, name) for name in chosen}
    return {name: definition(name).settings().database_url for name in chosen}


def printable_url(url: str) -> str:
    """``url`` with any password hidden."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
