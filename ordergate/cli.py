"""The ``ordergate`` command line: one group; each sub-command lives in ``ordergate/commands/``."""

from __future__ import annotations

import importlib

import click

#: ``name -> "module:attribute"`` of every sub-command, imported only when it is invoked.
COMMANDS: dict[str, str] = {
    "apikey": "ordergate.commands.apikey:apikey_group",
    "compose": "ordergate.commands.compose:compose_command",
    "dev": "ordergate.commands.dev:dev",
    "gateway": "ordergate.commands.gateway:gateway_command",
    "import": "ordergate.commands.import_:import_group",
    "migrate": "ordergate.commands.migrate:migrate",
    "pq": "ordergate.commands.pq:pq_command",
    "rest": "ordergate.commands.rest:rest_group",
    "schema": "ordergate.commands.schema:schema_group",
    "seed": "ordergate.commands.seed:seed",
    "subgraph": "ordergate.commands.subgraph:subgraph",
    "worker": "ordergate.commands.worker:worker_command",
}


class _LazyGroup(click.Group):
    """A click group that imports a sub-command's module only when that command runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module_name, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command


@click.group(cls=_LazyGroup)
@click.version_option(package_name="ordergate")
def main() -> None:
    """Ordergate: a GraphQL federation gateway for order management."""
