"""Idempotent mutations through the real gateway (HTTP edge, pipeline, stage) in front of the
real subgraphs: embedded (SQLite, in-process store) and production (PostgreSQL, Redis)."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest
import yaml
from order_stack import count, create_order_input, order_inputs
from stack_gateway import Deployment, serve_gateway

from gateway.auth import generate_api_key, hash_api_key
from subgraphs.orders.models import Order

CREATE_ORDER = """
mutation CreateOrder($input: CreateOrderInput!) {
  createOrder(input: $input) { id number status total { amount currency } }
}"""


async def post(
    client: httpx.AsyncClient, variables: dict[str, Any], headers: dict[str, str]
) -> httpx.Response:
    return await client.post(
        "/graphql",
        json={"query": CREATE_ORDER, "operationName": "CreateOrder", "variables": variables},
        headers=headers,
    )


async def orders_in(deployment: Deployment) -> int:
    return await count(deployment.stack.database_urls["orders"], Order)


async def order_variables(deployment: Deployment, quantity: int = 1) -> dict[str, Any]:
    customers, skus = await order_inputs(deployment.stack.database_urls)
    return {"input": create_order_input(customers[0], skus[:2], quantity)}


async def test_a_retried_create_order_is_replayed_byte_for_byte(deployment: Deployment) -> None:
    variables = await order_variables(deployment)
    before = await orders_in(deployment)
    async with serve_gateway(deployment.settings(), deployment.writer) as (client, _):
        first = await post(client, variables, {"idempotency-key": '"order-2025-0001"'})
        retry = await post(client, variables, {"idempotency-key": '"order-2025-0001"'})
    assert first.status_code == retry.status_code == 200
    assert "errors" not in first.json(), first.json()
    assert retry.content == first.content
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.headers["original-request-id"] == first.headers["x-request-id"]
    assert retry.headers["x-request-id"] != first.headers["x-request-id"]
    assert "idempotent-replayed" not in first.headers
    assert await orders_in(deployment) == before + 1


async def test_the_key_reused_for_other_variables_is_refused(deployment: Deployment) -> None:
    before = await orders_in(deployment)
    async with serve_gateway(deployment.settings(), deployment.writer) as (client, _):
        await post(client, await order_variables(deployment), {"idempotency-key": "k-1"})
        other = await post(client, await order_variables(deployment, 2), {"idempotency-key": "k-1"})
    assert other.status_code == 422
    assert other.json()["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert other.json()["errors"][0]["extensions"]["requestId"] == other.headers["x-request-id"]
    assert await orders_in(deployment) == before + 1


async def test_twenty_concurrent_requests_with_one_key_create_one_order(
    deployment: Deployment,
) -> None:
    variables = await order_variables(deployment)
    before = await orders_in(deployment)
    replicas = 2 if deployment.uses_redis else 1
    settings = deployment.settings()
    writer = deployment.writer
    async with (
        serve_gateway(settings, writer) as (first, _),
        serve_gateway(settings, writer) as (second, _),
    ):
        clients = [first, second][:replicas]
        responses = await asyncio.gather(
            *(
                post(clients[index % replicas], variables, {"idempotency-key": "same-key"})
                for index in range(20)
            )
        )
        statuses = Counter(response.status_code for response in responses)
        executed = [
            response
            for response in responses
            if response.status_code == 200 and "idempotent-replayed" not in response.headers
        ]
        assert len(executed) == 1
        assert set(statuses) <= {200, 409}
        for response in responses:
            if response.status_code == 409:
                assert response.headers["retry-after"] == "1"
                code = response.json()["errors"][0]["extensions"]["code"]
                assert code == "IDEMPOTENCY_KEY_IN_FLIGHT"
            else:
                assert response.content == executed[0].content
        later = await post(clients[-1], variables, {"idempotency-key": "same-key"})
        assert later.content == executed[0].content
    assert await orders_in(deployment) == before + 1


async def test_two_clients_using_one_key_get_their_own_orders(deployment: Deployment) -> None:
    key_file = deployment.directory / "api-keys.yaml"
    keys = {client: generate_api_key() for client in ("acme", "globex")}
    key_file.write_text(
        yaml.safe_dump(
            {
                "keys": [
                    {
                        "id": f"{client}-1",
                        "hash": hash_api_key(key),
                        "client_id": client,
                        "scopes": ["orders:read", "orders:write"],
                    }
                    for client, key in keys.items()
                ]
            }
        )
    )
    settings = deployment.settings(auth={"api_keys": {"file": str(key_file)}})
    variables = await order_variables(deployment)
    before = await orders_in(deployment)
    async with serve_gateway(settings) as (client, _):
        acme = await post(client, variables, {"x-api-key": keys["acme"], "idempotency-key": "1"})
        globex = await post(
            client, variables, {"x-api-key": keys["globex"], "idempotency-key": "1"}
        )
        acme_again = await post(
            client, variables, {"x-api-key": keys["acme"], "idempotency-key": "1"}
        )
    ids = [response.json()["data"]["createOrder"]["id"] for response in (acme, globex, acme_again)]
    assert ids[0] != ids[1]
    assert ids[2] == ids[0]
    assert "idempotent-replayed" not in globex.headers
    assert await orders_in(deployment) == before + 2


async def test_a_required_key_and_a_malformed_key_are_refused(deployment: Deployment) -> None:
    settings = deployment.settings(idempotency={"required_mutations": ["createOrder"]})
    variables = await order_variables(deployment)
    before = await orders_in(deployment)
    async with serve_gateway(settings, deployment.writer) as (client, _):
        missing = await post(client, variables, {})
        malformed = await post(client, variables, {"idempotency-key": '"' + "x" * 300 + '"'})
        query = await client.post("/graphql", json={"query": "{ __typename }"})
    assert (missing.status_code, malformed.status_code) == (400, 400)
    assert missing.json()["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REQUIRED"
    assert malformed.json()["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_INVALID"
    assert query.status_code == 200
    assert await orders_in(deployment) == before


async def test_a_validation_failure_is_not_stored(deployment: Deployment) -> None:
    variables = await order_variables(deployment)
    broken = {"input": {**variables["input"], "channel": "FAX"}}
    async with serve_gateway(deployment.settings(), deployment.writer) as (client, _):
        refused = await post(client, broken, {"idempotency-key": "fix-me"})
        fixed = await post(client, variables, {"idempotency-key": "fix-me"})
    assert refused.status_code == 400
    assert fixed.status_code == 200
    assert "idempotent-replayed" not in fixed.headers
    assert fixed.json()["data"]["createOrder"]["status"] == "PENDING"


@pytest.mark.parametrize("policy", ["release", "store"])
async def test_a_subgraph_failure_follows_the_policy(deployment: Deployment, policy: str) -> None:
    variables = await order_variables(deployment)
    before = await orders_in(deployment)
    idempotency: dict[str, Any] = {"on_subgraph_failure": policy}
    down = deployment.settings(
        idempotency=idempotency, subgraphs={"urls": {"orders": "http://127.0.0.1:9/graphql"}}
    )
    key = f"outage-{uuid.uuid4().hex}"
    async with serve_gateway(down, deployment.writer) as (client, _):
        failed = await post(client, variables, {"idempotency-key": key})
        assert failed.json()["errors"][0]["extensions"]["code"] == "SUBREQUEST_HTTP_ERROR"
        again = await post(client, variables, {"idempotency-key": key})
    if policy == "store":
        assert again.content == failed.content
        assert again.headers["idempotent-replayed"] == "true"
    else:
        assert "idempotent-replayed" not in again.headers
    if not deployment.uses_redis:
        return  # the in-process store lives and dies with its gateway
    async with serve_gateway(deployment.settings(idempotency=idempotency), deployment.writer) as (
        client,
        _,
    ):
        recovered = await post(client, variables, {"idempotency-key": key})
    if policy == "store":
        assert recovered.content == failed.content
        assert await orders_in(deployment) == before
    else:
        assert recovered.json()["data"]["createOrder"]["status"] == "PENDING"
        assert await orders_in(deployment) == before + 1
