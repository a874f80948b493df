"""Scenario 3: the gateway's own added latency, over a subgraph that answers instantly.

One Node subgraph (``bench/peers/constant-subgraph.js``) returns the same small response to
every POST. wrk measures it directly, then through our gateway (a persisted query sent by its
APQ hash once the gateway supports APQ, the raw query otherwise), at 1 and at N connections.
The gateway's added latency is its p50 minus the subgraph's p50 at the same concurrency. At 1
connection that is the cost of one request through the gateway; at N connections it also holds
the queueing that comes from the gateway's throughput on the shared cores.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from bench.checks import post_json
from bench.context import BENCH_DIR, REPO_ROOT, RunContext, node_binary
from bench.measure import LoadPlan, Measurement, measure
from bench.ours import gateway_command, write_config
from bench.report import environment, markdown_table, write_results
from bench.servers import BenchError, ReadyCheck, RunningServer, ServerSpec

__all__ = ["OverheadOptions", "run_overhead"]

PING_QUERY = "query Ping { ping { id message count } }"
SUBGRAPH_QUERY = orjson.dumps({"query": "{ ping { id message count } }"})
EXPECTED = {"data": {"ping": {"id": "1", "message": "pong", "count": 42}}}
TARGET_MS = 1.0

_SUPERGRAPH = """schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION) {
  query: Query
}

directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE
directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet,
  type: String, external: Boolean, override: String, usedOverridden: Boolean
) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__implements(graph: join__Graph!, interface: String!)
  repeatable on OBJECT | INTERFACE
directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false,
  resolvable: Boolean! = true, isInterfaceObject: Boolean! = false
) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import])
  repeatable on SCHEMA

scalar join__FieldSet
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }

enum join__Graph {
  PING @join__graph(name: "ping", url: "URL")
}

type Query @join__type(graph: PING) {
  ping: Ping
}

