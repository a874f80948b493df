"""Tracing through the real gateway and the four real subgraphs over HTTP, exported by
OTLP/HTTP to a real receiver that decodes the protobuf export requests.

On: one trace across the gateway's and every subgraph's spans, the incoming traceparent's trace
id kept, the subgraph server spans children of the gateway's fetch spans, spans for parse,
validate, plan, the stage hooks and each fetch (a retried fetch shows its attempts).
Off (the default): nothing exported; no traceparent is added to subgraph fetches, and one that
came in is passed on unchanged.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from header_recorder import RecordingProxy
from live_server import live_server
from order_stack import OrderStack, serve_stack
from otlp_receiver import OtlpReceiver, ReceivedSpan, otlp_receiver
from stack_gateway import Deployment, serve_gateway

#: crosses all four subgraphs: orders, inventory (entity jump), payments (@requires), shipments
QUERY = """
{ customers(first: 1) { edges { node { name orders(first: 2) { edges { node {
    number status total { amount currency }
    lines { sku quantity product { name availableQuantity } }
    payments { status }
    balanceDue { amount currency }
    shipments { carrier status } } } } } } } }
"""
INCOMING_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
INCOMING_PARENT = "00f067aa0ba902b7"
INCOMING = f"00-{INCOMING_TRACE}-{INCOMING_PARENT}-01"
SUBGRAPHS = ("orders", "inventory", "payments", "shipments")
SERVER, CLIENT = 2, 3  # OTLP span kinds


@asynccontextmanager
async def traced_stack(
    databases: dict[str, str], receiver: OtlpReceiver | None
) -> AsyncIterator[OrderStack]:
    """The four subgraphs, exporting to ``receiver`` (``None``: default settings)."""
    extra: dict[str, Any] = {}
    if receiver is not None:
        extra["tracing"] = {"enabled": True, "endpoint": receiver.endpoint}
    async with serve_stack(databases, **extra) as stack:
        yield stack


def ancestors(span: ReceivedSpan, spans: dict[str, ReceivedSpan]) -> list[ReceivedSpan]:
    """The span's parents up to the root (within what was received)."""
    found = []
    while span.parent_span_id in spans:
        span = spans[span.parent_span_id]
        found.append(span)
    return found


async def test_one_trace_across_the_gateway_and_the_four_subgraphs(
    stack_databases: dict[str, str], tmp_path: Path
) -> None:
    async with otlp_receiver() as receiver, traced_stack(stack_databases, receiver) as stack:
        deployment = Deployment("traced", stack, tmp_path)
        tracing = {"enabled": True, "endpoint": receiver.endpoint}
        settings = deployment.settings(observability={"tracing": tracing})
        async with serve_gateway(settings, deployment.writer) as (client, _):
            response = await client.post(
                "/graphql",
                json={"query": QUERY},
                headers={"traceparent": INCOMING, "tracestate": "vendor=opaque"},
            )
        # every app has shut down: its provider flushed what it had
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    assert body["data"]["customers"]["edges"], body
    assert body["extensions"]["traceId"] == INCOMING_TRACE

    spans = receiver.spans
    assert {span.trace_id for span in spans} == {INCOMING_TRACE}
    assert {span.service for span in spans} == {
        "ordergate-gateway",
        *(f"ordergate-{name}" for name in SUBGRAPHS),
    }
    by_id = receiver.by_id()
    (server,) = [s for s in spans if s.service == "ordergate-gateway" and s.kind == SERVER]
    assert server.name == "POST /graphql"
    assert server.parent_span_id == INCOMING_PARENT
    assert server.attributes["http.response.status_code"] == 200

    (operation,) = [s for s in spans if s.name == "query"]
    assert operation.parent_span_id == server.span_id
    assert operation.attributes["graphql.operation.type"] == "query"
    for step in ("graphql.parse", "graphql.validate", "graphql.plan", "graphql.execute"):
        (found,) = receiver.named(step)
        assert operation in ancestors(found, by_id), step
    (plan,) = receiver.named("graphql.plan")
    assert plan.attributes["ordergate.plan.cached"] is False

    stage_spans = {s.name for s in spans if s.name.startswith("stage ")}
    assert {
        "stage authentication request",
        "stage persisted-documents document",
        "stage variables operation",
        "stage authorization operation",
        "stage errors response",
    } <= stage_spans
    (authentication,) = receiver.named("stage authentication request")
    assert authentication.parent_span_id == server.span_id

    (execute,) = receiver.named("graphql.execute")
    fetches = [s for s in spans if s.kind == CLIENT]
    assert {s.attributes["ordergate.subgraph"] for s in fetches} == set(SUBGRAPHS)
    for fetch in fetches:
        assert fetch.name == f"fetch {fetch.attributes['ordergate.subgraph']}"
        assert fetch.attributes["http.response.status_code"] == 200
        assert "http.request.resend_count" not in fetch.attributes
        assert execute in ancestors(fetch, by_id)
    for name in SUBGRAPHS:
        served = [s for s in spans if s.service == f"ordergate-{name}"]
        assert served, name
        for span in served:  # each subgraph request continues the fetch that made it
            parent = by_id[span.parent_span_id]
            assert parent.kind == CLIENT and parent.attributes["ordergate.subgraph"] == name
            assert span.kind == SERVER and span.attributes["http.response.status_code"] == 200
    assert len([s for s in spans if s.service != "ordergate-gateway"]) == len(fetches)


