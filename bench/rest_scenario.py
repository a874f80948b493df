"""Scenario 4: the REST shim's overhead, a REST GET next to the same GraphQL query.

One Node subgraph that answers instantly (``bench/peers/constant-subgraph.js``, as scenario 3),
so that the gateway's own work is everything measured. The gateway serves one route,
``GET /api/v1/pings/{id}``, bound to the persisted operation ``RestPing($id: ID!)``; the
GraphQL row sends the same document by its APQ hash with the same variables. Both go through the
same pipeline (anonymous, limits off, as scenario 1); the REST row adds routing, binding and
coercion of the path parameter, unwrapping, the ETag and the REST headers. Rounds are
interleaved (GraphQL, REST, GraphQL, REST, ...) and the median round of each is reported.

The shim's overhead is REST's CPU per request over GraphQL's, and GraphQL's req/s over REST's,
both minus one, taken per round (the two runs of a round are next to each other in time) and
the median over the rounds reported; the issue's target is < 10 %.
"""

from __future__ import annotations

import hashlib
import statistics
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from bench.context import BENCH_DIR, REPO_ROOT, RunContext, node_binary
from bench.measure import LoadPlan, Measurement, measure
from bench.ours import gateway_command, write_config
from bench.overhead_scenario import supergraph_text
from bench.report import environment, markdown_table, write_results
from bench.servers import BenchError, ReadyCheck, RunningServer, ServerSpec

__all__ = ["RestOptions", "run_rest"]

REST_QUERY = "query RestPing($id: ID!) { ping(id: $id) { id message count } }"
EXPECTED_NODE = {"id": "1", "message": "pong", "count": 42}
TARGET = 0.10

_ROUTES = """version: 1
prefix: /api/v1
documents: rest
routes:
  - id: getPing
    method: GET
    path: /pings/{id}
    operation: RestPing
    bind:
      id: path
"""


@dataclass(frozen=True, slots=True)
class RestOptions:
    """Knobs of scenario 4."""

    duration_seconds: int = 10
    warmup_seconds: int = 3
    connections: int = 50
    port_base: int = 4800
    rounds: int = 3


def _apq_body(register: bool) -> bytes:
    body: dict[str, Any] = {
        "operationName": "RestPing",
        "variables": {"id": "1"},
        "extensions": {
            "persistedQuery": {
                "version": 1,
                "sha256Hash": hashlib.sha256(REST_QUERY.encode()).hexdigest(),
            }
        },
    }
    if register:
        body["query"] = REST_QUERY
    return orjson.dumps(body)


def _check_answers(graphql_url: str, rest_url: str) -> None:
    with httpx.Client(timeout=30.0) as client:
        client.post(graphql_url, content=_apq_body(register=True), headers=_JSON)
        graphql = client.post(graphql_url, content=_apq_body(register=False), headers=_JSON)
        rest = client.get(rest_url)
    if graphql.status_code != 200 or graphql.json() != {"data": {"ping": EXPECTED_NODE}}:
        raise BenchError(f"GraphQL answered {graphql.status_code}: {graphql.text[:300]}")
    if rest.status_code != 200 or rest.json() != EXPECTED_NODE:
        raise BenchError(f"REST answered {rest.status_code}: {rest.text[:300]}")


_JSON = {"content-type": "application/json"}


