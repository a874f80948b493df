"""The HTTP edge: GraphQL over HTTP, errors, limits, GraphiQL, correlation ids, health."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import orjson
import pytest
from live_server import live_server
from local_engine import DEFAULT_SDL, LocalEngine

from gateway.app import create_app
from gateway.settings import GatewaySettings, HttpSettings


@pytest.fixture
def supergraph_file(tmp_path: Path) -> Path:
    path = tmp_path / "supergraph.graphql"
    path.write_text(DEFAULT_SDL)
    return path


def _settings(path: Path, **http: object) -> GatewaySettings:
    return GatewaySettings(
        supergraph_path=path,
        watch_supergraph=False,
        http=HttpSettings(**http),  # type: ignore[arg-type]
    )


@pytest.fixture
async def client(supergraph_file: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = _settings(supergraph_file, max_request_bytes=2048, max_batch_size=3)
    async with _serve(create_app(settings, LocalEngine)) as test_client:
        yield test_client


def _serve(app: object) -> _Served:
    return _Served(app)


class _Served:
    """``async with`` a live server and an httpx client pointed at it."""

    def __init__(self, app: object) -> None:
        self._server = live_server(app)  # type: ignore[arg-type]
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> httpx.AsyncClient:
        base_url = await self._server.__aenter__()
        self._client = httpx.AsyncClient(base_url=base_url)
        return self._client

    async def __aexit__(self, *exc: object) -> None:
        assert self._client is not None
        await self._client.aclose()
        await self._server.__aexit__(None, None, None)


async def test_post_runs_a_query_and_echoes_a_generated_request_id(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/graphql", json={"query": '{ hello(name: "gateway") }'})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == {"data": {"hello": "hello gateway"}}
    assert len(response.headers["x-request-id"]) == 32


async def test_variables_and_operation_name_are_used(client: httpx.AsyncClient) -> None:
    body = {
        "query": "query A($n: String) { hello(name: $n) } query B { hello }",
        "operationName": "A",
        "variables": {"n": "vars"},
    }
    assert (await client.post("/graphql", json=body)).json() == {"data": {"hello": "hello vars"}}


async def test_a_given_request_id_is_echoed_and_put_on_every_error(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ nope }"}, headers={"X-Request-ID": "abc-123"}
    )
    assert response.headers["x-request-id"] == "abc-123"
    assert response.json()["errors"][0]["extensions"]["requestId"] == "abc-123"
    again = await client.post(
        "/graphql", json={"query": "{ nope }"}, headers={"X-Request-ID": "def-456"}
    )
    assert again.json()["errors"][0]["extensions"]["requestId"] == "def-456"


async def test_an_unsafe_request_id_is_replaced(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ hello }"}, headers={"X-Request-ID": "bad id; drop table"}
    )
    assert response.headers["x-request-id"] != "bad id; drop table"
    assert len(response.headers["x-request-id"]) == 32


async def test_request_headers_reach_the_engine(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json={"query": '{ echoHeader(name: "x-partner") }'},
        headers={"X-Partner": "acme"},
    )
    assert response.json() == {"data": {"echoHeader": "acme"}}


async def test_graphql_response_json_is_negotiated(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "{ hello }"},
        headers={"Accept": "application/graphql-response+json, application/json;q=0.9"},
    )
    assert response.headers["content-type"].startswith("application/graphql-response+json")


async def test_an_unacceptable_accept_header_is_406(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ hello }"}, headers={"Accept": "text/csv"}
    )
    assert response.status_code == 406
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_ACCEPTABLE"


PREFLIGHTED = {"apollo-require-preflight": "true"}


async def test_get_runs_queries(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{ hello }"}, headers=PREFLIGHTED)
    assert response.status_code == 200
    assert response.json() == {"data": {"hello": "hello world"}}


async def test_a_get_a_browser_could_send_cross_origin_is_refused(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/graphql", params={"query": "{ hello }"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "CSRF_PREFLIGHT_REQUIRED"
    named = await client.get(
        "/graphql", params={"query": "{ hello }"}, headers={"x-apollo-operation-name": "Hello"}
    )
    assert named.status_code == 200


async def test_get_refuses_mutations_with_405(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql", params={"query": "mutation { bump }"}, headers=PREFLIGHTED
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert "data" not in response.json()


@pytest.mark.parametrize(
    ("query", "code"),
    [("{ hello ", "GRAPHQL_PARSE_FAILED"), ("{ missing }", "GRAPHQL_VALIDATION_FAILED")],
)
async def test_documents_that_cannot_run_are_400_without_data(
    client: httpx.AsyncClient, query: str, code: str
) -> None:
    response = await client.post("/graphql", json={"query": query})
    assert response.status_code == 400
    payload = response.json()
    assert "data" not in payload
    assert payload["errors"][0]["extensions"]["code"] == code
    assert payload["errors"][0]["message"]


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'"a string"', b'{"query": 1}', b'{"query": "{ hello }", "variables": [1]}'],
)
async def test_malformed_bodies_are_400(client: httpx.AsyncClient, body: bytes) -> None:
    response = await client.post(
        "/graphql", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_simple_posts_are_refused_before_anything_runs(client: httpx.AsyncClient) -> None:
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        response = await client.post(
            "/graphql", content=b"mutation { bump }", headers={"Content-Type": content_type}
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "CSRF_PREFLIGHT_REQUIRED"
    assert (await client.post("/graphql", json={"query": "mutation { bump }"})).json() == {
        "data": {"bump": 1}
    }


async def test_non_json_posts_are_415(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content=b"{ hello }", headers={"Content-Type": "text/plain", **PREFLIGHTED}
    )
    assert response.status_code == 415


async def test_bodies_over_the_limit_are_413(client: httpx.AsyncClient) -> None:
    padding = "x" * 3000
    response = await client.post(
        "/graphql", json={"query": "{ hello }", "extensions": {"p": padding}}
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_streamed_bodies_over_the_limit_are_413(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ hello }", "extensions": {"p": "'
        for _ in range(10):
            yield b"x" * 500
        yield b'"}}'

    response = await client.post(
        "/graphql", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


async def test_batches_run_every_entry(client: httpx.AsyncClient) -> None:
    batch = [{"query": "mutation { bump }"}, {"query": "mutation { bump }"}, {"query": "{ nope }"}]
    response = await client.post("/graphql", json=batch)
    assert response.status_code == 200
    first, second, third = response.json()
    assert first == {"data": {"bump": 1}}
    assert second == {"data": {"bump": 2}}
    assert third["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_batches_above_the_limit_are_refused_before_running(
    client: httpx.AsyncClient,
) -> None:
    batch = [{"query": "mutation { bump }"}] * 4
    response = await client.post("/graphql", json=batch)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BATCH_LIMIT_EXCEEDED"
    assert (await client.post("/graphql", json={"query": "mutation { bump }"})).json() == {
        "data": {"bump": 1}
    }


async def test_other_methods_are_405(client: httpx.AsyncClient) -> None:
    response = await client.put("/graphql", json={"query": "{ hello }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


async def test_browsers_get_graphiql(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html,application/xhtml+xml"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="graphiql-settings"' in response.text
    assert "/assets/graphiql.min.js?v=" in response.text
    assert "unpkg" not in response.text and "https://" not in response.text


async def test_graphiql_can_be_switched_off(supergraph_file: Path) -> None:
    app = create_app(_settings(supergraph_file, graphiql=False), LocalEngine)
    async with _serve(app) as test_client:
        response = await test_client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 406
    assert "GraphiQL" not in response.text


async def test_unexpected_engine_failures_are_masked(supergraph_file: Path) -> None:
    class Broken(LocalEngine):
        async def execute(self, request, context):  # type: ignore[no-untyped-def]
            raise RuntimeError("secret internals at /srv/app.py line 3")

    app = create_app(_settings(supergraph_file), Broken)
    async with _serve(app) as test_client:
        response = await test_client.post("/graphql", json={"query": "{ hello }"})
    assert response.status_code == 500
    assert response.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "secret" not in response.text


async def test_health_and_ready(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


async def test_ready_is_503_when_a_subgraph_is_unreachable(supergraph_file: Path) -> None:
    class WithSubgraph(LocalEngine):
        def __init__(self, sdl: str) -> None:
            super().__init__(sdl)
            self.subgraph_urls = {"orders": "http://127.0.0.1:9/graphql"}

    app = create_app(_settings(supergraph_file), WithSubgraph)
    async with _serve(app) as test_client:
        ready = await test_client.get("/ready")
    assert ready.status_code == 503
    assert ready.json()["subgraphs"]["orders"].startswith("unreachable")


async def test_error_bodies_are_the_spec_shape(client: httpx.AsyncClient) -> None:
    raw = await client.post("/graphql", content=b"[]", headers={"Content-Type": "application/json"})
    payload = orjson.loads(raw.content)
    assert set(payload) == {"errors"}
    assert set(payload["errors"][0]) == {"message", "extensions"}
