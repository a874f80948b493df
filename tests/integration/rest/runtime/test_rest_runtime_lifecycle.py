"""The order lifecycle over REST through the real gateway and the four real subgraphs, on SQLite
and PostgreSQL (each request here was a 404 before the REST runtime): create (201, Location,
idempotent replay, key reuse), get (ETag, 304, 404), list with a next link followed, cancel;
the databases are read back."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

from rest_runtime_stack import RestStack, bearer


async def test_create_replays_with_the_same_key_and_refuses_another_payload(
    stack: RestStack,
) -> None:
    http = stack.http
    before = await stack.order_count()
    key = {"Idempotency-Key": f'"{uuid.uuid4()}"'}
    first = await http.post(
        "/api/v1/orders", json=stack.create_body(), headers={**stack.writer, **key}
    )
    assert first.status_code == 201, first.text
    created = first.json()
    assert "data" not in created
    assert created["status"] == "PENDING"
    assert created["customer"] == {"id": stack.customer_a}
    assert first.headers["location"] == f"/api/v1/orders/{created['id']}"
    assert first.headers["content-type"] == "application/json"
    assert first.headers["cache-control"] == "no-store"
    assert "idempotent-replayed" not in first.headers

    again = await http.post(
        "/api/v1/orders", json=stack.create_body(), headers={**stack.writer, **key}
    )
    assert again.status_code == 201, again.text
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == created
    assert again.headers["location"] == first.headers["location"]
    assert await stack.order_count() == before + 1  # one order, not two

    other = await http.post(
        "/api/v1/orders", json=stack.create_body(quantity=2), headers={**stack.writer, **key}
    )
    assert other.status_code == 422, other.text
    assert other.headers["content-type"] == "application/problem+json"
    problem = other.json()
    assert problem["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert problem["status"] == 422
    assert problem["instance"] == other.headers["x-request-id"]
    assert problem["errors"] == [{"message": problem["detail"], "code": "IDEMPOTENCY_KEY_REUSED"}]
    assert await stack.order_count() == before + 1


async def test_create_requires_an_idempotency_key(stack: RestStack) -> None:
    before = await stack.order_count()
    response = await stack.http.post(
        "/api/v1/orders", json=stack.create_body(), headers=stack.writer
    )
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "IDEMPOTENCY_KEY_REQUIRED"
    assert await stack.order_count() == before


async def test_get_answers_etag_and_304_and_404_for_an_unknown_id(stack: RestStack) -> None:
    http = stack.http
    (order_id, *_) = await stack.orders_of(stack.customer_a)
    response = await http.get(f"/api/v1/orders/{order_id}", headers=stack.writer)
    assert response.status_code == 200, response.text
    order = response.json()
    assert order["id"] == order_id
    assert order["customer"]["id"] == stack.customer_a
    status, version = await stack.order_row(order_id) or ("", 0)
    assert (order["status"], order["version"]) == (status, version)
    etag = response.headers["etag"]
    assert response.headers["cache-control"] == "private, no-cache"
    assert "authorization" in response.headers["vary"].lower()
    assert "x-api-key" in response.headers["vary"].lower()

    cached = await http.get(
        f"/api/v1/orders/{order_id}", headers={**stack.writer, "If-None-Match": etag}
    )
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached.headers["etag"] == etag

    stale = await http.get(
        f"/api/v1/orders/{order_id}", headers={**stack.writer, "If-None-Match": '"other"'}
    )
    assert stale.status_code == 200
    assert stale.json() == order

    missing = await http.get(
        f"/api/v1/orders/{uuid.uuid4()}", headers={**stack.writer, "X-Request-ID": "lost-42"}
    )
    assert missing.status_code == 404, missing.text
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.headers["x-request-id"] == "lost-42"
    problem = missing.json()
    assert problem == {
        "type": "https://ordergate.dev/problems/not-found",
        "title": "Not Found",
        "status": 404,
        "detail": "The resource does not exist",
        "instance": "lost-42",
        "code": "NOT_FOUND",
    }
    assert missing.headers["cache-control"] == "no-store"


async def test_list_follows_the_next_link_to_the_second_page(stack: RestStack) -> None:
    http = stack.http
    first = await http.get(
        "/api/v1/orders", params={"limit": 3, "customerId": stack.customer_a}, headers=stack.writer
    )
    assert first.status_code == 200, first.text
    page = first.json()
    assert set(page) == {"items", "nextCursor"}
    assert len(page["items"]) == 3
    assert page["nextCursor"]
    link = first.headers["link"]
    assert link.endswith('>; rel="next"')
    next_url = link[1 : link.index(">")]
    assert next_url.startswith("/api/v1/orders?")
    assert "limit=3" in next_url
    assert f"customerId={stack.customer_a}" in next_url

    second = await http.get(next_url, headers=stack.writer)
    assert second.status_code == 200, second.text
    second_page = second.json()
    assert second_page["items"]
    first_ids = {item["id"] for item in page["items"]}
    second_ids = {item["id"] for item in second_page["items"]}
    assert not first_ids & second_ids
    owned = set(await stack.orders_of(stack.customer_a))
    assert first_ids | second_ids <= owned
    assert all(item["customer"]["id"] == stack.customer_a for item in second_page["items"])


async def test_cancel_changes_the_order_in_the_database(stack: RestStack) -> None:
    http = stack.http
    created = await http.post(
        "/api/v1/orders",
        json=stack.create_body(),
        headers={**bearer(stack.tokens["customer"]), "Idempotency-Key": str(uuid.uuid4())},
    )
    assert created.status_code == 201, created.text
    order_id = created.json()["id"]
    cancelled = await http.delete(
        f"/api/v1/orders/{order_id}",
        params={"reason": "changed my mind"},
        headers=bearer(stack.tokens["customer"]),
    )
    assert cancelled.status_code == 200, cancelled.text
    body = cancelled.json()
    assert body["status"] == "CANCELLED"
    assert body["cancelReason"] == "changed my mind"
    assert (await stack.order_row(order_id) or ("",))[0] == "CANCELLED"

    again = await http.delete(
        f"/api/v1/orders/{order_id}", headers=bearer(stack.tokens["customer"])
    )
    assert again.status_code == 409, again.text
    assert again.json()["code"] == "ILLEGAL_STATE_TRANSITION"


async def test_concurrent_creates_with_one_key_make_one_order_in_the_graphql_store(
    stack: RestStack,
) -> None:
    http = stack.http
    before = await stack.order_count()
    key = {"Idempotency-Key": "rest-same-key"}
    responses = await asyncio.gather(
        *(
            http.post("/api/v1/orders", json=stack.create_body(), headers={**stack.writer, **key})
            for _ in range(12)
        )
    )
    statuses = Counter(response.status_code for response in responses)
    assert set(statuses) <= {201, 409}, statuses
    executed = [
        r for r in responses if r.status_code == 201 and "idempotent-replayed" not in r.headers
    ]
    assert len(executed) == 1
    for response in responses:
        if response.status_code == 409:
            assert response.headers["retry-after"]
            assert response.json()["code"] == "IDEMPOTENCY_KEY_IN_FLIGHT"
        else:
            assert response.content == executed[0].content
    assert await stack.order_count() == before + 1

    # the key lives in the GraphQL mutations' store, in the same caller scope: a GraphQL
    # createOrder with it is another operation, refused as a reuse
    graphql = await http.post(
        "/graphql",
        json={
            "query": "mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }",
            "variables": {"input": stack.create_body()},
        },
        headers={**stack.writer, **key},
    )
    assert graphql.status_code == 422, graphql.text
    assert graphql.json()["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert await stack.order_count() == before + 1
