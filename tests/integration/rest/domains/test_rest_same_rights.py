"""Issue 14 item 9, 'same rights', on every route of the repository's catalog (real gateway and
subgraphs over HTTP, SQLite and PostgreSQL): a customer reading another customer's objects gets
404 (by id and nested) or an empty page (list filters), writing them 404; an anonymous caller
gets 401 and a partner without write scopes 403 on every write route; after every refusal the
four databases are read back whole and are unchanged."""

from __future__ import annotations

from pathlib import Path

import httpx
from rest_domain_support import (
    READ_SCOPES,
    Owned,
    bearer,
    customer_writer,
    owned,
    snapshot,
    token,
    write_calls,
)
from rest_runtime_stack import RestStack

from gateway.rest.config import load_route_file

ROUTES = Path(__file__).resolve().parents[4] / "persisted_queries" / "rest-routes.yaml"


def _write_routes() -> set[str]:
    return {route.id for route in load_route_file(ROUTES).routes if route.method != "GET"}


def _problem(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, (response.request.url, response.text)
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["code"] == code
    assert problem["instance"].endswith(response.headers["x-request-id"])


async def test_a_customer_finds_no_other_customers_object_on_any_read_route(
    rest: RestStack,
) -> None:
    a, b = await owned(rest, rest.customer_a), await owned(rest, rest.customer_b)
    assert b.orders and b.payments and b.shipments
    customer = bearer(rest.tokens["customer"])  # acts for customer A
    http = rest.http
    b_order = next(iter(sorted(b.orders)))
    b_payment = next(iter(sorted(b.payments)))
    b_shipment = next(iter(sorted(b.shipments)))
    carrier, tracking, _ = b.shipments[b_shipment]
    by_id = [
        f"/api/v1/orders/{b_order}",
        f"/api/v1/customers/{b.customer_id}",
        f"/api/v1/payments/{b_payment}",
        f"/api/v1/shipments/{b_shipment}",
        f"/api/v1/carriers/{carrier}/tracking/{tracking}",
    ]
    for path in by_id:
        _problem(await http.get(path, headers=customer), 404, "NOT_FOUND")
    # the same routes answer the customer's own objects: the 404s are ownership, not routing
    a_order = next(iter(sorted(a.orders)))
    a_shipment = next(iter(sorted(a.shipments)))
    a_carrier, a_tracking, _ = a.shipments[a_shipment]
    for path in (
        f"/api/v1/orders/{a_order}",
        f"/api/v1/customers/{a.customer_id}",
        f"/api/v1/shipments/{a_shipment}",
        f"/api/v1/carriers/{a_carrier}/tracking/{a_tracking}",
    ):
        own = await http.get(path, headers=customer)
        assert own.status_code == 200, (path, own.text)
    nested_and_filtered = [
        ("/api/v1/orders", {"customerId": b.customer_id}),
        (f"/api/v1/customers/{b.customer_id}/orders", {}),
        (f"/api/v1/orders/{b_order}/payments", {}),
        ("/api/v1/payments", {"orderId": b_order}),
    ]
    for path, params in nested_and_filtered:
        page = await http.get(path, params={**params, "limit": "100"}, headers=customer)
        assert page.status_code == 200, (path, page.text)
        assert page.json() == {"items": [], "nextCursor": None}, path
        assert "link" not in page.headers
    # unfiltered lists hold the customer's own objects only
    orders = await http.get("/api/v1/orders", params={"limit": "100"}, headers=customer)
    assert {order["id"] for order in orders.json()["items"]} == set(a.orders)
    assert {o["customer"]["id"] for o in orders.json()["items"]} == {a.customer_id}
    payments = await http.get("/api/v1/payments", params={"limit": "100"}, headers=customer)
    assert {payment["id"] for payment in payments.json()["items"]} == set(a.payments)
    customers = await http.get("/api/v1/customers", params={"limit": "100"}, headers=customer)
    assert [c["id"] for c in customers.json()["items"]] == [a.customer_id]


async def test_a_customer_cannot_change_another_customers_objects(rest: RestStack) -> None:
    a, b = await owned(rest, rest.customer_a), await owned(rest, rest.customer_b)
    checkout = customer_writer(a.customer_id)  # A's customer, with payment and shipment writes
    calls = {call.route: call for call in await write_calls(rest, b)}
    before = await snapshot(rest.database_urls)
    for route in (
        "updateOrder",
        "cancelOrder",
        "capturePayment",
        "refundPayment",
        "voidPayment",
        "addTrackingEvent",
    ):
        _problem(await calls[route].send(rest.http, checkout), 404, "NOT_FOUND")
    # confirming and fulfilling need orders:write, which a customer does not hold at all
    for route in ("confirmOrder", "recordFulfillment"):
        response = await calls[route].send(rest.http, checkout)
        _problem(response, 403, "UNAUTHORIZED_FIELD_OR_TYPE")
    assert await snapshot(rest.database_urls) == before


async def test_anonymous_callers_get_401_on_every_write_route(rest: RestStack) -> None:
    a = await owned(rest, rest.customer_a)
    calls = await write_calls(rest, a)
    assert {call.route for call in calls} == _write_routes()
    before = await snapshot(rest.database_urls)
    for call in calls:
        response = await call.send(rest.http, {})
        _problem(response, 401, "AUTHENTICATION_REQUIRED")
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert await snapshot(rest.database_urls) == before


async def test_a_partner_without_write_scopes_gets_403_on_every_write_route(
    rest: RestStack,
) -> None:
    a: Owned = await owned(rest, rest.customer_a)
    calls = await write_calls(rest, a)
    assert {call.route for call in calls} == _write_routes()
    reader = bearer(token("readonly-partner", READ_SCOPES))
    before = await snapshot(rest.database_urls)
    for call in calls:
        _problem(await call.send(rest.http, reader), 403, "UNAUTHORIZED_FIELD_OR_TYPE")
    assert await snapshot(rest.database_urls) == before
    # the same partner reads: the refusals are the write scopes, not the credential
    order = next(iter(sorted(a.orders)))
    read = await rest.http.get(f"/api/v1/orders/{order}", headers=reader)
    assert read.status_code == 200, read.text
