"""Products, warehouses and stock levels read through the catalog's REST routes, stock adjusted,
reserved and released (real gateway and subgraphs over HTTP, SQLite and PostgreSQL); each answer
compared with the inventory database, read back after every write."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
from rest_domain_support import bearer, first_stock, key, owned, snapshot
from rest_runtime_stack import RestStack, model_rows
from sqlalchemy import func, select


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


async def _stock(rest: RestStack, sku: str, code: str) -> tuple[int, int]:
    from subgraphs.inventory.models import StockLevel

    (row,) = await model_rows(
        rest.database_urls["inventory"],
        select(StockLevel.on_hand, StockLevel.reserved).where(
            StockLevel.sku == sku, StockLevel.warehouse_code == code
        ),
    )
    return int(row[0]), int(row[1])


async def test_products_warehouses_and_stock_levels_match_the_database(rest: RestStack) -> None:
    from subgraphs.inventory.models import Product, StockLevel, Warehouse

    url = rest.database_urls["inventory"]
    http = rest.http
    reader = bearer(rest.tokens["partner"])  # inventory:read
    warehouses = await model_rows(
        url, select(Warehouse.code, Warehouse.name, Warehouse.city, Warehouse.country)
    )
    listed = _ok(await http.get("/api/v1/warehouses", headers=reader))
    assert listed == [
        {"code": r[0], "name": r[1], "city": r[2], "country": r[3]} for r in sorted(warehouses)
    ]
    code = listed[0]["code"]
    assert _ok(await http.get(f"/api/v1/warehouses/{code}", headers=reader)) == listed[0]
    missing = await http.get("/api/v1/warehouses/NOPE", headers=reader)
    assert (missing.status_code, missing.json()["code"]) == (404, "NOT_FOUND")

    # every product, two per page, following the next links
    total = (await model_rows(url, select(func.count()).select_from(Product)))[0][0]
    seen: list[str] = []
    next_url: str | None = "/api/v1/products?limit=2"
    while next_url is not None:
        page = await http.get(next_url, headers=reader)
        seen += [product["sku"] for product in _ok(page)["items"]]
        found = re.fullmatch(r'<([^>]+)>; rel="next"', page.headers.get("link", ""))
        next_url = found.group(1) if found else None
        assert (next_url is None) == (_ok(page)["nextCursor"] is None)
    assert seen == sorted(seen)
    assert len(seen) == len(set(seen)) == total

    sku = seen[0]
    product = _ok(await http.get(f"/api/v1/products/{sku}", headers=reader))
    (row,) = await model_rows(
        url,
        select(Product.name, Product.price_amount, Product.weight_grams).where(Product.sku == sku),
    )
    assert (product["name"], product["price"]["amount"], product["weightGrams"]) == tuple(row)
    levels = await model_rows(
        url,
        select(StockLevel.warehouse_code, StockLevel.on_hand, StockLevel.reserved).where(
            StockLevel.sku == sku
        ),
    )
    assert sorted((s["warehouseCode"], s["onHand"], s["reserved"]) for s in product["stock"]) == (
        sorted(tuple(level) for level in levels)
    )
    assert product["availableQuantity"] == sum(on - held for _, on, held in levels)
    searched = _ok(await http.get("/api/v1/products", params={"search": sku}, headers=reader))
    assert [p["sku"] for p in searched["items"]] == [sku]
    unknown = await http.get("/api/v1/products/NO-SUCH-SKU", headers=reader)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "NOT_FOUND")

    level_code, on_hand, reserved = levels[0]
    level = _ok(
        await http.get(f"/api/v1/warehouses/{level_code}/stock-levels/{sku}", headers=reader)
    )
    assert (level["onHand"], level["reserved"], level["available"]) == (
        on_hand,
        reserved,
        on_hand - reserved,
    )


async def test_stock_adjusted_reserved_and_released(rest: RestStack) -> None:
    from subgraphs.inventory.models import Reservation, StockAdjustment

    http = rest.http
    admin = bearer(rest.tokens["admin"])  # inventory:write
    sku, code, on_hand, reserved = await first_stock(rest)
    path = f"/api/v1/warehouses/{code}/stock-levels/{sku}"

    adjusted = _ok(
        await http.post(
            f"{path}/adjustments", json={"delta": 5, "reason": "recount"}, headers=admin
        )
    )
    assert (adjusted["sku"], adjusted["warehouseCode"], adjusted["onHand"]) == (
        sku,
        code,
        on_hand + 5,
    )
    assert await _stock(rest, sku, code) == (on_hand + 5, reserved)
    ledger = await model_rows(
        rest.database_urls["inventory"],
        select(StockAdjustment.delta, StockAdjustment.reason).where(
            StockAdjustment.sku == sku, StockAdjustment.warehouse_code == code
        ),
    )
    assert (5, "recount") in [tuple(row) for row in ledger]
    # below what is reserved: 409, nothing written
    before = await snapshot(rest.database_urls)
    too_much = await http.post(
        f"{path}/adjustments", json={"delta": -(on_hand + 6), "reason": "loss"}, headers=admin
    )
    assert too_much.status_code == 409, too_much.text
    assert too_much.json()["code"] == "INSUFFICIENT_STOCK"
    missing = await http.post(f"{path}/adjustments", json={"delta": 1}, headers=admin)
    assert missing.status_code == 400
    assert missing.json()["detail"] == "body property 'reason' is required"
    assert await snapshot(rest.database_urls) == before

    # reserve 2 units of a line of customer A's open order in that warehouse, then release
    a = await owned(rest, rest.customer_a)
    order = a.order_in("PENDING", "CONFIRMED")
    line = a.lines[order][0]
    body = {
        "orderId": order,
        "orderLineId": line.id,
        "sku": sku,
        "quantity": 2,
        "warehouseCode": code,
    }
    created = await http.post("/api/v1/reservations", json=body, headers={**admin, **key()})
    reservation = _ok(created, 201)
    assert created.headers["location"] == f"/api/v1/reservations/{reservation['id']}"
    assert (reservation["status"], reservation["quantity"], reservation["warehouseCode"]) == (
        "ACTIVE",
        2,
        code,
    )
    assert await _stock(rest, sku, code) == (on_hand + 5, reserved + 2)
    read = _ok(await http.get(f"/api/v1/reservations/{reservation['id']}", headers=admin))
    assert read == reservation

    released = _ok(await http.delete(f"/api/v1/reservations/{reservation['id']}", headers=admin))
    assert released["status"] == "RELEASED"
    assert await _stock(rest, sku, code) == (on_hand + 5, reserved)
    (status,) = await model_rows(
        rest.database_urls["inventory"],
        select(Reservation.status).where(Reservation.id == uuid.UUID(reservation["id"])),
    )
    assert status[0] == "RELEASED"
    again = await http.delete(f"/api/v1/reservations/{reservation['id']}", headers=admin)
    assert again.status_code == 409, again.text
    assert again.json()["code"] == "ILLEGAL_STATE_TRANSITION"
    assert await _stock(rest, sku, code) == (on_hand + 5, reserved)
