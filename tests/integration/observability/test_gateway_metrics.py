"""``GET /metrics`` of a real gateway in front of the four real subgraphs: requests over HTTP,
then a scrape shows that the series moved (docs/observability.md "Metrics")."""

from __future__ import annotations

import socket
from pathlib import Path

from metrics_scrape import scrape
from order_stack import create_order_input, order_inputs
from stack_gateway import OPEN_CLIENTS, Deployment, serve_gateway

ORDERS = """
query RecentOrders {
  orders(first: 2) { edges { node { number lines { sku product { name description } } } } }
}"""

CREATE_ORDER = """
mutation CreateOrder($input: CreateOrderInput!) { createOrder(input: $input) { id number } }"""

#: the deployment's writer key is a listed client: its id is a label value
LISTED_WRITER = OPEN_CLIENTS + "clients:\n  test-writer: {mode: allow-all}\n"

REQUESTS = "ordergate_gateway_requests_duration_seconds_count"
FETCHES = "ordergate_gateway_subgraph_fetch_duration_seconds_count"


def _listed_clients(directory: Path) -> Path:
    path = directory / "listed-clients.yaml"
    path.write_text(LISTED_WRITER, encoding="utf-8")
    return path


async def test_refusals_are_4xx_counted_by_their_code(deployment: Deployment) -> None:
    async with serve_gateway(deployment.settings()) as (client, _):
        refused = await client.post(
            "/graphql", json={"query": ORDERS}, headers={"x-api-key": "og_not-a-key"}
        )
        too_large = await client.post(
            "/graphql",
            json={"query": "{ orders(first: 101) { totalCount } }"},
            headers=deployment.writer,
        )
        metrics = await scrape(client)
    assert refused.status_code == 401
    code = refused.json()["errors"][0]["extensions"]["code"]
    rejections = "ordergate_gateway_rejections_total"
    assert metrics.value(rejections, code=code) == 1
    assert metrics.value(REQUESTS, status_class="4xx", client="anonymous", transport="graphql") == 1
    # refused by the page-size stage, before any subgraph call
    assert too_large.status_code == 400
    assert metrics.value(rejections, code="PAGE_SIZE_EXCEEDED") == 1
    assert metrics.value(REQUESTS, status_class="4xx", client="other", operation="unnamed") == 1
    assert metrics.value(rejections) == 2
    assert metrics.value(REQUESTS, status_class="2xx") == 0
    assert metrics.value(FETCHES) == 0


async def test_queries_move_fetches_plan_cache_cost_and_the_request_histogram(
    deployment: Deployment,
) -> None:
    headers = {**deployment.writer, "apollographql-client-version": "7.1.0"}
    clients = _listed_clients(deployment.directory)
    settings = deployment.settings(persisted={"clients_file": str(clients)})
    async with serve_gateway(settings, headers) as (client, _):
        before = await scrape(client)
        first = await client.post("/graphql", json={"query": ORDERS})
        second = await client.post("/graphql", json={"query": ORDERS})
        metrics = await scrape(client)
    assert first.status_code == second.status_code == 200
    assert "errors" not in second.json(), second.json()
    assert before.value(REQUESTS) == 0
    assert (
        metrics.value(
            REQUESTS,
            client="test-writer",
            client_version="7.1.0",
            operation="RecentOrders",
            transport="graphql",
            status_class="2xx",
        )
        == 2
    )
    # the first plan is built, the second found in the cache
    assert metrics.value("ordergate_gateway_plan_cache_total", result="miss") == 1
    assert metrics.value("ordergate_gateway_plan_cache_total", result="hit") == 1
    # one histogram per subgraph: orders answers the root field, inventory the products
    assert metrics.value(FETCHES, subgraph="orders", status="ok") == 2
    assert metrics.value(FETCHES, subgraph="inventory", status="ok") == 2
    assert metrics.value(FETCHES, subgraph="payments") == 0
    assert metrics.value("ordergate_gateway_operation_cost_count", kind="estimated") == 2
    assert metrics.value("ordergate_gateway_operation_cost_count", kind="actual") == 2
    assert metrics.value("ordergate_gateway_operation_cost_sum", kind="estimated") > 0
    assert metrics.value("ordergate_gateway_inflight_requests") == 0  # all answered
    assert metrics.value("ordergate_gateway_rejections_total") == 0


