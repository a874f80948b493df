"""No cost when off: with the default settings no tracer provider exists and a request through
the gateway and the four subgraphs (a traceparent included) creates no span object at all, not
even a no-op one; the same requests with tracing on do create spans (the count works)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import _Span
from opentelemetry.trace import NonRecordingSpan
from order_stack import serve_stack
from otlp_receiver import otlp_receiver
from stack_gateway import Deployment, serve_gateway

from gateway.execution.fetch_trace import TracedTransport

QUERY = """{ customers(first: 2) { edges { node { name
  orders(first: 1) { edges { node { number balanceDue { amount } } } } } } } }"""
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def count_spans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the class of every span object made from now on (recording or not)."""
    made: list[str] = []
    for cls in (_Span, NonRecordingSpan):
        original: Callable[..., None] = cls.__init__

        def counting(self: Any, *args: Any, __original: Any = original, **kwargs: Any) -> None:
            made.append(type(self).__name__)
            __original(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", counting)
    return made


@pytest.mark.parametrize("tracing_on", [False, True], ids=["off", "on"])
async def test_a_request_makes_no_span_object_when_tracing_is_off(
    stack_databases: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tracing_on: bool,
) -> None:
    async with otlp_receiver() as receiver:
        tracing = {"enabled": True, "endpoint": receiver.endpoint} if tracing_on else {}
        extra: dict[str, Any] = {"tracing": tracing} if tracing_on else {}
        async with serve_stack(stack_databases, **extra) as stack:
            deployment = Deployment("cost", stack, tmp_path)
            settings = deployment.settings(observability={"tracing": tracing})
            async with serve_gateway(settings, deployment.writer) as (client, app):
                runtime = app.state.runtime
                made = count_spans(monkeypatch)
                for headers in ({}, {"traceparent": TRACEPARENT}):
                    response = await client.post("/graphql", json={"query": QUERY}, headers=headers)
                    assert response.status_code == 200 and "errors" not in response.json()
                engine = app.state.engine_slot.engine.engine
                traced_transport = isinstance(engine.transport, TracedTransport)
                monkeypatch.undo()
    if tracing_on:
        assert runtime.tracing is not None and traced_transport
        assert made.count("_Span") > 10
        assert receiver.spans
        return
    assert runtime.tracing is None and not traced_transport
    assert made == []  # neither SDK spans nor OpenTelemetry's no-op spans
    assert receiver.requests == 0
    # no provider was installed anywhere: OpenTelemetry's global one is still the proxy
    assert isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)
