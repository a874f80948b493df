"""The HTTP contract of the REST routes on the real gateway and subgraphs (SQLite): 404, 405 with
``Allow``, 415, bad JSON, missing and mistyped parameters named, enum coercion, the problem
document and the correlation id; REST switched off; ``/jobs`` and GraphQL beside REST."""

from __future__ import annotations

import uuid
from pathlib import Path

from metrics_scrape import scrape
from rest_runtime_stack import StackFactory, bearer


async def test_unknown_path_is_a_404_problem_with_the_request_id(stack_with: StackFactory) -> None:
    async with stack_with() as stack:
        response = await stack.http.get(
            "/api/v1/no-such-things", headers={"X-Request-ID": "legacy-call-0001"}
        )
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-request-id"] == "legacy-call-0001"
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == {
        "type": "https://ordergate.dev/problems/route-not-found",
        "title": "Not Found",
        "status": 404,
        "detail": "No route GET /api/v1/no-such-things",
        "instance": "legacy-call-0001",
        "code": "ROUTE_NOT_FOUND",
    }


async def test_wrong_method_is_405_with_allow(stack_with: StackFactory) -> None:
    async with stack_with() as stack:
        on_collection = await stack.http.put("/api/v1/orders", headers=stack.writer)
        on_item = await stack.http.put(f"/api/v1/orders/{uuid.uuid4()}", headers=stack.writer)
    assert on_collection.status_code == 405
    assert on_collection.headers["allow"] == "GET, POST"
    assert on_collection.json()["code"] == "METHOD_NOT_ALLOWED"
    assert on_item.status_code == 405
    assert on_item.headers["allow"] == "DELETE, GET, PATCH"


