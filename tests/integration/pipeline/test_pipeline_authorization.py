"""Field authorization over real HTTP: pruning before planning, modes, abstract types, plans."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pipeline_support import Credentials, Subgraphs, error_codes, gateway_settings, serve
from structlog.testing import capture_logs

from gateway.pipeline import SupergraphPipeline

pytestmark = pytest.mark.asyncio(loop_scope="module")

UNAUTHORIZED = "UNAUTHORIZED_FIELD_OR_TYPE"


def _paths(payload: dict[str, Any]) -> list[list[Any]]:
    return [
        error["path"] for error in payload["errors"] if error["extensions"]["code"] == UNAUTHORIZED
    ]


async def test_a_partner_without_payments_read_never_reaches_the_payments_subgraph(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    settings = gateway_settings(tmp_path, subgraphs.urls, auth=credentials.auth_settings())
    partner = credentials.bearer("acme", scopes="orders:read", client_id="acme")
    query = '{ order(id: "o1") { number payments { id amount { amount } } } }'
    before = subgraphs.log.requests["payments"]
    async with serve(settings) as (client, _):
        response = await client.post("/graphql", json={"query": query}, headers=partner)
    payload = response.json()
    assert response.status_code == 200
    # Order.payments is a non-null list: its removal nulls the (nullable) order, as the spec says
    assert payload["data"] == {"order": None}
    assert payload["errors"] == [
        {
            "message": "Unauthorized field or type",
            "path": ["order", "payments"],
            "extensions": {
                "code": UNAUTHORIZED,
                "requestId": response.headers["x-request-id"],
            },
        }
    ]
    assert subgraphs.log.requests["payments"] == before
    assert "payments" not in subgraphs.log.queries["orders"][-1]


async def test_payment_details_come_back_null_at_each_concrete_path(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    settings = gateway_settings(tmp_path, subgraphs.urls, auth=credentials.auth_settings())
    query = '{ order(id: "o2") { number payments { id fee processorReference } } }'
    async with serve(settings) as (client, _):
        reader = await client.post(
            "/graphql", json={"query": query}, headers=credentials.bearer(scopes="payments:read")
        )
        asked_reader = subgraphs.log.queries["payments"][-1]
        admin = await client.post(
            "/graphql",
            json={"query": query},
            headers=credentials.bearer(scopes="payments:read payments:admin"),
        )
    assert reader.json()["data"] == {
        "order": {
            "number": "SO-2",
            "payments": [
                {"id": "p2", "fee": 2, "processorReference": None},
                {"id": "p3", "fee": 1, "processorReference": None},
            ],
        }
    }
    assert _paths(reader.json()) == [
        ["order", "payments", 0, "processorReference"],
        ["order", "payments", 1, "processorReference"],
    ]
    assert "processorReference" not in asked_reader
    assert admin.json()["data"]["order"]["payments"][0]["processorReference"] == "tr_2"
    assert "errors" not in admin.json()


async def test_an_empty_list_reports_the_removal_once_at_the_list(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    settings = gateway_settings(tmp_path, subgraphs.urls, auth=credentials.auth_settings())
    query = (
        '{ full: order(id: "o1") { lines { sku unitCost { amount } } }'
        ' empty: order(id: "o3") { lines { sku unitCost { amount } } } }'
    )
    async with serve(settings) as (client, _):
        response = await client.post("/graphql", json={"query": query})
    payload = response.json()
    assert payload["data"] == {
        "full": {"lines": [{"sku": "SKU-A", "unitCost": None}, {"sku": "SKU-B", "unitCost": None}]},
        "empty": {"lines": []},
    }
    assert _paths(payload) == [
        ["full", "lines", 0, "unitCost"],
        ["full", "lines", 1, "unitCost"],
        ["empty", "lines"],
    ]


async def test_policies_come_from_the_settings(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    settings = gateway_settings(
        tmp_path,
        subgraphs.urls,
        auth=credentials.auth_settings(),
        authorization={"policies": {"finance": {"claims": {"department": ["finance"]}}}},
    )
    query = '{ order(id: "o1") { lines { unitCost { amount } } } }'
    async with serve(settings) as (client, _):
        finance = await client.post(
            "/graphql", json={"query": query}, headers=credentials.bearer(department="finance")
        )
        sales = await client.post(
            "/graphql", json={"query": query}, headers=credentials.bearer(department="sales")
        )
    assert finance.json()["data"]["order"]["lines"][0] == {"unitCost": {"amount": 500}}
    assert sales.json()["data"]["order"]["lines"][0] == {"unitCost": None}
    assert error_codes(sales.json()) == [UNAUTHORIZED, UNAUTHORIZED]


async def test_reject_mode_refuses_the_whole_operation_before_any_fetch(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    settings = gateway_settings(
        tmp_path,
        subgraphs.urls,
        auth=credentials.auth_settings(),
        authorization={"mode": "reject"},
    )
    query = "{ orders(first: 2) { number internalNotes } }"
    before = subgraphs.log.total()
    async with serve(settings) as (client, _):
        refused = await client.post("/graphql", json={"query": query})
        allowed = await client.post(
            "/graphql", json={"query": query}, headers=credentials.bearer(scopes="support")
        )
    assert refused.status_code == 403
    assert "data" not in refused.json()
    assert error_codes(refused.json()) == [UNAUTHORIZED]
    assert refused.json()["errors"][0]["path"] == ["orders"]  # cut at the first list
    assert subgraphs.log.total() == before + 1  # only the allowed request fetched
    assert allowed.json()["data"]["orders"][0] == {"number": "SO-1", "internalNotes": "fragile"}


async def test_dry_run_executes_everything_and_logs_what_would_go(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    settings = gateway_settings(
        tmp_path,
        subgraphs.urls,
        auth=credentials.auth_settings(),
        authorization={"mode": "dry_run"},
    )
    query = '{ order(id: "o1") { number internalNotes } }'
    async with serve(settings) as (client, _):
        with capture_logs() as logs:
            response = await client.post("/graphql", json={"query": query})
    assert response.json()["data"] == {"order": {"number": "SO-1", "internalNotes": "fragile"}}
    assert "errors" not in response.json()
    reports = [entry for entry in logs if "dry run" in entry["event"]]
    assert [entry["paths"] for entry in reports] == [["order.internalNotes"]]


async def test_an_interface_or_union_never_leaks_a_restricted_member(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    settings = gateway_settings(tmp_path, subgraphs.urls, auth=credentials.auth_settings())
    nodes = "{ nodes { __typename id ... on Order { number } } }"
    search = '{ search(text: "a") { ... on Order { number } ... on Customer { name } } }'
    async with serve(settings) as (client, _):
        sent = len(subgraphs.log.queries["orders"])
        denied = await client.post("/graphql", json={"query": nodes})
        searched = await client.post("/graphql", json={"query": search})
        asked = subgraphs.log.queries["orders"][sent:]
        allowed = await client.post(
            "/graphql", json={"query": nodes}, headers=credentials.bearer(scopes="customers:read")
        )
    # composition gives Node the requirements of its implementations (Customer: customers:read)
    assert denied.json()["data"] is None
    assert _paths(denied.json()) == [["nodes"]]
    assert searched.json()["data"] == {"search": [{"name": None}]}  # Ada is a Customer
    assert _paths(searched.json()) == [["search", 0]]
    assert "Ada" not in searched.text
    assert len(asked) == 1 and "nodes" not in asked[0] and "Customer" not in asked[0]
    assert [node["__typename"] for node in allowed.json()["data"]["nodes"]] == [
        "Order",
        "Customer",
        "Order",
        "Customer",
    ]


async def test_anonymous_mutations_never_reach_the_subgraph(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    settings = gateway_settings(tmp_path, subgraphs.urls, auth=credentials.auth_settings())
    mutation = {"query": 'mutation { cancelOrder(id: "o2") { number } }'}
    async with serve(settings) as (client, _):
        anonymous = await client.post("/graphql", json=mutation)
        signed_in = await client.post("/graphql", json=mutation, headers=credentials.bearer())
    # no mutation at all without credentials: 401 before planning (ADR 0906)
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    assert "data" not in anonymous.json()
    assert [e["extensions"]["code"] for e in anonymous.json()["errors"]] == [
        "AUTHENTICATION_REQUIRED"
    ]
    assert signed_in.json()["data"] == {"cancelOrder": {"number": "SO-2"}}
    assert subgraphs.log.cancelled.count("o2") == 1
    # where anonymous mutations are allowed, field authorization still removes the field
    allowing = gateway_settings(
        tmp_path, subgraphs.urls, auth=credentials.auth_settings(anonymous_mutations=True)
    )
    async with serve(allowing) as (client, _):
        pruned = await client.post("/graphql", json=mutation)
    assert pruned.json()["data"] == {"cancelOrder": None}
    assert _paths(pruned.json()) == [["cancelOrder"]]
    assert subgraphs.log.cancelled.count("o2") == 1


async def test_plans_are_shared_by_callers_with_the_same_relevant_rights(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    settings = gateway_settings(tmp_path, subgraphs.urls, auth=credentials.auth_settings())
    query = {"query": '{ order(id: "o1") { number internalNotes } }'}
    async with serve(settings) as (client, app):
        pipeline = app.state.engine_slot.engine
        assert isinstance(pipeline, SupergraphPipeline)
        built = pipeline.engine.plans_built

        async def ask(subject: str, scopes: str) -> dict[str, Any]:
            headers = credentials.bearer(subject, scopes=scopes)
            response = await client.post("/graphql", json=query, headers=headers)
            payload: dict[str, Any] = response.json()
            return payload

        alice = await ask("alice", "orders:read")
        bob = await ask("bob", "orders:read inventory:read")  # a scope the operation ignores
        assert pipeline.engine.plans_built == built + 1
        support = await ask("carol", "support")
        admin = await ask("dave", "orders:admin")
        assert pipeline.engine.plans_built == built + 2  # one plan for "nothing removed"
        again = await ask("erin", "support orders:read")
        assert pipeline.engine.plans_built == built + 2
    assert alice["data"] == bob["data"] == {"order": {"number": "SO-1", "internalNotes": None}}
    assert _paths(alice) == _paths(bob) == [["order", "internalNotes"]]
    assert support["data"] == admin["data"] == again["data"]
    assert support["data"] == {"order": {"number": "SO-1", "internalNotes": "fragile"}}


async def test_an_anonymous_mutation_is_refused_even_where_the_schema_forgot_a_requirement(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    settings = gateway_settings(tmp_path, subgraphs.urls, auth=credentials.auth_settings())
    guarded = "type Mutation\n  @join__type(graph: ORDERS)\n  @authenticated\n{"
    sdl = settings.supergraph_path.read_text(encoding="utf-8")
    assert guarded in sdl
    unguarded = sdl.replace(guarded, "type Mutation\n  @join__type(graph: ORDERS)\n{")
    settings.supergraph_path.write_text(unguarded, encoding="utf-8")
    mutation = {"query": 'mutation { cancelOrder(id: "o3") { id } }'}
    requests_before = subgraphs.log.requests["orders"]
    async with serve(settings) as (client, _):
        anonymous = await client.post("/graphql", json=mutation)
        query = await client.post("/graphql", json={"query": "{ __typename }"})
    assert anonymous.status_code == 401
    assert anonymous.json()["errors"][0]["message"] == (
        "Mutations need credentials: a bearer token or an API key"
    )
    assert error_codes(anonymous.json()) == ["AUTHENTICATION_REQUIRED"]
    assert (
        anonymous.json()["errors"][0]["extensions"]["requestId"]
        == (anonymous.headers["x-request-id"])
    )
    assert query.status_code == 200  # queries stay open to the anonymous caller
    assert "o3" not in subgraphs.log.cancelled
    assert subgraphs.log.requests["orders"] == requests_before  # no subgraph call at all
