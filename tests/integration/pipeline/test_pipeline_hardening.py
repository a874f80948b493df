"""Hardening over real HTTP: operation limits, CSRF, GET rules, production mode, error hygiene."""

from __future__ import annotations

from pathlib import Path

import pytest
from pipeline_support import PREFLIGHT, Subgraphs, error_codes, gateway_settings, serve

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.mark.parametrize(
    ("limits", "query", "code"),
    [
        (
            {"max_depth": 3},
            '{ order(id: "o1") { lines { unitCost { amount } } } }',
            "MAX_DEPTH_EXCEEDED",
        ),
        (
            {"max_aliases": 30},
            '{ order(id: "o1") { ' + " ".join(f"a{i}: id" for i in range(31)) + " } }",
            "MAX_ALIASES_EXCEEDED",
        ),
        (
            {"max_root_fields": 3},
            '{ a: order(id: "o1") { id } b: order(id: "o2") { id } ping: boom nodes { id } }',
            "MAX_ROOT_FIELDS_EXCEEDED",
        ),
        (
            {"max_tokens": 200},
            '{ order(id: "o1") { ' + "id " * 200 + "} }",
            "MAX_TOKENS_EXCEEDED",
        ),
        (
            {"max_document_bytes": 100},
            '{ order(id: "o1") { number } }' + " " * 100,
            "DOCUMENT_TOO_LARGE",
        ),
    ],
)
async def test_operation_limits_refuse_before_any_fetch(
    subgraphs: Subgraphs, tmp_path: Path, limits: dict[str, int], query: str, code: str
) -> None:
    settings = gateway_settings(tmp_path, subgraphs.urls, hardening=limits)
    before = subgraphs.log.total()
    async with serve(settings) as (client, _):
        response = await client.post("/graphql", json={"query": query})
    assert response.status_code == 400
    assert error_codes(response.json()) == [code]
    assert "data" not in response.json()
    assert subgraphs.log.total() == before


