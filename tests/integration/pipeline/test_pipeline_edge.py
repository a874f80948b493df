"""The edge of the pipeline: correlation ids reach every subgraph; every error is a contract."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pipeline_support import Credentials, Subgraphs, apq, gateway_settings, serve, write_clients

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_the_request_id_reaches_every_subgraph_fetch(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    settings = gateway_settings(tmp_path, subgraphs.urls, auth=credentials.auth_settings())
    query = {"query": '{ order(id: "o1") { number payments { id } } }'}
    headers = credentials.bearer(scopes="payments:read")
    log = subgraphs.log
    async with serve(settings) as (client, _):
        given = await client.post(
            "/graphql", json=query, headers={**headers, "X-Request-ID": "r-42"}
        )
        forwarded = (log.request_ids["orders"][-1], log.request_ids["payments"][-1])
        generated = await client.post("/graphql", json=query, headers=headers)
    assert given.json()["data"] == {"order": {"number": "SO-1", "payments": [{"id": "p1"}]}}
    assert given.headers["x-request-id"] == "r-42"
    assert forwarded == ("r-42", "r-42")
    request_id = generated.headers["x-request-id"]
    assert len(request_id) == 32
    assert log.request_ids["orders"][-1] == log.request_ids["payments"][-1] == request_id


async def test_every_error_has_a_code_a_message_and_the_request_id(
    subgraphs: Subgraphs, tmp_path: Path
) -> None:
    settings = gateway_settings(tmp_path, subgraphs.urls)
    batch = [
        {"query": "{ order(id: "},
        {"query": "{ nope }"},
        {"query": "{ nope }"},  # the same failure, cached: it must carry this request's id too
        {"extensions": apq('{ order(id: "o9") { id } }')},
        {"query": '{ boom order(id: "o1") { number internalNotes } }'},
        {"query": "query Q($id: ID!) { order(id: $id) { id } }", "variables": {"id": [1]}},
    ]
    async with serve(settings) as (client, _):
        first = await client.post("/graphql", json=batch, headers={"X-Request-ID": "batch-1"})
        second = await client.post("/graphql", json=batch[1], headers={"X-Request-ID": "again-2"})
    codes = []
    for entry in first.json():
        for error in entry["errors"]:
            assert error["message"]
            assert error["extensions"]["requestId"] == "batch-1"
        codes.append([error["extensions"]["code"] for error in entry["errors"]])
    assert codes == [
        ["GRAPHQL_PARSE_FAILED"],
        ["GRAPHQL_VALIDATION_FAILED"],
        ["GRAPHQL_VALIDATION_FAILED"],
        ["PERSISTED_QUERY_NOT_FOUND"],
        ["BOOM", "UNAUTHORIZED_FIELD_OR_TYPE"],
        ["BAD_USER_INPUT"],
    ]
    field_errors = first.json()[4]["errors"]
    assert [error["path"] for error in field_errors] == [["boom"], ["order", "internalNotes"]]
    assert second.json()["errors"][0]["extensions"]["requestId"] == "again-2"


async def test_a_reloaded_supergraph_keeps_budgets_and_registered_documents(
    subgraphs: Subgraphs, credentials: Credentials, tmp_path: Path
) -> None:
    write_clients(tmp_path)
    settings = gateway_settings(
        tmp_path, subgraphs.urls, watch_supergraph=True, auth=credentials.auth_settings()
    )
    beta = credentials.bearer("beta", client_id="beta")
    query = 'query Reloaded { order(id: "o1") { number } }'
    async with serve(settings) as (client, app):
        slot = app.state.engine_slot
        first = slot.engine
        registered = await client.post(
            "/graphql", json={"query": query, "extensions": apq(query)}, headers=beta
        )
        ready = await client.get("/ready")
        settings.supergraph_path.write_text(settings.supergraph_path.read_text() + "\n# reloaded\n")
        for _ in range(400):
            if slot.engine is not first:
                break
            await asyncio.sleep(0.025)
        assert slot.engine is not first
        by_hash = await client.post("/graphql", json={"extensions": apq(query)}, headers=beta)
    assert ready.status_code == 200
    assert ready.json()["subgraphs"] == {"orders": "ok", "payments": "ok"}
    assert by_hash.json()["data"] == {"order": {"number": "SO-1"}}
    before = registered.json()["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]
    after = by_hash.json()["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]
    assert (before, after) == (99, 98)  # one bucket of 100 across the reload; an order costs 1
