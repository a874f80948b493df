"""Gateway CPU per request, in process: the engine (or the whole pipeline) over recorded
subgraph responses, so only the gateway's own work is timed.

Usage (the stand-in subgraphs must run, e.g.
``PORT=4290 NODE_PATH=bench/node_modules node bench/kit/subgraphs.js``)::

    uv run python bench/overhead.py --subgraphs http://127.0.0.1:4290

It records each subgraph answer once over real HTTP, then replays them from memory while timing
``service.execute`` plus the JSON serialization the edge does, sequentially, and prints the
median and mean per request for the benchmark query (87 KB response) and for a small query.
With ``--live`` every request calls the subgraphs over HTTP and the process CPU time is
measured instead (the gateway's CPU per request, transport included).

``--concurrency 50`` keeps that many requests in flight (each recorded answer yields to the
event loop once) and prints the process CPU time per request of the benchmark query: the
garbage collector's share grows with what is in flight. ``--runtime-gc`` applies the product's
``runtime.gc`` defaults first (``GcTuner``), for an A/B of the collector settings::

    uv run python bench/overhead.py --concurrency 50 --rounds 2000 [--runtime-gc]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import logging
import statistics
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson
import structlog

from gateway.engine.core import EngineOptions, build_engine
from gateway.engine.types import GraphQLRequest, RequestContext
from gateway.execution.transport import AiohttpTransport
from gateway.pipeline import SupergraphPipeline

BENCH_DIR = Path(__file__).parent
SMALL = "query Small { topProducts { upc name price } }"


class Recording:
    """A transport that answers from memory what the wrapped transport once answered."""

    def __init__(self, inner: AiohttpTransport) -> None:
        self.inner = inner
        self.answers: dict[tuple[str, bytes], bytes] = {}
        self.replaying = False
        #: give other requests a turn on each answer (``--concurrency``)
        self.yielding = False

    async def send(
        self, service: str, body: bytes, headers: Mapping[str, str] | None = None
    ) -> bytes:
        key = (service, body)
        if self.replaying:
            if self.yielding:
                await asyncio.sleep(0)
            return self.answers[key]
        answer = await self.inner.send(service, body, headers)
        self.answers[key] = answer
        return answer

    async def aclose(self) -> None:
        await self.inner.aclose()


async def _time(
    service: Any, request: GraphQLRequest, rounds: int, clock: Any = time.perf_counter
) -> tuple[float, float, int]:
    timings = []
    size = 0
    for index in range(rounds):
        context = RequestContext(request_id=f"bench-{index}")
        started = clock()
        result = await service.execute(request, context)
        body = orjson.dumps(result.to_payload())
        timings.append(clock() - started)
        size = len(body)
        assert result.status_code == 200 and not result.errors, result.errors
        assert result.data
    return statistics.median(timings) * 1000, statistics.fmean(timings) * 1000, size


async def _cpu_concurrent(
    service: Any, request: GraphQLRequest, total: int, concurrency: int
) -> float:
    """Process CPU ms per request with ``concurrency`` requests in flight."""
    numbers = iter(range(total))

    async def client() -> None:
        for index in numbers:
            result = await service.execute(request, RequestContext(request_id=f"bench-{index}"))
            orjson.dumps(result.to_payload())

    started = time.process_time()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return (time.process_time() - started) * 1000 / total


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kit", type=Path, default=BENCH_DIR / "kit", help="query.json's folder")
    parser.add_argument("--supergraph", type=Path, default=BENCH_DIR / "supergraph.graphql")
    parser.add_argument("--subgraphs", default="http://127.0.0.1:4290")
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument(
        "--live", action="store_true", help="call the subgraphs over HTTP; time process CPU"
    )
    parser.add_argument(
        "--pipeline",
        action="store_true",
        help="time the whole pipeline (the small query sent by APQ hash), not the engine alone",
    )
    parser.add_argument("--concurrency", type=int, default=1, help="requests in flight")
    parser.add_argument(
        "--runtime-gc", action="store_true", help="apply the product's runtime.gc defaults"
    )
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    sdl = args.supergraph.read_text()
    big = orjson.loads((args.kit / "query.json").read_bytes())["query"]
    names = ("accounts", "inventory", "products", "reviews")
    urls = {name: f"{args.subgraphs}/{name}" for name in names}
    recording = Recording(AiohttpTransport(urls, timeout_seconds=10))
    service: Any
    runtime: Any = None
    if args.pipeline:  # imported here: only the full pipeline needs the runtime
        from gateway.pipeline.assembly import build_pipeline
        from gateway.pipeline.runtime import GatewayRuntime
        from gateway.settings import GatewaySettings

        # anonymous callers measured, never refused (the default budget enforces 1000 units)
        measured = {"capacity": 1e9, "refill_per_second": 1e9, "max_operation_cost": 1e9}
        settings = GatewaySettings(
            persisted={"clients_file": Path("/nonexistent/clients.yaml"), "watch": False},
            limits={"unidentified": {"budget": {**measured, "mode": "measure"}}},
        )
        runtime = GatewayRuntime(settings)
        pipeline = build_pipeline(sdl, runtime)
        pipeline.engine.executor.transport = recording
        service = pipeline
    else:
        options = EngineOptions(subgraph_urls=urls, dedupe_inflight=False)
        engine = build_engine(sdl, options)
        engine.executor.transport = recording
        service = SupergraphPipeline(engine)  # the pipeline with no stages: the bare engine
    small_hash = hashlib.sha256(SMALL.encode()).hexdigest()
    apq = {"persistedQuery": {"version": 1, "sha256Hash": small_hash}}
    for query in (big, SMALL):  # record (and register the small query's APQ hash)
        await service.execute(
            GraphQLRequest(query, extensions=apq if query is SMALL and args.pipeline else None),
            RequestContext("record"),
        )
    recording.replaying = not args.live
    tuner = None
    if args.runtime_gc:
        from gateway.process import GcSettings, GcTuner

        tuner = GcTuner(GcSettings())
        tuner.start()
    if args.concurrency > 1:
        recording.yielding = True
        request = GraphQLRequest(big)
        await _cpu_concurrent(service, request, args.rounds // 4, args.concurrency)  # warm up
        cpu = await _cpu_concurrent(service, request, args.rounds, args.concurrency)
        print(f"benchmark query, {args.concurrency} in flight: {cpu:.3f} ms CPU per request")
        args.rounds = 0
    clock = time.process_time if args.live else time.perf_counter
    small = GraphQLRequest(None, extensions=apq) if args.pipeline else GraphQLRequest(SMALL)
    measured = (("benchmark query", GraphQLRequest(big)), ("small query", small))
    for name, request in measured if args.rounds else ():
        await _time(service, request, 30, clock)  # warm up
        median, mean, size = await _time(service, request, args.rounds, clock)
        print(f"{name}: {size} bytes, median {median:.3f} ms, mean {mean:.3f} ms per request")
    if tuner is not None:
        await tuner.aclose()
    if runtime is not None:
        await runtime.aclose()
    await recording.aclose()


if __name__ == "__main__":
    asyncio.run(main())
