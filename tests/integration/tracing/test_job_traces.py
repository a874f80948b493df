"""Import jobs continue the trace of the request that submitted them: the gateway stores the
request's trace context on the job, the (embedded) worker's spans and its subgraph calls carry
it on; with tracing off, an incoming traceparent still reaches the subgraphs unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import orjson
from header_recorder import RecordingProxy
from live_server import live_server
from order_stack import serve_stack
from otlp_receiver import otlp_receiver
from stack_gateway import Deployment, serve_gateway

INCOMING_TRACE = "0af7651916cd43dd8448eb211c80319c"
INCOMING = f"00-{INCOMING_TRACE}-b7ad6b7169203331-01"
FAST_WORKER = {"backoff_seconds": 0.01, "max_backoff_seconds": 0.05, "poll_seconds": 0.05}
SERVER, CLIENT, CONSUMER = 2, 3, 5  # OTLP span kinds


def customers_file(tag: str) -> bytes:
    """One customer row to import."""
    return orjson.dumps(
        [{"legacyErpId": f"ERP-{tag}", "email": f"{tag.lower()}@example.com", "name": tag}]
    )


async def completed(client: httpx.AsyncClient, location: str) -> dict[str, Any]:
    """Poll the job until it is completed (bounded by attempts, not by time)."""
    for _ in range(3000):
        response = await client.get(location)
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        if job["state"] == "completed":
            return job
    raise AssertionError(f"job {location} never completed")


async def test_the_worker_continues_the_submitting_requests_trace(
    stack_databases: dict[str, str], tmp_path: Path
) -> None:
    async with otlp_receiver() as receiver:
        tracing = {"enabled": True, "endpoint": receiver.endpoint}
        async with serve_stack(stack_databases, tracing=tracing) as stack:
            deployment = Deployment("traced-jobs", stack, tmp_path)
            settings = deployment.settings(
                observability={"tracing": tracing}, jobs={"processing": FAST_WORKER}
            )
            async with serve_gateway(settings, deployment.writer) as (client, _):
                accepted = await client.post(
                    "/jobs/imports/customers",
                    content=customers_file("TRACED"),
                    headers={"content-type": "application/json", "traceparent": INCOMING},
                )
                assert accepted.status_code == 202, accepted.text
                job = await completed(client, accepted.headers["location"])
    assert job["progress"]["succeeded"] == 1, job
    spans = [s for s in receiver.spans if s.trace_id == INCOMING_TRACE]
    by_id = {s.span_id: s for s in spans}
    (submit,) = [s for s in spans if s.kind == SERVER and s.service == "ordergate-gateway"]
    assert submit.name == "POST /jobs/imports/{kind}"
    assert submit.attributes["http.response.status_code"] == 202
    (consume,) = [s for s in spans if s.kind == CONSUMER]
    assert consume.service == "ordergate-worker" and consume.name == "import customers"
    assert consume.parent_span_id == submit.span_id
    assert consume.attributes["ordergate.job.id"] == job["id"]
    (call,) = [s for s in spans if s.kind == CLIENT and s.service == "ordergate-worker"]
    assert call.parent_span_id == consume.span_id
    assert call.attributes["http.response.status_code"] == 200
    (served,) = [s for s in spans if s.service == "ordergate-orders"]
    assert served.kind == SERVER and by_id[served.parent_span_id] == call


async def test_with_tracing_off_a_jobs_traceparent_reaches_the_subgraph_unchanged(
    stack_databases: dict[str, str], tmp_path: Path
) -> None:
    async with serve_stack(stack_databases) as stack:
        proxy = RecordingProxy(stack.url("orders"))
        async with live_server(proxy.app()) as proxied:
            deployment = Deployment("untraced-jobs", stack, tmp_path)
            settings = deployment.settings(
                subgraphs={"urls": {"orders": f"{proxied}/graphql"}},
                jobs={"processing": FAST_WORKER},
            )
            async with serve_gateway(settings, deployment.writer) as (client, _):
                traced = await client.post(
                    "/jobs/imports/customers",
                    content=customers_file("PASSED"),
                    headers={
                        "content-type": "application/json",
                        "traceparent": INCOMING,
                        "tracestate": "vendor=opaque",
                    },
                )
                await completed(client, traced.headers["location"])
                plain = await client.post(
                    "/jobs/imports/customers",
                    content=customers_file("PLAIN"),
                    headers={"content-type": "application/json"},
                )
                await completed(client, plain.headers["location"])
    calls = [h for h in proxy.headers if h.get("x-request-id", "").startswith("job:")]
    assert len(calls) == 2
    assert calls[0]["traceparent"] == INCOMING and calls[0]["tracestate"] == "vendor=opaque"
    assert "traceparent" not in calls[1] and "tracestate" not in calls[1]
