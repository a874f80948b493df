"""Routing (match, 405 ``Allow``, literal segments before parameters), the shaping of results
(unwrap, 201 ``Location``, 204, pagination with its next link, null -> 404, partial data policy,
problem documents) and the deprecation headers, on routes compiled against a small schema."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
import pytest
from graphql import build_schema

from gateway.engine.types import GraphQLResult
from gateway.rest.compile import CompiledRoute, OperationSource, compile_routes
from gateway.rest.config import parse_route_file
from gateway.rest.responses import etag_of, problem_from_errors, response_from_result
from gateway.rest.router import MethodNotAllowed, RouteMatch, match_route
from gateway.rest.versioning import deprecation_headers, is_sunset

SCHEMA = build_schema(
    """
    type Ticket { id: ID!, number: String!, note: String }
    type TicketEdge { node: Ticket! }
    type PageInfo { hasNextPage: Boolean!, endCursor: String }
    type TicketConnection { edges: [TicketEdge!]!, pageInfo: PageInfo! }
    type Query {
      ticket(id: ID!): Ticket
      tickets(first: Int! = 10, after: String, q: String): TicketConnection!
      count: Int!
    }
    type Mutation { open(number: String!): Ticket!, close(id: ID!): Ticket }
    """
)
DOCUMENTS = {
    name: OperationSource(name, text, "t.graphql")
    for name, text in {
        "Get": "query Get($id: ID!) { ticket(id: $id) { id number note } }",
        "List": "query List($first: Int! = 10, $after: String, $q: String) {"
        " tickets(first: $first, after: $after, q: $q) {"
        " edges { node { id } } pageInfo { hasNextPage endCursor } } }",
        "Count": "query Count { count }",
        "Open": "mutation Open($number: String!) { open(number: $number) { id number } }",
        "Close": "mutation Close($id: ID!) { close(id: $id) { id } }",
    }.items()
}
ROUTES = """
routes:
  - {id: get, method: GET, path: "/tickets/{id}", operation: Get, bind: {id: path}}
  - {id: latest, method: GET, path: /tickets/latest, operation: Count, partial: warn}
  - id: list
    method: GET
    path: /tickets
    operation: List
    pagination: {}
    bind: {first: {in: query, name: limit}, after: {in: query, name: cursor}, q: query}
  - id: open
    method: POST
    path: /tickets
    operation: Open
    status: 201
    location: "/api/v1/tickets/{id}"
    bind: {number: {in: body, name: number}}
  - id: close
    method: DELETE
    path: "/tickets/{id}"
    operation: Close
    status: 204
    bind: {id: path}
    deprecated:
      since: 2026-01-01T00:00:00Z
      sunset: 2026-06-01T00:00:00Z
      successor: /api/v2/tickets/{id}
