"""All components chained the way the request pipeline will chain them (phase 2 wires the real
engine): clients file -> persisted document -> parse/validate -> cost + budget -> execute ->
actual cost, refund, extensions.cost and RateLimit headers. Runs against both stores.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphql import build_schema, execute, parse, validate
from store_backends import StoreBackend

from gateway.limits.analyzer import CostAnalyzer
from gateway.limits.errors import LimitError
from gateway.limits.limiter import BudgetLimiter
from gateway.limits.stage import CostStage
from gateway.persisted.clients import ClientRegistry
from gateway.persisted.documents import sha256_hex
from gateway.persisted.errors import PersistedQueryError
from gateway.persisted.manifest import TrustedDocument, dump_manifest
from gateway.persisted.resolver import PersistedDocuments
from gateway.service import GraphQLRequest, GraphQLResult
from gateway.supergraph import load_schema

SDL = """
directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!],
  requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
type Query {
  orders(first: Int = 20): OrderConnection!
    @listSize(slicingArguments: ["first"], sizedFields: ["edges"])
}
type OrderConnection { edges: [OrderEdge!]! totalCount: Int! }
type OrderEdge { cursor: String! node: Order! }
type Order { id: ID! number: String! }
"""
ORDERS = "query Orders($first: Int) { orders(first: $first) { edges { node { id number } } } }"
CLIENTS = """
clients:
  acme:
    mode: safelist
    budget: {capacity: 100, refill_per_second: 0, max_operation_cost: 60}
  web:
    mode: allow-all
"""
STORED_ORDERS = 3  # the "subgraph" returns at most three orders


class _Pipeline:
    """The glue the lead writes in phase 2, around a graphql-core executor."""

    def __init__(self, tmp_path: Path, backend: StoreBackend) -> None:
        (tmp_path / "clients.yaml").write_text(CLIENTS)
        manifest = tmp_path / "manifests" / "acme.json"
        manifest.parent.mkdir()
        manifest.write_text(dump_manifest([TrustedDocument("orders", ORDERS, "acme")]))
        self.registry = ClientRegistry.load(tmp_path / "clients.yaml")
        self.documents = PersistedDocuments(backend.document_store())
        self.schema = build_schema(SDL)
        self.stage = CostStage(
            CostAnalyzer.from_supergraph(load_schema(SDL)),
            BudgetLimiter(backend.bucket_store()),
            background_refund=False,
        )

    async def run(
        self, request: GraphQLRequest, client_id: str | None, document_id: str | None = None
    ) -> GraphQLResult:
        profile = self.registry.profile(client_id)
        try:  # before parse
            resolved = await self.documents.resolve(
                query=request.query,
                extensions=request.extensions,
                document_id=document_id,
                profile=profile,
            )
        except PersistedQueryError as error:
            return error.to_result()
        document = parse(resolved.query)  # parse + validate (cached by resolved.key)
        assert not validate(self.schema, document)
        try:  # after validation, before execution
            ticket = await self.stage.admit(
                client_id=client_id,
                budget=profile.budget,
                document_key=resolved.key,
                document=document,
                operation_name=request.operation_name,
                variables=request.variables,
            )
        except LimitError as error:
            return error.to_result()
        first = (request.variables or {}).get("first") or 20
        orders = [
            {"cursor": str(i), "node": {"id": str(i), "number": f"SO-{i}"}}
            for i in range(min(first, STORED_ORDERS))
        ]
        executed = execute(
            self.schema,
            document,
            root_value={"orders": {"edges": orders, "totalCount": 3}},
            variable_values=dict(request.variables or {}),
        )
        result = GraphQLResult(data=executed.data)  # type: ignore[arg-type]
        await self.stage.complete(ticket, result)  # after execution
        return result


@pytest.fixture
def pipeline(tmp_path: Path, store_backend: StoreBackend) -> _Pipeline:
    return _Pipeline(tmp_path, store_backend)


def _cost(result: GraphQLResult) -> dict[str, Any]:
    assert result.extensions is not None
    cost: dict[str, Any] = result.extensions["cost"]
    return cost


async def test_a_safelisted_client_runs_its_document_and_is_charged_the_actual_cost(
    pipeline: _Pipeline,
) -> None:
    result = await pipeline.run(GraphQLRequest(None, variables={"first": 10}), "acme", "orders")
    assert result.status_code == 200 and result.errors is None
    assert len(result.data["orders"]["edges"]) == 3  # type: ignore[index]
    # requested: connection 1 + 10 edges * (1 + node 1); actual: 1 + 3 * 2
    assert _cost(result) == {
        "requested": 21,
        "actual": 7,
        "throttleStatus": {"maximumAvailable": 100, "currentlyAvailable": 93, "restoreRate": 0},
    }
    assert result.headers["RateLimit-Policy"] == '"cost";q=100'
    assert result.headers["RateLimit"] == '"cost";r=93'  # after the refund, like the extension


async def test_raw_documents_and_foreign_ids_are_refused(pipeline: _Pipeline) -> None:
    raw = await pipeline.run(GraphQLRequest(ORDERS), "acme")
    assert raw.errors is not None and raw.errors[0]["extensions"]["code"] == "PERSISTED_QUERY_ONLY"
    foreign = await pipeline.run(GraphQLRequest(None), "web", "orders")
    assert foreign.errors is not None
    assert foreign.errors[0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_IN_LIST"


async def test_a_huge_first_is_refused_before_execution(pipeline: _Pipeline) -> None:
    result = await pipeline.run(
        GraphQLRequest(None, variables={"first": 999_999_999}), "acme", "orders"
    )
    assert result.status_code == 400
    assert result.errors is not None
    assert result.errors[0]["extensions"]["code"] == "COST_ESTIMATED_TOO_EXPENSIVE"
    assert result.errors[0]["extensions"]["cost.estimated"] == 1 + 999_999_999 * 2
    assert _cost(result)["throttleStatus"]["currentlyAvailable"] == 100


async def test_the_budget_runs_out_with_a_429(pipeline: _Pipeline) -> None:
    codes = []
    for _ in range(20):
        result = await pipeline.run(GraphQLRequest(None, variables={"first": 25}), "acme", "orders")
        codes.append(result.status_code)
        if result.status_code == 429:
            break
    # each call requests 51 and keeps 7 after the refund: 100, 93, ..., 51 admit; 44 does not
    assert codes == [200] * 8 + [429]
    assert result.errors is not None and result.errors[0]["extensions"]["code"] == "RATE_LIMITED"
    assert "Retry-After" not in result.headers  # this quota never refills
    apq_client = await pipeline.run(GraphQLRequest(ORDERS, variables={"first": 25}), "web")
    assert apq_client.status_code == 200  # another client, another bucket


async def test_an_apq_round_trip_for_an_allow_all_client(pipeline: _Pipeline) -> None:
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(ORDERS)}}
    missing = await pipeline.run(GraphQLRequest(None, extensions=extensions), "web")
    assert missing.errors is not None
    assert missing.errors[0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    registered = await pipeline.run(GraphQLRequest(ORDERS, extensions=extensions), "web")
    assert registered.errors is None
    by_hash = await pipeline.run(
        GraphQLRequest(None, variables={"first": 2}, extensions=extensions), "web"
    )
    assert _cost(by_hash)["requested"] == 5 and _cost(by_hash)["actual"] == 5
