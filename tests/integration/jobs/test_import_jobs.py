"""Imports as jobs through the gateway: 202 with Location and Retry-After, progress, per-row
errors, idempotent submissions, master data from CSV; embedded and production deployments (the
gateway's in-process worker runs the rows)."""

from __future__ import annotations

import uuid

import httpx
import orjson
import pytest
import yaml
from jobs_support import FAST_WORKER, orders_file, wait_for_completion
from order_stack import count, order_inputs, rows
from stack_gateway import Deployment, serve_gateway

from gateway.auth import generate_api_key, hash_api_key
from subgraphs.inventory.models import Product
from subgraphs.orders.models import CatalogItem, Customer, Order

JSON = {"content-type": "application/json"}


async def test_an_order_import_is_accepted_with_202_and_runs_to_completion(
    deployment: Deployment,
) -> None:
    customers, skus = await order_inputs(deployment.stack.database_urls)
    body = orders_file(customers, skus, 30, **{"7": "NO-SUCH-SKU", "19": "ALSO-MISSING"})
    before = await count(deployment.stack.database_urls["orders"], Order)
    settings = deployment.settings(jobs={"processing": FAST_WORKER})
    key = {"idempotency-key": f'"import-{uuid.uuid4()}"'} | deployment.writer
    async with serve_gateway(settings) as (client, _):
        accepted = await client.post("/jobs/imports/orders", content=body, headers=JSON | key)
        assert accepted.status_code == 202, accepted.text
        location = accepted.headers["location"]
        assert location == f"/jobs/{accepted.json()['id']}"
        assert accepted.headers["retry-after"] == "1"
        assert accepted.json()["state"] in {"queued", "running", "completed"}
        assert accepted.json()["progress"]["total"] == 30
        job = await wait_for_completion(client, location, deployment.writer)
        again = await client.post("/jobs/imports/orders", content=body, headers=JSON | key)
        other = await client.post(
            "/jobs/imports/orders", content=orders_file(customers, skus, 2), headers=JSON | key
        )
    assert job["progress"] == {
        "total": 30,
        "processed": 30,
        "succeeded": 28,
        "failed": 2,
        "deadLettered": 0,
    }
    assert [(error["row"], error["code"]) for error in job["errors"]] == [
        (7, "UNKNOWN_SKU"),
        (19, "UNKNOWN_SKU"),
    ]
    assert job["finishedAt"] is not None
    assert await count(deployment.stack.database_urls["orders"], Order) == before + 28
    assert again.status_code == 202
    assert again.content == accepted.content
    assert again.headers["location"] == location
    assert again.headers["idempotent-replayed"] == "true"
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    problem = other.json()
    assert problem["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert problem["status"] == 422
    assert problem["requestId"] == other.headers["x-request-id"]


async def test_customers_and_products_from_legacy_csv_exports(deployment: Deployment) -> None:
    customers_csv = (
        b"legacy_erp_id,email,name\n"
        b"ERP-7001,ana@example.com,Ana Lima\n"
        b"ERP-7002,not-an-email,Bad Row\n"
        b"ERP-7003,li@example.com,Li Wei\n"
    )
    products_csv = (
        b"sku,name,description,price,currency,weight_grams\n"
        b"SKU-ERP-1,Cast iron pan,Heavy.,39.90,USD,2300\n"
        b"SKU-ERP-2,Chef knife,,89.00,USD,250\n"
        b"SKU-ERP-3,Broken price,,12.345,USD,100\n"
    )
    databases = deployment.stack.database_urls
    settings = deployment.settings(jobs={"processing": FAST_WORKER})
    csv = {"content-type": "text/csv; charset=utf-8"} | deployment.writer
    async with serve_gateway(settings) as (client, _):
        first = await client.post("/jobs/imports/customers", content=customers_csv, headers=csv)
        second = await client.post("/jobs/imports/products", content=products_csv, headers=csv)
        customers_job = await wait_for_completion(
            client, first.headers["location"], deployment.writer
        )
        products_job = await wait_for_completion(
            client, second.headers["location"], deployment.writer
        )
    assert customers_job["progress"]["succeeded"] == 2
    assert [(e["row"], e["code"], e.get("field")) for e in customers_job["errors"]] == [
        (2, "BAD_USER_INPUT", "email")
    ]
    assert products_job["progress"]["succeeded"] == 2
    assert [(e["row"], e["code"], e.get("field")) for e in products_job["errors"]] == [
        (3, "BAD_ROW", "price")
    ]
    assert await count(databases["orders"], Customer, Customer.legacy_erp_id == "ERP-7003") == 1
    assert await count(databases["inventory"], Product, Product.sku.like("SKU-ERP-%")) == 2
    catalog = await rows(
        databases["orders"],
        "SELECT sku, price_amount FROM catalog_items WHERE sku LIKE 'SKU-ERP-%' ORDER BY sku",
    )
    assert catalog == [
        {"sku": "SKU-ERP-1", "price_amount": 3990},
        {"sku": "SKU-ERP-2", "price_amount": 8900},
    ]
    assert await count(databases["orders"], CatalogItem, CatalogItem.sku == "SKU-ERP-3") == 0


async def test_jobs_belong_to_their_caller_and_errors_are_problem_documents(
    deployment: Deployment,
) -> None:
    key_file = deployment.directory / "api-keys.yaml"
    keys = {client: generate_api_key() for client in ("acme", "globex")}
    entries = [
        {
            "id": f"{client}-1",
            "hash": hash_api_key(key),
            "client_id": client,
            "scopes": ["customers:write", "orders:write"],
        }
        for client, key in keys.items()
    ]
    key_file.write_text(yaml.safe_dump({"keys": entries}))
    settings = deployment.settings(
        auth={"api_keys": {"file": str(key_file)}, "allow_anonymous": False},
        jobs={"processing": FAST_WORKER},
    )
    body = orjson.dumps([{"legacyErpId": "ERP-8001", "email": "x@example.com", "name": "X"}])
    acme = {"x-api-key": keys["acme"]}
    async with serve_gateway(settings) as (client, _):
        anonymous = await client.post("/jobs/imports/customers", content=body, headers=JSON)
        accepted = await client.post("/jobs/imports/customers", content=body, headers=JSON | acme)
        location = accepted.headers["location"]
        await wait_for_completion(client, location, acme)
        foreign = await client.get(location, headers={"x-api-key": keys["globex"]})
        foreign_letters = await client.get(
            f"{location}/dead-letters", headers={"x-api-key": keys["globex"]}
        )
        unsupported = await client.post(
            "/jobs/imports/orders",
            content=b"a,b\n1,2\n",
            headers={"content-type": "text/plain"} | acme,
        )
        empty = await client.post("/jobs/imports/customers", content=b"[]", headers=JSON | acme)
        broken = await client.post("/jobs/imports/customers", content=b"[{", headers=JSON | acme)
        unknown = await client.post("/jobs/imports/invoices", content=body, headers=JSON | acme)
        missing = await client.get(f"/jobs/{uuid.uuid4()}", headers=acme)
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "AUTHENTICATION_REQUIRED")
    assert "www-authenticate" in anonymous.headers
    for response, status, code in [
        (foreign, 404, "JOB_NOT_FOUND"),
        (foreign_letters, 404, "JOB_NOT_FOUND"),
        (unsupported, 415, "UNSUPPORTED_MEDIA_TYPE"),
        (empty, 400, "EMPTY_IMPORT"),
        (broken, 400, "INVALID_IMPORT_FILE"),
        (unknown, 404, "UNKNOWN_IMPORT"),
        (missing, 404, "JOB_NOT_FOUND"),
    ]:
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["code"] == code
        assert problem["status"] == status
        # the REST routes' shape: a type URI per code, the correlation id as the instance
        assert problem["type"] == "https://ordergate.dev/problems/" + code.lower().replace("_", "-")
        assert problem["instance"] == response.headers["x-request-id"]
        assert problem["requestId"] == response.headers["x-request-id"]


