"""Subgraphs accept the principal headers only from the gateway: a missing, forged or stale
signature is refused with 401; the explicit trusted-network mode accepts unsigned headers."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from ownership_stack import (
    OwnershipStack,
    customer_headers,
    database_urls,
    serve_stack,
    signed_headers,
)

from ordergate.commands._serving import ServerGroup
from subgraphs.registry import definition
from wire.principal import SIGNATURE_HEADER

QUERY = "{ orders(first: 100) { totalCount } }"


async def refusal(stack: OwnershipStack, headers: dict[str, str]) -> str:
    response = await stack.subgraph("orders", QUERY, headers=headers)
    assert response.status_code == 401, response.text
    body = response.json()
    assert "data" not in body
    (error,) = body["errors"]
    return str(error["extensions"]["code"])


async def test_a_request_without_principal_is_refused(stack: OwnershipStack) -> None:
    assert await refusal(stack, {}) == "PRINCIPAL_REQUIRED"


async def test_forged_and_stale_signatures_are_refused(stack: OwnershipStack) -> None:
    a = stack.a
    customer = {"customer_id": a.customer_id, "roles": ("customer",), "scopes": ("orders:read",)}
    forged = signed_headers(secret=b"not-the-shared-secret-0123456789abcdef", **customer)
    assert await refusal(stack, forged) == "INVALID_PRINCIPAL_SIGNATURE"
    unsigned = {k: v for k, v in customer_headers(a).items() if k != SIGNATURE_HEADER}
    assert await refusal(stack, unsigned) == "INVALID_PRINCIPAL_SIGNATURE"
    # a customer's valid signature replayed with an admin's claims
    admin = signed_headers(roles=("admin",), scopes=("orders:read",))
    tampered = {**customer_headers(a), "x-ordergate-principal": admin["x-ordergate-principal"]}
    assert await refusal(stack, tampered) == "INVALID_PRINCIPAL_SIGNATURE"
    moved = {**customer_headers(a), "x-request-id": "another-request"}
    assert await refusal(stack, moved) == "INVALID_PRINCIPAL_SIGNATURE"
    stale = signed_headers(issued_at=time.time() - 3600, **customer)
    assert await refusal(stack, stale) == "PRINCIPAL_SIGNATURE_EXPIRED"
    fresh = await stack.subgraph("orders", QUERY, headers=signed_headers(**customer))
    assert fresh.json() == {"data": {"orders": {"totalCount": len(a.order_ids)}}}


@pytest.fixture
async def trusted_orders(stack: OwnershipStack, stack_urls: dict[str, str]) -> AsyncIterator[str]:
    """The orders subgraph once more, over the same database, in trusted-network mode."""
    found = definition("orders")
    settings = found.settings(
        database_url=stack_urls["orders"], principal_mode="required", principal_trust="network"
    )
    group = ServerGroup()
    served = group.add("orders-trusted", found.create_app(settings), host="127.0.0.1", port=0)
    async with group:
        yield served.url


async def test_trusted_network_mode_accepts_unsigned_principals(
    stack: OwnershipStack, trusted_orders: str
) -> None:
    a = stack.a
    unsigned = {k: v for k, v in customer_headers(a).items() if k != SIGNATURE_HEADER}
    async with httpx.AsyncClient() as http:
        accepted = await http.post(trusted_orders, json={"query": QUERY}, headers=unsigned)
        assert accepted.json() == {"data": {"orders": {"totalCount": len(a.order_ids)}}}
        missing = await http.post(trusted_orders, json={"query": QUERY})
        assert missing.status_code == 401
        assert missing.json()["errors"][0]["extensions"]["code"] == "PRINCIPAL_REQUIRED"


async def test_a_gateway_with_another_secret_reads_nothing(tmp_path: Path) -> None:
    urls = database_urls("sqlite", tmp_path, None)
    other = b"a-secret-the-subgraphs-do-not-share-0123456789"
    async for stack in serve_stack(urls, tmp_path, gateway_secret=other):
        body = await stack.gateway("{ orders(first: 1) { totalCount } }", stack.tokens["admin"])
        assert body["data"] is None
        refused = [e for e in body["errors"] if e["extensions"].get("serviceName") == "orders"]
        assert refused[0]["extensions"]["code"] == "INVALID_PRINCIPAL_SIGNATURE"