async def test_a_retried_fetch_shows_each_attempt_and_a_new_trace_starts_without_traceparent(
    stack_databases: dict[str, str], tmp_path: Path
) -> None:
    async with otlp_receiver() as receiver, traced_stack(stack_databases, receiver) as stack:
        proxy = RecordingProxy(stack.url("orders"), fail_first=1)
        async with live_server(proxy.app()) as proxied:
            deployment = Deployment("retried", stack, tmp_path)
            tracing = {"enabled": True, "endpoint": receiver.endpoint}
            settings = deployment.settings(
                observability={"tracing": tracing},
                subgraphs={
                    "urls": {"orders": f"{proxied}/graphql"},
                    "retry": {"backoff_base_seconds": 0.001, "backoff_max_seconds": 0.001},
                },
            )
            async with serve_gateway(settings, deployment.writer) as (client, _):
                response = await client.post(
                    "/graphql", json={"query": "{ customers(first: 1) { totalCount } }"}
                )
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    trace_id = body["extensions"]["traceId"]
    assert len(trace_id) == 32 and trace_id != INCOMING_TRACE
    attempts = sorted(
        (s for s in receiver.spans if s.kind == CLIENT),
        key=lambda s: s.attributes.get("http.request.resend_count", 0),
    )
    assert [s.attributes["http.response.status_code"] for s in attempts] == [503, 200]
    assert [s.attributes.get("http.request.resend_count") for s in attempts] == [None, 1]
    assert attempts[0].status_code == 2  # ERROR
    assert {s.trace_id for s in receiver.spans} == {trace_id}
    (server,) = [s for s in receiver.spans if s.service == "ordergate-gateway" and s.kind == SERVER]
    assert server.parent_span_id == ""  # a new trace: no remote parent
    # each attempt carried its own span as the parent, and the answered one reached orders
    sent = [headers["traceparent"].split("-") for headers in proxy.headers]
    assert [parts[:3] for parts in sent] == [["00", trace_id, a.span_id] for a in attempts]
    assert all(int(parts[3], 16) & 1 for parts in sent)  # sampled
    (orders,) = [s for s in receiver.spans if s.service == "ordergate-orders"]
    assert orders.parent_span_id == attempts[1].span_id


async def test_off_by_default_nothing_is_exported_and_traceparent_only_passes_through(
    stack_databases: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with otlp_receiver() as receiver, traced_stack(stack_databases, None) as stack:
        monkeypatch.setenv(
            "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint.removesuffix("/v1/traces")
        )
        proxy = RecordingProxy(stack.url("orders"))
        async with live_server(proxy.app()) as proxied:
            deployment = Deployment("untraced", stack, tmp_path)
            # the standard variable names a collector, yet nothing is sent: tracing is off
            settings = deployment.settings(subgraphs={"urls": {"orders": f"{proxied}/graphql"}})
            assert settings.observability.tracing.enabled is False
            query = {"query": "{ customers(first: 1) { totalCount } }"}
            async with serve_gateway(settings, deployment.writer) as (client, app):
                assert app.state.runtime.tracing is None
                plain = await client.post("/graphql", json=query)
                traced = await client.post(
                    "/graphql",
                    json=query,
                    headers={"traceparent": INCOMING, "tracestate": "vendor=opaque"},
                )
                broken = await client.post(
                    "/graphql", json=query, headers={"traceparent": "00-zz-broken-01"}
                )
                batch = await client.post(
                    "/graphql", json=[query, query], headers={"traceparent": INCOMING}
                )
                refused = await client.post(
                    "/graphql",
                    json=query,
                    headers={"traceparent": INCOMING, "x-api-key": "og_not-a-key"},
                )
    assert receiver.requests == 0 and receiver.spans == []
    assert [r.status_code for r in (plain, traced, broken)] == [200, 200, 200]
    assert "traceId" not in plain.json()["extensions"]
    assert "traceId" not in broken.json()["extensions"]
    assert traced.json()["extensions"]["traceId"] == INCOMING_TRACE
    assert [entry["extensions"]["traceId"] for entry in batch.json()] == [INCOMING_TRACE] * 2
    assert refused.status_code == 401
    assert refused.json()["extensions"]["traceId"] == INCOMING_TRACE
    assert len(proxy.headers) == 5
    without, passed, dropped = proxy.headers[:3]
    assert all(h["traceparent"] == INCOMING for h in proxy.headers[3:])
    assert "traceparent" not in without and "tracestate" not in without
    assert passed["traceparent"] == INCOMING and passed["tracestate"] == "vendor=opaque"
    assert "traceparent" not in dropped
