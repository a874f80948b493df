"""Demo authentication of ``ordergate dev``: secrets kept in the data directory, demo tokens.

Made once per data directory (under ``<data-dir>/dev-auth/``, readable by the owner only) and
reused on every start: the HS256 secret of the demo issuer, the secret the gateway signs
forwarded principals with (the subgraphs verify them), and one demo partner API key (the keys
file holds its hash; the key itself is kept beside it so that it can be printed again).

The gateway gets the demo issuer, the demo role to scope mapping and the keys file; the
subgraphs get principal verification with the shared secret. Tokens are minted at each start
(valid 24 h) for an admin, a real seeded customer and a partner without ``payments:read``.
Never use any of it in production: anyone holding these files can act as anybody.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from gateway.auth.api_keys import ApiKeyRecord, generate_api_key, hash_api_key
from gateway.auth.demo import (
    DEMO_PARTNER_CLIENT_ID,
    DEMO_ROLE_SCOPES,
    demo_issuer_settings,
    generate_dev_secret,
    mint_demo_tokens,
)
from gateway.auth.settings import ApiKeySettings, AuthSettings
from ordergate.commands._api_key_file import append_key
from subgraphs.common.db import create_engine
from wire.forwarding import PrincipalHeadersSettings

__all__ = ["DEMO_API_KEY_ID", "DevAuth", "demo_customer_id", "prepare_dev_auth"]

#: the id of the demo partner API key in the keys file
DEMO_API_KEY_ID = "demo-partner-key"


def _write_private(path: Path, content: bytes) -> None:
    path.touch(mode=0o600)
    path.write_bytes(content)


def _secret_file(path: Path) -> Path:
    if not path.is_file():
        _write_private(path, generate_dev_secret() + b"\n")
    return path


@dataclass(frozen=True, slots=True)
class DevAuth:
    """The demo credentials of one data directory."""

    jwt_secret_file: Path
    principal_secret_file: Path
    api_keys_file: Path
    api_key: str

    def auth_settings(self) -> AuthSettings:
        """The gateway's authentication: the demo issuer, API keys, the demo roles."""
        return AuthSettings(
            issuers=[demo_issuer_settings(self.jwt_secret_file)],
            api_keys=ApiKeySettings(file=self.api_keys_file),
            role_scopes=DEMO_ROLE_SCOPES,
        )

    def principal_settings(self) -> PrincipalHeadersSettings:
        """The gateway signs the principal it forwards with the shared secret."""
        return PrincipalHeadersSettings(mode="signed", secret_file=self.principal_secret_file)

    def subgraph_overrides(self) -> dict[str, object]:
        """Subgraph settings verifying the gateway's signature (a request without the
        principal header, e.g. GraphiQL on a subgraph itself, stays allowed in development)."""
        return {
            "principal_mode": "anonymous",
            "principal_trust": "signature",
            "principal_secret_file": self.principal_secret_file,
        }

    def tokens(self, customer_id: str) -> dict[str, str]:
        """Fresh demo tokens: ``admin``, ``customer`` (acting for ``customer_id``), ``partner``."""
        return mint_demo_tokens(self.jwt_secret_file.read_bytes().strip(), customer_id=customer_id)


def prepare_dev_auth(data_dir: Path) -> DevAuth:
    """The demo credentials of ``data_dir``, made on first use and kept."""
    folder = data_dir / "dev-auth"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    keys_file = folder / "api-keys.yaml"
    key_file = folder / "demo-api-key"
    if not key_file.is_file() or not keys_file.is_file():
        key = generate_api_key("ogdev")
        keys_file.unlink(missing_ok=True)
        append_key(
            keys_file,
            ApiKeyRecord(
                id=DEMO_API_KEY_ID,
                hash=hash_api_key(key),
                client_id=DEMO_PARTNER_CLIENT_ID,
                roles=["partner"],
                description="ordergate dev: the demo partner",
            ),
        )
        _write_private(key_file, key.encode("ascii") + b"\n")
    return DevAuth(
        jwt_secret_file=_secret_file(folder / "jwt-hs256.secret"),
        principal_secret_file=_secret_file(folder / "principal-signing.secret"),
        api_keys_file=keys_file,
        api_key=key_file.read_text(encoding="ascii").strip(),
    )


async def demo_customer_id(orders_database_url: str) -> str | None:
    """A real seeded customer for the demo token: the one with the most orders (ties by id)."""
    from subgraphs.orders.models import Order

    engine = create_engine(orders_database_url)
    try:
        async with engine.connect() as connection:
            count = func.count(Order.id)
            row = (
                await connection.execute(
                    select(Order.customer_id)
                    .group_by(Order.customer_id)
                    .order_by(count.desc(), Order.customer_id)
                    .limit(1)
                )
            ).first()
    finally:
        await engine.dispose()
    return str(row[0]) if row is not None else None