type Ping @join__type(graph: PING) {
  id: ID!
  message: String!
  count: Int!
}
"""


@dataclass(frozen=True, slots=True)
class OverheadOptions:
    """Knobs of scenario 3."""

    duration_seconds: int = 10
    warmup_seconds: int = 3
    connections: int = 50
    port_base: int = 4800


def _apq_body(register: bool) -> bytes:
    digest = hashlib.sha256(PING_QUERY.encode()).hexdigest()
    body: dict[str, Any] = {
        "operationName": "Ping",
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}},
    }
    if register:
        body["query"] = PING_QUERY
    return orjson.dumps(body)


def choose_gateway_body(url: str) -> tuple[bytes, str]:
    """The APQ hash-only body when the gateway takes it (after registering), else the query."""
    with httpx.Client(timeout=30.0) as client:
        post_json(client, url, _apq_body(register=True))
        status, answer = post_json(client, url, _apq_body(register=False))
        if status == 200 and answer == EXPECTED:
            return _apq_body(register=False), "persisted query by APQ hash (registered once)"
        raw = orjson.dumps({"query": PING_QUERY, "operationName": "Ping"})
        status, answer = post_json(client, url, raw)
        if status != 200 or answer != EXPECTED:
            raise BenchError(f"the gateway answered HTTP {status}: {str(answer)[:300]}")
        return raw, "raw query (the gateway on this branch has no APQ: cached parse and plan)"


def _rows(
    pairs: list[tuple[int, Measurement, Measurement]],
) -> tuple[list[list[str]], list[dict[str, Any]]]:
    rows, data = [], []
    for connections, direct, gateway in pairs:
        added = gateway.load.latency_ms["p50"] - direct.load.latency_ms["p50"]
        rows.append(
            [
                str(connections),
                f"{direct.load.latency_ms['p50']:.3f}",
                f"{gateway.load.latency_ms['p50']:.3f}",
                f"**{added:.3f}**",
                f"{gateway.load.latency_ms['p99'] - direct.load.latency_ms['p99']:.3f}",
                f"{direct.load.requests_per_second:,.0f}",
                f"{gateway.load.requests_per_second:,.0f}",
                f"{gateway.cpu_ms_per_request:.3f}",
                str(gateway.errors + direct.errors),
                "met" if added < TARGET_MS else "NOT met",
            ]
        )
        data.append(
            {
                "connections": connections,
                "added_p50_ms": added,
                "direct": direct.to_json(),
                "gateway": gateway.to_json(),
            }
        )
    return rows, data


def run_overhead(options: OverheadOptions) -> dict[str, Any]:
    """Run scenario 3 and write its results; returns the JSON document written."""
    context = RunContext.create("overhead", options.port_base)
    subgraph_port, gateway_port = context.port(1), context.port(2)
    subgraph_url = f"http://127.0.0.1:{subgraph_port}/graphql"
    supergraph = context.run_dir / "supergraph.graphql"
    supergraph.write_text(supergraph_text(subgraph_url))
    config = context.run_dir / "ordergate.config.yaml"
    dropped = write_config(config)
    subgraph_spec = ServerSpec(
        name="constant-subgraph",
        command=(node_binary(), str(BENCH_DIR / "peers" / "constant-subgraph.js")),
        cwd=BENCH_DIR,
        env={"PORT": str(subgraph_port), "NODE_ENV": "production"},
        port=subgraph_port,
        ready=ReadyCheck(f"http://127.0.0.1:{subgraph_port}/health"),
    )
    gateway_url = f"http://127.0.0.1:{gateway_port}/graphql"
    gateway_spec = ServerSpec(
        name="ordergate",
        command=gateway_command(supergraph, gateway_port),
        cwd=REPO_ROOT,
        env={"ORDERGATE_GATEWAY_CONFIG_FILE": str(config)},
        port=gateway_port,
        ready=ReadyCheck(gateway_url, body=orjson.dumps({"query": PING_QUERY})),
    )
    env = environment()
    pairs: list[tuple[int, Measurement, Measurement]] = []
    with (
        RunningServer(subgraph_spec, context.run_dir) as subgraph,
        RunningServer(gateway_spec, context.run_dir) as gateway,
    ):
        body, mode = choose_gateway_body(gateway_url)
        print(f"[overhead] gateway requests: {mode}", flush=True)
        for connections in sorted({1, options.connections}):
            plan = LoadPlan(
                bodies=[SUBGRAPH_QUERY],
                connections=connections,
                duration_seconds=options.duration_seconds,
                warmup_seconds=options.warmup_seconds,
                samples=0,
            )
            direct = measure(
                subgraph,
                subgraph_url,
                plan,
                work_dir=context.run_dir,
                name=f"direct-c{connections}",
                label="constant subgraph, direct",
                ours=False,
                expected=None,
            )
            through = measure(
                gateway,
                gateway_url,
                LoadPlan(
                    bodies=[body],
                    connections=connections,
                    duration_seconds=options.duration_seconds,
                    warmup_seconds=options.warmup_seconds,
                    samples=0,
                ),
                work_dir=context.run_dir,
                name=f"gateway-c{connections}",
                label="through Ordergate",
                ours=True,
                expected=None,
                subgraphs=[subgraph],
            )
            pairs.append((connections, direct, through))
            print(
                f"[overhead] c={connections}: direct p50 {direct.load.latency_ms['p50']:.3f} ms, "
                f"gateway p50 {through.load.latency_ms['p50']:.3f} ms",
                flush=True,
            )
        with httpx.Client(timeout=30.0) as client:
            status, answer = post_json(client, gateway_url, body)
        correct = status == 200 and answer == EXPECTED
    rows, data = _rows(pairs)
    header = (
        "connections",
        "direct p50 ms",
        "gateway p50 ms",
        "added p50 ms",
        "added p99 ms",
        "direct req/s",
        "gateway req/s",
        "gateway CPU ms/req",
        "errors",
        f"< {TARGET_MS:g} ms at p50",
    )
    notes = f"- answer after the runs correct: {correct}"
    if dropped:
        notes += f"\n- config keys not in GatewaySettings yet: {', '.join(dropped)}"
    markdown = "\n\n".join(
        [
            f"### Gateway overhead: {mode}, wrk -t1 -d{options.duration_seconds}s, "
            f"{env['cpus']} CPUs shared, {env['time']}",
            markdown_table(header, rows),
            f"- answer after the runs correct: {correct}"
            + (
                f"\n- config keys not in GatewaySettings yet: {', '.join(dropped)}"
                if dropped
                else ""
            ),
        ]
    )
    result = {
        "scenario": "overhead",
        "environment": env,
        "mode": mode,
        "runs": data,
        "correct_after_runs": correct,
        "config_dropped": dropped,
    }
    write_results(context.run_dir, "overhead", result, markdown)
    print(markdown, flush=True)
    return result


def supergraph_text(subgraph_url: str) -> str:
    """The one-subgraph supergraph over ``subgraph_url`` (for tests and manual runs)."""
    return _SUPERGRAPH.replace("URL", subgraph_url)
