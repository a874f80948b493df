"""The ownership test stack: seeded orders, payments, shipments (and inventory) subgraphs that
require a signed principal, and a gateway signing it, all over real HTTP.

Imported by ``conftest.py`` and the test modules of this folder (a unique module name).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from gateway.auth.demo import DEMO_ROLE_SCOPES, demo_issuer_settings, mint_demo_tokens
from gateway.auth.settings import AuthSettings
from gateway.composition import SubgraphSource, compose
from gateway.settings import GatewaySettings
from ordergate.commands._serving import ServerGroup
from ordergate.commands.seed import seed_all
from ordergate.gateway_app import gateway_app as create_gateway
from subgraphs.common.db import create_engine
from subgraphs.registry import SUBGRAPH_NAMES, definition
from subgraphs.seed import SeedConfig
from subgraphs.snapshots import sdl_of
from wire.forwarding import PrincipalHeadersSettings
from wire.principal import (
    PRINCIPAL_HEADER,
    SIGNATURE_HEADER,
    PrincipalClaims,
    encode_claims,
    sign,
)

#: the secret the gateway and the subgraphs share in these tests
PRINCIPAL_SECRET = b"principal-signing-secret-for-tests-0123456789"
#: the HS256 secret of the test issuer
JWT_SECRET = b"jwt-hs256-secret-for-the-ownership-tests-0123456789"
SMALL = SeedConfig(customers=6, products=12, orders=40)


@dataclass(frozen=True)
class Owned:
    """One customer's seeded objects."""

    customer_id: str
    order_ids: list[str]
    line_ids: list[str]
    payment_ids: list[str]
    shipment_ids: list[str]
    tracking: list[tuple[str, str]]


