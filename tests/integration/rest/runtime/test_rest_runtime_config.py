"""REST under other configurations (real gateway and subgraphs, SQLite): one cost budget for the
REST and GraphQL calls of a client (429 with ``Retry-After`` on REST once GraphQL spent it),
routes that run for ``safelist`` clients, deprecated routes (``Deprecation``, ``Sunset``,
``Link rel=successor-version``) and 410 after the sunset, the partial-data policies."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from rest_runtime_stack import OPEN_CLIENTS, StackFactory, bearer, partner_token

ORDER_QUERY = "query($id: ID!) { order(id: $id) { id number status lines { sku quantity } } }"

DOCUMENTS = """
query TestGetOrder($id: ID!) {
  order(id: $id) { id number status }
}

query TestOrderWithPayments($id: ID!) {
  order(id: $id) { id number payments { id status } }
}
"""


def _route_file(folder: Path, routes: list[dict[str, Any]]) -> Path:
    documents = folder / "rest-documents"
    documents.mkdir(exist_ok=True)
    (documents / "test.graphql").write_text(DOCUMENTS, encoding="utf-8")
    path = folder / "test-routes.yaml"
    content = {"version": 1, "prefix": "/api/v1", "documents": "rest-documents", "routes": routes}
    path.write_text(yaml.safe_dump(content), encoding="utf-8")
    return path


def _clients(**clients: Any) -> dict[str, Any]:
    return {**OPEN_CLIENTS, "clients": clients}


async def test_rest_and_graphql_calls_of_a_client_share_one_budget(
    stack_with: StackFactory,
) -> None:
    tiny = {"capacity": 40, "refill_per_second": 0.01, "max_operation_cost": 40, "mode": "enforce"}
    async with stack_with(clients=_clients(**{"rest-writer": {"budget": tiny}})) as stack:
        (order_id, *_) = await stack.orders_of(stack.customer_a)
        rest_first = await stack.http.get(f"/api/v1/orders/{order_id}", headers=stack.writer)
        assert rest_first.status_code == 200, rest_first.text
        remaining_after_rest = _remaining(rest_first.headers["ratelimit"])
        assert remaining_after_rest < 40  # the REST call was charged

        graphql = None
        for _ in range(40):
            graphql = await stack.http.post(
                "/graphql",
                json={"query": ORDER_QUERY, "variables": {"id": order_id}},
                headers=stack.writer,
            )
            if graphql.status_code == 429:
                break
            assert _remaining(graphql.headers["ratelimit"]) < remaining_after_rest
        assert graphql is not None and graphql.status_code == 429, "GraphQL never ran out"

        refused = await stack.http.get(f"/api/v1/orders/{order_id}", headers=stack.writer)
        other_caller = await stack.http.get(
            f"/api/v1/orders/{order_id}", headers=bearer(stack.tokens["admin"])
        )
    assert refused.status_code == 429, refused.text
    assert int(refused.headers["retry-after"]) > 0
    assert refused.headers["ratelimit"].startswith('"cost"')
    assert refused.headers["ratelimit-policy"].startswith('"cost"')
    problem = refused.json()
    assert problem["code"] == "RATE_LIMITED"
    assert problem["type"] == "https://ordergate.dev/problems/rate-limited"
    assert other_caller.status_code == 200  # another client's budget is untouched


def _remaining(header: str) -> float:
    found = re.search(r";r=([0-9.]+)", header)
    assert found is not None, header
    return float(found.group(1))


async def test_a_route_runs_for_a_safelist_client_that_lists_no_document(
    stack_with: StackFactory,
) -> None:
    clients = _clients(**{"rest-writer": {"mode": "safelist"}})
    async with stack_with(clients=clients) as stack:
        (order_id, *_) = await stack.orders_of(stack.customer_a)
        graphql = await stack.http.post(
            "/graphql",
            json={"query": ORDER_QUERY, "variables": {"id": order_id}},
            headers=stack.writer,
        )
        rest = await stack.http.get(f"/api/v1/orders/{order_id}", headers=stack.writer)
        smuggled = await stack.http.post(
            "/graphql",
            json={
                "query": ORDER_QUERY,
                "variables": {"id": order_id},
                "trusted_document": {"query": ORDER_QUERY},
            },
            headers=stack.writer,
        )
    assert graphql.status_code == 400, graphql.text
    assert rest.status_code == 200, rest.text
    assert rest.json()["id"] == order_id
    # GraphQL decoding never sets a trusted document: the raw query stays refused
    refusal = graphql.json()["errors"][0]["extensions"]["code"]
    assert refusal == "PERSISTED_QUERY_ONLY"
    assert smuggled.status_code == 400
    assert smuggled.json()["errors"][0]["extensions"]["code"] == refusal


async def test_deprecated_routes_announce_their_sunset_and_answer_410_after_it(
    stack_with: StackFactory, tmp_path: Path
) -> None:
    routes = _route_file(
        tmp_path,
        [
            {
                "id": "getOrderLegacy",
                "method": "GET",
                "path": "/legacy/orders/{id}",
                "operation": "TestGetOrder",
                "bind": {"id": "path"},
                "deprecated": {
                    "since": "2026-01-01T00:00:00Z",
                    "sunset": "2099-01-01T00:00:00Z",
                    "successor": "/api/v1/orders/{id}",
                },
            },
            {
                "id": "getOrderAncient",
                "method": "GET",
                "path": "/ancient/orders/{id}",
                "operation": "TestGetOrder",
                "bind": {"id": "path"},
                "deprecated": {"since": "2020-01-01T00:00:00Z", "sunset": "2021-01-01T00:00:00Z"},
            },
        ],
    )
    async with stack_with(routes_file=routes) as stack:
        (order_id, *_) = await stack.orders_of(stack.customer_a)
        legacy = await stack.http.get(f"/api/v1/legacy/orders/{order_id}", headers=stack.writer)
        gone = await stack.http.get(f"/api/v1/ancient/orders/{order_id}", headers=stack.writer)
        sample_route = await stack.http.get(f"/api/v1/orders/{order_id}", headers=stack.writer)
    assert legacy.status_code == 200, legacy.text
    assert legacy.json()["id"] == order_id
    assert legacy.headers["deprecation"] == "@1767225600"
    assert legacy.headers["sunset"] == "Thu, 01 Jan 2099 00:00:00 GMT"
    assert legacy.headers["link"] == '</api/v1/orders/{id}>; rel="successor-version"'
    assert gone.status_code == 410, gone.text
    assert gone.json()["code"] == "ROUTE_SUNSET"
    assert gone.headers["sunset"] == "Fri, 01 Jan 2021 00:00:00 GMT"
    assert sample_route.status_code == 404  # only the test file's routes are served


async def test_partial_data_fails_or_warns_as_the_route_says(
    stack_with: StackFactory, tmp_path: Path
) -> None:
    def route(route_id: str, partial: str) -> dict[str, Any]:
        return {
            "id": route_id,
            "method": "GET",
            "path": f"/{route_id}/{{id}}",
            "operation": "TestOrderWithPayments",
            "bind": {"id": "path"},
            "partial": partial,
        }

    routes = _route_file(tmp_path, [route("strict", "fail"), route("lenient", "warn")])
    # the order is readable, its payments are not (no payments:read): data next to an error
    reader = bearer(partner_token("orders-reader", "orders:read"))
    async with stack_with(routes_file=routes) as stack:
        (order_id, *_) = await stack.orders_of(stack.customer_a)
        strict = await stack.http.get(f"/api/v1/strict/{order_id}", headers=reader)
        lenient = await stack.http.get(f"/api/v1/lenient/{order_id}", headers=reader)
        admin = await stack.http.get(
            f"/api/v1/strict/{order_id}", headers=bearer(stack.tokens["admin"])
        )
    assert strict.status_code == 403, strict.text
    assert strict.json()["errors"][0]["path"] == ["order", "payments"]
    assert lenient.status_code == 200, lenient.text
    body = lenient.json()
    assert body["id"] == order_id
    assert body["payments"] is None
    assert body["warnings"] == [
        {
            "message": body["warnings"][0]["message"],
            "path": ["order", "payments"],
            "code": "UNAUTHORIZED_FIELD_OR_TYPE",
        }
    ]
    assert admin.status_code == 200
    assert "warnings" not in admin.json()
