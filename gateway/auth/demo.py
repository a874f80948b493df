"""Development tokens for ``ordergate dev``: an HS256 issuer and three ready-made callers.

Usage (the lead's ``dev`` command)::

    secret = generate_dev_secret()
    secret_file.write_bytes(secret)
    auth = AuthSettings(issuers=[demo_issuer_settings(secret_file)], role_scopes=DEMO_ROLE_SCOPES)
    for name, token in mint_demo_tokens(secret, customer_id=some_customer_id).items():
        print(f"{name}: Authorization: Bearer {token}")

Never configure the demo issuer in production: anyone holding the secret can mint tokens.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

import jwt

from gateway.auth.settings import JwtIssuerSettings
from wire.secrets import MIN_SECRET_BYTES

__all__ = [
    "DEMO_AUDIENCE",
    "DEMO_ISSUER",
    "DEMO_PARTNER_CLIENT_ID",
    "DEMO_ROLE_SCOPES",
    "demo_issuer_settings",
    "generate_dev_secret",
    "mint_demo_tokens",
]

DEMO_ISSUER = "https://ordergate.localhost/dev-issuer"
DEMO_AUDIENCE = "ordergate"
DEMO_PARTNER_CLIENT_ID = "demo-partner"

#: the role to scope mapping the demo tokens are meant for: the admin reads and writes
#: everything; a customer reads its own data and creates, updates and cancels its own orders
#: (``orders:write:own``, the ``order_owner`` policy); a partner (a B2B sales channel) places
#: and changes orders and ships them, and reads stock
DEMO_ROLE_SCOPES: dict[str, list[str]] = {
    "admin": [
        "orders:read",
        "orders:write",
        "customers:read",
        "customers:write",
        "inventory:read",
        "inventory:write",
        "payments:read",
        "payments:write",
        "shipments:read",
        "shipments:write",
    ],
    "customer": ["orders:read", "orders:write:own", "shipments:read", "payments:read"],
    "partner": [
        "orders:read",
        "orders:write",
        "inventory:read",
        "shipments:read",
        "shipments:write",
    ],
}


def generate_dev_secret() -> bytes:
    """A fresh random HS256 secret (hex text, 64 bytes) to write to the secret file."""
    return secrets.token_hex(MIN_SECRET_BYTES).encode("ascii")


def demo_issuer_settings(secret_file: Path) -> JwtIssuerSettings:
    """The issuer settings that accept tokens from :func:`mint_demo_tokens`."""
    return JwtIssuerSettings(
        issuer=DEMO_ISSUER,
        audiences=[DEMO_AUDIENCE],
        algorithms=["HS256"],
        secret_file=secret_file,
    )


def mint_demo_tokens(
    secret: bytes,
    *,
    customer_id: str = "00000000-0000-0000-0000-000000000001",
    ttl_seconds: int = 86_400,
    now: float | None = None,
) -> dict[str, str]:
    """HS256 tokens for an ``admin``, a ``customer`` (acting for ``customer_id``) and a
    client-credentials ``partner``; each valid for ``ttl_seconds``."""
    issued = int(time.time() if now is None else now)
    base: dict[str, Any] = {
        "iss": DEMO_ISSUER,
        "aud": DEMO_AUDIENCE,
        "iat": issued,
        "nbf": issued,
        "exp": issued + ttl_seconds,
    }
    callers: dict[str, dict[str, Any]] = {
        "admin": {"sub": "demo-admin", "roles": ["admin"]},
        "customer": {"sub": "demo-customer", "roles": ["customer"], "customer_id": customer_id},
        "partner": {
            "sub": DEMO_PARTNER_CLIENT_ID,
            "client_id": DEMO_PARTNER_CLIENT_ID,
            "roles": ["partner"],
            "scope": "orders:read inventory:read",
        },
    }
    return {
        name: jwt.encode({**base, **claims}, secret, algorithm="HS256")
        for name, claims in callers.items()
    }
