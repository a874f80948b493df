"""No subgraph internals reach a client (ADR 0206), over real HTTP end to end.

A real Strawberry subgraph answers errors whose *message* holds a Python traceback, file paths,
a PostgreSQL connection string and host names; the real gateway (uvicorn, full pipeline) must
replace those messages by a generic one naming the request id, keep code, path and
``serviceName``, and log the original under the request id. Allow-listed codes pass; the
development opt-out (``subgraphs.expose_errors``) passes everything. Failed calls (refused
connection, unknown host, timeout) never show a URL, host or port, on either transport.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from faulty_subgraphs import LEAKY_MESSAGE, SECRETS, FaultyDeployment, faulty_deployment
from live_server import live_server
from structlog.testing import capture_logs

from gateway.app import create_app
from gateway.engine.core import EngineOptions, build_engine
from gateway.engine.types import GraphQLRequest, RequestContext
from gateway.pipeline import SupergraphPipeline
from gateway.settings import GatewaySettings

LEAKS = """{
  a: leak(kind: "internal") b: leak(kind: "unknown-code") c: leak(kind: "no-code")
  d: leak(kind: "not-found") e: leak(kind: "conflict") entry(id: 1) { amount }
}"""


@asynccontextmanager
async def gateway(
    deployment: FaultyDeployment, directory: Path, **subgraphs: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """The real gateway app over the deployment, served on a loopback port."""
    supergraph = directory / "supergraph.graphql"
    supergraph.write_text(deployment.supergraph)
    settings = GatewaySettings(
        supergraph_path=supergraph,
        watch_supergraph=False,
        http={"graphiql": False},
        persisted={"clients_file": str(directory / "clients.yaml"), "watch": False},
        jobs={"enabled": False},
        subgraphs=subgraphs,
    )
    app = create_app(settings)
    async with live_server(app) as url, httpx.AsyncClient(base_url=url, timeout=30) as client:
        yield client


def _by_path(errors: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {error["path"][0]: error for error in errors}


async def test_internal_messages_are_replaced_and_logged_with_the_request_id(
    tmp_path: Path,
) -> None:
    async with faulty_deployment() as deployment, gateway(deployment, tmp_path) as client:
        with capture_logs() as logs:
            response = await client.post(
                "/graphql", json={"query": LEAKS}, headers={"x-request-id": "req-leak-1"}
            )
    assert response.status_code == 200
    for secret in SECRETS:
        assert secret not in response.text
    body = response.json()
    assert body["data"]["entry"] == {"amount": 10}  # the rest of the data is there
    errors = _by_path(body["errors"])
    assert set(errors) == {"a", "b", "c", "d", "e"}
    masked = "Internal error in subgraph ledger; reference req-leak-1"
    for name, code in (
        ("a", "INTERNAL_SERVER_ERROR"),
        ("b", "DB_POOL_EXHAUSTED"),  # an unknown code is kept, its message is not
        ("c", "DOWNSTREAM_SERVICE_ERROR"),  # no code at all
    ):
        assert errors[name]["message"] == masked
        assert errors[name]["path"] == [name]
        assert errors[name]["extensions"] == {
            "code": code,
            "serviceName": "ledger",
            "requestId": "req-leak-1",
        }
    # client-facing codes pass as the subgraph wrote them, details included
    assert errors["d"]["message"] == "entry 42 does not exist"
    assert errors["d"]["extensions"]["code"] == "NOT_FOUND"
    assert errors["e"]["message"].startswith("entry was modified concurrently")
    assert errors["e"]["extensions"]["expectedVersion"] == 3
    # the originals are in the gateway's log, under the request id and the subgraph
    originals = [entry for entry in logs if entry["event"] == "subgraph error masked"]
    assert len(originals) == 3
    for entry in originals:
        assert entry["request_id"] == "req-leak-1"
        assert entry["subgraph"] == "ledger"
        assert entry["original_message"] == LEAKY_MESSAGE
    assert {entry["code"] for entry in originals} == {
        "INTERNAL_SERVER_ERROR",
        "DB_POOL_EXHAUSTED",
        "DOWNSTREAM_SERVICE_ERROR",
    }


async def test_the_allow_list_is_configurable(tmp_path: Path) -> None:
    async with (
        faulty_deployment() as deployment,
        gateway(deployment, tmp_path, passthrough_error_codes=["DB_POOL_EXHAUSTED"]) as client,
    ):
        response = await client.post(
            "/graphql", json={"query": LEAKS}, headers={"x-request-id": "req-2"}
        )
    errors = _by_path(response.json()["errors"])
    assert errors["b"]["message"] == LEAKY_MESSAGE
    # NOT_FOUND is no longer on the list: masked like the rest
    assert errors["d"]["message"] == "Internal error in subgraph ledger; reference req-2"
    assert errors["a"]["message"] == "Internal error in subgraph ledger; reference req-2"


async def test_development_opt_out_passes_every_message(tmp_path: Path) -> None:
    async with (
        faulty_deployment() as deployment,
        gateway(deployment, tmp_path, expose_errors=True) as client,
    ):
        response = await client.post("/graphql", json={"query": LEAKS})
    errors = _by_path(response.json()["errors"])
    for name in ("a", "b", "c"):
        assert errors[name]["message"] == LEAKY_MESSAGE
    assert errors["d"]["message"] == "entry 42 does not exist"


def _closed_port_url() -> str:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/graphql"


@pytest.mark.parametrize("transport", ["aiohttp", "lean"])
@pytest.mark.parametrize("failure", ["refused", "unknown-host", "timeout"])
async def test_failed_calls_show_no_url_host_or_port(transport: str, failure: str) -> None:
    async with faulty_deployment() as deployment:
        url = {
            "refused": _closed_port_url(),
            "unknown-host": "http://ledger-db-7.invalid:6543/graphql",
            "timeout": deployment.fronts["ledger"].url,
        }[failure]
        deployment.fronts["ledger"].always = "hang"
        engine = build_engine(
            deployment.supergraph,
            EngineOptions(
                subgraph_urls={"ledger": url},
                subgraph_transport=transport,  # type: ignore[arg-type]
                subgraph_timeout=0.5,
            ),
        )
        try:
            with capture_logs() as logs:
                result = await SupergraphPipeline(engine).execute(
                    GraphQLRequest(query="{ note(id: 1) { text } entry(id: 1) { amount } }"),
                    RequestContext("req-3"),
                )
        finally:
            await engine.aclose()
    assert result.data == {"note": {"text": "note 1"}, "entry": None}
    assert result.errors is not None
    [error] = result.errors
    assert error["message"] == "Could not fetch from subgraph ledger"
    assert error["extensions"]["serviceName"] == "ledger"
    shown = str(result.errors)
    for fragment in (url, url.split("/")[2], url.split(":")[2].split("/")[0], "127.0.0.1"):
        assert fragment not in shown
    # the operator finds the detail in the log, under the request id
    failed = [entry for entry in logs if entry["event"] == "subgraph fetch failed"]
    assert failed
    assert all(entry["request_id"] == "req-3" for entry in failed)
    if failure != "timeout":
        assert url in failed[-1]["detail"]
