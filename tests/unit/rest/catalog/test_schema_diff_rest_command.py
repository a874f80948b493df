"""``ordergate schema diff`` reports the REST contract changes beside the GraphQL ones
(ordergate/commands/schema.py, ADR 1009)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ordergate.cli import main

REPO = Path(__file__).resolve().parents[4]

OLD = """
type Order { id: ID! status: String! note: String }
type Query { order(id: ID!): Order }
type Mutation { cancelOrder(id: ID!, reason: String): Order! }
"""
#: Order.note removed: a GraphQL break, and the getOrder route no longer compiles
NO_NOTE = OLD.replace(" note: String", "")
#: cancelOrder.reason required: the GraphQL diff says an argument changed type, the REST diff
#: names the route that stops compiling
REASON_REQUIRED = OLD.replace("reason: String)", "reason: String!)")

DOCUMENTS = """
query GetOrder($id: ID!) { order(id: $id) { id status note } }
mutation CancelOrder($id: ID!, $reason: String) { cancelOrder(id: $id, reason: $reason) { id } }
query GetStatus($id: ID!) { order(id: $id) { id status } }
"""

ROUTES = """
routes:
  - id: getOrder
    method: GET
    path: /orders/{id}
    operation: GetOrder
    bind: {id: path}
  - id: cancelOrder
    method: DELETE
    path: /orders/{id}
    operation: CancelOrder
    bind: {id: path, reason: query}
"""

#: the same routes, and a new one
MORE_ROUTES = (
    ROUTES
    + """  - id: getOrderStatus
    method: GET
    path: /orders/{id}/status
    operation: GetStatus
    bind: {id: path}
"""
)


def _write(folder: Path, name: str, text: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return str(folder / name)


def _routes(folder: Path, routes: str = ROUTES) -> str:
    _write(folder / "rest", "ops.graphql", DOCUMENTS)
    return _write(folder, "routes.yaml", routes)


def test_a_route_broken_by_the_new_schema_fails_the_diff(tmp_path: Path) -> None:
    old = _write(tmp_path, "old.graphql", OLD)
    new = _write(tmp_path, "new.graphql", NO_NOTE)
    routes = _routes(tmp_path / "routes")
    runner = CliRunner()
    result = runner.invoke(main, ["schema", "diff", old, new, "--routes", routes])
    assert result.exit_code == 1
    assert result.output.startswith(
        "BREAKING (2)\n  FIELD_REMOVED: Field Order.note was removed.\n"
    )
    assert (
        "  REST_ROUTE_BROKEN: getOrder (GET /api/v1/orders/{id}): no longer compiles against the "
        "new schema: GetOrder (ops.graphql): Cannot query field 'note' on type 'Order'.\n"
    ) in result.output
    report = json.loads(
        runner.invoke(main, ["schema", "diff", old, new, "--routes", routes, "--json"]).stdout
    )
    assert report["changes"][1] == {
        "level": "breaking",
        "code": "REST_ROUTE_BROKEN",
        "message": "getOrder (GET /api/v1/orders/{id}): no longer compiles against the new "
        "schema: GetOrder (ops.graphql): Cannot query field 'note' on type 'Order'.",
        "route": "getOrder",
        "method": "GET",
        "path": "/api/v1/orders/{id}",
    }


def test_a_newly_required_argument_breaks_the_route_that_binds_it(tmp_path: Path) -> None:
    old = _write(tmp_path, "old.graphql", OLD)
    new = _write(tmp_path, "new.graphql", REASON_REQUIRED)
    routes = _routes(tmp_path / "routes")
    result = CliRunner().invoke(main, ["schema", "diff", old, new, "--routes", routes])
    # the operation declares $reason: String, which no longer fits String!: the route breaks
    assert result.exit_code == 1
    assert "REST_ROUTE_BROKEN: cancelOrder (DELETE /api/v1/orders/{id})" in result.output


def test_old_and_new_route_files_are_compared(tmp_path: Path) -> None:
    schema = _write(tmp_path, "schema.graphql", OLD)
    base = _routes(tmp_path / "base", MORE_ROUTES)
    head = _routes(tmp_path / "head", ROUTES)
    runner = CliRunner()
    removed = runner.invoke(
        main, ["schema", "diff", schema, schema, "--old-routes", base, "--routes", head]
    )
    assert removed.exit_code == 1
    assert removed.output == (
        "BREAKING (1)\n"
        "  REST_ROUTE_REMOVED: getOrderStatus (GET /api/v1/orders/{id}/status): was removed "
        "without a deprecation and a sunset\n"
    )
    added = runner.invoke(
        main, ["schema", "diff", schema, schema, "--old-routes", head, "--routes", base]
    )
    assert added.exit_code == 0
    assert added.output == (
        "SAFE (1)\n  REST_ROUTE_ADDED: getOrderStatus (GET /api/v1/orders/{id}/status): was added\n"
    )


def test_no_routes_compares_the_graphql_api_only(tmp_path: Path) -> None:
    schema = _write(tmp_path, "schema.graphql", OLD)
    base = _routes(tmp_path / "base", MORE_ROUTES)
    head = _routes(tmp_path / "head", ROUTES)
    result = CliRunner().invoke(
        main,
        ["schema", "diff", schema, schema, "--old-routes", base, "--routes", head, "--no-routes"],
    )
    assert (result.exit_code, result.output) == (0, "no API changes\n")


def test_the_repository_route_file_is_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # run where persisted_queries/rest-routes.yaml is: the repository's routes, real supergraph
    shutil.copytree(REPO / "persisted_queries", tmp_path / "persisted_queries")
    supergraph = (REPO / "schema" / "supergraph.graphql").read_text()
    old = _write(tmp_path, "old.graphql", supergraph)
    narrowed = supergraph.replace(
        "  cancelReason: String @join__field(graph: ORDERS)",
        "  cancelReason: Int @join__field(graph: ORDERS)",
    )
    assert narrowed != supergraph
    new = _write(tmp_path, "new.graphql", narrowed)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["schema", "diff", old, old]).output == "no API changes\n"
    result = runner.invoke(main, ["schema", "diff", old, new, "--json"])
    assert result.exit_code == 1
    rest = {
        (c["route"], c["method"], c["code"])
        for c in json.loads(result.stdout)["changes"]
        if c["code"].startswith("REST_")
    }
    # every route answering an order (or a page of them) names the retyped field
    assert rest == {
        (route, method, "REST_RESPONSE_FIELD_TYPE_CHANGED")
        for route, method in (
            ("listOrders", "GET"),
            ("getOrder", "GET"),
            ("createOrder", "POST"),
            ("updateOrder", "PATCH"),
            ("cancelOrder", "DELETE"),
            ("confirmOrder", "POST"),
            ("recordFulfillment", "POST"),
            ("listCustomerOrders", "GET"),
        )
    }


def test_a_route_file_whose_documents_are_missing_is_refused(tmp_path: Path) -> None:
    schema = _write(tmp_path, "schema.graphql", OLD)
    lonely = _write(tmp_path / "lonely", "routes.yaml", ROUTES)  # e.g. <(git show main:...)
    head = _routes(tmp_path / "head")
    result = CliRunner().invoke(
        main, ["schema", "diff", schema, schema, "--old-routes", lonely, "--routes", head]
    )
    assert result.exit_code == 2
    assert "documents directory" in result.output
