"""The rights of GraphQL hold through REST (real gateway and subgraphs, SQLite and PostgreSQL):
a customer reading another customer's order gets 404 (by id, and the list filter shows none of
them), an anonymous write is 401, a partner without the write scope gets 403; the databases are
read back unchanged after every refusal."""

from __future__ import annotations

import uuid

from rest_runtime_stack import RestStack, bearer, partner_token


async def test_a_customer_cannot_see_another_customers_orders(stack: RestStack) -> None:
    customer = bearer(stack.tokens["customer"])  # acts for customer A
    a_orders = await stack.orders_of(stack.customer_a)
    b_orders = await stack.orders_of(stack.customer_b)
    assert a_orders and b_orders

    own = await stack.http.get(f"/api/v1/orders/{a_orders[0]}", headers=customer)
    assert own.status_code == 200, own.text
    for order_id in b_orders:
        other = await stack.http.get(f"/api/v1/orders/{order_id}", headers=customer)
        assert other.status_code == 404, other.text
        assert other.json()["code"] == "NOT_FOUND"
        assert other.headers["content-type"] == "application/problem+json"

    filtered = await stack.http.get(
        "/api/v1/orders", params={"customerId": stack.customer_b, "limit": 50}, headers=customer
    )
    assert filtered.status_code == 200, filtered.text
    assert filtered.json() == {"items": [], "nextCursor": None}


async def test_anonymous_writes_are_401_and_change_nothing(stack: RestStack) -> None:
    (order_id, *_) = await stack.orders_of(stack.customer_a)
    before_count = await stack.order_count()
    before_order = await stack.order_row(order_id)
    created = await stack.http.post(
        "/api/v1/orders",
        json=stack.create_body(),
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    cancelled = await stack.http.delete(f"/api/v1/orders/{order_id}")
    for response in (created, cancelled):
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"].startswith("Bearer")
        problem = response.json()
        assert problem["code"] == "AUTHENTICATION_REQUIRED"
        assert problem["status"] == 401
    assert await stack.order_count() == before_count
    assert await stack.order_row(order_id) == before_order


async def test_a_partner_without_the_write_scope_gets_403_and_nothing_changes(
    stack: RestStack,
) -> None:
    reader = bearer(partner_token("readonly-partner", "orders:read customers:read"))
    (order_id, *_) = await stack.orders_of(stack.customer_a)
    before_count = await stack.order_count()
    before_order = await stack.order_row(order_id)

    read = await stack.http.get(f"/api/v1/orders/{order_id}", headers=reader)
    assert read.status_code == 200, read.text

    created = await stack.http.post(
        "/api/v1/orders",
        json=stack.create_body(),
        headers={**reader, "Idempotency-Key": str(uuid.uuid4())},
    )
    cancelled = await stack.http.delete(f"/api/v1/orders/{order_id}", headers=reader)
    for response in (created, cancelled):
        assert response.status_code == 403, response.text
        problem = response.json()
        assert problem["code"] == "UNAUTHORIZED_FIELD_OR_TYPE"
        assert problem["errors"][0]["code"] == "UNAUTHORIZED_FIELD_OR_TYPE"
    assert await stack.order_count() == before_count
    assert await stack.order_row(order_id) == before_order


async def test_bad_credentials_are_refused_before_anything_runs(stack: RestStack) -> None:
    (order_id, *_) = await stack.orders_of(stack.customer_a)
    forged = await stack.http.get(f"/api/v1/orders/{order_id}", headers=bearer("not.a.jwt"))
    unknown_key = await stack.http.get(
        f"/api/v1/orders/{order_id}", headers={"x-api-key": "og_live_unknown"}
    )
    for response, code in ((forged, "INVALID_TOKEN"), (unknown_key, "INVALID_API_KEY")):
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"]
        assert response.json()["code"] == code
        assert "errors" in response.json()
