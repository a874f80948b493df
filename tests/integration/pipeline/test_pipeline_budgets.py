"""Cost and budgets over real HTTP, against the in-process and the Redis bucket stores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pipeline_support import (
    PARTNER_ORDERS_ID,
    Credentials,
    StoreChoice,
    Subgraphs,
    error_codes,
    gateway_settings,
    merged,
    serve,
    write_clients,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

#: PartnerOrders(first: 3) costs 3 (three orders) and returns three orders: nothing to refund
THREE_ORDERS = {"documentId": PARTNER_ORDERS_ID, "variables": {"first": 3}}


def _settings(
    tmp_path: Path,
    subgraphs: Subgraphs,
    credentials: Credentials,
    store: StoreChoice,
    **sections: Any,
) -> Any:
    write_clients(tmp_path)
    merged_sections = merged(
        merged(store.sections, {"auth": credentials.auth_settings()}), sections
    )
    return gateway_settings(tmp_path, subgraphs.urls, **merged_sections)


def _cost(response: Any) -> dict[str, Any]:
    cost: dict[str, Any] = response.json()["extensions"]["cost"]
    return cost


async def test_every_response_reports_its_cost(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path, store: StoreChoice
) -> None:
    acme = {"x-api-key": credentials.add_api_key("acme-1", "acme", [])}
    settings = _settings(tmp_path, subgraphs, credentials, store)
    request = {"documentId": PARTNER_ORDERS_ID, "variables": {"first": 20}}
    async with serve(settings) as (client, _):
        response = await client.post("/graphql", json=request, headers=acme)
        anonymous = await client.post(
            "/graphql", json={"query": "{ orders(first: 2) { payments { fee } } }"}
        )
    assert response.status_code == 200
    assert len(response.json()["data"]["orders"]) == 3
    # requested: 20 orders at 1 each; actual: the 3 that exist, 17 refunded
    assert _cost(response) == {
        "requested": 20,
        "actual": 3,
        "throttleStatus": {"maximumAvailable": 40, "currentlyAvailable": 37, "restoreRate": 0.01},
    }
    assert response.headers["ratelimit-policy"] == '"cost";q=40;w=4000'
    assert response.headers["ratelimit"].startswith('"cost";r=37;t=')
    # anonymous callers are measured on the defaults; payments are pruned for them, so the
    # estimate only counts the 2 orders that will run
    assert _cost(anonymous)["requested"] == 2
    assert _cost(anonymous)["throttleStatus"]["maximumAvailable"] == 1000


async def test_an_estimate_above_the_maximum_is_refused_before_any_subgraph_call(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path, store: StoreChoice
) -> None:
    acme = {"x-api-key": credentials.add_api_key("acme-1", "acme", [])}
    settings = _settings(tmp_path, subgraphs, credentials, store)
    # 50 is a valid page size (the maximum is 100) but costs more than acme's maximum of 30
    huge = {"documentId": PARTNER_ORDERS_ID, "variables": {"first": 50}}
    before = subgraphs.log.total()
    async with serve(settings) as (client, _):
        refused = await client.post("/graphql", json=huge, headers=acme)
        still_full = await client.post("/graphql", json=THREE_ORDERS, headers=acme)
    assert subgraphs.log.total() == before + 1  # only the second request reached a subgraph
    assert refused.status_code == 400
    error = refused.json()["errors"][0]
    assert error["extensions"]["code"] == "COST_ESTIMATED_TOO_EXPENSIVE"
    assert error["extensions"]["cost.estimated"] == 50
    assert error["extensions"]["cost.max"] == 30
    assert error["message"] == "query estimated cost 50 exceeded configured maximum 30"
    assert _cost(refused)["requested"] == 50
    assert _cost(refused)["actual"] == 0
    assert _cost(still_full)["throttleStatus"]["currentlyAvailable"] == 37  # untouched, then 3


async def test_an_exhausted_client_gets_429_while_another_is_served(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path, store: StoreChoice
) -> None:
    acme = {"x-api-key": credentials.add_api_key("acme-1", "acme", [])}
    beta = credentials.bearer("beta", client_id="beta")
    settings = _settings(tmp_path, subgraphs, credentials, store)
    statuses = []
    async with serve(settings) as (client, _):
        for _ in range(14):
            response = await client.post("/graphql", json=THREE_ORDERS, headers=acme)
            statuses.append(response.status_code)
        refused = response
        calls = subgraphs.log.total()
        other = await client.post(
            "/graphql", json={"query": "{ orders(first: 3) { id } }"}, headers=beta
        )
    assert statuses == [200] * 13 + [429]  # 13 x 3 = 39 of 40 units, then 1 left
    assert error_codes(refused.json()) == ["RATE_LIMITED"]
    error = refused.json()["errors"][0]
    assert error["extensions"]["cost.estimated"] == 3
    retry_after = int(refused.headers["retry-after"])
    assert retry_after >= 100  # 2 missing units at 0.01 per second
    assert error["extensions"]["retryAfterSeconds"] == retry_after
    assert refused.headers["ratelimit-policy"] == '"cost";q=40;w=4000'
    assert refused.headers["ratelimit"] == f'"cost";r=1;t={retry_after}'
    assert _cost(refused)["requested"] == 3
    assert _cost(refused)["actual"] == 0
    assert other.status_code == 200
    assert other.json()["data"] == {"orders": [{"id": "o1"}, {"id": "o2"}, {"id": "o3"}]}
    assert _cost(other)["throttleStatus"]["maximumAvailable"] == 100
    assert subgraphs.log.total() == calls + 1


async def test_a_batch_cannot_spend_more_than_single_requests(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path, store: StoreChoice
) -> None:
    acme = {"x-api-key": credentials.add_api_key("acme-1", "acme", [])}
    settings = _settings(tmp_path, subgraphs, credentials, store, http={"max_batch_size": 20})
    async with serve(settings) as (client, _):
        batch = await client.post("/graphql", json=[THREE_ORDERS] * 15, headers=acme)
        exhausted = await client.post("/graphql", json=[THREE_ORDERS] * 2, headers=acme)
    entries = batch.json()
    assert batch.status_code == 200  # some entries ran
    assert [("data" in entry and entry["data"] is not None) for entry in entries] == [True] * 13 + [
        False
    ] * 2
    assert [error_codes(entry) for entry in entries[13:]] == [["RATE_LIMITED"]] * 2
    assert batch.headers["ratelimit"].startswith('"cost";r=1;')
    assert "retry-after" not in batch.headers
    assert exhausted.status_code == 429  # every entry refused: the batch is refused
    assert int(exhausted.headers["retry-after"]) >= 100
    assert [error_codes(entry) for entry in exhausted.json()] == [["RATE_LIMITED"]] * 2


async def test_limits_can_be_switched_off(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path, store: StoreChoice
) -> None:
    acme = {"x-api-key": credentials.add_api_key("acme-1", "acme", [])}
    settings = _settings(tmp_path, subgraphs, credentials, store, limits={"enabled": False})
    huge = {"documentId": PARTNER_ORDERS_ID, "variables": {"first": 50}}  # costs 50 > 30
    async with serve(settings) as (client, _):
        response = await client.post("/graphql", json=huge, headers=acme)
    assert response.status_code == 200
    assert len(response.json()["data"]["orders"]) == 3
    assert "extensions" not in response.json()
    assert "ratelimit" not in response.headers
