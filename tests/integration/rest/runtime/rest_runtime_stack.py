"""The REST runtime test stack: the four seeded subgraphs (principal required, signed) and the
gateway in front, all over real HTTP, with JWT callers (demo issuer), an API-key writer, a
clients file and a route file of the test's choice.

Imported by ``conftest.py`` and the test modules of this folder (a unique module name).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
import yaml
from sqlalchemy import func, select, text

from gateway.auth import generate_api_key, hash_api_key
from gateway.auth.demo import (
    DEMO_AUDIENCE,
    DEMO_ISSUER,
    DEMO_ROLE_SCOPES,
    demo_issuer_settings,
    mint_demo_tokens,
)
from gateway.composition import SubgraphSource, compose
from gateway.settings import GatewaySettings
from ordergate.commands._serving import ServerGroup
from ordergate.commands.seed import seed_all
from ordergate.gateway_app import gateway_app
from subgraphs.common.db import create_engine
from subgraphs.registry import SUBGRAPH_NAMES, definition
from subgraphs.seed import SeedConfig
from subgraphs.snapshots import sdl_of

#: the repository's route file (the sample orders routes)
REPO_ROUTES = Path(__file__).resolve().parents[4] / "persisted_queries" / "rest-routes.yaml"
PRINCIPAL_SECRET = "principal-signing-secret-for-rest-tests-0123456789"
JWT_SECRET = b"jwt-hs256-secret-for-the-rest-runtime-tests-0123456789"
SEED = SeedConfig(customers=6, products=12, orders=30)
ADDRESS = {"line1": "1 Main Street", "city": "Springfield", "postalCode": "12345", "country": "US"}

#: every client may send raw documents, on a budget that never refuses
OPEN_CLIENTS: dict[str, Any] = {
    "version": 1,
    "defaults": {
        "mode": "allow-all",
        "budget": {
            "capacity": 1_000_000,
            "refill_per_second": 1_000,
            "max_operation_cost": 1_000_000,
            "mode": "measure",
        },
    },
}
WRITER_SCOPES = [
    f"{domain}:{access}"
    for domain in ("orders", "customers", "inventory", "payments", "shipments")
    for access in ("read", "write")
]


def bearer(token: str) -> dict[str, str]:
    """The ``Authorization`` header of ``token``."""
    return {"Authorization": f"Bearer {token}"}


def partner_token(client_id: str, scopes: str) -> str:
    """A client-credentials token of ``client_id`` holding only ``scopes`` (no role)."""
    now = int(time.time())
    claims = {
        "iss": DEMO_ISSUER,
        "aud": DEMO_AUDIENCE,
        "sub": client_id,
        "client_id": client_id,
        "scope": scopes,
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
    }
    return jwt.encode(claims, JWT_SECRET, algorithm="HS256")


async def query_rows(url: str, sql: str, **params: Any) -> list[dict[str, Any]]:
    """Every row of ``sql`` in the database at ``url``, as dicts."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            result = await connection.execute(text(sql), params)
            return [dict(row._mapping) for row in result]
    finally:
        await engine.dispose()


async def model_rows(url: str, statement: Any) -> list[Any]:
    """The rows of a SQLAlchemy ``statement`` in the database at ``url``."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return list((await connection.execute(statement)).all())
    finally:
        await engine.dispose()


@dataclass
class RestStack:
    """The served apps, a client on the gateway, the seeded callers and their ids."""

    http: httpx.AsyncClient
    database_urls: dict[str, str]
    #: customer A (the customer token acts for A) and customer B
    customer_a: str
    customer_b: str
    skus: list[str]
    tokens: dict[str, str] = field(default_factory=dict)
    writer_key: str = ""

    @property
    def writer(self) -> dict[str, str]:
        """The API-key header of the writer (every read and write scope)."""
        return {"x-api-key": self.writer_key}

    async def orders_of(self, customer_id: str) -> list[str]:
        """The ids of the customer's orders, from the database."""
        from subgraphs.orders.models import Order

        statement = (
            select(Order.id).where(Order.customer_id == uuid.UUID(customer_id)).order_by(Order.id)
        )
        return [str(row[0]) for row in await model_rows(self.database_urls["orders"], statement)]

    async def order_row(self, order_id: str) -> tuple[str, int] | None:
        """The status and version of an order in the database (``None``: no such order)."""
        from subgraphs.orders.models import Order

        statement = select(Order.status, Order.version).where(Order.id == uuid.UUID(order_id))
        found = await model_rows(self.database_urls["orders"], statement)
        return (str(found[0][0]), int(found[0][1])) if found else None

    async def order_count(self) -> int:
        """How many orders the orders database holds."""
        from subgraphs.orders.models import Order

        statement = select(func.count()).select_from(Order)
        return int((await model_rows(self.database_urls["orders"], statement))[0][0])

    def create_body(self, customer_id: str | None = None, quantity: int = 1) -> dict[str, Any]:
        """A valid ``CreateOrderInput`` for customer A (or ``customer_id``)."""
        return {
            "customerId": customer_id or self.customer_a,
            "channel": "B2B",
            "lines": [{"sku": self.skus[0], "quantity": quantity}],
            "shippingAddress": ADDRESS,
        }


