"""Page sizes over real HTTP: refused before any subgraph is called, whatever form the document
takes (raw, trusted document with variables, APQ, variable defaults, batches)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pipeline_support import (
    PARTNER_ORDERS_ID,
    Credentials,
    Subgraphs,
    apq,
    error_codes,
    gateway_settings,
    serve,
    write_clients,
)

from gateway.settings import GatewaySettings

pytestmark = pytest.mark.asyncio(loop_scope="module")

ORDERS = "query Orders($first: Int) { orders(first: $first) { id } }"


def _settings(
    tmp_path: Path, subgraphs: Subgraphs, credentials: Credentials, **limits: Any
) -> GatewaySettings:
    write_clients(tmp_path)
    return gateway_settings(
        tmp_path, subgraphs.urls, auth=credentials.auth_settings(), limits=limits
    )


def _error(response: Any) -> dict[str, Any]:
    errors = response.json()["errors"]
    assert len(errors) == 1, errors
    error: dict[str, Any] = errors[0]
    return error


async def test_a_page_above_the_maximum_is_refused_before_any_subgraph_call(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    settings = _settings(tmp_path, subgraphs, credentials)
    async with serve(settings) as (client, _):
        before = subgraphs.log.total()
        refused = await client.post("/graphql", json={"query": "{\n  orders(first: 101) { id } }"})
        negative = await client.post("/graphql", json={"query": "{ orders(first: -1) { id } }"})
        refused_calls = subgraphs.log.total() - before
        served = await client.post("/graphql", json={"query": "{ orders(first: 100) { id } }"})
    assert refused_calls == 0
    assert refused.status_code == 400
    error = _error(refused)
    assert error["message"] == (
        'Argument "first" of Query.orders is 101, above the maximum page size 100'
    )
    assert error["locations"] == [{"line": 2, "column": 3}]
    assert {k: v for k, v in error["extensions"].items() if k != "requestId"} == {
        "code": "PAGE_SIZE_EXCEEDED",
        "field": "Query.orders",
        "argument": "first",
        "value": 101,
        "max": 100,
    }
    assert error["extensions"]["requestId"] == refused.headers["x-request-id"]
    assert "data" not in refused.json()
    assert "ratelimit" not in refused.headers  # nothing was charged
    assert negative.status_code == 400
    assert error_codes(negative.json()) == ["PAGE_SIZE_NEGATIVE"]
    assert served.status_code == 200 and len(served.json()["data"]["orders"]) == 3
    assert subgraphs.log.total() > before  # the valid one did reach the subgraph


async def test_persisted_documents_apq_and_variable_defaults_are_checked(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    acme = {"x-api-key": credentials.add_api_key("acme-1", "acme", [])}
    settings = _settings(tmp_path, subgraphs, credentials)
    defaulted = "query Big($first: Int = 500) { orders(first: $first) { id } }"
    async with serve(settings) as (client, _):
        before = subgraphs.log.total()
        trusted = await client.post(
            "/graphql",
            json={"documentId": PARTNER_ORDERS_ID, "variables": {"first": 101}},
            headers=acme,
        )
        registered = await client.post(
            "/graphql", json={"query": ORDERS, "extensions": apq(ORDERS), "variables": {"first": 2}}
        )
        after_register = subgraphs.log.total()
        by_hash = await client.post(
            "/graphql", json={"extensions": apq(ORDERS), "variables": {"first": 1000}}
        )
        by_default = await client.post("/graphql", json={"query": defaulted})
        refused_calls = subgraphs.log.total() - after_register
    assert trusted.status_code == 400
    assert error_codes(trusted.json()) == ["PAGE_SIZE_EXCEEDED"]
    assert _error(trusted)["extensions"]["value"] == 101
    assert registered.status_code == 200  # APQ registered with a valid page
    assert after_register == before + 1  # ...which is the only call so far
    assert by_hash.status_code == 400
    assert _error(by_hash)["extensions"]["value"] == 1000
    assert by_default.status_code == 400
    assert _error(by_default)["extensions"]["value"] == 500
    assert refused_calls == 0


async def test_a_field_override_and_a_batch(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    settings = _settings(
        tmp_path, subgraphs, credentials, page_size={"fields": {"Query.orders.first": 2}}
    )
    async with serve(settings) as (client, _):
        before = subgraphs.log.total()
        batch = await client.post(
            "/graphql",
            json=[
                {"query": ORDERS, "variables": {"first": 3}},
                {"query": ORDERS, "variables": {"first": 2}},
            ],
        )
        calls = subgraphs.log.total() - before
    assert batch.status_code == 200  # each entry answered on its own
    refused, served = batch.json()
    assert error_codes(refused) == ["PAGE_SIZE_EXCEEDED"]
    assert refused["errors"][0]["extensions"]["max"] == 2
    assert "data" not in refused
    assert len(served["data"]["orders"]) == 2
    assert calls == 1  # only the valid entry reached the subgraph


async def test_the_check_can_be_switched_off(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    settings = _settings(tmp_path, subgraphs, credentials, page_size={"enabled": False})
    async with serve(settings) as (client, _):
        response = await client.post("/graphql", json={"query": "{ orders(first: 101) { id } }"})
    assert response.status_code == 200
    assert len(response.json()["data"]["orders"]) == 3