def _median(runs: list[Measurement]) -> Measurement:
    ordered = sorted(runs, key=lambda run: run.load.requests_per_second)
    return ordered[len(ordered) // 2]


def run_rest(options: RestOptions) -> dict[str, Any]:
    """Run scenario 4 and write its results; returns the JSON document written."""
    context = RunContext.create("rest", options.port_base)
    subgraph_port, gateway_port = context.port(1), context.port(2)
    subgraph_url = f"http://127.0.0.1:{subgraph_port}/graphql"
    supergraph = context.run_dir / "supergraph.graphql"
    supergraph.write_text(supergraph_text(subgraph_url).replace("ping: Ping", "ping(id: ID): Ping"))
    documents = context.run_dir / "rest"
    documents.mkdir()
    (documents / "ping.graphql").write_text(REST_QUERY + "\n")
    routes = context.run_dir / "rest-routes.yaml"
    routes.write_text(_ROUTES)
    config = context.run_dir / "ordergate.config.yaml"
    dropped = write_config(config, {"rest": {"routes_file": str(routes)}})
    subgraph_spec = ServerSpec(
        name="constant-subgraph",
        command=(node_binary(), str(BENCH_DIR / "peers" / "constant-subgraph.js")),
        cwd=BENCH_DIR,
        env={"PORT": str(subgraph_port), "NODE_ENV": "production"},
        port=subgraph_port,
        ready=ReadyCheck(f"http://127.0.0.1:{subgraph_port}/health"),
    )
    graphql_url = f"http://127.0.0.1:{gateway_port}/graphql"
    rest_url = f"http://127.0.0.1:{gateway_port}/api/v1/pings/1"
    gateway_spec = ServerSpec(
        name="ordergate",
        command=gateway_command(supergraph, gateway_port),
        cwd=REPO_ROOT,
        env={"ORDERGATE_GATEWAY_CONFIG_FILE": str(config)},
        port=gateway_port,
        ready=ReadyCheck(graphql_url, body=orjson.dumps({"query": "{ __typename }"})),
    )
    env = environment()
    by_connections: dict[int, dict[str, list[Measurement]]] = {}
    with (
        RunningServer(subgraph_spec, context.run_dir) as subgraph,
        RunningServer(gateway_spec, context.run_dir) as gateway,
    ):
        _check_answers(graphql_url, rest_url)
        for connections in sorted({1, options.connections}):
            runs: dict[str, list[Measurement]] = {"graphql": [], "rest": []}
            for round_number in range(options.rounds):
                for kind, url, plan in (
                    ("graphql", graphql_url, LoadPlan([_apq_body(False)], connections, 0)),
                    ("rest", rest_url, LoadPlan([b""], connections, 0, method="GET")),
                ):
                    plan = LoadPlan(
                        bodies=plan.bodies,
                        connections=connections,
                        duration_seconds=options.duration_seconds,
                        warmup_seconds=options.warmup_seconds if round_number == 0 else 0,
                        samples=0,
                        method=plan.method,
                    )
                    run = measure(
                        gateway,
                        url,
                        plan,
                        work_dir=context.run_dir,
                        name=f"{kind}-c{connections}-r{round_number}",
                        label=kind,
                        ours=True,
                        expected=None,
                        subgraphs=[subgraph],
                    )
                    runs[kind].append(run)
                    print(
                        f"[rest] c={connections} round {round_number} {kind}: "
                        f"{run.load.requests_per_second:,.0f} req/s, "
                        f"{run.cpu_ms_per_request:.3f} ms CPU/req",
                        flush=True,
                    )
            by_connections[connections] = runs
        _check_answers(graphql_url, rest_url)
    rows, data = [], []
    for connections, runs in by_connections.items():
        graphql, rest = _median(runs["graphql"]), _median(runs["rest"])
        pairs = list(zip(runs["graphql"], runs["rest"], strict=True))
        cpu_overhead = statistics.median(
            r.cpu_ms_per_request / g.cpu_ms_per_request - 1 for g, r in pairs
        )
        rate_overhead = statistics.median(
            g.load.requests_per_second / r.load.requests_per_second - 1 for g, r in pairs
        )
        cpu_spread = [r.cpu_ms_per_request for r in runs["rest"]]
        for kind, run in (("GraphQL POST (APQ hash)", graphql), ("REST GET", rest)):
            rows.append(
                [
                    str(connections),
                    kind,
                    f"{run.load.requests_per_second:,.0f}",
                    f"{run.load.latency_ms['p50']:.3f}",
                    f"{run.load.latency_ms['p99']:.3f}",
                    f"{run.cpu_ms_per_request:.3f}",
                    str(run.errors),
                    ""
                    if kind.startswith("GraphQL")
                    else f"**{cpu_overhead:+.1%}** CPU, {rate_overhead:+.1%} req/s",
                ]
            )
        data.append(
            {
                "connections": connections,
                "cpu_overhead": cpu_overhead,
                "rate_overhead": rate_overhead,
                "rest_cpu_ms_rounds": cpu_spread,
                "graphql": [run.to_json() for run in runs["graphql"]],
                "rest": [run.to_json() for run in runs["rest"]],
            }
        )
    header = (
        "connections",
        "request",
        "req/s",
        "p50 ms",
        "p99 ms",
        "CPU ms/req",
        "errors",
        f"shim overhead (target < {TARGET:.0%})",
    )
    markdown = "\n\n".join(
        [
            f"### REST shim overhead: {options.rounds} interleaved rounds (rows: the median round; "
            "overhead: the median of the rounds' REST/GraphQL ratios), wrk -t1 "
            f"-d{options.duration_seconds}s, {env['cpus']} CPUs shared, {env['time']}",
            markdown_table(header, rows),
            "- answers checked before and after the runs (REST body = GraphQL data.ping)"
            + (f"\n- config keys not in GatewaySettings: {', '.join(dropped)}" if dropped else ""),
        ]
    )
    result = {"scenario": "rest", "environment": env, "runs": data, "config_dropped": dropped}
    write_results(context.run_dir, "rest", result, markdown)
    print(markdown, flush=True)
    return result