@dataclass
class OwnershipStack:
    """The served apps, the customers A and B, and a client."""

    group: ServerGroup
    http: httpx.AsyncClient
    a: Owned
    b: Owned
    tokens: dict[str, str] = field(default_factory=dict)

    def url(self, name: str) -> str:
        """The GraphQL URL of app ``name``."""
        return self.group.url_of(name)

    async def subgraph(
        self,
        name: str,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """POST an operation to a subgraph directly."""
        return await self.http.post(
            self.url(name), json={"query": query, "variables": variables or {}}, headers=headers
        )

    async def gateway(
        self, query: str, token: str | None = None, variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """POST an operation to the gateway with a bearer token; the JSON body."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            self.url("gateway"),
            json={"query": query, "variables": variables or {}},
            headers=headers,
        )
        body: dict[str, Any] = response.json()
        return body


def signed_headers(
    *,
    customer_id: str | None = None,
    roles: tuple[str, ...] = (),
    scopes: tuple[str, ...] = (),
    request_id: str = "ownership-test",
    issued_at: float | None = None,
    secret: bytes = PRINCIPAL_SECRET,
) -> dict[str, str]:
    """The principal headers the gateway would send for such a caller."""
    claims = PrincipalClaims(
        kind="jwt",
        subject="tester",
        customer_id=customer_id,
        roles=frozenset(roles),
        scopes=frozenset(scopes),
    )
    value = encode_claims(claims)
    moment = int(time.time() if issued_at is None else issued_at)
    return {
        PRINCIPAL_HEADER: value,
        SIGNATURE_HEADER: sign(secret, value, request_id, issued_at=moment),
        "x-request-id": request_id,
    }


def customer_headers(owned: Owned) -> dict[str, str]:
    """Signed headers of customer ``owned`` (with the demo customer scopes)."""
    return signed_headers(
        customer_id=owned.customer_id,
        roles=("customer",),
        scopes=tuple(DEMO_ROLE_SCOPES["customer"]),
    )


def customer_writer_headers(owned: Owned) -> dict[str, str]:
    """Signed headers of a principal acting for customer ``owned`` that also holds the payment
    and shipment write scopes (a checkout acting for the customer): ownership still limits it
    to that customer's orders."""
    return signed_headers(
        customer_id=owned.customer_id,
        roles=("customer",),
        scopes=(*DEMO_ROLE_SCOPES["customer"], "payments:write", "shipments:write"),
    )


def admin_headers() -> dict[str, str]:
    """Signed headers of an admin."""
    return signed_headers(roles=("admin",), scopes=tuple(DEMO_ROLE_SCOPES["admin"]))


def database_urls(backend: str, tmp_path: Path, postgres_url: str | None) -> dict[str, str]:
    """One database per subgraph: SQLite files, or one PostgreSQL database they share (their
    table names do not collide)."""
    if backend == "postgres":
        assert postgres_url is not None
        return dict.fromkeys(SUBGRAPH_NAMES, postgres_url)
    return {name: f"sqlite+aiosqlite:///{tmp_path / f'{name}.db'}" for name in SUBGRAPH_NAMES}


async def _scalars(url: str, statement: Any) -> list[Any]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return list((await connection.execute(statement)).all())
    finally:
        await engine.dispose()


async def owned_by(urls: dict[str, str], customer_id: uuid.UUID) -> Owned:
    """What the seed gave ``customer_id``, read from the databases."""
    from subgraphs.orders.models import Order, OrderLine
    from subgraphs.payments.models import Payment
    from subgraphs.shipments.models import Shipment

    orders = [
        row[0]
        for row in await _scalars(
            urls["orders"], select(Order.id).where(Order.customer_id == customer_id)
        )
    ]
    lines = await _scalars(
        urls["orders"], select(OrderLine.id).where(OrderLine.order_id.in_(orders))
    )
    payments = await _scalars(
        urls["payments"], select(Payment.id).where(Payment.order_id.in_(orders))
    )
    shipments = await _scalars(
        urls["shipments"],
        select(Shipment.id, Shipment.carrier, Shipment.tracking_number).where(
            Shipment.order_id.in_(orders)
        ),
    )
    return Owned(
        customer_id=str(customer_id),
        order_ids=[str(order) for order in orders],
        line_ids=[str(row[0]) for row in lines],
        payment_ids=[str(row[0]) for row in payments],
        shipment_ids=[str(row[0]) for row in shipments],
        tracking=[(row[1], row[2]) for row in shipments],
    )


async def two_customers(urls: dict[str, str]) -> tuple[Owned, Owned]:
    """The two seeded customers with the most shipped orders (both have payments and
    shipments)."""
    from subgraphs.orders.models import Order

    rows = await _scalars(
        urls["orders"],
        select(Order.customer_id)
        .where(Order.status.in_(["FULFILLED", "PARTIALLY_FULFILLED"]))
        .group_by(Order.customer_id)
        .order_by(func.count(Order.id).desc(), Order.customer_id)
        .limit(2),
    )
    a = await owned_by(urls, rows[0][0])
    b = await owned_by(urls, rows[1][0])
    assert a.payment_ids and a.shipment_ids and b.payment_ids and b.shipment_ids
    return a, b


def _gateway(group: ServerGroup, folder: Path, secret: bytes) -> Any:
    sources = [SubgraphSource(name, group.url_of(name), sdl_of(name)) for name in SUBGRAPH_NAMES]
    supergraph = folder / "supergraph.graphql"
    supergraph.write_text(compose(sources).supergraph_sdl, encoding="utf-8")
    jwt_secret = folder / "jwt.secret"
    jwt_secret.write_bytes(JWT_SECRET)
    settings = GatewaySettings(
        supergraph_path=supergraph,
        watch_supergraph=False,
        auth=AuthSettings(issuers=[demo_issuer_settings(jwt_secret)], role_scopes=DEMO_ROLE_SCOPES),
        principal_headers=PrincipalHeadersSettings(mode="signed", secret=secret.decode("ascii")),
        # ownership, not budgets: callers are measured, never refused (the default enforces)
        limits={"unidentified": {"budget": _MEASURED}},
    )
    return create_gateway(settings)


_MEASURED = {
    "capacity": 1_000_000,
    "refill_per_second": 1_000,
    "max_operation_cost": 1_000_000,
    "mode": "measure",
}


async def serve_stack(
    urls: dict[str, str], folder: Path, *, gateway_secret: bytes = PRINCIPAL_SECRET
) -> AsyncIterator[OwnershipStack]:
    """Seed, then serve the four subgraphs (principal required, signed) and the gateway."""
    await seed_all(urls, SMALL)
    a, b = await two_customers(urls)
    group = ServerGroup()
    for name in SUBGRAPH_NAMES:
        found = definition(name)
        settings = found.settings(
            database_url=urls[name],
            principal_mode="required",
            principal_secret=PRINCIPAL_SECRET.decode("ascii"),
        )
        group.add(name, found.create_app(settings), host="127.0.0.1", port=0)
    group.add_factory(
        "gateway", lambda served: _gateway(served, folder, gateway_secret), host="127.0.0.1", port=0
    )
    tokens = mint_demo_tokens(JWT_SECRET, customer_id=a.customer_id)
    async with group, httpx.AsyncClient(timeout=30) as http:
        yield OwnershipStack(group=group, http=http, a=a, b=b, tokens=tokens)
