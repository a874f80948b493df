"""``ordergate dev``: the whole system on the embedded defaults, in one process.

It migrates and seeds SQLite databases under ``--data-dir``, serves the four subgraphs, composes
their SDLs into ``<data-dir>/supergraph.graphql`` (with the URLs they really listen on) and
serves the gateway in front of them, then prints every URL. Each app is one
:meth:`ServerGroup.add` call in :func:`build_dev_stack`. Demo authentication
(:mod:`ordergate.commands._dev_auth`): the gateway accepts demo tokens and a demo API key and
signs the principal it forwards; the subgraphs verify it; ready-to-use tokens are printed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ordergate.commands._demo_env import write_demo_env
from ordergate.commands._subgraph_options import DEFAULT_DATA_DIR, database_urls
from ordergate.commands.migrate import migrate_databases
from ordergate.commands.seed import seed_all
from subgraphs.registry import SUBGRAPH_NAMES, definition

if TYPE_CHECKING:  # the gateway, the subgraphs and uvicorn are imported when the stack runs
    from starlette.types import ASGIApp

    from ordergate.commands._dev_auth import DevAuth
    from ordergate.commands._serving import ServerGroup

__all__ = ["GATEWAY_PORT", "DevOptions", "build_dev_stack", "dev", "prepare_databases"]

#: The gateway's port in the dev stack (before ``--port-offset``).
GATEWAY_PORT = 4000


@dataclass(frozen=True, slots=True)
class DevOptions:
    """How ``ordergate dev`` runs."""

    data_dir: Path = DEFAULT_DATA_DIR
    host: str = "127.0.0.1"
    seed: bool = True
    log_level: str = "info"
    #: 0 serves each app on its own default port; another value adds to every port (tests use
    #: port_offset=None with free ports instead)
    port_offset: int | None = 0


async def prepare_databases(options: DevOptions) -> dict[str, str]:
    """Migrate (and seed) the SQLite databases; returns ``subgraph -> URL``."""
    from subgraphs.seed import SeedConfig

    urls = database_urls((), options.data_dir)
    if options.seed:
        await seed_all(urls, SeedConfig())
    else:
        await migrate_databases(urls)
    return urls


def build_dev_stack(options: DevOptions, urls: dict[str, str]) -> ServerGroup:
    """Every app of the development stack, not yet started."""
    from ordergate.commands._dev_auth import prepare_dev_auth
    from ordergate.commands._serving import ServerGroup

    group = ServerGroup(signals=True, log_level=options.log_level)
    auth = prepare_dev_auth(options.data_dir)
    for name in SUBGRAPH_NAMES:
        found = definition(name)
        settings = found.settings(
            database_url=urls[name], host=options.host, **auth.subgraph_overrides()
        )
        port = 0 if options.port_offset is None else settings.port + options.port_offset
        group.add(name, found.create_app(settings), host=options.host, port=port)
    gateway_port = 0 if options.port_offset is None else GATEWAY_PORT + options.port_offset
    group.add_factory(
        "gateway",
        lambda served: _gateway_app(options, served, auth),
        host=options.host,
        port=gateway_port,
    )
    return group


def compose_dev_supergraph(group: ServerGroup, path: Path) -> Path:
    """Compose the subgraphs' SDLs with the URLs they listen on into ``path``."""
    from gateway.composition import SubgraphSource, compose
    from subgraphs.snapshots import sdl_of

    sources = [SubgraphSource(name, group.url_of(name), sdl_of(name)) for name in SUBGRAPH_NAMES]
    path.write_text(compose(sources).supergraph_sdl, encoding="utf-8")
    return path


def dev_routes_file(cwd: Path | None = None) -> Path:
    """The REST route file of the dev stack: ``persisted_queries/rest-routes.yaml`` of the
    working directory, else the checkout's own (``ordergate dev`` started elsewhere)."""
    local = (cwd or Path.cwd()) / "persisted_queries" / "rest-routes.yaml"
    if local.exists():
        return local
    return Path(__file__).resolve().parents[2] / "persisted_queries" / "rest-routes.yaml"


def _gateway_app(options: DevOptions, group: ServerGroup, auth: DevAuth) -> ASGIApp:
    from gateway.rest.settings import RestSettings
    from gateway.settings import GatewaySettings
    from ordergate.examples import CROSS_SUBGRAPH_QUERY
    from ordergate.gateway_app import gateway_app

    supergraph = compose_dev_supergraph(group, options.data_dir / "supergraph.graphql")
    settings = GatewaySettings(
        supergraph_path=supergraph,
        watch_supergraph=False,
        auth=auth.auth_settings(),
        principal_headers=auth.principal_settings(),
        rest=RestSettings(routes_file=dev_routes_file()),
    )
    admin = auth.tokens(DEMO_CUSTOMER_PLACEHOLDER)["admin"]
    headers = f'{{"Authorization": "Bearer {admin}"}}'
    return gateway_app(settings, graphiql_query=CROSS_SUBGRAPH_QUERY, graphiql_headers=headers)


