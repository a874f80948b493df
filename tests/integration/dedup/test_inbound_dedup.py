"""Inbound request deduplication over real HTTP: a real gateway (uvicorn, full pipeline) in front
of a real subgraph whose resolvers wait at a gate, so requests overlap deterministically.

The gate opens once every request is known to be in flight (joined to a shared execution, or
arrived at the subgraph when nothing may be shared); no timing is asserted.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from catalog_subgraph import Catalog
from live_server import live_server
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.auth import generate_api_key, hash_api_key
from gateway.pipeline.fetch_headers import HeaderSource, SubgraphHeaders, request_id_source
from gateway.pipeline.inflight import InflightExecutions
from gateway.pipeline.serving import SupergraphPipeline
from gateway.settings import GatewaySettings

ITEM = "query Item($id: ID!) { item(id: $id) { id name } }"
FLAKY = "query Flaky { flaky { id } item(id: 7) { name } }"
RATE = "mutation Rate($id: ID!) { rate(id: $id, stars: 5) { id rating } }"
N = 6


def _write_keys(directory: Path) -> dict[str, str]:
    """Two API keys of two clients; returns client -> key."""
    keys = {client: generate_api_key() for client in ("acme", "beta")}
    entries = [
        {"id": f"{client}-1", "hash": hash_api_key(key), "client_id": client, "scopes": []}
        for client, key in keys.items()
    ]
    import yaml

    (directory / "keys.yaml").write_text(yaml.safe_dump({"keys": entries}))
    return keys


@asynccontextmanager
async def gateway(
    catalog: Catalog, directory: Path, *, deduplicate: bool | None = True, limits: bool = False
) -> AsyncIterator[tuple[httpx.AsyncClient, Starlette]]:
    """The gateway over the catalog (``deduplicate`` None: the default setting); subgraph-call
    sharing is off, so the subgraph counts executions."""
    catalog.calls.reset()
    supergraph = directory / "supergraph.graphql"
    supergraph.write_text(catalog.supergraph)
    http: dict[str, Any] = {"graphiql": False}
    if deduplicate is not None:
        http["deduplicate_inflight"] = deduplicate
    settings = GatewaySettings(
        supergraph_path=supergraph,
        watch_supergraph=False,
        http=http,
        auth={
            "allow_anonymous": True,
            "api_keys": {"file": str(directory / "keys.yaml"), "reload_interval_seconds": 0},
        },
        principal_headers={"mode": "trusted"},
        persisted={"clients_file": str(directory / "clients.yaml"), "watch": False},
        jobs={"enabled": False},
        limits={"enabled": limits},
        # every execution reaches the subgraph: only inbound deduplication can share
        subgraphs={"deduplicate_inflight": False},
    )
    app = create_app(settings)
    async with live_server(app) as url, httpx.AsyncClient(base_url=url, timeout=30) as client:
        yield client, app


def _pipeline(app: Starlette) -> SupergraphPipeline:
    engine = app.state.engine_slot.engine
    assert isinstance(engine, SupergraphPipeline)
    return engine


def _inflight(app: Starlette) -> InflightExecutions:
    """The pipeline's shared executions (the setting is on in this gateway)."""
    inflight = _pipeline(app).inflight
    assert inflight is not None
    return inflight


async def _until(condition: Callable[[], bool]) -> None:
    """Wait until ``condition`` holds (a deadlock guard, not a timing assertion)."""
    for _ in range(2000):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the requests never got in flight together")


async def _overlapping(
    client: httpx.AsyncClient,
    catalog: Catalog,
    bodies: list[dict[str, Any]],
    ready: Callable[[], bool],
    headers: list[Mapping[str, str]] | None = None,
) -> list[httpx.Response]:
    """Send ``bodies`` at once; open the subgraph's gate when ``ready()``; the responses."""
    sent = [
        asyncio.create_task(
            client.post("/graphql", json=body, headers=dict(headers[i]) if headers else None)
        )
        for i, body in enumerate(bodies)
    ]
    await _until(ready)
    catalog.calls.gate.set()
    return list(await asyncio.gather(*sent))


async def test_identical_queries_in_flight_share_one_execution_and_body(
    catalog: Catalog, tmp_path: Path
) -> None:
    _write_keys(tmp_path)
    async with gateway(catalog, tmp_path) as (client, app):
        inflight = _inflight(app)
        body = {"query": ITEM, "variables": {"id": "1"}, "operationName": "Item"}
        responses = await _overlapping(
            client, catalog, [body] * N, lambda: inflight.joined == N - 1
        )
    assert catalog.calls.fields == {"item": 1}
    assert [response.status_code for response in responses] == [200] * N
    assert len({response.content for response in responses}) == 1
    assert responses[0].json() == {"data": {"item": {"id": "1", "name": "item 1"}}}
    request_ids = {response.headers["x-request-id"] for response in responses}
    assert len(request_ids) == N  # every request keeps its own correlation id


