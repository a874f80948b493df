"""The gateway in front of the four served subgraphs, in the two deployments tests cover.

``embedded``: SQLite databases, every gateway store in process (what ``ordergate dev`` runs).
``production``: PostgreSQL, and the gateway's stores in Redis under a key prefix unique to the
test (removed afterwards).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml
from live_server import live_server
from order_stack import OrderStack
from starlette.applications import Starlette

from gateway.auth import generate_api_key, hash_api_key
from gateway.composition import SubgraphSource, compose
from gateway.settings import GatewaySettings
from ordergate.gateway_app import gateway_app
from subgraphs.registry import SUBGRAPH_NAMES
from subgraphs.snapshots import sdl_of

#: every client allowed raw documents with a budget that never refuses
OPEN_CLIENTS = """
version: 1
defaults:
  mode: allow-all
  budget: {capacity: 100000, refill_per_second: 1000, max_operation_cost: 100000, mode: measure}
"""

#: what the deployment's writer API key may do: read and write everything (no mutation runs
#: anonymously, docs/security.md)
WRITER_SCOPES = [
    f"{domain}:{access}"
    for domain in ("orders", "customers", "inventory", "payments", "shipments")
    for access in ("read", "write")
]


@dataclass
class Deployment:
    """Where the subgraphs run and where the gateway keeps its state."""

    name: str
    stack: OrderStack
    directory: Path
    redis_url: str | None = None
    key_prefix: str = "ordergate"
    #: an API key holding :data:`WRITER_SCOPES`, in the deployment's key file
    writer_key: str = field(default_factory=generate_api_key)

    @property
    def writer(self) -> dict[str, str]:
        """The request header of the writer API key."""
        return {"x-api-key": self.writer_key}

    def api_keys_file(self) -> Path:
        """The key file holding the writer key (client ``test-writer``)."""
        path = self.directory / "deployment-api-keys.yaml"
        if not path.exists():
            entry = {
                "id": "test-writer",
                "hash": hash_api_key(self.writer_key),
                "client_id": "test-writer",
                "scopes": WRITER_SCOPES,
            }
            path.write_text(yaml.safe_dump({"keys": [entry]}), encoding="utf-8")
        return path

    @property
    def uses_redis(self) -> bool:
        """Whether the gateway's stores are in Redis."""
        return self.redis_url is not None

    def supergraph(self) -> Path:
        """The four subgraphs composed with the URLs they listen on."""
        path = self.directory / "supergraph.graphql"
        if not path.exists():
            sources = [
                SubgraphSource(name, self.stack.url(name), sdl_of(name)) for name in SUBGRAPH_NAMES
            ]
            path.write_text(compose(sources).supergraph_sdl, encoding="utf-8")
        return path

    def settings(self, **sections: Any) -> GatewaySettings:
        """Gateway settings for this deployment; ``sections`` are merged into its own (a
        nested dictionary key by key)."""
        clients = self.directory / "clients.yaml"
        clients.write_text(OPEN_CLIENTS, encoding="utf-8")
        base: dict[str, Any] = {
            "supergraph_path": str(self.supergraph()),
            "watch_supergraph": False,
            "persisted": {"clients_file": str(clients), "watch": False},
            "subgraphs": {"timeout_seconds": 10},
            "auth": {"api_keys": {"file": str(self.api_keys_file())}},
        }
        if self.redis_url is not None:
            base["redis"] = {"url": self.redis_url, "key_prefix": self.key_prefix}
            base["idempotency"] = {"store": "redis"}
            base["limits"] = {"store": "redis"}
            base["jobs"] = {"backend": "redis"}
        return GatewaySettings(**_merged(base, sections))

    def environment(self) -> dict[str, str]:
        """The same settings as ``ORDERGATE_GATEWAY_*`` variables (for a gateway process)."""
        clients = self.directory / "clients.yaml"
        clients.write_text(OPEN_CLIENTS, encoding="utf-8")
        env = {
            "ORDERGATE_GATEWAY_SUPERGRAPH_PATH": str(self.supergraph()),
            "ORDERGATE_GATEWAY_WATCH_SUPERGRAPH": "false",
            "ORDERGATE_GATEWAY_PERSISTED__CLIENTS_FILE": str(clients),
            "ORDERGATE_GATEWAY_PERSISTED__WATCH": "false",
            "ORDERGATE_GATEWAY_AUTH__API_KEYS__FILE": str(self.api_keys_file()),
        }
        if self.redis_url is not None:
            env |= {
                "ORDERGATE_GATEWAY_REDIS__URL": self.redis_url,
                "ORDERGATE_GATEWAY_REDIS__KEY_PREFIX": self.key_prefix,
                "ORDERGATE_GATEWAY_IDEMPOTENCY__STORE": "redis",
                "ORDERGATE_GATEWAY_LIMITS__STORE": "redis",
                "ORDERGATE_GATEWAY_JOBS__BACKEND": "redis",
            }
        return env


def _merged(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    result = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _merged(result[key], value)
        else:
            result[key] = value
    return result


@asynccontextmanager
async def serve_gateway(
    settings: GatewaySettings, headers: dict[str, str] | None = None
) -> AsyncIterator[tuple[httpx.AsyncClient, Starlette]]:
    """The gateway app on a live socket and a client pointed at it, sending ``headers`` with
    every request (e.g. ``deployment.writer``: no mutation runs anonymously)."""
    app = gateway_app(settings)
    async with (
        live_server(app) as url,
        httpx.AsyncClient(base_url=url, timeout=30, headers=headers) as client,
    ):
        yield client, app
