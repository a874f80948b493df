"""The request wrapper: in flight while served, timed with the status sent, and one access
line per request, over a real socket (uvicorn) and a real registry."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Mapping
from typing import Any

import httpx
from live_server import live_server
from metrics_scrape import Scrape, parse
from prometheus_client import CollectorRegistry, generate_latest
from starlette.types import Receive, Scope, Send

from gateway.auth.principal import Principal, PrincipalKind
from gateway.engine.types import GraphQLResult, RequestContext
from gateway.observability.access_log import AccessLog
from gateway.observability.metrics import GatewayMetrics
from gateway.observability.observation import (
    ObservedRoute,
    OperationNote,
    RequestRecorder,
    note_results,
    observation_of,
    observe_context,
    observed,
)
from gateway.observability.settings import MetricsSettings

REQUESTS = "ordergate_gateway_requests_duration_seconds_count"


class Held:
    """An ASGI app that answers 201 once ``release`` is set, as a client ``acme`` running
    ``Order`` with cost and an error code."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        context = RequestContext("rid-1", attributes={"transport": "rest"})
        context.principal = Principal(kind=PrincipalKind.API_KEY, client_id="acme")
        observe_context(scope, context)
        observation = observation_of(scope)
        assert observation is not None
        observation.operations.append(OperationNote("Order", "ab" * 32, trusted=False))
        result = GraphQLResult(
            errors=[{"message": "m", "extensions": {"code": "NOT_FOUND"}}],
            extensions={"cost": {"requested": 12, "actual": 3}},
        )
        note_results(scope, [result])
        self.entered.set()
        await self.release.wait()
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})


def _scrape(metrics: GatewayMetrics) -> Scrape:
    return parse(generate_latest(metrics.registry).decode())


def _listed() -> Mapping[str, Any]:
    return {"acme": object()}


async def test_a_request_is_in_flight_then_timed_and_logged() -> None:
    metrics = GatewayMetrics(MetricsSettings(), CollectorRegistry(auto_describe=True))
    stream = io.BytesIO()
    held = Held()
    app = ObservedRoute(held, RequestRecorder(metrics, AccessLog(stream), _listed), transport="x")
    async with live_server(app, lifespan="off") as url, httpx.AsyncClient(base_url=url) as client:
        pending = asyncio.create_task(
            client.post("/graphql?variables=secret-in-the-query", headers={"cookie": "c=secret"})
        )
        await held.entered.wait()
        assert _scrape(metrics).value("ordergate_gateway_inflight_requests") == 1
        assert _scrape(metrics).value(REQUESTS) == 0
        held.release.set()
        response = await pending
    assert response.status_code == 201
    scraped = _scrape(metrics)
    assert scraped.value("ordergate_gateway_inflight_requests") == 0
    assert (
        scraped.value(
            REQUESTS,
            client="acme",
            client_version="none",
            operation="Order",
            transport="rest",  # the context's attribute wins over the route's default
            status_class="2xx",
        )
        == 1
    )
    (line,) = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert line["event"] == "access" and line["logger"] == "gateway.access"
    assert line["request_id"] == "rid-1"
    assert line["client"] == "acme" and line["authenticated"] is True
    assert line["operation"] == "Order" and line["document_hash"] == "ab" * 32
    assert line["status"] == 201 and line["path"] == "/graphql" and line["method"] == "POST"
    assert line["cost"] == {"requested": 12.0, "actual": 3.0}
    assert line["error_codes"] == ["NOT_FOUND"]
    assert b"secret" not in stream.getvalue()
    assert "client_version" not in line and "batch" not in line


async def test_without_a_recorder_nothing_is_wrapped() -> None:
    held = Held()
    assert observed(held, None, "graphql") is held


async def test_the_access_line_carries_the_incoming_trace_id() -> None:
    from gateway.observability.tracing_edge import TraceContextMiddleware

    stream = io.BytesIO()
    held = Held()
    held.release.set()
    recorder = RequestRecorder(None, AccessLog(stream), _listed)
    app = TraceContextMiddleware(ObservedRoute(held, recorder, transport="x"), tracer=None)
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    traceparent = f"00-{trace_id}-00f067aa0ba902b7-01"
    async with live_server(app, lifespan="off") as url, httpx.AsyncClient(base_url=url) as client:
        traced = await client.post("/graphql", headers={"traceparent": traceparent})
        untraced = await client.post("/graphql")
    assert traced.status_code == untraced.status_code == 201
    first, second = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert first["trace_id"] == trace_id
    assert "trace_id" not in second


async def test_a_recorded_request_leaves_no_cycle_holding_its_results() -> None:
    held = Held()
    held.release.set()
    lines = io.BytesIO()
    recorder = RequestRecorder(None, AccessLog(lines), _listed)
    observations: list[Any] = []

    class Remember:
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            await held(scope, receive, send)
            observations.append(observation_of(scope))

    app = ObservedRoute(Remember(), recorder, transport="x")
    async with live_server(app, lifespan="off") as url, httpx.AsyncClient(base_url=url) as client:
        assert (await client.post("/graphql")).status_code == 201
    (observation,) = observations
    # recorded first (the access line has the codes of its results), then released: the
    # context no longer points back at it and its results (the answer) are dropped
    assert json.loads(lines.getvalue())["error_codes"] == ["NOT_FOUND"]
    assert observation.context is None and observation.results == []
