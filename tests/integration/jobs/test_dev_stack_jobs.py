"""``ordergate dev`` runs the 202 flow out of the box: the gateway's in-process worker imports
rows on the embedded defaults (on behalf of the demo admin, whose principal it signs as the
gateway does), and the demo partner's keyed createOrder is replayed. Neither an anonymous caller
(401) nor the partner (no ``inventory:write``, 403) may import products."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from ordergate.commands._dev_auth import prepare_dev_auth
from ordergate.commands.dev import DevOptions, build_dev_stack, prepare_databases


async def test_the_dev_stack_runs_import_jobs_and_replays_keyed_mutations(tmp_path: Path) -> None:
    options = DevOptions(data_dir=tmp_path, seed=True, port_offset=None, log_level="warning")
    urls = await prepare_databases(options)
    group = build_dev_stack(options, urls)
    dev_auth = prepare_dev_auth(tmp_path)
    partner = {"x-api-key": dev_auth.api_key}
    admin_token = dev_auth.tokens("00000000-0000-0000-0000-000000000001")["admin"]
    admin = {"authorization": f"Bearer {admin_token}"}
    products = b"sku,name,price,weight_grams\nSKU-DEV-1,Dev mug,9.50,350\n"
    csv = {"content-type": "text/csv"}
    async with group, httpx.AsyncClient(headers=partner, timeout=30) as client:
        base_url = group.served[-1].base_url
        client.base_url = httpx.URL(base_url)
        async with httpx.AsyncClient(base_url=base_url, headers=admin, timeout=30) as as_admin:
            accepted = await as_admin.post("/jobs/imports/products", content=products, headers=csv)
            assert accepted.status_code == 202, accepted.text
            job = await completed(as_admin, accepted.headers["location"])
        assert job["progress"]["succeeded"] == 1, job
        by_partner = await client.post("/jobs/imports/products", content=products, headers=csv)
        assert (by_partner.status_code, by_partner.json()["code"]) == (403, "INSUFFICIENT_SCOPE")
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as anonymous:
            refused = await anonymous.post("/jobs/imports/products", content=products, headers=csv)
        assert (refused.status_code, refused.json()["code"]) == (401, "AUTHENTICATION_REQUIRED")
        product = await client.post(
            "/graphql", json={"query": '{ product(sku: "SKU-DEV-1") { name price { amount } } }'}
        )
        expected = {"product": {"name": "Dev mug", "price": {"amount": 950}}}
        assert product.json()["data"] == expected
        customer = await client.post(
            "/graphql", json={"query": "{ customers(first: 1) { edges { node { id } } } }"}
        )
        customer_id = customer.json()["data"]["customers"]["edges"][0]["node"]["id"]
        create = {
            "query": "mutation($i: CreateOrderInput!) { createOrder(input: $i) { id } }",
            "variables": {
                "i": {
                    "customerId": customer_id,
                    "channel": "WEB",
                    "lines": [{"sku": "SKU-DEV-1", "quantity": 2}],
                    "shippingAddress": {"line1": "1 Dev Road", "city": "Utrecht",
                                        "postalCode": "3511", "country": "NL"},
                }
            },
        }  # fmt: skip
        first = await client.post("/graphql", json=create, headers={"idempotency-key": "dev-1"})
        retry = await client.post("/graphql", json=create, headers={"idempotency-key": "dev-1"})
    assert first.status_code == 200
    assert "errors" not in first.json(), first.json()
    assert retry.content == first.content
    assert retry.headers["idempotent-replayed"] == "true"


async def completed(client: httpx.AsyncClient, location: str) -> dict[str, object]:
    for _ in range(500):
        job: dict[str, object] = (await client.get(location)).json()
        if job["state"] == "completed":
            return job
        await asyncio.sleep(0.02)
    raise AssertionError(f"the job did not complete: {job}")
