"""Jobs where the subgraphs only serve the gateway's signed principal (the production setting):
the worker signs the submitter's principal on every call, so imports work for a partner and
obey object-level access for a customer; a worker without the secret dead-letters its rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import yaml
from jobs_support import FAST_WORKER, wait_for_completion
from order_stack import count, create_order_input, order_inputs, serve_stack
from stack_gateway import Deployment, serve_gateway

from gateway.auth import generate_api_key, hash_api_key
from subgraphs.orders.models import Customer, Order

JSON = {"content-type": "application/json"}
SCOPES = ["orders:read", "orders:write", "customers:read", "customers:write"]


def api_keys(directory: Path, customer_id: str) -> dict[str, str]:
    keys = {"partner": generate_api_key(), "customer": generate_api_key()}
    entries: list[dict[str, Any]] = [
        {
            "id": "partner-1",
            "hash": hash_api_key(keys["partner"]),
            "client_id": "acme",
            "roles": ["partner"],
            "scopes": SCOPES,
        },
        {
            "id": "customer-1",
            "hash": hash_api_key(keys["customer"]),
            "client_id": "storefront",
            "customer_id": customer_id,
            "scopes": SCOPES,
        },
    ]
    (directory / "api-keys.yaml").write_text(yaml.safe_dump({"keys": entries}))
    return keys


async def test_imports_carry_the_submitters_signed_principal(
    stack_databases: dict[str, str], tmp_path: Path
) -> None:
    secret = tmp_path / "principal.secret"
    secret.write_text("s" * 48)
    customers, skus = await order_inputs(stack_databases)
    keys = api_keys(tmp_path, customers[0])
    required = {"principal_mode": "required", "principal_secret_file": secret}
    async with serve_stack(stack_databases, **required) as stack:
        deployment = Deployment("signed", stack, tmp_path)
        signed = {"mode": "signed", "secret_file": str(secret)}
        settings = deployment.settings(
            auth={"api_keys": {"file": str(tmp_path / "api-keys.yaml")}},
            principal_headers=signed,
            jobs={"processing": {**FAST_WORKER, "max_attempts": 2}},
        )
        customers_file = orjson.dumps(
            [{"legacyErpId": "ERP-SIGNED-1", "email": "signed@example.com", "name": "Signed"}]
        )
        own_and_foreign = orjson.dumps(
            [create_order_input(customers[0], skus[:1]), create_order_input(customers[1], skus[:1])]
        )
        before = await count(stack.database_urls["orders"], Order)
        async with serve_gateway(settings) as (client, _):
            partner = {"x-api-key": keys["partner"]}
            customer = {"x-api-key": keys["customer"]}
            by_partner = await client.post(
                "/jobs/imports/customers", content=customers_file, headers=JSON | partner
            )
            partner_job = await wait_for_completion(client, by_partner.headers["location"], partner)
            by_customer = await client.post(
                "/jobs/imports/customers", content=customers_file, headers=JSON | customer
            )
            customer_job = await wait_for_completion(
                client, by_customer.headers["location"], customer
            )
            orders = await client.post(
                "/jobs/imports/orders", content=own_and_foreign, headers=JSON | customer
            )
            orders_job = await wait_for_completion(client, orders.headers["location"], customer)
    assert partner_job["progress"]["succeeded"] == 1, partner_job
    assert [error["code"] for error in customer_job["errors"]] == ["FORBIDDEN"]
    assert orders_job["progress"]["succeeded"] == 1, orders_job
    assert [(error["row"], error["code"]) for error in orders_job["errors"]] == [(2, "NOT_FOUND")]
    orders_db = stack_databases["orders"]
    assert await count(orders_db, Customer, Customer.legacy_erp_id == "ERP-SIGNED-1") == 1
    assert await count(orders_db, Order) == before + 1


async def test_a_worker_without_the_secret_dead_letters_rows_for_a_later_replay(
    stack_databases: dict[str, str], tmp_path: Path
) -> None:
    secret = tmp_path / "principal.secret"
    secret.write_text("s" * 48)
    customers, _ = await order_inputs(stack_databases)
    keys = api_keys(tmp_path, customers[0])
    required = {"principal_mode": "required", "principal_secret_file": secret}
    async with serve_stack(stack_databases, **required) as stack:
        deployment = Deployment("misconfigured", stack, tmp_path)
        misconfigured = deployment.settings(
            auth={"api_keys": {"file": str(tmp_path / "api-keys.yaml")}},
            principal_headers={"mode": "off"},
            jobs={"processing": {**FAST_WORKER, "max_attempts": 2}},
        )
        body = orjson.dumps([{"legacyErpId": "ERP-OFF-1", "email": "off@example.com", "name": "O"}])
        partner = {"x-api-key": keys["partner"]}
        async with serve_gateway(misconfigured) as (client, _):
            accepted = await client.post(
                "/jobs/imports/customers", content=body, headers=JSON | partner
            )
            job = await wait_for_completion(client, accepted.headers["location"], partner)
    assert job["progress"]["deadLettered"] == 1
    assert [error["code"] for error in job["errors"]] == ["PRINCIPAL_REQUIRED"]
    assert (
        await count(stack_databases["orders"], Customer, Customer.legacy_erp_id == "ERP-OFF-1") == 0
    )
