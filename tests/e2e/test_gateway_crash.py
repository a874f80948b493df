"""The gateway dies after a subgraph committed a mutation and before it stored the idempotency
record; the client retries against a restarted gateway and the effect happened exactly once.

The crash is injected (``ORDERGATE_FAULT_INJECTION=idempotency-exit-before-store`` makes the
idempotency stage ``os._exit`` right there); the gateways are real ``ordergate gateway``
processes in front of real subgraph servers. In the production deployment the dead gateway's
claim stays in Redis until its lease (2 s here) runs out: the retry gets 409 with
``Retry-After`` until then, as a client would.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from order_stack import count, create_order_input, order_inputs, rows
from processes import OrdergateProcess, free_port, start, wait_until_healthy
from stack_gateway import Deployment

from gateway.idempotency.faults import FAULT_EXIT_CODE, FAULT_INJECTION_VARIABLE
from subgraphs.orders.models import Order
from subgraphs.payments.models import Payment, Refund

pytestmark = pytest.mark.slow

CREATE_ORDER = """
mutation($input: CreateOrderInput!) { createOrder(input: $input) { id number total { amount } } }
"""
AUTHORIZE = """
mutation($orderId: ID!, $amount: Int!) {
  authorizePayment(input: {orderId: $orderId, amount: {amount: $amount, currency: "USD"},
    processor: ADYEN, method: {card: {number: "4242424242424242", expMonth: 1, expYear: 2099}}})
  { id }
}"""
CAPTURE = """
mutation($id: ID!) {
  capturePayment(input: {paymentId: $id}) { id status capturedAmount { amount } }
}"""
REFUND = """
mutation($id: ID!) {
  refundPayment(input: {paymentId: $id, amount: {amount: 500, currency: "USD"}, reason: "dented"})
  { id status refundedAmount { amount } }
}"""
LEASE_SECONDS = "2"


@asynccontextmanager
async def gateway(
    deployment: Deployment, name: str, *, crash_before_store: bool = False
) -> AsyncIterator[tuple[OrdergateProcess, str]]:
    """An ``ordergate gateway`` process; with ``crash_before_store`` it dies at the fault."""
    port = free_port()
    environment = {
        **deployment.environment(),
        "ORDERGATE_GATEWAY_IDEMPOTENCY__LEASE_SECONDS": LEASE_SECONDS,
    }
    if crash_before_store:
        environment[FAULT_INJECTION_VARIABLE] = "idempotency-exit-before-store"
    log = deployment.directory / f"gateway-{name}.log"
    process = start(["gateway", "--port", str(port), "--no-watch"], environment, log)
    base_url = f"http://127.0.0.1:{port}"
    try:
        await wait_until_healthy(process, base_url)
        yield process, base_url
    finally:
        await process.stop()


async def post(
    base_url: str, query: str, variables: dict[str, Any], key: str | None, writer: dict[str, str]
) -> Any:
    headers = {"idempotency-key": key} if key else {}
    async with httpx.AsyncClient(timeout=30, headers=writer) as client:
        response = await client.post(
            f"{base_url}/graphql", json={"query": query, "variables": variables}, headers=headers
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def retry(
    base_url: str, query: str, variables: dict[str, Any], key: str, writer: dict[str, str]
) -> Any:
    """What a client does: retry, waiting ``Retry-After`` while the key is in flight."""
    async with httpx.AsyncClient(timeout=30, headers=writer) as client:
        for _ in range(60):
            response = await client.post(
                f"{base_url}/graphql",
                json={"query": query, "variables": variables},
                headers={"idempotency-key": key},
            )
            if response.status_code != 409:
                break
            await asyncio.sleep(float(response.headers["retry-after"]))
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def crash_on(
    base_url: str, process: OrdergateProcess, query: str, variables: Any, writer: dict[str, str]
) -> str:
    """Send a keyed mutation to a gateway that dies before answering; the key used."""
    key = f"crash-{uuid.uuid4()}"
    async with httpx.AsyncClient(timeout=30, headers=writer) as client:
        with pytest.raises(httpx.TransportError):
            await client.post(
                f"{base_url}/graphql",
                json={"query": query, "variables": variables},
                headers={"idempotency-key": key},
            )
    assert await process.wait() == FAULT_EXIT_CODE, process.output()
    assert "injected fault idempotency-exit-before-store" in process.output()
    return key


async def test_a_crash_between_subgraph_commit_and_record_store_changes_nothing_twice(
    deployment: Deployment, tmp_path: Path
) -> None:
    databases = deployment.stack.database_urls
    customers, skus = await order_inputs(databases)
    order_variables = {"input": create_order_input(customers[0], skus[:2], quantity=3)}
    orders_before = await count(databases["orders"], Order)
    writer = deployment.writer

    async with gateway(deployment, "steady") as (_, steady):
        async with gateway(deployment, "crash-1", crash_before_store=True) as (dying, url):
            key = await crash_on(url, dying, CREATE_ORDER, order_variables, writer)
        assert await count(databases["orders"], Order) == orders_before + 1  # it committed
        order = (await retry(steady, CREATE_ORDER, order_variables, key, writer))["createOrder"]
        assert await count(databases["orders"], Order) == orders_before + 1
        newest = await rows(databases["orders"], "SELECT number FROM orders ORDER BY number DESC")
        assert order["number"] == f"SO-{newest[0]['number']}"  # the order the crash left
        again = (await retry(steady, CREATE_ORDER, order_variables, key, writer))["createOrder"]
        assert again == order

        amount = order["total"]["amount"]
        authorized = await post(
            steady, AUTHORIZE, {"orderId": order["id"], "amount": amount}, key=None, writer=writer
        )
        payment_id = authorized["authorizePayment"]["id"]
        async with gateway(deployment, "crash-2", crash_before_store=True) as (dying, url):
            key = await crash_on(url, dying, CAPTURE, {"id": payment_id}, writer)
        captured = (await retry(steady, CAPTURE, {"id": payment_id}, key, writer))["capturePayment"]
        assert captured == {
            "id": payment_id,
            "status": "CAPTURED",
            "capturedAmount": {"amount": amount},
        }

        async with gateway(deployment, "crash-3", crash_before_store=True) as (dying, url):
            key = await crash_on(url, dying, REFUND, {"id": payment_id}, writer)
        refunded = (await retry(steady, REFUND, {"id": payment_id}, key, writer))["refundPayment"]
        assert refunded["refundedAmount"] == {"amount": 500}

    payment = uuid.UUID(payment_id)
    assert (
        await count(databases["payments"], Payment, Payment.order_id == uuid.UUID(order["id"])) == 1
    )
    assert await count(databases["payments"], Refund, Refund.payment_id == payment) == 1
    captured_rows = await count(
        databases["payments"], Payment, Payment.id == payment, Payment.captured_amount == amount
    )
    assert captured_rows == 1