#: the admin token names no customer; any id will do
DEMO_CUSTOMER_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


async def demo_tokens(options: DevOptions, urls: dict[str, str]) -> dict[str, str]:
    """Demo tokens of the stack: ``admin``, ``customer`` (a real seeded customer), ``partner``."""
    from ordergate.commands._dev_auth import prepare_dev_auth

    customer = await demo_customer(urls)
    return prepare_dev_auth(options.data_dir).tokens(customer)


async def demo_customer(urls: dict[str, str]) -> str:
    """The seeded customer the demo customer token acts for."""
    from ordergate.commands._dev_auth import demo_customer_id

    return await demo_customer_id(urls["orders"]) or DEMO_CUSTOMER_PLACEHOLDER


def print_demo_credentials(gateway_url: str, tokens: dict[str, str], api_key: str) -> None:
    """The demo tokens and API key, each with a curl example."""
    body = """'{"query":"{ orders(first: 3) { totalCount edges { node { number } } } }"}'"""
    curl = f"curl -s {gateway_url} -H 'content-type: application/json' -d {body}"
    click.echo("\nDemo credentials (never use them in production):")
    notes = {
        "admin": "every order, payment and shipment; every mutation",
        "customer": "one seeded customer: only its own orders, payments and shipments; "
        "creates, updates and cancels its own orders",
        "partner": "orders and shipments, places orders and ships them; no payments:read "
        "(payment details come back null)",
    }
    for name, token in tokens.items():
        click.echo(f"  {name} token ({notes.get(name, name)}):\n    {token}")
        click.echo(f"    {curl} -H 'Authorization: Bearer {token}'")
    click.echo(f"  partner API key (client demo-partner):\n    {api_key}")
    click.echo(f"    {curl} -H 'X-API-Key: {api_key}'")
    click.echo("  GraphiQL opens with the admin token in its headers editor.")


async def run_dev(options: DevOptions) -> None:
    """Prepare the databases, start every app, print the URLs, serve until interrupted."""
    from ordergate.commands._dev_auth import prepare_dev_auth

    urls = await prepare_databases(options)
    group = build_dev_stack(options, urls)
    async with group:
        click.echo(f"Ordergate dev stack (data in {options.data_dir.resolve()}):")
        for served in group.served:
            click.echo(f"  {served.name:<10} {served.url}")
        tokens = await demo_tokens(options, urls)
        api_key = prepare_dev_auth(options.data_dir).api_key
        print_demo_credentials(group.url_of("gateway"), tokens, api_key)
        env_file = write_demo_env(
            options.data_dir, tokens, api_key, await demo_customer(urls), group.url_of("gateway")
        )
        click.echo(
            f"  The same as shell variables for the README's examples: source {env_file}"
            "\n  ($ADMIN_TOKEN, $CUSTOMER_TOKEN, $PARTNER_TOKEN, $PARTNER_KEY, $CUSTOMER_ID)"
        )
        click.echo(f"\nGraphiQL: open {group.url_of('gateway')} in a browser.")
        gateway = group.url_of("gateway").removesuffix("/graphql")
        click.echo(
            f"Imports (HTTP 202 jobs): ordergate import orders FILE --gateway {gateway} "
            f"--api-key {api_key}"
        )
        click.echo(
            f"REST for legacy callers: {gateway}/api/v1 (OpenAPI {gateway}/api/openapi.json, "
            f"Swagger UI {gateway}/api/docs)"
        )
        click.echo(f"Metrics: {gateway}/metrics")
        click.echo("Press Ctrl+C to stop.")
        await group.wait()


@click.command()
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_DATA_DIR,
    show_default=True,
    help="Where the SQLite databases live.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--seed/--no-seed", default=True, show_default=True, help="Seed empty databases.")
@click.option("--port-offset", default=0, show_default=True, type=int,
              help="Added to every default port (run two stacks side by side).")  # fmt: skip
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["debug", "info", "warning", "error"]))  # fmt: skip
def dev(data_dir: Path, host: str, seed: bool, port_offset: int, log_level: str) -> None:
    """Migrate and seed SQLite databases, serve the four subgraphs and the gateway (GraphiQL)."""
    from subgraphs.common.logging import configure_logging

    configure_logging(log_level)
    options = DevOptions(
        data_dir=data_dir, host=host, seed=seed, log_level=log_level, port_offset=port_offset
    )
    asyncio.run(run_dev(options))