async def test_bodies_must_be_json(stack_with: StackFactory) -> None:
    async with stack_with() as stack:
        before = await stack.order_count()
        key = {"Idempotency-Key": str(uuid.uuid4())}
        form = await stack.http.post(
            "/api/v1/orders",
            content=b"customerId=x",
            headers={**stack.writer, **key, "Content-Type": "application/x-www-form-urlencoded"},
        )
        text = await stack.http.post(
            "/api/v1/orders",
            content=b"{}",
            headers={**stack.writer, **key, "Content-Type": "text/plain"},
        )
        bad_json = await stack.http.post(
            "/api/v1/orders",
            content=b'{"customerId": ',
            headers={**stack.writer, **key, "Content-Type": "application/json"},
        )
        assert await stack.order_count() == before
    assert form.status_code == 415, form.text
    assert form.json()["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert text.status_code == 415
    assert bad_json.status_code == 400
    assert bad_json.json()["code"] == "INVALID_JSON"


async def test_missing_and_mistyped_parameters_are_named(stack_with: StackFactory) -> None:
    async with stack_with() as stack:
        http = stack.http
        key = {"Idempotency-Key": str(uuid.uuid4())}
        (order_id, *_) = await stack.orders_of(stack.customer_a)
        before = await stack.order_row(order_id)
        limit = await http.get("/api/v1/orders", params={"limit": "ten"}, headers=stack.writer)
        status = await http.get("/api/v1/orders", params={"status": "LOST"}, headers=stack.writer)
        no_body = await http.post("/api/v1/orders", headers={**stack.writer, **key})
        nested = await http.post(
            "/api/v1/orders",
            json={**stack.create_body(), "lines": [{"sku": stack.skus[0], "quantity": "x"}]},
            headers={**stack.writer, **key},
        )
        missing_field = await http.post(
            "/api/v1/orders",
            json={k: v for k, v in stack.create_body().items() if k != "customerId"},
            headers={**stack.writer, **key},
        )
        version = await http.delete(
            f"/api/v1/orders/{order_id}", params={"expectedVersion": "v2"}, headers=stack.writer
        )
        unchanged = await stack.order_row(order_id)
    assert limit.status_code == 400
    assert limit.json()["code"] == "INVALID_PARAMETER"
    assert limit.json()["detail"] == "query parameter 'limit' must be an integer"
    assert status.status_code == 400
    assert status.json()["detail"].startswith("query parameter 'status' must be one of PENDING")
    assert no_body.status_code == 400
    assert no_body.json()["detail"] == "the JSON body is required"
    assert nested.status_code == 400
    assert nested.json()["detail"].startswith("the JSON body: at 'lines[0].quantity': ")
    assert "$input" not in nested.json()["detail"]
    assert missing_field.status_code == 400
    assert "customerId" in missing_field.json()["detail"]
    assert missing_field.json()["detail"].startswith("the JSON body: ")
    assert version.status_code == 400
    assert version.json()["detail"] == "query parameter 'expectedVersion' must be an integer"
    assert unchanged == before


_HEADER_ROUTES = """version: 1
prefix: /api/v1
documents: rest
routes:
  - id: cancelOrder
    method: DELETE
    path: /orders/{id}
    operation: HeaderCancelOrder
    bind:
      orderId: {in: path, name: id}
      expectedVersion: {in: header, name: If-Match-Version}
"""

_HEADER_DOCUMENT = """mutation HeaderCancelOrder($orderId: ID!, $expectedVersion: Int) {
  cancelOrder(orderId: $orderId, expectedVersion: $expectedVersion) { id status version }
}
"""


async def test_a_mistyped_header_parameter_is_named(
    stack_with: StackFactory, tmp_path: Path
) -> None:
    folder = tmp_path / "header-routes"
    (folder / "rest").mkdir(parents=True)
    (folder / "rest" / "cancel.graphql").write_text(_HEADER_DOCUMENT)
    routes_file = folder / "rest-routes.yaml"
    routes_file.write_text(_HEADER_ROUTES)
    async with stack_with(routes_file=routes_file) as stack:
        (order_id, *_) = await stack.orders_of(stack.customer_a)
        before = await stack.order_row(order_id)
        header = await stack.http.delete(
            f"/api/v1/orders/{order_id}", headers={**stack.writer, "If-Match-Version": "v2"}
        )
        unchanged = await stack.order_row(order_id)
    assert header.status_code == 400
    assert header.json()["detail"] == "header 'If-Match-Version' must be an integer"
    assert unchanged == before


async def test_a_path_with_an_encoded_newline_gets_a_problem_document(
    stack_with: StackFactory,
) -> None:
    async with stack_with() as stack:
        response = await stack.http.get("/api/v1/orders/a%0Ab", headers=stack.writer)
        trailing = await stack.http.get(f"/api/v1/orders/{uuid.uuid4()}%0A", headers=stack.writer)
    for answer in (response, trailing):  # the route's id, which the subgraph refuses
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["code"] == "BAD_USER_INPUT"


async def test_enum_query_parameters_filter_the_list(stack_with: StackFactory) -> None:
    async with stack_with() as stack:
        response = await stack.http.get(
            "/api/v1/orders", params={"status": "PENDING", "limit": 50}, headers=stack.writer
        )
        empty_value = await stack.http.get(
            "/api/v1/orders", params={"status": "", "limit": 50}, headers=stack.writer
        )
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert items
    assert {item["status"] for item in items} == {"PENDING"}
    assert empty_value.status_code == 200  # ``?status=``: no filter
    assert len({item["status"] for item in empty_value.json()["items"]}) > 1


async def test_rest_disabled_serves_no_rest_path(stack_with: StackFactory) -> None:
    async with stack_with(rest={"enabled": False}) as stack:
        order = await stack.http.get("/api/v1/orders", headers=stack.writer)
        graphql = await stack.http.post(
            "/graphql",
            json={"query": "{ orders(first: 1) { edges { node { id } } } }"},
            headers=stack.writer,
        )
    assert order.status_code == 404
    assert graphql.status_code == 200
    assert graphql.json()["data"]["orders"]["edges"]


async def test_jobs_and_graphql_keep_working_beside_rest(stack_with: StackFactory) -> None:
    async with stack_with() as stack:
        job = await stack.http.get(f"/jobs/{uuid.uuid4()}", headers=stack.writer)
        graphql = await stack.http.post(
            "/graphql",
            json={"query": "{ orders(first: 1) { edges { node { id } } } }"},
            headers=bearer(stack.tokens["admin"]),
        )
        rest = await stack.http.get("/api/v1/orders?limit=1", headers=bearer(stack.tokens["admin"]))
    assert job.status_code == 404
    assert job.json()["code"] == "JOB_NOT_FOUND"
    assert graphql.status_code == 200
    assert rest.status_code == 200
    (edge,) = graphql.json()["data"]["orders"]["edges"]
    assert rest.json()["items"][0]["id"] == edge["node"]["id"]


async def test_pipeline_limits_answer_as_the_table_says(stack_with: StackFactory) -> None:
    async with stack_with(http={"max_request_bytes": 2048}) as stack:
        too_many = await stack.http.get(
            "/api/v1/orders", params={"limit": 5000}, headers=stack.writer
        )
        too_large = await stack.http.post(
            "/api/v1/orders",
            json={**stack.create_body(), "notes": "x" * 4096},
            headers={**stack.writer, "Idempotency-Key": str(uuid.uuid4())},
        )
    assert too_many.status_code == 400, too_many.text
    assert too_many.json()["code"] == "PAGE_SIZE_EXCEEDED"
    assert too_many.json()["errors"][0]["code"] == "PAGE_SIZE_EXCEEDED"
    assert too_large.status_code == 413, too_large.text
    assert too_large.json()["code"] == "PAYLOAD_TOO_LARGE"


async def test_rest_calls_are_counted_under_their_own_transport(stack_with: StackFactory) -> None:
    async with stack_with() as stack:
        (order_id, *_) = await stack.orders_of(stack.customer_a)
        found = await stack.http.get(f"/api/v1/orders/{order_id}", headers=stack.writer)
        missing = await stack.http.get("/api/v1/no-such-things", headers=stack.writer)
        anonymous = await stack.http.delete(f"/api/v1/orders/{order_id}")
        metrics = await scrape(stack.http)
    assert (found.status_code, missing.status_code, anonymous.status_code) == (200, 404, 401)
    requests = "ordergate_gateway_requests_duration_seconds_count"
    assert metrics.value(requests, transport="rest", status_class="2xx") == 1
    assert metrics.value(requests, transport="rest", status_class="4xx") == 2
    assert metrics.value(requests, transport="graphql") == 0
    rejections = "ordergate_gateway_rejections_total"
    assert metrics.value(rejections, code="ROUTE_NOT_FOUND") == 1