@pytest.mark.parametrize("scope_given", [False, True])
async def test_a_submit_scope_is_enforced(deployment: Deployment, scope_given: bool) -> None:
    key_file = deployment.directory / "api-keys.yaml"
    api_key = generate_api_key()
    scopes = ["customers:write", "imports:write"] if scope_given else ["customers:write"]
    entry = {"id": "k1", "hash": hash_api_key(api_key), "client_id": "acme", "scopes": scopes}
    key_file.write_text(yaml.safe_dump({"keys": [entry]}))
    settings = deployment.settings(
        auth={"api_keys": {"file": str(key_file)}},
        jobs={"submit_scope": "imports:write", "processing": FAST_WORKER},
    )
    body = orjson.dumps([{"legacyErpId": "ERP-8101", "email": "s@example.com", "name": "S"}])
    async with serve_gateway(settings) as (client, _):
        response: httpx.Response = await client.post(
            "/jobs/imports/customers", content=body, headers=JSON | {"x-api-key": api_key}
        )
        if scope_given:
            await wait_for_completion(client, response.headers["location"], {"x-api-key": api_key})
    assert response.status_code == (202 if scope_given else 403)
    if not scope_given:
        assert response.json()["code"] == "INSUFFICIENT_SCOPE"


async def test_each_import_needs_the_write_scope_of_its_kind(deployment: Deployment) -> None:
    """Anonymous callers are refused even where anonymous access is on (the default), and a key
    importing orders may not import customers or products; nothing is queued."""
    key_file = deployment.directory / "api-keys.yaml"
    api_key = generate_api_key()
    entry = {"id": "k1", "hash": hash_api_key(api_key), "client_id": "shop", "scopes": []}
    entry["scopes"] = ["orders:read", "orders:write", "customers:read", "inventory:read"]
    key_file.write_text(yaml.safe_dump({"keys": [entry]}))
    settings = deployment.settings(
        auth={"api_keys": {"file": str(key_file)}}, jobs={"processing": FAST_WORKER}
    )
    databases = deployment.stack.database_urls
    customers_before = await count(databases["orders"], Customer)
    products_before = await count(databases["inventory"], Product)
    customers = orjson.dumps([{"legacyErpId": "ERP-8201", "email": "k@example.com", "name": "K"}])
    products = b"sku,name,description,price,currency,weight_grams\nSKU-K-1,Pan,,9.90,USD,100\n"
    shop = {"x-api-key": api_key}
    async with serve_gateway(settings) as (client, _):
        anonymous = await client.post("/jobs/imports/customers", content=customers, headers=JSON)
        anonymous_status = await client.get(f"/jobs/{uuid.uuid4()}")
        no_customers = await client.post(
            "/jobs/imports/customers", content=customers, headers=JSON | shop
        )
        no_products = await client.post(
            "/jobs/imports/products", content=products, headers={"content-type": "text/csv"} | shop
        )
    for response in (anonymous, anonymous_status):
        assert (response.status_code, response.json()["code"]) == (401, "AUTHENTICATION_REQUIRED")
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert (no_customers.status_code, no_customers.json()["code"]) == (403, "INSUFFICIENT_SCOPE")
    assert no_customers.json()["detail"] == "This import needs the scope customers:write"
    assert (no_products.status_code, no_products.json()["detail"]) == (
        403,
        "This import needs the scope inventory:write",
    )
    assert await count(databases["orders"], Customer) == customers_before
    assert await count(databases["inventory"], Product) == products_before
