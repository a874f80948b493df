"""REST contract changes between two route catalogs (gateway/rest/contract_diff.py, ADR 1009),
on small API schemas and route files: what breaks a REST caller is breaking, what does not
change the wire is no change at all."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from graphql import GraphQLSchema, build_schema

from gateway.rest.catalog import load_catalog
from gateway.rest.compile import RouteCatalog
from gateway.rest.contract_diff import RestChange, diff_route_catalogs

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)

SCHEMA = """
enum Status { OPEN CLOSED }
input AddressInput { city: String! zip: String }
input NewOrderInput { customerId: ID! lines: [LineInput!]! address: AddressInput }
input LineInput { sku: String! quantity: Int! }
type Money { amount: Int! currency: String! }
type Order { id: ID! status: Status! total: Money! note: String lines: [Line!]! }
type Line { sku: String! quantity: Int! }
type Query { order(id: ID!): Order orders(status: Status): [Order!]! }
type Mutation {
  createOrder(input: NewOrderInput!): Order!
  closeOrder(id: ID!, reason: String): Order!
}
"""

DOCUMENTS = """
fragment O on Order { id status total { amount currency } note lines { sku quantity } }
query GetOrder($id: ID!) { order(id: $id) { ...O } }
query ListOrders($status: Status) { orders(status: $status) { ...O } }
mutation CreateOrder($input: NewOrderInput!) { createOrder(input: $input) { ...O } }
mutation CloseOrder($id: ID!, $reason: String) { closeOrder(id: $id, reason: $reason) { ...O } }
"""

ROUTES = """
prefix: /api/v1
routes:
  - id: getOrder
    method: GET
    path: /orders/{id}
    operation: GetOrder
    bind: {id: path}
  - id: listOrders
    method: GET
    path: /orders
    operation: ListOrders
    bind: {status: query}
  - id: createOrder
    method: POST
    path: /orders
    operation: CreateOrder
    status: 201
    location: /api/v1/orders/{id}
    bind: {input: body}
  - id: closeOrder
    method: DELETE
    path: /orders/{id}
    operation: CloseOrder
    bind: {id: path, reason: query}
"""


class Catalogs:
    """Writes route files with their documents and compiles them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0

    def compile(
        self, schema: GraphQLSchema, routes: str = ROUTES, documents: str = DOCUMENTS
    ) -> RouteCatalog:
        self.count += 1
        folder = self.root / f"v{self.count}"
        (folder / "rest").mkdir(parents=True)
        (folder / "rest" / "ops.graphql").write_text(documents)
        (folder / "routes.yaml").write_text(routes)
        return load_catalog(folder / "routes.yaml", schema)


@pytest.fixture
def catalogs(tmp_path: Path) -> Catalogs:
    return Catalogs(tmp_path)


def _diff(
    catalogs: Catalogs,
    new_schema: str = SCHEMA,
    *,
    old_routes: str = ROUTES,
    new_routes: str = ROUTES,
    new_documents: str = DOCUMENTS,
) -> list[RestChange]:
    old = build_schema(SCHEMA)
    new = build_schema(new_schema)
    before = catalogs.compile(old, old_routes)
    assert before.problems == ()
    after = catalogs.compile(new, new_routes, new_documents)
    return diff_route_catalogs(before, old, after, new, NOW)


def _summary(changes: list[RestChange]) -> list[tuple[str, str, str]]:
    return [(str(c.level), c.code, c.message) for c in changes]


def test_the_same_routes_on_the_same_schema_change_nothing(catalogs: Catalogs) -> None:
    assert _diff(catalogs) == []


def test_a_route_that_no_longer_compiles_is_breaking_and_named(catalogs: Catalogs) -> None:
    # Order.note is removed: every route selecting it stops compiling
    changes = _diff(catalogs, SCHEMA.replace(" note: String", ""))
    assert {(c.route, c.method, c.path) for c in changes} == {
        ("getOrder", "GET", "/api/v1/orders/{id}"),
        ("listOrders", "GET", "/api/v1/orders"),
        ("createOrder", "POST", "/api/v1/orders"),
        ("closeOrder", "DELETE", "/api/v1/orders/{id}"),
    }
    (get,) = [c for c in changes if c.route == "getOrder"]
    assert get.level == "breaking"
    assert get.code == "REST_ROUTE_BROKEN"
    assert get.message == (
        "getOrder (GET /api/v1/orders/{id}): no longer compiles against the new schema: "
        "GetOrder (ops.graphql): Cannot query field 'note' on type 'Order'."
    )
    assert get.to_dict()["route"] == "getOrder"