def _bomb(levels: int) -> str:
    """A fragment doubling its field at each level: 2**levels fields once expanded."""
    parts = ['query { order(id: "o1") { ...F0 } }', f"fragment F{levels} on Order {{ id }}"]
    parts += [f"fragment F{i} on Order {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    return " ".join(parts)


async def test_fragment_bombs_and_cycles_are_refused(subgraphs: Subgraphs, tmp_path: Path) -> None:
    settings = gateway_settings(tmp_path, subgraphs.urls)
    cycle = (
        'query { order(id: "o1") { ...A } } '
        "fragment A on Order { number ...B } fragment B on Order { id ...A }"
    )
    before = subgraphs.log.total()
    async with serve(settings) as (client, _):
        cyclic = await client.post("/graphql", json={"query": cycle})
        bombed = await client.post("/graphql", json={"query": _bomb(40)})
        legal = await client.post("/graphql", json={"query": _bomb(10)})  # 1024 fields
    assert cyclic.status_code == 400
    assert error_codes(cyclic.json()) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "Cannot spread fragment" in cyclic.json()["errors"][0]["message"]
    assert bombed.status_code == 400
    assert error_codes(bombed.json()) == ["MAX_FIELDS_EXCEEDED"]
    assert legal.json()["data"] == {"order": {"id": "o1"}}
    assert subgraphs.log.total() == before + 1


async def test_five_hundred_duplicate_fields_are_merged_into_one(
    subgraphs: Subgraphs, tmp_path: Path
) -> None:
    settings = gateway_settings(tmp_path, subgraphs.urls)
    query = '{ order(id: "o1") { ' + "number " * 500 + "} }"
    async with serve(settings) as (client, _):
        response = await client.post("/graphql", json={"query": query})
    assert response.status_code == 200
    assert response.json()["data"] == {"order": {"number": "SO-1"}}
    assert subgraphs.log.queries["orders"][-1].count("number") == 1


async def test_requests_a_browser_could_send_without_preflight_are_refused(
    subgraphs: Subgraphs, tmp_path: Path
) -> None:
    settings = gateway_settings(tmp_path, subgraphs.urls)
    mutation = 'mutation { cancelOrder(id: "o3") { id } }'
    cancelled = list(subgraphs.log.cancelled)
    async with serve(settings) as (client, _):
        text_plain = await client.post(
            "/graphql", content=mutation.encode(), headers={"content-type": "text/plain"}
        )
        form = await client.post("/graphql", data={"query": mutation})
        simple_get = await client.get("/graphql", params={"query": '{ order(id: "o1") { id } }'})
        page = await client.get("/graphql", headers={"accept": "text/html"})
    for response in (text_plain, form, simple_get):
        assert response.status_code == 400
        assert error_codes(response.json()) == ["CSRF_PREFLIGHT_REQUIRED"]
    assert page.status_code == 200  # GraphiQL itself is a page load, not an operation
    assert subgraphs.log.cancelled == cancelled


async def test_get_runs_queries_with_a_preflight_header_and_refuses_mutations(
    subgraphs: Subgraphs, tmp_path: Path
) -> None:
    settings = gateway_settings(tmp_path, subgraphs.urls)
    cancelled = list(subgraphs.log.cancelled)
    async with serve(settings) as (client, _):
        query = await client.get(
            "/graphql", params={"query": '{ order(id: "o1") { number } }'}, headers=PREFLIGHT
        )
        mutation = await client.get(
            "/graphql",
            params={"query": 'mutation { cancelOrder(id: "o1") { id } }'},
            headers=PREFLIGHT,
        )
    assert query.status_code == 200
    assert query.json()["data"] == {"order": {"number": "SO-1"}}
    assert mutation.status_code == 405
    assert mutation.headers["allow"] == "POST"
    assert error_codes(mutation.json()) == ["METHOD_NOT_ALLOWED"]
    assert subgraphs.log.cancelled == cancelled


@pytest.mark.parametrize("production", [False, True])
async def test_production_mode_hides_introspection_and_suggestions(
    subgraphs: Subgraphs, tmp_path: Path, production: bool
) -> None:
    settings = gateway_settings(tmp_path, subgraphs.urls, production=production)
    async with serve(settings) as (client, _):
        schema = await client.post(
            "/graphql", json={"query": "{ __schema { queryType { name } } }"}
        )
        typename = await client.post("/graphql", json={"query": "{ __typename }"})
        typo = await client.post("/graphql", json={"query": '{ order(id: "o1") { numbr } }'})
    assert typename.json()["data"] == {"__typename": "Query"}
    message = typo.json()["errors"][0]["message"]
    if production:
        assert schema.status_code == 400
        assert error_codes(schema.json()) == ["INTROSPECTION_DISABLED"]
        assert "Did you mean" not in message
    else:
        assert schema.json()["data"] == {"__schema": {"queryType": {"name": "Query"}}}
        assert "Did you mean 'number'?" in message
    assert message.startswith("Cannot query field 'numbr' on type 'Order'.")


async def test_subgraph_errors_reach_clients_without_internals(
    subgraphs: Subgraphs, tmp_path: Path
) -> None:
    settings = gateway_settings(tmp_path, subgraphs.urls)
    async with serve(settings) as (client, _):
        response = await client.post("/graphql", json={"query": '{ boom order(id: "o1") { id } }'})
    payload = response.json()
    assert payload["data"] == {"boom": None, "order": {"id": "o1"}}
    request_id = response.headers["x-request-id"]
    assert payload["errors"] == [
        {
            # BOOM is no client-facing code: its message is replaced too (ADR 0206)
            "message": f"Internal error in subgraph orders; reference {request_id}",
            "path": ["boom"],
            "extensions": {
                "code": "BOOM",
                "serviceName": "orders",
                "requestId": request_id,
            },
        }
    ]
    assert "stacktrace" not in response.text.lower()
    assert "Traceback" not in response.text


async def test_each_entry_of_a_batch_is_limited_on_its_own(
    subgraphs: Subgraphs, tmp_path: Path
) -> None:
    settings = gateway_settings(tmp_path, subgraphs.urls, hardening={"max_depth": 3})
    small = {"query": '{ order(id: "o1") { number } }'}
    deep = {"query": '{ order(id: "o1") { lines { unitCost { amount } } } }'}
    async with serve(settings) as (client, _):
        response = await client.post("/graphql", json=[small, deep, small])
    assert response.status_code == 200
    first, second, third = response.json()
    assert first["data"] == third["data"] == {"order": {"number": "SO-1"}}
    assert error_codes(second) == ["MAX_DEPTH_EXCEEDED"]
