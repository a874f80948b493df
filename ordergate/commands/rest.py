"""``ordergate rest``: the REST compatibility routes, checked and described offline.

``ordergate rest check`` compiles the route file (default ``rest.routes_file`` of the gateway
settings) against the API schema of a supergraph (default ``supergraph_path``) and prints every
problem: an unknown operation, a variable without a binding, a source that cannot carry the
variable's type, ... It exits 1 on any problem (``make drift`` runs it in CI).
``ordergate rest openapi`` prints the OpenAPI 3.1 description, byte for byte what the gateway
serves at ``/api/openapi.json`` for the same files and settings.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from graphql import GraphQLSchema

    from gateway.rest.compile import RouteCatalog
    from gateway.settings import GatewaySettings

__all__ = ["rest_group"]

_ROUTES = click.option(
    "--routes",
    "routes_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The route file (default: rest.routes_file, persisted_queries/rest-routes.yaml).",
)
_SUPERGRAPH = click.option(
    "--supergraph",
    "supergraph_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The supergraph (or API schema) SDL (default: schema/supergraph.graphql).",
)


def _compile(
    routes_file: Path | None, supergraph_path: Path | None
) -> tuple[RouteCatalog, GraphQLSchema, GatewaySettings]:
    """The compiled catalog, the API schema and the settings; exits 1 when a file is unusable."""
    from graphql import GraphQLError

    from gateway.composition._api_schema import api_schema_of
    from gateway.rest.catalog import load_catalog
    from gateway.rest.config import RouteConfigError
    from gateway.settings import settings_from

    settings = settings_from(supergraph_path=supergraph_path)
    routes = routes_file or settings.rest.routes_file
    try:
        schema = api_schema_of(settings.supergraph_path.read_text(encoding="utf-8"))
    except OSError as error:
        _fail(f"cannot read {settings.supergraph_path}: {error.strerror}")
    except (GraphQLError, TypeError) as error:
        _fail(f"{settings.supergraph_path} is not a valid schema: {error}")
    try:
        catalog = load_catalog(routes, schema)
    except RouteConfigError as error:
        _fail(str(error))
    return catalog, schema, settings


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)


@click.group("rest")
def rest_group() -> None:
    """REST compatibility routes: check them against a supergraph, print their OpenAPI."""


@rest_group.command("check")
@_ROUTES
@_SUPERGRAPH
def check_command(routes_file: Path | None, supergraph_path: Path | None) -> None:
    """Compile the routes against the supergraph; print each problem, exit 1 on any."""
    from gateway.rest.openapi import openapi_problems

    catalog, _, settings = _compile(routes_file, supergraph_path)
    problems = [*catalog.problems, *openapi_problems(catalog)]
    routes = routes_file or settings.rest.routes_file
    if problems:
        click.echo(f"{routes}: {len(problems)} problem(s)", err=True)
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    click.echo(
        f"{routes}: {len(catalog.routes)} route(s) compile against {settings.supergraph_path}"
    )


@rest_group.command("openapi")
@_ROUTES
@_SUPERGRAPH
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the document to this file instead of standard output.",
)
def openapi_command(
    routes_file: Path | None, supergraph_path: Path | None, output: Path | None
) -> None:
    """Print the OpenAPI 3.1 description of the routes (what /api/openapi.json serves)."""
    from gateway.rest.openapi import build_openapi, render_openapi

    catalog, schema, settings = _compile(routes_file, supergraph_path)
    if catalog.problems:
        for problem in catalog.problems:
            click.echo(f"{problem} (left out, as the gateway does)", err=True)
    body = render_openapi(
        build_openapi(catalog, schema, api_key_header=settings.auth.api_keys.header)
    )
    if output is None:
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(body)
