"""Scenario 1: the standard federation benchmark, our gateway and the JavaScript peers in turn.

The stand-in subgraphs (``bench/kit/subgraphs.js``, the four subgraphs of
graphql-hive/graphql-gateways-benchmark) serve every gateway; each gateway is started, checked
for the same response as the others, warmed up, measured under the same wrk load, and stopped
before the next one starts, so that each has the machine to itself (with wrk and the subgraphs).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench.asgi import GC_STATS_VARIABLE, GC_TUNING_VARIABLE
from bench.checks import first_difference, post_json
from bench.context import BENCH_DIR, NODE_MODULES, REPO_ROOT, RunContext, node_binary
from bench.measure import LoadPlan, Measurement, measure
from bench.ours import gateway_command, workers_command, write_config
from bench.report import (
    MEASUREMENT_HEADER,
    environment,
    markdown_table,
    measurement_rows,
    ratio_columns,
    write_results,
)
from bench.servers import BenchError, ReadyCheck, RunningServer, ServerSpec
from bench.targets import federation_targets

__all__ = ["CONTENDERS", "FederationOptions", "run_federation"]

KIT = BENCH_DIR / "kit"
PEERS = BENCH_DIR / "peers"
HIVE_BIN = NODE_MODULES / "@graphql-hive" / "gateway" / "dist" / "bin.js"


@dataclass(frozen=True, slots=True)
class ContenderInfo:
    """A gateway configuration of the comparison."""

    label: str
    ours: bool
    #: ours: share identical in-flight subgraph requests; Hive: the config file to load
    dedup: bool = True
    #: ours: http.deduplicate_inflight (identical in-flight client requests share an execution)
    inbound_dedup: bool = False
    workers: int = 1
    #: ours: the product's garbage-collector tuning (runtime.gc.enabled); an [experiment] with
    #: it off runs the product command line, not bench/asgi.py
    gc: bool = True

    @property
    def gc_timed(self) -> bool:
        """An [experiment] started over bench/asgi.py with its collections timed."""
        return self.experiment and self.gc

    hive_config: str = ""
    #: ours: started by uvicorn over bench/asgi.py with the garbage collector timed; run only
    #: when asked for (--only)
    experiment: bool = False
    #: ours, experiments: ORDERGATE_BENCH_GC (bench/asgi.py)
    gc_tuning: str = ""
    #: ours: ``subgraphs.transport`` when not the default; such rows run only with --only
    transport: str = ""


#: the garbage collector setting the *-gc experiments try (see bench/README.md)
GC_EXPERIMENT = "threshold=50000:20:100"
#: every contender, in the order they run
CONTENDERS: dict[str, ContenderInfo] = {
    "ordergate": ContenderInfo("Ordergate (default: subgraph in-flight dedup)", ours=True),
    "ordergate-no-dedup": ContenderInfo("Ordergate (no dedup)", ours=True, dedup=False),
    "ordergate-2w": ContenderInfo("Ordergate, 2 workers (default)", ours=True, workers=2),
    "ordergate-dedup": ContenderInfo("Ordergate (inbound dedup)", ours=True, inbound_dedup=True),
    "ordergate-gc-off": ContenderInfo(
        "Ordergate (default), runtime.gc off [experiment]", ours=True, experiment=True, gc=False
    ),
    "ordergate-gcstats": ContenderInfo(
        "Ordergate (default), GC timed [experiment]", ours=True, experiment=True
    ),
    "ordergate-gc": ContenderInfo(
        "Ordergate (default), GC tuned [experiment]",
        ours=True,
        experiment=True,
        gc_tuning=GC_EXPERIMENT,
    ),
    "ordergate-no-dedup-gcstats": ContenderInfo(
        "Ordergate (no dedup), GC timed [experiment]", ours=True, dedup=False, experiment=True
    ),
    "ordergate-no-dedup-gc": ContenderInfo(
        "Ordergate (no dedup), GC tuned [experiment]",
        ours=True,
        dedup=False,
        experiment=True,
        gc_tuning=GC_EXPERIMENT,
    ),
    "ordergate-lean": ContenderInfo(
        "Ordergate (default), lean subgraph client", ours=True, transport="lean"
    ),
    "ordergate-no-dedup-lean": ContenderInfo(
        "Ordergate (no dedup), lean subgraph client", ours=True, dedup=False, transport="lean"
    ),
    "ordergate-no-dedup-lean-gc": ContenderInfo(
        "Ordergate (no dedup), lean subgraph client, GC tuned [experiment]",
        ours=True,
        dedup=False,
        experiment=True,
        gc_tuning=GC_EXPERIMENT,
        transport="lean",
    ),
    "apollo": ContenderInfo("@apollo/gateway 2.14.4 (no dedup)", ours=False, dedup=False),
    "hive": ContenderInfo(
        "Hive Gateway 2.15.1 (default: subgraph in-flight dedup)",
        ours=False,
        hive_config="hive-gateway.config.mjs",
    ),
    "hive-no-dedup": ContenderInfo(
        "Hive Gateway 2.15.1 (no dedup)",
        ours=False,
        dedup=False,
        hive_config="hive-gateway-no-dedup.config.mjs",
    ),
    "hive-dedup": ContenderInfo(
        "Hive Gateway 2.15.1 (inbound dedup: the benchmark's config)",
        ours=False,
        hive_config="hive-gateway-dedup.config.mjs",
    ),
}
#: run unless --only says otherwise (experiments and other subgraph clients are left out)
DEFAULT_CONTENDERS = tuple(
    name for name, info in CONTENDERS.items() if not (info.experiment or info.transport)
)
KIT_SUBGRAPH_ORIGIN = "http://127.0.0.1:4200"


def query_body() -> bytes:
    """The benchmark query as a JSON POST body (the kit's query.json)."""
    return (KIT / "query.json").read_bytes()


@dataclass(frozen=True, slots=True)
class FederationOptions:
    """Knobs of scenario 1."""

    duration_seconds: int = 10
    warmup_seconds: int = 3
    connections: int = 50
    samples: int = 20
    port_base: int = 4800
    only: Sequence[str] = field(default_factory=lambda: list(DEFAULT_CONTENDERS))
    #: each contender is measured this many times (interleaved); the median round is reported
    rounds: int = 1
    #: replaces the ORDERGATE_BENCH_GC value of the [experiment] contenders
    gc_tuning: str | None = None


def write_supergraph(run_dir: Path, subgraph_port: int) -> Path:
    """The kit's supergraph with its subgraph URLs on ``subgraph_port``."""
    text = (BENCH_DIR / "supergraph.graphql").read_text()
    target = run_dir / "supergraph.graphql"
    target.write_text(text.replace(KIT_SUBGRAPH_ORIGIN, f"http://127.0.0.1:{subgraph_port}"))
    return target


def _ours(
    context: RunContext,
    name: str,
    info: ContenderInfo,
    port: int,
    supergraph: Path,
    gc_tuning: str | None,
) -> ServerSpec:
    config = context.run_dir / f"{name}.config.yaml"
    subgraphs: dict[str, object] = {"deduplicate_inflight": info.dedup}
    if info.transport:
        subgraphs["transport"] = info.transport
    overlay: dict[str, Any] = {
        "subgraphs": subgraphs,
        "http": {"deduplicate_inflight": info.inbound_dedup},
        "runtime": {"gc": {"enabled": info.gc}},
    }
    if info.workers > 1:  # per-process stores are refused with several workers (ADR 0851)
        overlay |= {"idempotency": {"enabled": False}, "jobs": {"enabled": False}}
    dropped = write_config(config, overlay)
    if dropped:
        print(f"[federation] {name}: config keys not in GatewaySettings yet: {dropped}")
    env = {
        "ORDERGATE_GATEWAY_CONFIG_FILE": str(config),
        "ORDERGATE_GATEWAY_SUPERGRAPH_PATH": str(supergraph),
    }
    tuning = (gc_tuning or info.gc_tuning) if info.gc_tuning else ""
    if tuning:
        env[GC_TUNING_VARIABLE] = tuning
    if info.gc_timed:
        env[GC_STATS_VARIABLE] = str(gc_stats_file(context, name))
    command = (
        workers_command(port, info.workers)
        if info.gc_timed
        else gateway_command(supergraph, port, workers=info.workers)
    )
    return ServerSpec(
        name=name,
        command=command,
        cwd=REPO_ROOT,
        env=env,
        port=port,
        ready=ReadyCheck(f"http://127.0.0.1:{port}/graphql", body=query_body()),
    )


def gc_stats_file(context: RunContext, name: str) -> Path:
    """Where an [experiment] contender writes its garbage collector statistics."""
    return context.run_dir / f"{name}.gc.json"


def _gc_probe(path: Path) -> dict[str, float]:
    raw = orjson.loads(path.read_bytes())
    return {
        "gc_seconds": float(sum(raw["seconds"])),
        "gc_full_seconds": float(raw["seconds"][2]),
        "gc_collections": float(sum(raw["collections"])),
        "gc_full_collections": float(raw["collections"][2]),
    }


def gateway_spec(
    context: RunContext, name: str, port: int, supergraph: Path, gc_tuning: str | None = None
) -> ServerSpec:
    """How to start the contender called ``name`` on ``port`` (``gc_tuning``: experiments)."""
    info = CONTENDERS[name]
    if info.ours:
        return _ours(context, name, info, port, supergraph, gc_tuning)
    node = node_binary()
    ready = ReadyCheck(f"http://127.0.0.1:{port}/graphql", body=query_body())
    if name == "apollo":
        return ServerSpec(
            name=name,
            command=(node, str(PEERS / "apollo-gateway.js")),
            cwd=BENCH_DIR,
            env={"PORT": str(port), "SUPERGRAPH": str(supergraph), "NODE_ENV": "production"},
            port=port,
            ready=ready,
        )
    return ServerSpec(
        name=name,
        command=(
            node,
            str(HIVE_BIN),
            "supergraph",
            str(supergraph),
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
            "--config-path",
            str(PEERS / info.hive_config),
        ),
        cwd=BENCH_DIR,
        env={"NODE_ENV": "production"},
        port=port,
        ready=ready,
    )


def stand_in_subgraphs(port: int) -> ServerSpec:
    """The Node stand-ins of the benchmark's four subgraphs, on one port."""
    return ServerSpec(
        name="subgraphs",
        command=(node_binary(), str(KIT / "subgraphs.js")),
        cwd=BENCH_DIR,
        env={"PORT": str(port), "NODE_PATH": str(NODE_MODULES), "NODE_ENV": "production"},
        port=port,
        ready=ReadyCheck(f"http://127.0.0.1:{port}/health"),
    )


@contextlib.contextmanager
def _started(spec: ServerSpec, log_dir: Path) -> Iterator[RunningServer]:
    server = RunningServer(spec, log_dir)
    with server:
        yield server


def _probe_for(context: RunContext, name: str) -> Callable[[], dict[str, float]] | None:
    if not CONTENDERS[name].gc_timed:
        return None
    path = gc_stats_file(context, name)
    return lambda: _gc_probe(path)


def gc_summary(result: Measurement) -> str:
    """The garbage collector's share of an [experiment] run."""
    probed = result.probed
    per_request = probed["gc_seconds"] * 1000 / result.served_requests
    share = probed["gc_seconds"] / result.gateway_cpu_seconds if result.gateway_cpu_seconds else 0
    return (
        f"garbage collector {per_request:.2f} ms per request ({share:.0%} of the gateway CPU), "
        f"{probed['gc_collections']:.0f} collections of which "
        f"{probed['gc_full_collections']:.0f} full ({probed['gc_full_seconds'] * 1000:.0f} ms)"
    )


def _check_response(url: str, body: bytes, reference: Any | None) -> tuple[Any, str]:
    with httpx.Client(timeout=60.0) as client:
        status, answer = post_json(client, url, body)
    if status != 200 or not isinstance(answer, dict) or "data" not in answer:
        raise BenchError(f"{url} answered HTTP {status}: {str(answer)[:500]}")
    if answer.get("errors"):
        return answer, f"errors: {str(answer['errors'])[:200]}"
    if reference is None:
        return answer, "reference"
    difference = first_difference(reference, answer)
    return answer, "same" if difference is None else f"DIFFERENT ({difference})"


def median_round(results: Sequence[Measurement]) -> Measurement:
    """The round with the median throughput (all its figures together); notes every round."""
    ordered = sorted(results, key=lambda item: item.load.requests_per_second)
    chosen = ordered[(len(ordered) - 1) // 2]
    if len(results) > 1:
        figures = ", ".join(
            f"{item.load.requests_per_second:.0f} req/s {item.cpu_ms_per_request:.2f} ms"
            for item in results
        )
        chosen.notes.append(f"{chosen.name}: median of {len(results)} rounds ({figures})")
    return chosen


def _run_one(
    context: RunContext,
    options: FederationOptions,
    name: str,
    index: int,
    round_number: int,
    supergraph: Path,
    plan: LoadPlan,
    subgraphs: RunningServer,
    reference: Any | None,
) -> tuple[Measurement, Any | None]:
    """Start one contender, check its answer, measure it, stop it."""
    info = CONTENDERS[name]
    spec = gateway_spec(context, name, context.port(10 + index), supergraph, options.gc_tuning)
    tag = f" (round {round_number})" if options.rounds > 1 else ""
    print(f"[federation] {info.label}{tag}: starting", flush=True)
    with _started(spec, context.run_dir) as gateway:
        url = f"http://127.0.0.1:{spec.port}/graphql"
        answer, check = _check_response(url, plan.bodies[0], reference)
        if reference is None and check == "reference":
            reference = answer
        result = measure(
            gateway,
            url,
            plan,
            work_dir=context.run_dir,
            name=f"{name}.r{round_number}",
            label=info.label,
            ours=info.ours,
            expected=reference,
            subgraphs=[subgraphs],
            stats_urls=[f"http://127.0.0.1:{context.port(0)}/stats"],
            probe=_probe_for(context, name),
        )
    result.name = name
    result.response_check = check
    tuning = spec.env.get(GC_TUNING_VARIABLE)
    if tuning:
        result.notes.append(f"{name}: ORDERGATE_BENCH_GC={tuning}")
    if result.probed:
        result.notes.append(f"{name}{tag}: {gc_summary(result)}")
    print(
        f"[federation] {info.label}{tag}: {result.load.requests_per_second:.1f} req/s, "
        f"p95 {result.load.latency_ms['p95']:.1f} ms, "
        f"{result.cpu_ms_per_request:.2f} ms CPU/req, errors {result.errors}",
        flush=True,
    )
    return result, reference


def run_federation(options: FederationOptions) -> dict[str, Any]:
    """Run scenario 1 and write its results; returns the JSON document written."""
    unknown = [name for name in options.only if name not in CONTENDERS]
    if unknown:
        raise BenchError(f"unknown gateways {unknown}; choose from {', '.join(CONTENDERS)}")
    context = RunContext.create("federation", options.port_base)
    subgraph_port = context.port(0)
    supergraph = write_supergraph(context.run_dir, subgraph_port)
    body = query_body()
    plan = LoadPlan(
        bodies=[body],
        connections=options.connections,
        duration_seconds=options.duration_seconds,
        warmup_seconds=options.warmup_seconds,
        samples=options.samples,
    )
    env = environment()
    rounds: dict[str, list[Measurement]] = {}
    reference: Any | None = None
    with _started(stand_in_subgraphs(subgraph_port), context.run_dir) as subgraphs:
        for round_number in range(1, options.rounds + 1):
            for index, name in enumerate(CONTENDERS):
                if name not in options.only:
                    continue
                result, reference = _run_one(
                    context, options, name, index, round_number, supergraph, plan, subgraphs,
                    reference,
                )  # fmt: skip
                rounds.setdefault(name, []).append(result)
    measurements = [median_round(results) for results in rounds.values()]
    by_name = {item.name: item for item in measurements}
    targets = federation_targets(by_name, options.connections)
    markdown = render(measurements, targets, options, env)
    data = {
        "scenario": "federation",
        "environment": env,
        "options": {
            "duration_seconds": options.duration_seconds,
            "warmup_seconds": options.warmup_seconds,
            "connections": options.connections,
            "samples": options.samples,
            "rounds": options.rounds,
        },
        "results": [item.to_json() for item in measurements],
        "rounds": {name: [item.to_json() for item in items] for name, items in rounds.items()},
        "targets": targets,
        "response_bytes": len(orjson.dumps(reference)) if reference is not None else None,
    }
    write_results(context.run_dir, "federation", data, markdown)
    print(markdown, flush=True)
    print(f"\nresults: {context.run_dir}", flush=True)
    return data


def render_again(path: Path) -> str:
    """Render a federation.json written earlier (after a change to the tables)."""
    data = json.loads(path.read_text())
    measurements = [Measurement.from_json(raw) for raw in data["results"]]
    saved = data["options"]
    options = FederationOptions(
        duration_seconds=saved["duration_seconds"],
        warmup_seconds=saved["warmup_seconds"],
        connections=saved["connections"],
        samples=saved["samples"],
        rounds=saved.get("rounds", 1),
    )
    targets = federation_targets({item.name: item for item in measurements}, options.connections)
    markdown = render(measurements, targets, options, data["environment"])
    data["targets"] = targets
    write_results(path.parent, "federation", data, markdown)
    return markdown


def render(
    measurements: Sequence[Measurement],
    targets: Sequence[dict[str, Any]],
    options: FederationOptions,
    env: dict[str, Any],
) -> str:
    """The scenario's markdown: the main table, then the targets."""
    title = (
        f"### Federation benchmark: wrk -t1 -c{options.connections} -d{options.duration_seconds}s "
        f"(after {options.warmup_seconds} s warm-up), {env['cpus']} CPUs shared by everything, "
        f"{env['time']}"
    )
    ours = [item for item in measurements if item.name in ("ordergate", "ordergate-no-dedup")]
    ratio_header, ratio_rows = ratio_columns(measurements, ours)
    rows = [
        [*row, *ratios]
        for row, ratios in zip(measurement_rows(measurements), ratio_rows, strict=True)
    ]
    table = markdown_table((*MEASUREMENT_HEADER, *ratio_header), rows)
    target_rows = [
        [row["target"], row["measured"], row["verdict"], row.get("note", "")] for row in targets
    ]
    target_table = markdown_table(("target", "measured", "verdict", "note"), target_rows)
    notes = [note for item in measurements for note in item.notes]
    extra = "\n".join(f"- {note}" for note in dict.fromkeys(notes))
    return "\n\n".join(part for part in (title, table, "#### Targets", target_table, extra) if part)