def test_a_selected_field_that_changes_type_incompatibly_is_breaking(catalogs: Catalogs) -> None:
    nullable = _diff(catalogs, SCHEMA.replace("total: Money!", "total: Money"))
    assert ("breaking", "REST_RESPONSE_FIELD_TYPE_CHANGED") in {(c.level, c.code) for c in nullable}
    assert (
        "getOrder (GET /api/v1/orders/{id}): response field 'total' changes from Money! to Money"
        in [c.message for c in nullable]
    )
    # a list route names the items
    assert (
        "listOrders (GET /api/v1/orders): response field '[].total' changes from Money! to Money"
        in [c.message for c in nullable]
    )
    retyped = _diff(
        catalogs,
        SCHEMA.replace(
            "type Line { sku: String! quantity: Int! }",
            "type Line { sku: String! quantity: Float! }",
        ),
    )
    assert (
        "getOrder (GET /api/v1/orders/{id}): response field 'lines[].quantity' changes from "
        "Int! to Float!" in [c.message for c in retyped]
    )


def test_narrowing_a_response_field_or_renaming_types_changes_nothing(catalogs: Catalogs) -> None:
    narrowed = SCHEMA.replace("note: String", "note: String!")
    # type names are not on the wire: Money -> Amount, NewOrderInput -> CreateOrderInput
    renamed = narrowed.replace("Money", "Amount").replace("NewOrderInput", "CreateOrderInput")
    documents = DOCUMENTS.replace("NewOrderInput", "CreateOrderInput")
    assert _diff(catalogs, renamed, new_documents=documents) == []


def test_input_fields_newly_required_are_breaking_optional_ones_safe(catalogs: Catalogs) -> None:
    changes = _diff(
        catalogs,
        SCHEMA.replace(
            "input NewOrderInput { customerId: ID!",
            "input NewOrderInput { channel: String! coupon: String customerId: ID!",
        ).replace(
            "input AddressInput { city: String! zip: String }",
            "input AddressInput { city: String! zip: String! }",
        ),
    )
    assert _summary(changes) == [
        (
            "breaking",
            "REST_PARAMETER_REQUIRED",
            "createOrder (POST /api/v1/orders): body property 'address.zip' is required now",
        ),
        (
            "breaking",
            "REST_PARAMETER_ADDED",
            "createOrder (POST /api/v1/orders): body property 'channel' was added and is required",
        ),
        (
            "safe",
            "REST_PARAMETER_ADDED",
            "createOrder (POST /api/v1/orders): body property 'coupon' was added (optional)",
        ),
    ]


def test_enum_values_accepted_removed_is_breaking_answered_added_is_dangerous(
    catalogs: Catalogs,
) -> None:
    removed = _diff(catalogs, SCHEMA.replace("enum Status { OPEN CLOSED }", "enum Status { OPEN }"))
    assert (
        "breaking",
        "REST_PARAMETER_VALUE_REMOVED",
        "listOrders (GET /api/v1/orders): query parameter 'status' no longer accepts CLOSED",
    ) in _summary(removed)
    added = _diff(
        catalogs, SCHEMA.replace("enum Status { OPEN CLOSED }", "enum Status { OPEN CLOSED LOST }")
    )
    assert {(c.level, c.code, c.route) for c in added} == {
        ("dangerous", "REST_RESPONSE_VALUE_ADDED", route)
        for route in ("getOrder", "listOrders", "createOrder", "closeOrder")
    }


def test_a_route_removed_from_the_file_is_breaking_unless_past_its_sunset(
    catalogs: Catalogs,
) -> None:
    without_close = ROUTES.split("  - id: closeOrder")[0]
    (removed,) = _diff(catalogs, old_routes=ROUTES, new_routes=without_close)
    assert (removed.level, removed.code, removed.message) == (
        "breaking",
        "REST_ROUTE_REMOVED",
        "closeOrder (DELETE /api/v1/orders/{id}): was removed without a deprecation and a sunset",
    )
    announced = ROUTES + "    deprecated: {since: 2026-01-01, sunset: 2026-09-01}\n"
    (early,) = _diff(catalogs, old_routes=announced, new_routes=without_close)
    assert early.code == "REST_ROUTE_REMOVED"
    assert early.level == "breaking"
    assert "before its sunset (2026-09-01T00:00:00+00:00)" in early.message
    past = ROUTES + "    deprecated: {since: 2026-01-01, sunset: 2026-05-01}\n"
    (late,) = _diff(catalogs, old_routes=past, new_routes=without_close)
    assert (late.level, late.code) == ("safe", "REST_ROUTE_REMOVED")
    assert late.message.endswith("was removed after its sunset")


def test_deprecating_is_dangerous_and_a_sunset_moved_into_the_past_breaks(
    catalogs: Catalogs,
) -> None:
    deprecated = ROUTES + "    deprecated: {since: 2026-05-01, sunset: 2026-12-01}\n"
    (notice,) = _diff(catalogs, new_routes=deprecated)
    assert (notice.level, notice.code, notice.route) == (
        "dangerous",
        "REST_ROUTE_DEPRECATED",
        "closeOrder",
    )
    gone = ROUTES + "    deprecated: {since: 2026-05-01, sunset: 2026-05-02}\n"
    (abrupt,) = _diff(catalogs, new_routes=gone)
    assert (abrupt.level, abrupt.code) == ("breaking", "REST_ROUTE_GONE")


