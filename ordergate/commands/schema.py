"""``ordergate schema``: API-schema tools for versioning without breaking clients.

``ordergate schema diff OLD NEW`` classifies every API change as breaking, dangerous or safe
and exits 1 when a change at or above ``--fail-on`` (default: breaking) is found, 2 when an
input cannot be read. Inputs may be supergraphs (their API schema is compared) or API schemas,
for instance ``ordergate schema diff <(git show main:schema/supergraph.graphql)
schema/supergraph.graphql``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

__all__ = ["schema_group"]

_FAIL_ON = {"breaking": 0, "dangerous": 1, "never": -1}


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
def diff_command(old: Path, new: Path, fail_on: str, as_json: bool) -> None:
    """Classify the API changes from OLD to NEW (supergraphs or API schemas)."""
    from gateway.composition.schema_diff import ChangeLevel, diff_sdl

    rank = {ChangeLevel.BREAKING: 0, ChangeLevel.DANGEROUS: 1, ChangeLevel.SAFE: 2}
    changes = diff_sdl(_read(old), _read(new))
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
