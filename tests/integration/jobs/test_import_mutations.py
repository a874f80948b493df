"""The subgraphs' bulk import mutations: upserts by natural key, once per row key, row errors
reported without failing the other rows; hidden from the gateway's API schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from order_stack import OrderStack, post_graphql, rows, scalar

from gateway.supergraph import load_supergraph

IMPORT_CUSTOMERS = """
mutation($rows: [CustomerImportRow!]!) {
  importCustomers(rows: $rows) { rowKey outcome id errorCode errorMessage errorField }
}"""
IMPORT_PRODUCTS = """
mutation($rows: [ProductImportRow!]!) {
  importProducts(rows: $rows) { rowKey outcome id errorCode errorField }
}"""
IMPORT_CATALOG = """
mutation($rows: [CatalogItemImportRow!]!) {
  importCatalogItems(rows: $rows) { rowKey outcome id errorCode }
}"""
ROOT = Path(__file__).resolve().parents[3]


async def call(stack: OrderStack, subgraph: str, query: str, rows_: list[Any]) -> list[Any]:
    async with httpx.AsyncClient(timeout=30) as http:
        response = await post_graphql(http, stack.url(subgraph), query, {"rows": rows_})
    body = response.json()
    assert "errors" not in body, body
    return list(next(iter(body["data"].values())))


def customer(row: int, legacy: str, email: str, name: str = "Ada Lovelace") -> dict[str, Any]:
    return {"rowKey": f"job-1:{row}", "legacyErpId": legacy, "email": email, "name": name}


async def test_customers_are_upserted_by_legacy_id_once_per_row(order_stack: OrderStack) -> None:
    orders_db = order_stack.database_urls["orders"]
    before = await scalar(orders_db, "SELECT count(*) FROM customers")
    results = await call(
        order_stack,
        "orders",
        IMPORT_CUSTOMERS,
        [
            customer(1, "ERP-9001", "ada@example.com"),
            customer(2, "ERP-9002", "not-an-email"),
            customer(3, "ERP-9003", "ADA@example.com"),
            customer(4, "ERP-9004", "grace@example.com", "Grace Hopper"),
        ],
    )
    assert [result["outcome"] for result in results] == ["CREATED", "FAILED", "FAILED", "CREATED"]
    assert (results[1]["errorCode"], results[1]["errorField"]) == ("BAD_USER_INPUT", "email")
    assert "belongs to another customer" in results[2]["errorMessage"]
    assert await scalar(orders_db, "SELECT count(*) FROM customers") == before + 2

    again = await call(
        order_stack,
        "orders",
        IMPORT_CUSTOMERS,
        [
            customer(1, "ERP-9001", "ada@example.com"),
            customer(4, "ERP-9004", "grace@example.com", "Grace Hopper"),
            customer(2, "ERP-9002", "fixed@example.com"),
            customer(3, "ERP-9003", "ada@example.com", "Someone Else"),
        ],
    )
    outcomes = [result["outcome"] for result in again]
    assert outcomes == ["REPLAYED", "REPLAYED", "CREATED", "FAILED"]
    assert [result["id"] for result in again[:2]] == [results[0]["id"], results[3]["id"]]
    assert again[3]["errorCode"] == "BAD_USER_INPUT"  # a failed row stored no key: it ran again
    changed = await call(
        order_stack, "orders", IMPORT_CUSTOMERS, [customer(1, "ERP-9001", "other@example.com")]
    )
    assert changed[0]["errorCode"] == "IDEMPOTENCY_KEY_REUSED"

    second_job = await call(
        order_stack,
        "orders",
        IMPORT_CUSTOMERS,
        [
            {**customer(1, "ERP-9001", "ada@example.com", "Ada King"), "rowKey": "job-2:1"},
            {**customer(2, "ERP-9004", "grace@example.com", "Grace Hopper"), "rowKey": "job-2:2"},
        ],
    )
    assert [result["outcome"] for result in second_job] == ["UPDATED", "UNCHANGED"]
    assert second_job[0]["id"] == results[0]["id"]
    names = await rows(orders_db, "SELECT name FROM customers WHERE legacy_erp_id = 'ERP-9001'")
    assert names == [{"name": "Ada King"}]
    # ERP-9001, ERP-9004, and ERP-9002 once its email was fixed; never a duplicate
    assert await scalar(orders_db, "SELECT count(*) FROM customers") == before + 3


async def test_products_go_to_inventory_and_the_catalog_replica(order_stack: OrderStack) -> None:
    product = {
        "rowKey": "job-3:1",
        "sku": "SKU-IMPORTED-1",
        "name": "Imported kettle",
        "description": "From the ERP.",
        "priceAmount": 3_450,
        "currency": "USD",
        "weightGrams": 900,
    }
    broken = {**product, "rowKey": "job-3:2", "sku": "SKU-IMPORTED-2", "weightGrams": 0}
    imported = await call(order_stack, "inventory", IMPORT_PRODUCTS, [product, broken])
    assert [result["outcome"] for result in imported] == ["CREATED", "FAILED"]
    assert imported[1]["errorField"] == "weightGrams"
    catalog = await call(
        order_stack,
        "orders",
        IMPORT_CATALOG,
        [
            {
                "rowKey": "job-3:1",
                "sku": "SKU-IMPORTED-1",
                "name": "Imported kettle",
                "priceAmount": 3_450,
                "currency": "USD",
            }
        ],
    )
    assert catalog[0]["outcome"] == "CREATED"
    price = await scalar(
        order_stack.database_urls["orders"],
        "SELECT price_amount FROM catalog_items WHERE sku = 'SKU-IMPORTED-1'",
    )
    assert price == 3_450
    replayed = await call(order_stack, "inventory", IMPORT_PRODUCTS, [product])
    assert replayed[0]["outcome"] == "REPLAYED"


def test_the_import_mutations_are_not_in_the_api_schema() -> None:
    supergraph = load_supergraph((ROOT / "schema/supergraph.graphql").read_text("utf-8"))
    mutation = supergraph.api_schema.mutation_type
    assert mutation is not None
    assert "createOrder" in mutation.fields
    for hidden in ("importCustomers", "importCatalogItems", "importProducts"):
        assert hidden not in mutation.fields
    assert supergraph.api_schema.get_type("CustomerImportRow") is None