def test_a_newly_required_parameter_breaks_callers_an_optional_one_does_not(
    catalogs: Catalogs,
) -> None:
    schema = SCHEMA.replace(
        "closeOrder(id: ID!, reason: String)",
        "closeOrder(id: ID!, reason: String, notify: Boolean)",
    )
    required = DOCUMENTS.replace(
        "mutation CloseOrder($id: ID!, $reason: String) { closeOrder(id: $id, reason: $reason)",
        "mutation CloseOrder($id: ID!, $reason: String!, $notify: Boolean) "
        "{ closeOrder(id: $id, reason: $reason, notify: $notify)",
    )
    routes = ROUTES.replace(
        "bind: {id: path, reason: query}", "bind: {id: path, reason: query, notify: query}"
    )
    changes = _diff(catalogs, schema, new_routes=routes, new_documents=required)
    assert _summary(changes) == [
        (
            "breaking",
            "REST_PARAMETER_REQUIRED",
            "closeOrder (DELETE /api/v1/orders/{id}): query parameter 'reason' is required now",
        ),
        (
            "safe",
            "REST_PARAMETER_ADDED",
            "closeOrder (DELETE /api/v1/orders/{id}): query parameter 'notify' was added "
            "(optional)",
        ),
    ]


def test_status_idempotency_and_renames(catalogs: Catalogs) -> None:
    routes = (
        ROUTES.replace(
            "  - id: getOrder\n    method: GET\n    path: /orders/{id}\n"
            "    operation: GetOrder\n    bind: {id: path}\n",
            "  - id: readOrder\n    method: GET\n    path: /orders/{orderId}\n"
            "    operation: GetOrder\n    bind: {id: {in: path, name: orderId}}\n",
        )
        .replace(
            "bind: {id: path, reason: query}",
            "bind: {id: path, reason: query}\n    idempotency: required",
        )
        .replace(
            "    status: 201\n    location: /api/v1/orders/{id}\n",
            "    status: 202\n    location: /api/v1/orders/{id}\n",
        )
    )
    assert {(str(c.level), c.code, c.route) for c in _diff(catalogs, new_routes=routes)} == {
        # the path parameter's name is not on the wire: only the operationId changed
        ("dangerous", "REST_ROUTE_RENAMED", "readOrder"),
        ("breaking", "REST_STATUS_CHANGED", "createOrder"),
        ("breaking", "REST_IDEMPOTENCY_KEY_REQUIRED", "closeOrder"),
    }


def test_a_body_bound_whole_or_property_by_property_is_one_contract(catalogs: Catalogs) -> None:
    by_property = ROUTES.replace(
        "bind: {input: body}",
        "bind: {input.customerId: {in: body, name: customerId}, "
        "input.lines: {in: body, name: lines}, input.address: {in: body, name: address}}",
    )
    assert _diff(catalogs, new_routes=by_property) == []
    without_address = ROUTES.replace(
        "bind: {input: body}",
        "bind: {input.customerId: {in: body, name: customerId}, "
        "input.lines: {in: body, name: lines}}",
    )
    # one change for the removed property, none for what it contained
    assert _summary(_diff(catalogs, new_routes=without_address)) == [
        (
            "breaking",
            "REST_PARAMETER_REMOVED",
            "createOrder (POST /api/v1/orders): body property 'address' was removed",
        )
    ]


def test_a_route_that_did_not_compile_before_cannot_break(catalogs: Catalogs) -> None:
    broken_before = DOCUMENTS.replace("note lines", "nope lines")
    old = build_schema(SCHEMA)
    before = catalogs.compile(old, ROUTES, broken_before)
    assert {p.route for p in before.problems} == {
        "getOrder",
        "listOrders",
        "createOrder",
        "closeOrder",
    }
    after = catalogs.compile(old)
    changes = diff_route_catalogs(before, old, after, old, NOW)
    assert {(str(c.level), c.code) for c in changes} == {("safe", "REST_ROUTE_ADDED")}
    assert len(changes) == 4


def test_a_new_optional_object_is_one_change_not_one_per_field(catalogs: Catalogs) -> None:
    schema = SCHEMA.replace(
        "input NewOrderInput { customerId: ID!",
        "input GiftInput { message: String! from: String }\n"
        "input NewOrderInput { gift: GiftInput customerId: ID!",
    )
    assert _summary(_diff(catalogs, schema)) == [
        (
            "safe",
            "REST_PARAMETER_ADDED",
            "createOrder (POST /api/v1/orders): body property 'gift' was added (optional)",
        )
    ]