async def test_budgets_are_charged_per_request_around_the_shared_execution(
    catalog: Catalog, tmp_path: Path
) -> None:
    _write_keys(tmp_path)
    async with gateway(catalog, tmp_path, limits=True) as (client, app):
        inflight = _inflight(app)
        body = {"query": ITEM, "variables": {"id": "2"}}
        responses = await _overlapping(
            client, catalog, [body] * N, lambda: inflight.joined == N - 1
        )
    assert catalog.calls.fields == {"item": 1}
    payloads = [response.json() for response in responses]
    assert all(payload["data"] == {"item": {"id": "2", "name": "item 2"}} for payload in payloads)
    available = [p["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] for p in payloads]
    assert len(set(available)) == N  # each request paid for itself from the one bucket
    assert all("ratelimit" in response.headers for response in responses)


async def test_errors_and_partial_data_are_shared_identically(
    catalog: Catalog, tmp_path: Path
) -> None:
    _write_keys(tmp_path)
    async with gateway(catalog, tmp_path) as (client, app):
        inflight = _inflight(app)
        responses = await _overlapping(
            client, catalog, [{"query": FLAKY}] * 3, lambda: inflight.joined == 2
        )
    assert catalog.calls.fields == {"flaky": 1, "item": 1}
    payloads = [response.json() for response in responses]
    assert all(payload == payloads[0] for payload in payloads)
    assert payloads[0]["data"] == {"flaky": None, "item": {"name": "item 7"}}
    (error,) = payloads[0]["errors"]
    assert error["path"] == ["flaky"]
    # the id of the request whose execution produced the error, as for an idempotent replay
    assert error["extensions"]["requestId"] in {r.headers["x-request-id"] for r in responses}


async def test_different_variables_or_principals_are_executed_separately(
    catalog: Catalog, tmp_path: Path
) -> None:
    keys = _write_keys(tmp_path)
    async with gateway(catalog, tmp_path) as (client, _):
        bodies = [{"query": ITEM, "variables": {"id": str(i)}} for i in range(3)]
        by_variables = await _overlapping(
            client, catalog, bodies, lambda: catalog.calls.total() == 3
        )
        assert sorted(r.json()["data"]["item"]["id"] for r in by_variables) == ["0", "1", "2"]

        catalog.calls.reset()
        same = {"query": ITEM, "variables": {"id": "1"}}
        callers = [{}, {"x-api-key": keys["acme"]}, {"x-api-key": keys["beta"]}]
        by_principal = await _overlapping(
            client, catalog, [same] * 3, lambda: catalog.calls.total() == 3, callers
        )
    assert [response.status_code for response in by_principal] == [200] * 3
    principals = {principal for principal, _ in catalog.calls.headers}
    assert len(principals) == 3  # each execution carried its own caller to the subgraph


async def test_a_forwarded_header_that_varies_the_answer_splits_executions(
    catalog: Catalog, tmp_path: Path
) -> None:
    _write_keys(tmp_path)
    async with gateway(catalog, tmp_path) as (client, app):
        tenant = HeaderSource("x-tenant", lambda context: context.headers.get("x-tenant"), True)
        _pipeline(app).subgraph_headers = SubgraphHeaders([request_id_source(), tenant])
        same = {"query": ITEM, "variables": {"id": "1"}}
        tenants = [{"x-tenant": "a"}, {"x-tenant": "b"}, {"x-tenant": "a"}]
        inflight = _inflight(app)
        responses = await _overlapping(
            client,
            catalog,
            [same] * 3,
            lambda: catalog.calls.total() == 2 and inflight.joined == 1,
            tenants,
        )
    assert [response.status_code for response in responses] == [200] * 3
    assert sorted(header for _, header in catalog.calls.headers) == ["a", "b"]


async def test_mutations_are_never_shared(catalog: Catalog, tmp_path: Path) -> None:
    keys = _write_keys(tmp_path)
    async with gateway(catalog, tmp_path) as (client, app):
        client.headers["x-api-key"] = keys["acme"]  # no mutation runs anonymously
        body = {"query": RATE, "variables": {"id": "1"}}
        responses = await _overlapping(
            client, catalog, [body] * 3, lambda: catalog.calls.total() == 3
        )
        inflight = _pipeline(app).inflight
        assert inflight is not None and inflight.started == 0
    assert catalog.calls.fields == {"rate": 3}
    assert all(r.json()["data"]["rate"]["rating"] == 5 for r in responses)


@pytest.mark.parametrize("deduplicate", [None, False])
async def test_off_by_default_every_request_executes(
    catalog: Catalog, tmp_path: Path, deduplicate: bool | None
) -> None:
    _write_keys(tmp_path)
    async with gateway(catalog, tmp_path, deduplicate=deduplicate) as (client, app):
        assert _pipeline(app).inflight is None
        body = {"query": ITEM, "variables": {"id": "1"}}
        responses = await _overlapping(
            client, catalog, [body] * 3, lambda: catalog.calls.total() == 3
        )
    assert catalog.calls.fields == {"item": 3}
    assert len({response.content for response in responses}) == 1


async def test_the_first_client_going_away_does_not_fail_the_others(
    catalog: Catalog, tmp_path: Path
) -> None:
    _write_keys(tmp_path)
    async with gateway(catalog, tmp_path) as (client, app):
        inflight = _inflight(app)
        body = {"query": ITEM, "variables": {"id": "9"}}
        async with httpx.AsyncClient(base_url=str(client.base_url), timeout=30) as leaving:
            first = asyncio.create_task(leaving.post("/graphql", json=body))
            await _until(lambda: catalog.calls.total() == 1)
            others = [asyncio.create_task(client.post("/graphql", json=body)) for _ in range(3)]
            await _until(lambda: inflight.joined == 3)
            first.cancel()  # the first client closes its connection
            with pytest.raises(asyncio.CancelledError):
                await first
        catalog.calls.gate.set()
        responses = await asyncio.gather(*others)
    assert catalog.calls.fields == {"item": 1}
    assert all(r.json() == {"data": {"item": {"id": "9", "name": "item 9"}}} for r in responses)