async def test_an_idempotent_replay_is_counted(deployment: Deployment) -> None:
    customers, skus = await order_inputs(deployment.stack.database_urls)
    body = {
        "query": CREATE_ORDER,
        "variables": {"input": create_order_input(customers[0], skus[:1])},
    }
    key = {"idempotency-key": '"metrics-0001"'}
    async with serve_gateway(deployment.settings(), deployment.writer) as (client, _):
        first = await client.post("/graphql", json=body, headers=key)
        replay = await client.post("/graphql", json=body, headers=key)
        metrics = await scrape(client)
    assert "errors" not in first.json(), first.json()
    assert replay.headers["idempotent-replayed"] == "true"
    assert metrics.value("ordergate_gateway_idempotency_replays_total") == 1
    assert metrics.value("ordergate_gateway_rejections_total") == 0
    # a client the clients file does not list is "other"
    assert metrics.value(REQUESTS, operation="CreateOrder", client="other") == 2


def _closed_port_url() -> str:
    with socket.socket() as sock:  # bound to an ephemeral port, then closed: nobody listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/graphql"


async def test_an_unreachable_subgraph_opens_its_circuit(deployment: Deployment) -> None:
    settings = deployment.settings(
        subgraphs={
            "urls": {"inventory": _closed_port_url()},
            "circuit_breaker": {"failure_threshold": 1, "open_seconds": 60},
        }
    )
    async with serve_gateway(settings, deployment.writer) as (client, _):
        failed = await client.post("/graphql", json={"query": ORDERS})
        fast = await client.post("/graphql", json={"query": ORDERS})
        metrics = await scrape(client)
    assert failed.status_code == fast.status_code == 200
    codes = {error["extensions"]["code"] for error in fast.json()["errors"]}
    assert "SUBGRAPH_CIRCUIT_OPEN" in codes
    assert metrics.value("ordergate_gateway_subgraph_circuit_state", subgraph="inventory") == 2
    assert metrics.value(FETCHES, subgraph="inventory", status="connection_error") == 1
    assert metrics.value(FETCHES, subgraph="inventory", status="circuit_open") == 1
    assert metrics.value(FETCHES, subgraph="orders", status="ok") == 2
    assert metrics.series("ordergate_gateway_subgraph_circuit_state") == [{"subgraph": "inventory"}]


async def test_jobs_and_batches_have_their_own_labels(deployment: Deployment) -> None:
    csv = "legacy_erp_id,email,name\nERP-M-1,metrics.one@example.com,Metrics One\n"
    async with serve_gateway(deployment.settings(), deployment.writer) as (client, _):
        accepted = await client.post(
            "/jobs/imports/customers", content=csv, headers={"content-type": "text/csv"}
        )
        anonymous = await client.post(
            "/jobs/imports/customers",
            content=csv,
            headers={"content-type": "text/csv", "x-api-key": "og_wrong"},
        )
        batch = await client.post(
            "/graphql", json=[{"query": "query A { __typename }"}, {"query": "{ __typename }"}]
        )
        metrics = await scrape(client)
    assert accepted.status_code == 202
    assert anonymous.status_code == 401
    assert batch.status_code == 200 and len(batch.json()) == 2
    assert metrics.value(REQUESTS, transport="jobs", status_class="2xx", client="other") == 1
    assert metrics.value(REQUESTS, transport="jobs", status_class="4xx", client="anonymous") == 1
    assert metrics.value("ordergate_gateway_rejections_total", code="INVALID_API_KEY") == 1
    assert metrics.value(REQUESTS, transport="graphql", operation="batch") == 1
