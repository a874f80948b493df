"""``ordergate schema``: API-schema tools for versioning without breaking clients.

``ordergate schema diff OLD NEW`` classifies every API change as breaking, dangerous or safe
and exits 1 when a change at or above ``--fail-on`` (default: breaking) is found, 2 when an
input cannot be read. Inputs may be supergraphs (their API schema is compared) or API schemas,
for instance ``ordergate schema diff <(git show main:schema/supergraph.graphql)
schema/supergraph.graphql``. The REST routes (``--routes``, by default
``persisted_queries/rest-routes.yaml`` when it exists) are compiled against both API schemas
(the old schema gets ``--old-routes``, by default the same file) and their contract changes are
reported beside the GraphQL ones (docs/adr/1009).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from gateway.rest.contract_diff import RestChange

__all__ = ["schema_group"]

_FAIL_ON = {"breaking": 0, "dangerous": 1, "never": -1}
_DEFAULT_ROUTES = Path("persisted_queries/rest-routes.yaml")


def _read(path: Path) -> str:
    from graphql import GraphQLError

    from gateway.composition._api_schema import api_schema_of

    try:
        text = path.read_text()
        api_schema_of(text)
    except OSError as exc:
        click.echo(f"cannot read {path}: {exc.strerror}", err=True)
    except (GraphQLError, TypeError) as exc:
        click.echo(f"{path} is not a valid schema: {exc}", err=True)
    else:
        return text
    sys.exit(2)


def _rest_changes(
    old_sdl: str, new_sdl: str, old_routes: Path, new_routes: Path
) -> list[RestChange]:
    """The REST contract changes: each route file compiled against its API schema."""
    import datetime as dt

    from gateway.composition._api_schema import api_schema_of
    from gateway.rest.catalog import load_catalog
    from gateway.rest.config import RouteConfigError
    from gateway.rest.contract_diff import diff_route_catalogs

    old_schema, new_schema = api_schema_of(old_sdl), api_schema_of(new_sdl)
    try:
        old_catalog = load_catalog(old_routes, old_schema)
        new_catalog = load_catalog(new_routes, new_schema)
    except RouteConfigError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    for path, catalog in ((old_routes, old_catalog), (new_routes, new_catalog)):
        documents = path.parent / catalog.source.documents
        if not documents.is_dir():
            # every route would look unserved, and no change would be found
            click.echo(f"{path}: its documents directory {documents} is missing", err=True)
            sys.exit(2)
    now = dt.datetime.now(dt.UTC)
    return diff_route_catalogs(old_catalog, old_schema, new_catalog, new_schema, now)


@click.group("schema")
def schema_group() -> None:
    """API schema tools: derive the API schema of a supergraph, classify changes."""


@schema_group.command("diff")
@click.argument("old", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("new", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--fail-on",
    type=click.Choice(sorted(_FAIL_ON)),
    default="breaking",
    show_default=True,
    help="Exit 1 when a change of this level (or worse) is found.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@click.option(
    "--routes",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help=f"The REST route file checked against NEW [default: {_DEFAULT_ROUTES} if it exists].",
)
@click.option(
    "--old-routes",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The REST route file checked against OLD, its documents beside it (e.g. in a checkout "
    "of the base branch) [default: the --routes file].",
)
@click.option("--no-routes", is_flag=True, help="Compare the GraphQL API only.")
def diff_command(
    old: Path,
    new: Path,
    fail_on: str,
    as_json: bool,
    routes: Path | None,
    old_routes: Path | None,
    no_routes: bool,
) -> None:
    """Classify the API changes from OLD to NEW (supergraphs or API schemas), and the changes
    that break a REST route."""
    from gateway.composition.schema_diff import ChangeLevel, diff_sdl

    rank = {ChangeLevel.BREAKING: 0, ChangeLevel.DANGEROUS: 1, ChangeLevel.SAFE: 2}
    old_sdl, new_sdl = _read(old), _read(new)
    changes: list[Any] = list(diff_sdl(old_sdl, new_sdl))
    if not no_routes:
        if routes is None and _DEFAULT_ROUTES.is_file():
            routes = _DEFAULT_ROUTES
        if routes is not None:
            changes.extend(_rest_changes(old_sdl, new_sdl, old_routes or routes, routes))
            changes.sort(key=lambda change: rank[change.level])
    if as_json:
        click.echo(json.dumps({"changes": [c.to_dict() for c in changes]}, indent=2))
    elif not changes:
        click.echo("no API changes")
    else:
        for level in ChangeLevel:
            selected = [c for c in changes if c.level is level]
            if selected:
                click.echo(f"{level.upper()} ({len(selected)})")
                for change in selected:
                    click.echo(f"  {change.code}: {change.message}")
    threshold = _FAIL_ON[fail_on]
    if any(rank[c.level] <= threshold for c in changes):
        sys.exit(1)


@schema_group.command("api")
@click.argument("supergraph", type=click.Path(path_type=Path, dir_okay=False))
def api_command(supergraph: Path) -> None:
    """Print the API schema clients see of SUPERGRAPH."""
    from graphql import print_schema

    from gateway.composition._api_schema import api_schema_of

    click.echo(print_schema(api_schema_of(_read(supergraph))))
