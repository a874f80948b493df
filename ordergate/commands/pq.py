"""``ordergate pq``: build and register trusted-document manifests.

- ``ordergate pq extract src/**/*.graphql --client web-app -o web-app.json``
- ``ordergate pq push web-app.json --client web-app`` (into ``persisted_queries/manifests/``;
  running gateways pick it up on their own)
- ``ordergate pq check`` (load the clients file and every manifest, as a gateway would)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # the commands import graphql and the gateway only when they run
    from graphql import GraphQLSchema

    from gateway.limits.budget import BudgetPolicy

_CONFIG = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("persisted_queries/clients.yaml"),
    show_default=True,
    help="The clients file.",
)
_SCHEMA = click.option(
    "--schema",
    "schema_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="Validate documents against this SDL (plain schema or supergraph).",
)


def _schema(path: Path | None) -> GraphQLSchema | None:
    from gateway.persisted.extract import schema_from_sdl

    return schema_from_sdl(path.read_text(encoding="utf-8")) if path else None


@click.group("pq")
def pq_command() -> None:
    """Persisted queries: trusted-document manifests per client."""


@pq_command.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--client", "client_name", required=True, help="The client id the manifest is for.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the manifest here (default: standard output).",
)
@_SCHEMA
def extract_command(
    paths: tuple[Path, ...], client_name: str, output: Path | None, schema_path: Path | None
) -> None:
    """Build a manifest from .graphql files (directories are searched recursively)."""
    from gateway.persisted.extract import extract_documents
    from gateway.persisted.manifest import ManifestError, dump_manifest

    files = sorted(
        {f for p in paths for f in ([p] if p.is_file() else p.rglob("*.graphql")) if f.is_file()}
    )
    sources = {str(f): f.read_text(encoding="utf-8") for f in files}
    try:
        documents = extract_documents(sources, client_name, _schema(schema_path))
    except ManifestError as error:
        raise click.ClickException(str(error)) from error
    text = dump_manifest(documents)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{len(documents)} document(s) from {len(files)} file(s) -> {output}", err=True)


@pq_command.command("push")
@click.argument("manifest", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--client", "client_name", required=True, help="The client id the manifest is for.")
@_CONFIG
@_SCHEMA
def push_command(
    manifest: Path, client_name: str, config_path: Path, schema_path: Path | None
) -> None:
    """Register a manifest for a client (merged into manifests/<client>.json)."""
    from gateway.persisted.clients import (
        ClientsConfigError,
        conventional_manifest,
        read_clients_config,
    )
    from gateway.persisted.extract import push_manifest
    from gateway.persisted.manifest import ManifestError

    destination = conventional_manifest(config_path.parent, client_name)
    try:
        summary = push_manifest(manifest, client_name, destination, _schema(schema_path))
    except ManifestError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{summary.added} added, {summary.unchanged} already registered -> {summary.path}")
    listed = False
    if config_path.exists():
        try:
            listed = client_name in read_clients_config(config_path).clients
        except ClientsConfigError as error:
            raise click.ClickException(str(error)) from error
    if not listed:
        click.echo(
            f"warning: {client_name!r} is not in {config_path}; add it (with mode: safelist) "
            "for its documents to be served",
            err=True,
        )


@pq_command.command("check")
@_CONFIG
def check_command(config_path: Path) -> None:
    """Load the clients file and its manifests as the gateway would."""
    from gateway.persisted.clients import ClientRegistry, ClientsConfigError

    if not config_path.exists():
        raise click.ClickException(f"{config_path} does not exist")
    try:
        registry = ClientRegistry.load(config_path)
    except ClientsConfigError as error:
        raise click.ClickException(str(error)) from error
    for name, profile in sorted(registry.clients.items()):
        documents = len({d.id for d in profile.documents.values()})
        click.echo(
            f"{name}: {profile.mode}, {documents} document(s), budget {_budget(profile.budget)}"
        )
    click.echo(f"defaults: {registry.default.mode}, budget {_budget(registry.default.budget)}")


def _budget(budget: BudgetPolicy | None) -> str:
    if budget is None:
        return "the gateway's default (limits.unidentified.budget)"
    return (
        f"{budget.capacity:g} (+{budget.refill_per_second:g}/s, "
        f"max {budget.max_operation_cost:g}, {budget.mode})"
    )
