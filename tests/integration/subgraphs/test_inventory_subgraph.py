"""Inventory over HTTP on SQLite and PostgreSQL: mutations, entities, bad input, no overselling."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from subgraph_harness import InventoryFixture

LEVEL = "sku warehouseCode onHand reserved available"
ADJUST = f"mutation($i: AdjustStockInput!) {{ adjustStock(input: $i) {{ {LEVEL} }} }}"
RESERVE = (
    "mutation($i: ReserveStockInput!) { reserveStock(input: $i) "
    "{ id orderId orderLineId sku warehouseCode quantity status } }"
)
RELEASE = "mutation($id: ID!) { releaseReservation(reservationId: $id) { id status quantity } }"
LEVEL_QUERY = (
    f"query($s: String!, $w: String!) {{ stockLevel(sku: $s, warehouseCode: $w) {{ {LEVEL} }} }}"
)


def reserve_input(sku: str, quantity: int, **extra: Any) -> dict[str, Any]:
    return {
        "i": {
            "orderId": str(uuid.uuid4()),
            "orderLineId": extra.pop("line", str(uuid.uuid4())),
            "sku": sku,
            "quantity": quantity,
            **extra,
        }
    }


async def level(fx: InventoryFixture, sku: str, code: str) -> dict[str, Any]:
    return dict((await fx.client.execute(LEVEL_QUERY, {"s": sku, "w": code})).data["stockLevel"])


async def test_adjust_stock_up_down_and_new_level(inventory: InventoryFixture) -> None:
    add = {"i": {"sku": "SKU-MUG", "warehouseCode": "AMS", "delta": 5, "reason": "delivery"}}
    assert (await inventory.client.execute(ADJUST, add)).data["adjustStock"] == {
        "sku": "SKU-MUG",
        "warehouseCode": "AMS",
        "onHand": 15,
        "reserved": 0,
        "available": 15,
    }
    remove = {"i": {"sku": "SKU-MUG", "warehouseCode": "AMS", "delta": -15, "reason": "damaged"}}
    assert (await inventory.client.execute(ADJUST, remove)).data["adjustStock"]["onHand"] == 0
    new = {"i": {"sku": "SKU-LAMP", "warehouseCode": "SIN", "delta": 3, "reason": "first batch"}}
    assert (await inventory.client.execute(ADJUST, new)).data["adjustStock"]["onHand"] == 3


async def test_adjust_stock_never_goes_negative_or_below_reserved(
    inventory: InventoryFixture,
) -> None:
    await inventory.client.execute(RESERVE, reserve_input("SKU-KETTLE", 3, warehouseCode="NYC"))
    cases = [
        ({"delta": -2}, "INSUFFICIENT_STOCK"),  # 4 on hand, 3 reserved
        ({"delta": -5}, "INSUFFICIENT_STOCK"),
        ({"delta": 0}, "BAD_USER_INPUT"),
        ({"sku": "SKU-NOPE"}, "UNKNOWN_SKU"),
        ({"warehouseCode": "LON"}, "NOT_FOUND"),
        ({"reason": "  "}, "BAD_USER_INPUT"),
    ]
    for overrides, code in cases:
        values = {"sku": "SKU-KETTLE", "warehouseCode": "NYC", "delta": 1, "reason": "r"}
        response = await inventory.client.execute(ADJUST, {"i": {**values, **overrides}})
        assert response.code == code, overrides
    assert await level(inventory, "SKU-KETTLE", "NYC") == {
        "sku": "SKU-KETTLE",
        "warehouseCode": "NYC",
        "onHand": 4,
        "reserved": 3,
        "available": 1,
    }


async def test_reserve_picks_best_warehouse_and_release_returns_stock(
    inventory: InventoryFixture,
) -> None:
    reservation = (await inventory.client.execute(RESERVE, reserve_input("SKU-MUG", 12))).data[
        "reserveStock"
    ]
    assert reservation["warehouseCode"] == "NYC"  # 25 available beats AMS's 10
    assert reservation["status"] == "ACTIVE"
    assert (await level(inventory, "SKU-MUG", "NYC"))["available"] == 13
    released = (await inventory.client.execute(RELEASE, {"id": reservation["id"]})).data[
        "releaseReservation"
    ]
    assert released["status"] == "RELEASED"
    assert (await level(inventory, "SKU-MUG", "NYC"))["reserved"] == 0
    again = await inventory.client.execute(RELEASE, {"id": reservation["id"]})
    assert again.code == "ILLEGAL_STATE_TRANSITION"
    assert (await level(inventory, "SKU-MUG", "NYC"))["reserved"] == 0


async def test_reserve_rejects_bad_input_and_changes_nothing(inventory: InventoryFixture) -> None:
    cases = [
        (reserve_input("SKU-MUG", 0), "BAD_USER_INPUT"),
        (reserve_input("SKU-MUG", -1), "BAD_USER_INPUT"),
        (reserve_input("SKU-GHOST", 1), "UNKNOWN_SKU"),
        (reserve_input("SKU-MUG", 26), "INSUFFICIENT_STOCK"),  # no single warehouse has 26
        (reserve_input("SKU-LAMP", 3, warehouseCode="AMS"), "INSUFFICIENT_STOCK"),
        (reserve_input("SKU-LAMP", 1, warehouseCode="SIN"), "INSUFFICIENT_STOCK"),
        (reserve_input("SKU-LAMP", 1, warehouseCode="XXX"), "NOT_FOUND"),
        (reserve_input("SKU-LAMP", 1, line="not-an-id"), "BAD_USER_INPUT"),
    ]
    for variables, code in cases:
        assert (await inventory.client.execute(RESERVE, variables)).code == code, variables
    for sku, code in [("SKU-MUG", "AMS"), ("SKU-MUG", "NYC"), ("SKU-LAMP", "AMS")]:
        assert (await level(inventory, sku, code))["reserved"] == 0
    missing = await inventory.client.execute(RELEASE, {"id": str(uuid.uuid4())})
    assert missing.code == "NOT_FOUND"


async def test_concurrent_reservations_never_oversell(inventory: InventoryFixture) -> None:
    attempts = [
        inventory.client.execute(RESERVE, reserve_input("SKU-KETTLE", 4, warehouseCode="SIN"))
        for _ in range(4)
    ]
    responses = await asyncio.gather(*attempts)
    succeeded = [r for r in responses if "errors" not in r.body]
    assert len(succeeded) == 1
    assert {r.code for r in responses if "errors" in r.body} == {"INSUFFICIENT_STOCK"}
    assert await level(inventory, "SKU-KETTLE", "SIN") == {
        "sku": "SKU-KETTLE",
        "warehouseCode": "SIN",
        "onHand": 6,
        "reserved": 4,
        "available": 2,
    }


async def test_product_queries_and_stock(inventory: InventoryFixture) -> None:
    query = """{
      product(sku: "SKU-MUG") { sku name price { amount currency } availableQuantity
        stock { warehouseCode onHand warehouse { city } } }
      products(first: 2, search: "KET") { totalCount edges { node { sku } } }
      all: products(first: 2) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { sku } } }
      warehouses { code stockLevels(first: 1) {
        totalCount edges { node { sku product { name } } } } }
    }"""
    data = (await inventory.client.execute(query)).data
    assert data["product"] == {
        "sku": "SKU-MUG",
        "name": "Enamel mug",
        "price": {"amount": 1_250, "currency": "USD"},
        "availableQuantity": 35,
        "stock": [
            {"warehouseCode": "AMS", "onHand": 10, "warehouse": {"city": "Amsterdam"}},
            {"warehouseCode": "NYC", "onHand": 25, "warehouse": {"city": "Newark"}},
        ],
    }
    assert data["products"] == {"totalCount": 1, "edges": [{"node": {"sku": "SKU-KETTLE"}}]}
    assert data["all"]["totalCount"] == 3
    assert [edge["node"]["sku"] for edge in data["all"]["edges"]] == ["SKU-KETTLE", "SKU-LAMP"]
    cursor = data["all"]["pageInfo"]["endCursor"]
    rest = (
        await inventory.client.execute(
            "query($a: String) { products(first: 2, after: $a) { edges { node { sku } } } }",
            {"a": cursor},
        )
    ).data["products"]
    assert rest["edges"] == [{"node": {"sku": "SKU-MUG"}}]
    by_code = {w["code"]: w["stockLevels"] for w in data["warehouses"]}
    assert by_code["AMS"]["totalCount"] == 2
    assert by_code["AMS"]["edges"] == [
        {"node": {"sku": "SKU-LAMP", "product": {"name": "Desk lamp"}}}
    ]
    assert by_code["SIN"]["totalCount"] == 1


async def test_entities_of_every_inventory_entity(inventory: InventoryFixture) -> None:
    line_id = str(uuid.uuid4())
    reservation = (
        await inventory.client.execute(RESERVE, reserve_input("SKU-MUG", 4, line=line_id))
    ).data["reserveStock"]
    client = inventory.client
    assert await client.entities(
        "Product", [{"sku": "SKU-LAMP"}, {"sku": "SKU-GHOST"}], "sku name availableQuantity"
    ) == [{"sku": "SKU-LAMP", "name": "Desk lamp", "availableQuantity": 2}, None]
    assert await client.entities("Warehouse", [{"code": "SIN"}, {"code": "?"}], "code name") == [
        {"code": "SIN", "name": "Singapore DC"},
        None,
    ]
    assert await client.entities(
        "StockLevel",
        [{"sku": "SKU-MUG", "warehouseCode": "NYC"}, {"sku": "SKU-LAMP", "warehouseCode": "SIN"}],
        "sku warehouseCode reserved available",
    ) == [{"sku": "SKU-MUG", "warehouseCode": "NYC", "reserved": 4, "available": 21}, None]
    assert await client.entities(
        "Reservation", [{"id": reservation["id"]}, {"id": str(uuid.uuid4())}], "id quantity status"
    ) == [{"id": reservation["id"], "quantity": 4, "status": "ACTIVE"}, None]
    lines = await client.entities(
        "OrderLine",
        [
            {"id": line_id, "sku": "SKU-MUG", "quantity": 6},
            {"id": str(uuid.uuid4()), "sku": "SKU-LAMP", "quantity": 3},
        ],
        "id availability { sku requested available reservedForLine fulfillable } "
        "reservations { id warehouseCode }",
    )
    assert lines[0]["availability"] == {
        "sku": "SKU-MUG",
        "requested": 6,
        "available": 31,
        "reservedForLine": 4,
        "fulfillable": True,
    }
    assert lines[0]["reservations"] == [{"id": reservation["id"], "warehouseCode": "NYC"}]
    assert lines[1]["availability"]["fulfillable"] is False
    assert lines[1]["reservations"] == []


async def test_availability_without_required_fields_is_an_error(
    inventory: InventoryFixture,
) -> None:
    query = (
        "query($r: [_Any!]!) { _entities(representations: $r) "
        "{ ... on OrderLine { availability { available } } } }"
    )
    response = await inventory.client.execute(
        query, {"r": [{"__typename": "OrderLine", "id": str(uuid.uuid4())}]}
    )
    assert response.code == "BAD_USER_INPUT"
