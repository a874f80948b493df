"""``ordergate apikey``: create and revoke the partners' API keys in the gateway's key file.

``create`` prints the new key once (only its SHA-256 hash is stored) and appends the entry;
``revoke`` marks an entry revoked. Running gateways pick the change up within
``auth.api_keys.reload_interval_seconds`` (default 5 s). The file is ``--file`` or the
gateway's ``auth.api_keys.file`` setting (``ORDERGATE_GATEWAY_AUTH__API_KEYS__FILE``).
"""

from __future__ import annotations

import secrets
from pathlib import Path

import click

__all__ = ["apikey_group"]

_file_option = click.option(
    "--file",
    "key_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The YAML key file (default: the gateway's auth.api_keys.file setting).",
)


def _key_file(given: Path | None) -> Path:
    if given is not None:
        return given
    from gateway.settings import GatewaySettings

    configured = GatewaySettings().auth.api_keys.file
    if configured is None:
        raise click.UsageError("no key file: pass --file or set auth.api_keys.file")
    return configured


def _names(values: tuple[str, ...]) -> list[str]:
    """``--roles a,b --roles c`` -> ``[a, b, c]`` (blank parts dropped, order kept, unique)."""
    found: list[str] = []
    for value in values:
        for part in value.split(","):
            name = part.strip()
            if name and name not in found:
                found.append(name)
    return found


@click.group("apikey")
def apikey_group() -> None:
    """Create and revoke API keys of server-to-server partners."""


@apikey_group.command("create")
@click.option("--client-id", required=True, help="The partner (OAuth client) the key belongs to.")
@click.option("--roles", multiple=True, help="Roles granted, comma-separated (repeatable).")
@click.option("--scopes", multiple=True, help="Scopes granted, comma-separated (repeatable).")
@click.option("--customer-id", default=None, help="The customer the key acts for, if any.")
@click.option("--id", "key_id", default=None, help="Public key id (default <client-id>-<random>).")
@click.option("--description", default="", help="Free text for operators.")
@_file_option
def create_command(
    client_id: str,
    roles: tuple[str, ...],
    scopes: tuple[str, ...],
    customer_id: str | None,
    key_id: str | None,
    description: str,
    key_file: Path | None,
) -> None:
    """Make a key, store its hash, print the key once."""
    from gateway.auth.api_keys import ApiKeyRecord, generate_api_key, hash_api_key
    from ordergate.commands._api_key_file import ApiKeyFileEditError, append_key

    path = _key_file(key_file)
    key = generate_api_key()
    record = ApiKeyRecord(
        id=key_id or f"{client_id}-{secrets.token_hex(4)}",
        hash=hash_api_key(key),
        client_id=client_id,
        roles=_names(roles),
        scopes=_names(scopes),
        customer_id=customer_id,
        description=description,
    )
    try:
        append_key(path, record)
    except ApiKeyFileEditError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"key id: {record.id} (added to {path})")
    click.echo(f"API key (shown once, give it to {client_id}): {key}")
    click.echo(f"curl -H 'X-API-Key: {key}' -H 'content-type: application/json' ...")


@apikey_group.command("revoke")
@click.argument("key_id")
@_file_option
def revoke_command(key_id: str, key_file: Path | None) -> None:
    """Revoke key KEY_ID (gateways refuse it after their next reload)."""
    from ordergate.commands._api_key_file import ApiKeyFileEditError, revoke_key

    path = _key_file(key_file)
    try:
        changed = revoke_key(path, key_id)
    except ApiKeyFileEditError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"key {key_id} {'revoked' if changed else 'was already revoked'} in {path}")