def _gateway(
    group: ServerGroup,
    folder: Path,
    writer_key: str,
    routes_file: Path,
    clients: Mapping[str, Any],
    extra: Mapping[str, Any],
) -> Any:
    sources = [SubgraphSource(name, group.url_of(name), sdl_of(name)) for name in SUBGRAPH_NAMES]
    supergraph = folder / "supergraph.graphql"
    supergraph.write_text(compose(sources).supergraph_sdl, encoding="utf-8")
    jwt_secret = folder / "jwt.secret"
    jwt_secret.write_bytes(JWT_SECRET)
    keys = folder / "api-keys.yaml"
    entry = {
        "id": "rest-writer",
        "hash": hash_api_key(writer_key),
        "client_id": "rest-writer",
        "scopes": WRITER_SCOPES,
    }
    keys.write_text(yaml.safe_dump({"keys": [entry]}), encoding="utf-8")
    clients_file = folder / "clients.yaml"
    clients_file.write_text(yaml.safe_dump(dict(clients)), encoding="utf-8")
    settings: dict[str, Any] = {
        "supergraph_path": str(supergraph),
        "watch_supergraph": False,
        "auth": {
            "issuers": [demo_issuer_settings(jwt_secret).model_dump()],
            "role_scopes": DEMO_ROLE_SCOPES,
            "api_keys": {"file": str(keys)},
        },
        "principal_headers": {"mode": "signed", "secret": PRINCIPAL_SECRET},
        "persisted": {"clients_file": str(clients_file), "watch": False},
        "subgraphs": {"timeout_seconds": 10},
        "rest": {"routes_file": str(routes_file)},
        **extra,
    }
    return gateway_app(GatewaySettings(**settings))


async def _customers(urls: Mapping[str, str]) -> list[str]:
    """Customers by their number of orders, most first."""
    from subgraphs.orders.models import Order

    statement = (
        select(Order.customer_id)
        .group_by(Order.customer_id)
        .order_by(func.count(Order.id).desc(), Order.customer_id)
    )
    return [str(row[0]) for row in await model_rows(urls["orders"], statement)]


@asynccontextmanager
async def serve_rest_stack(
    urls: dict[str, str],
    folder: Path,
    *,
    routes_file: Path = REPO_ROUTES,
    clients: Mapping[str, Any] = OPEN_CLIENTS,
    **settings: Any,
) -> AsyncIterator[RestStack]:
    """Seed the databases, serve the four subgraphs and the gateway (``settings`` on top)."""
    await seed_all(urls, SEED)
    customers = await _customers(urls)
    skus = [
        str(row["sku"])
        for row in await query_rows(urls["orders"], "SELECT sku FROM catalog_items ORDER BY sku")
    ]
    writer_key = generate_api_key()
    group = ServerGroup()
    for name in SUBGRAPH_NAMES:
        found = definition(name)
        subgraph = found.settings(
            database_url=urls[name],
            principal_mode="required",
            principal_secret=PRINCIPAL_SECRET,
        )
        group.add(name, found.create_app(subgraph), host="127.0.0.1", port=0)
    group.add_factory(
        "gateway",
        lambda served: _gateway(served, folder, writer_key, routes_file, clients, settings),
        host="127.0.0.1",
        port=0,
    )
    tokens = mint_demo_tokens(JWT_SECRET, customer_id=customers[0])
    async with group:
        base = group.url_of("gateway").split("/graphql")[0]
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            yield RestStack(
                http=http,
                database_urls=urls,
                customer_a=customers[0],
                customer_b=customers[1],
                skus=skus,
                tokens=tokens,
                writer_key=writer_key,
            )


#: ``stack_with(**options)``: a stack on SQLite with other settings (``routes_file=``, ...)
StackFactory = Callable[..., AbstractAsyncContextManager[RestStack]]
