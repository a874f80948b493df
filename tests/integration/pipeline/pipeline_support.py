"""Helpers for the pipeline's end-to-end tests: the fixture supergraph, credentials, settings,
and a gateway served by uvicorn with an httpx client pointed at it."""

from __future__ import annotations

import hashlib
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import jwt
import yaml
from live_server import live_server
from orders_subgraphs import SubgraphLog
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.auth import generate_api_key, hash_api_key
from gateway.composition import SubgraphSource, compose
from gateway.persisted.manifest import TrustedDocument, dump_manifest
from gateway.settings import GatewaySettings

FIXTURES = Path(__file__).parent / "fixtures"
ISSUER = "https://idp.test/"
AUDIENCE = "ordergate"
#: a header that proves a CORS preflight happened (needed on GET requests)
PREFLIGHT = {"apollo-require-preflight": "true"}


@cache
def supergraph_sdl() -> str:
    """The fixture supergraph, composed from ``fixtures/orders.graphql`` and
    ``fixtures/payments.graphql`` (URLs are replaced by the running subgraphs' in settings)."""
    sources = [
        SubgraphSource(
            name, f"http://127.0.0.1:1/{name}", (FIXTURES / f"{name}.graphql").read_text()
        )
        for name in ("orders", "payments")
    ]
    return compose(sources).supergraph_sdl


def merged(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``extra`` merged in, nested dictionaries merged key by key."""
    result = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


@dataclass
class Subgraphs:
    """The running subgraphs: their URLs and what they received."""

    urls: dict[str, str]
    log: SubgraphLog


@dataclass
class Credentials:
    """An HS256 issuer and an API key file, both in a test's temporary directory."""

    directory: Path
    secret: bytes = b"x" * 48
    keys: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.secret_file.write_bytes(self.secret)
        self._write_keys()

    @property
    def secret_file(self) -> Path:
        return self.directory / "issuer.secret"

    @property
    def key_file(self) -> Path:
        return self.directory / "api-keys.yaml"

    def auth_settings(self, **overrides: Any) -> dict[str, Any]:
        """The ``auth`` settings section trusting this issuer and key file."""
        return {
            "issuers": [
                {
                    "issuer": ISSUER,
                    "audiences": [AUDIENCE],
                    "algorithms": ["HS256"],
                    "secret_file": str(self.secret_file),
                    "leeway_seconds": 0,
                }
            ],
            "api_keys": {"file": str(self.key_file), "reload_interval_seconds": 0},
            **overrides,
        }

    def token(
        self,
        subject: str = "user-1",
        *,
        scopes: str = "",
        client_id: str | None = None,
        expires_in: int = 600,
        **claims: Any,
    ) -> str:
        """A signed access token."""
        now = int(time.time())
        body: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": subject,
            "iat": now - 5,
            "exp": now + expires_in,
            "scope": scopes,
            **claims,
        }
        if client_id is not None:
            body["client_id"] = client_id
        return jwt.encode(body, self.secret, algorithm="HS256")

    def bearer(self, *args: Any, **kwargs: Any) -> dict[str, str]:
        """An ``Authorization`` header carrying :meth:`token`."""
        return {"authorization": f"Bearer {self.token(*args, **kwargs)}"}

    def add_api_key(self, key_id: str, client_id: str, scopes: list[str]) -> str:
        """Register a new API key; returns the key to send."""
        key = generate_api_key()
        self.keys.append(
            {
                "id": key_id,
                "hash": hash_api_key(key),
                "client_id": client_id,
                "scopes": scopes,
                "revoked": False,
            }
        )
        self._write_keys()
        return key

    def revoke(self, key_id: str) -> None:
        """Mark the key ``key_id`` revoked in the file."""
        for entry in self.keys:
            if entry["id"] == key_id:
                entry["revoked"] = True
        self._write_keys()

    def _write_keys(self) -> None:
        self.key_file.write_text(yaml.safe_dump({"keys": self.keys}))


def gateway_settings(
    directory: Path, subgraph_urls: Mapping[str, str], **sections: Any
) -> GatewaySettings:
    """Settings serving the fixture supergraph; ``sections`` are merged into the defaults."""
    supergraph = directory / "supergraph.graphql"
    supergraph.write_text(supergraph_sdl())
    base: dict[str, Any] = {
        "supergraph_path": str(supergraph),
        "watch_supergraph": False,
        "subgraphs": {"urls": dict(subgraph_urls), "timeout_seconds": 5},
        "persisted": {"clients_file": str(directory / "clients.yaml"), "watch": False},
    }
    return GatewaySettings(**merged(base, sections))


@asynccontextmanager
async def serve(settings: GatewaySettings) -> AsyncIterator[tuple[httpx.AsyncClient, Starlette]]:
    """The gateway app for ``settings`` on a live socket, and a client pointed at it."""
    app = create_app(settings)
    async with live_server(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
        yield client, app


def error_codes(payload: Any) -> list[str]:
    """The ``extensions.code`` of every error of a response payload."""
    return [error["extensions"]["code"] for error in payload.get("errors", ())]


PARTNER_ORDERS = "query PartnerOrders($first: Int) { orders(first: $first) { id number } }"
PARTNER_ORDERS_ID = "partner-orders-v1"
CLIENTS = """
version: 1
defaults:
  mode: allow-all
  budget: {capacity: 1000, refill_per_second: 50, max_operation_cost: 1000, mode: measure}
clients:
  acme:                 # a safelisted partner on a firm budget
    mode: safelist
    budget: {capacity: 40, refill_per_second: 0.01, max_operation_cost: 30, mode: enforce}
  web:                  # our front end: documents by hash only
    mode: apq
  beta:                 # another partner, its own bucket
    mode: allow-all
    budget: {capacity: 100, refill_per_second: 0, max_operation_cost: 100, mode: enforce}
"""


def write_clients(directory: Path, text: str = CLIENTS) -> None:
    """The clients file, and acme's manifest holding ``PartnerOrders``."""
    (directory / "clients.yaml").write_text(text)
    manifests = directory / "manifests"
    manifests.mkdir(exist_ok=True)
    document = TrustedDocument(PARTNER_ORDERS_ID, PARTNER_ORDERS, "acme")
    (manifests / "acme.json").write_text(dump_manifest([document]))


def apq(query: str) -> dict[str, Any]:
    """The APQ extension naming ``query`` by its SHA-256."""
    digest = hashlib.sha256(query.encode()).hexdigest()
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


@dataclass(frozen=True)
class StoreChoice:
    """Which implementation the stateful stores use in a test, as settings sections."""

    kind: str
    sections: dict[str, Any]