"""


def _routes() -> dict[str, CompiledRoute]:
    catalog = compile_routes(parse_route_file(ROUTES), DOCUMENTS, SCHEMA)
    assert not catalog.problems, catalog.problems
    return {route.id: route for route in catalog.routes}


def _body(response: Any) -> Any:
    return orjson.loads(response.body)


def test_routing_matches_literal_segments_first_and_answers_405() -> None:
    routes = _routes().values()
    latest = match_route(routes, "GET", "/api/v1/tickets/latest")
    assert isinstance(latest, RouteMatch) and latest.route.id == "latest"
    by_id = match_route(routes, "GET", "/api/v1/tickets/7")
    assert isinstance(by_id, RouteMatch)
    assert (by_id.route.id, by_id.path_params) == ("get", {"id": "7"})
    refused = match_route(routes, "PUT", "/api/v1/tickets/7")
    assert isinstance(refused, MethodNotAllowed)
    assert refused.allow_header == "DELETE, GET"
    assert match_route(routes, "GET", "/api/v1/tickets/7/notes") is None
    assert match_route(routes, "GET", "/api/v1/tickets/") is None


def _respond(route: str, result: GraphQLResult, query: Any = ()) -> Any:
    return response_from_result(_routes()[route], result, "req-1", list(query), "/api/v1/tickets")


def test_the_root_field_is_unwrapped() -> None:
    ticket = {"id": "1", "number": "T-1", "note": None}
    response = _respond("get", GraphQLResult(data={"ticket": ticket}))
    assert (response.status, _body(response)) == (200, ticket)


def test_create_answers_201_with_the_location_of_the_result() -> None:
    response = _respond("open", GraphQLResult(data={"open": {"id": "a b/1", "number": "T"}}))
    assert response.status == 201
    assert response.headers["location"] == "/api/v1/tickets/a%20b%2F1"


def test_204_sends_no_body() -> None:
    response = _respond("close", GraphQLResult(data={"close": {"id": "1"}}))
    assert (response.status, response.body) == (204, None)


def test_a_null_by_id_result_is_404_and_errors_follow_the_table() -> None:
    missing = _respond("get", GraphQLResult(data={"ticket": None}))
    assert missing.status == 404
    assert missing.content_type == "application/problem+json"
    assert _body(missing)["code"] == "NOT_FOUND"
    conflict = _respond(
        "close",
        GraphQLResult(
            data={"close": None},
            errors=[
                {
                    "message": "ticket cannot go from CLOSED to CLOSED",
                    "path": ["close"],
                    "extensions": {"code": "ILLEGAL_STATE_TRANSITION", "serviceName": "t"},
                }
            ],
        ),
    )
    assert conflict.status == 409
    assert _body(conflict) == {
        "type": "https://ordergate.dev/problems/illegal-state-transition",
        "title": "Conflict",
        "status": 409,
        "detail": "ticket cannot go from CLOSED to CLOSED",
        "instance": "req-1",
        "code": "ILLEGAL_STATE_TRANSITION",
        "errors": [
            {
                "message": "ticket cannot go from CLOSED to CLOSED",
                "path": ["close"],
                "code": "ILLEGAL_STATE_TRANSITION",
            }
        ],
    }


def test_unknown_codes_are_500_without_internals() -> None:
    response = problem_from_errors(
        [{"message": "db at 10.0.0.3 said no", "extensions": {"code": "WEIRD"}}], "req-2"
    )
    assert response.status == 500
    body = _body(response)
    assert body["detail"] == "Internal server error"
    assert "10.0.0.3" not in response.body.decode() if response.body else True
    assert "errors" not in body


def test_pagination_answers_items_and_a_next_link_keeping_the_query() -> None:
    connection = {
        "edges": [{"node": {"id": "1"}}, {"node": {"id": "2"}}],
        "pageInfo": {"hasNextPage": True, "endCursor": "c2=="},
    }
    response = _respond(
        "list",
        GraphQLResult(data={"tickets": connection}),
        [("limit", "2"), ("q", "red shoes"), ("cursor", "c0")],
    )
    assert _body(response) == {"items": [{"id": "1"}, {"id": "2"}], "nextCursor": "c2=="}
    assert response.headers["link"] == (
        '</api/v1/tickets?limit=2&q=red+shoes&cursor=c2%3D%3D>; rel="next"'
    )
    last = _respond(
        "list",
        GraphQLResult(
            data={"tickets": {"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}}
        ),
    )
    assert _body(last) == {"items": [], "nextCursor": None}
    assert "link" not in last.headers


def test_partial_data_warns_only_on_an_object_body() -> None:
    error = {"message": "no", "path": ["ticket", "note"], "extensions": {"code": "FORBIDDEN"}}
    ticket = {"id": "1", "number": "T-1", "note": None}
    fail = _respond("get", GraphQLResult(data={"ticket": ticket}, errors=[error]))
    assert fail.status == 403
    # ``latest`` warns, but its body (an Int) has no room for warnings: it fails instead
    scalar = _respond(
        "latest", GraphQLResult(data={"count": 3}, errors=[{**error, "path": ["count"]}])
    )
    assert scalar.status == 403


def test_result_headers_pass_through_but_not_allow() -> None:
    result = GraphQLResult(
        data={"ticket": {"id": "1", "number": "T", "note": None}},
        headers={"RateLimit": '"cost";r=5;t=1', "allow": "POST", "idempotent-replayed": "true"},
    )
    response = _respond("get", result)
    assert response.headers == {"ratelimit": '"cost";r=5;t=1', "idempotent-replayed": "true"}


def test_a_replayed_result_keeps_its_original_correlation_id() -> None:
    result = GraphQLResult(
        errors=[{"message": "x", "extensions": {"code": "VERSION_CONFLICT"}}],
        status_code=200,
        request_id="original",
    )
    assert _body(_respond("close", result))["instance"] == "original"


def test_etags_follow_every_byte_of_the_body() -> None:
    assert etag_of(b'{"a":1}') == etag_of(b'{"a":1}')
    assert etag_of(b'{"a":1}') != etag_of(b'{"a":2}')
    assert etag_of(b"x").startswith('"') and etag_of(b"x").endswith('"')


def test_deprecation_headers_and_sunset() -> None:
    spec = _routes()["close"].spec
    assert deprecation_headers(spec) == {
        "deprecation": "@1767225600",
        "sunset": "Mon, 01 Jun 2026 00:00:00 GMT",
        "link": '</api/v2/tickets/{id}>; rel="successor-version"',
    }
    assert not is_sunset(spec, dt.datetime(2026, 5, 31, tzinfo=dt.UTC))
    assert is_sunset(spec, dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    assert deprecation_headers(_routes()["get"].spec) == {}
    assert not is_sunset(_routes()["get"].spec, dt.datetime(2100, 1, 1, tzinfo=dt.UTC))


@pytest.mark.parametrize("method", ["HEAD", "OPTIONS"])
def test_other_methods_are_405(method: str) -> None:
    refused = match_route(_routes().values(), method, "/api/v1/tickets")
    assert isinstance(refused, MethodNotAllowed)
    assert refused.allowed == ("GET", "POST")
