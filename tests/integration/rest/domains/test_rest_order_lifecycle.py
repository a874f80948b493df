"""The order lifecycle through the catalog's REST routes (real gateway and subgraphs over HTTP,
SQLite and PostgreSQL): create with an idempotency key, get, list with a next link, update,
confirm, record a fulfilment, cancel; each answer's status and body, and the orders database
read back after each step."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
from rest_domain_support import bearer, key, token
from rest_runtime_stack import RestStack, model_rows
from sqlalchemy import select

#: a B2B partner (the demo partner's scopes): places, changes and ships orders
PARTNER_SCOPES = "orders:read orders:write customers:read inventory:read shipments:read"


async def _order(rest: RestStack, order_id: str) -> dict[str, Any]:
    """The order and its lines as the orders database holds them."""
    from subgraphs.orders.models import Order, OrderLine

    url = rest.database_urls["orders"]
    (row,) = await model_rows(
        url,
        select(
            Order.status,
            Order.version,
            Order.customer_id,
            Order.channel,
            Order.ship_city,
            Order.cancel_reason,
            Order.total_amount,
        ).where(Order.id == uuid.UUID(order_id)),
    )
    lines = await model_rows(
        url,
        select(OrderLine.id, OrderLine.sku, OrderLine.quantity, OrderLine.fulfilled_quantity)
        .where(OrderLine.order_id == uuid.UUID(order_id))
        .order_by(OrderLine.line_number),
    )
    return {
        "status": row[0],
        "version": row[1],
        "customer": str(row[2]),
        "channel": row[3],
        "city": row[4],
        "cancelReason": row[5],
        "total": row[6],
        "lines": [(str(r[0]), r[1], r[2], r[3]) for r in lines],
    }


def _ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    return body


def _next(response: httpx.Response) -> str | None:
    found = re.fullmatch(r'<([^>]+)>; rel="next"', response.headers.get("link", ""))
    return found.group(1) if found else None


async def test_an_order_from_creation_to_fulfilment_and_another_cancelled(
    rest: RestStack,
) -> None:
    http = rest.http
    partner = bearer(token("b2b-partner", PARTNER_SCOPES))
    sku_a, sku_b = rest.skus[0], rest.skus[1]
    body = {
        "customerId": rest.customer_a,
        "channel": "B2B",
        "lines": [{"sku": sku_a, "quantity": 3}, {"sku": sku_b, "quantity": 1}],
        "shippingAddress": {
            "line1": "1 Main Street",
            "city": "Springfield",
            "postalCode": "12345",
            "country": "US",
        },
    }

    # create: 201 + Location, the order as the database holds it
    idempotency = key()
    created = await http.post("/api/v1/orders", json=body, headers={**partner, **idempotency})
    order = _ok(created, 201)
    order_id = order["id"]
    assert created.headers["location"] == f"/api/v1/orders/{order_id}"
    assert (order["status"], order["version"], order["channel"]) == ("PENDING", 1, "B2B")
    assert [(line["sku"], line["quantity"]) for line in order["lines"]] == [(sku_a, 3), (sku_b, 1)]
    stored = await _order(rest, order_id)
    assert (stored["status"], stored["version"], stored["customer"]) == (
        "PENDING",
        1,
        rest.customer_a,
    )
    assert stored["total"] == order["total"]["amount"]
    assert [line[0] for line in stored["lines"]] == [line["id"] for line in order["lines"]]
    # the same key and body: the same order, not a second one
    replay = await http.post("/api/v1/orders", json=body, headers={**partner, **idempotency})
    assert _ok(replay, 201) == order
    assert replay.headers["idempotent-replayed"] == "true"

    # get: the Location answers the same representation
    assert _ok(await http.get(created.headers["location"], headers=partner)) == order

    # list the customer's orders one per page, following the next links to the new one
    page = await http.get(
        f"/api/v1/customers/{rest.customer_a}/orders", params={"limit": "1"}, headers=partner
    )
    first = _ok(page)
    assert [item["id"] for item in first["items"]] == [order_id]  # newest first
    next_url = _next(page)
    assert next_url is not None and first["nextCursor"] is not None
    assert f"cursor={first['nextCursor']}" in next_url
    second = await http.get(next_url, headers=partner)
    assert [item["customer"]["id"] for item in _ok(second)["items"]] == [rest.customer_a]
    assert _ok(second)["items"][0]["id"] != order_id
    filtered = await http.get(
        "/api/v1/orders",
        params={"customerId": rest.customer_a, "status": "PENDING", "channel": "B2B"},
        headers=partner,
    )
    assert order_id in {item["id"] for item in _ok(filtered)["items"]}
    assert {item["status"] for item in _ok(filtered)["items"]} == {"PENDING"}

    # update: the lines replaced, the address changed, the version checked and raised
    stale = await http.patch(
        f"/api/v1/orders/{order_id}",
        json={"expectedVersion": 7, "lines": [{"sku": sku_a, "quantity": 2}]},
        headers=partner,
    )
    assert stale.status_code == 409, stale.text
    assert stale.json()["code"] == "VERSION_CONFLICT"
    assert (await _order(rest, order_id))["version"] == 1
    updated = await http.patch(
        f"/api/v1/orders/{order_id}",
        json={
            "expectedVersion": 1,
            "lines": [{"sku": sku_a, "quantity": 2}],
            "shippingAddress": {**body["shippingAddress"], "city": "Shelbyville"},
        },
        headers=partner,
    )
    changed = _ok(updated)
    assert (changed["version"], changed["shippingAddress"]["city"]) == (2, "Shelbyville")
    assert [(line["sku"], line["quantity"]) for line in changed["lines"]] == [(sku_a, 2)]
    stored = await _order(rest, order_id)
    assert (stored["version"], stored["city"]) == (2, "Shelbyville")
    assert [(line[1], line[2]) for line in stored["lines"]] == [(sku_a, 2)]
    # the kept sku kept its line id
    assert stored["lines"][0][0] == order["lines"][0]["id"]

    # confirm (no body: expectedVersion is optional)
    confirmed = _ok(await http.post(f"/api/v1/orders/{order_id}/confirm", headers=partner))
    assert (confirmed["status"], confirmed["version"]) == ("CONFIRMED", 3)
    assert (await _order(rest, order_id))["status"] == "CONFIRMED"

    # record a fulfilment of one unit, then the rest
    line_id = changed["lines"][0]["id"]
    partial = await http.post(
        f"/api/v1/orders/{order_id}/fulfillments",
        json={"lines": [{"lineId": line_id, "quantity": 1}], "expectedVersion": 3},
        headers=partner,
    )
    assert _ok(partial)["status"] == "PARTIALLY_FULFILLED"
    assert _ok(partial)["lines"][0]["fulfilledQuantity"] == 1
    stored = await _order(rest, order_id)
    assert (stored["status"], stored["lines"][0][3]) == ("PARTIALLY_FULFILLED", 1)
    # a partly shipped order cannot be cancelled: 409 problem, nothing changed
    refused = await http.delete(f"/api/v1/orders/{order_id}", headers=partner)
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "ILLEGAL_STATE_TRANSITION"
    assert await _order(rest, order_id) == stored
    done = await http.post(
        f"/api/v1/orders/{order_id}/fulfillments",
        json={"lines": [{"lineId": line_id, "quantity": 1}]},
        headers=partner,
    )
    assert _ok(done)["status"] == "FULFILLED"
    assert (await _order(rest, order_id))["lines"][0][3] == 2

    # a second order, cancelled by DELETE with a reason and the expected version
    other = _ok(
        await http.post(
            "/api/v1/orders", json=body, headers={**bearer(rest.tokens["customer"]), **key()}
        ),
        201,
    )
    cancelled = await http.delete(
        f"/api/v1/orders/{other['id']}",
        params={"reason": "ordered twice", "expectedVersion": "1"},
        headers=bearer(rest.tokens["customer"]),
    )
    assert (_ok(cancelled)["status"], _ok(cancelled)["cancelReason"]) == (
        "CANCELLED",
        "ordered twice",
    )
    stored_other = await _order(rest, other["id"])
    assert (stored_other["status"], stored_other["cancelReason"]) == ("CANCELLED", "ordered twice")
    # the cancelled order stays readable
    assert _ok(await http.get(f"/api/v1/orders/{other['id']}", headers=partner))["status"] == (
        "CANCELLED"
    )


async def test_cancelling_a_cancelled_order_is_a_409_problem(rest: RestStack) -> None:
    customer = bearer(rest.tokens["customer"])
    created = await rest.http.post(
        "/api/v1/orders", json=rest.create_body(), headers={**customer, **key()}
    )
    order_id = _ok(created, 201)["id"]
    first = await rest.http.delete(f"/api/v1/orders/{order_id}", headers=customer)
    assert _ok(first)["status"] == "CANCELLED"
    stored = await _order(rest, order_id)
    request_id = f"cancel-again-{uuid.uuid4()}"
    again = await rest.http.delete(
        f"/api/v1/orders/{order_id}", headers={**customer, "X-Request-ID": request_id}
    )
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert again.headers["x-request-id"] == request_id
    problem = again.json()
    assert problem["status"] == 409
    assert problem["code"] == "ILLEGAL_STATE_TRANSITION"
    assert problem["type"] != "about:blank" and problem["title"] and problem["detail"]
    assert problem["instance"].endswith(request_id)
    assert [error["code"] for error in problem["errors"]] == ["ILLEGAL_STATE_TRANSITION"]
    assert await _order(rest, order_id) == stored
