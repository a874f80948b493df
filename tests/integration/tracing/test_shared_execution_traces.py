"""Tracing with inbound deduplication on: two identical queries from two traces share one
execution (the trace headers never split it, ADR 1111); each response names its own trace;
the one subgraph call is in the trace of the request that started it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from header_recorder import RecordingProxy
from live_server import live_server
from order_stack import serve_stack
from otlp_receiver import otlp_receiver
from stack_gateway import Deployment, serve_gateway

QUERY = {"query": "{ customers(first: 1) { totalCount } }"}
TRACES = ("4bf92f3577b34da6a3ce929d0e0e4736", "0af7651916cd43dd8448eb211c80319c")
CLIENT = 3


async def until(condition: Callable[[], bool]) -> None:
    """Wait until ``condition`` holds (a deadlock guard, not a timing assertion)."""
    for _ in range(2000):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the requests never got in flight together")


async def test_identical_queries_of_two_traces_share_one_execution(
    stack_databases: dict[str, str], tmp_path: Path
) -> None:
    async with otlp_receiver() as receiver, serve_stack(stack_databases) as stack:
        proxy = RecordingProxy(stack.url("orders"), holding=True)
        async with live_server(proxy.app()) as proxied:
            deployment = Deployment("shared", stack, tmp_path)
            settings = deployment.settings(
                observability={"tracing": {"enabled": True, "endpoint": receiver.endpoint}},
                http={"deduplicate_inflight": True},
                subgraphs={"urls": {"orders": f"{proxied}/graphql"}},
            )
            async with serve_gateway(settings, deployment.writer) as (client, app):
                inflight = app.state.engine_slot.engine.inflight
                sent = [
                    asyncio.create_task(
                        client.post(
                            "/graphql",
                            json=QUERY,
                            headers={"traceparent": f"00-{trace}-00f067aa0ba902b7-01"},
                        )
                    )
                    for trace in TRACES
                ]
                await until(lambda: inflight.joined == 1 and len(proxy.headers) == 1)
                proxy.release()
                responses = await asyncio.gather(*sent)
    assert [r.status_code for r in responses] == [200, 200]
    assert [r.json()["data"] for r in responses] == [responses[0].json()["data"]] * 2
    assert {r.json()["extensions"]["traceId"] for r in responses} == set(TRACES)
    assert len(proxy.headers) == 1  # one execution, one subgraph call
    (call,) = proxy.headers
    caller = call["traceparent"].split("-")[1]
    assert caller in TRACES
    (fetch,) = [s for s in receiver.spans if s.kind == CLIENT]
    assert fetch.trace_id == caller
    for trace in TRACES:  # both requests are traced: server and operation spans in each
        names = {s.name for s in receiver.spans if s.trace_id == trace}
        assert {"POST /graphql", "query"} <= names, names
