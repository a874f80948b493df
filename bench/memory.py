"""A long run of our gateway on the federation benchmark, its resident memory sampled over time.

Reports RSS at the start of the measured run (after the warm-up), at its end and its peak
(VmHWM), with a sample every ``interval`` seconds, to show whether memory grows under load.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from bench.context import RunContext
from bench.federation import gateway_spec, query_body, stand_in_subgraphs, write_supergraph
from bench.load import run_wrk
from bench.measure import LoadPlan, measure, wait_idle
from bench.report import environment, markdown_table, mib, write_results
from bench.servers import RunningServer

__all__ = ["MemoryOptions", "run_memory"]


@dataclass(frozen=True, slots=True)
class MemoryOptions:
    """Knobs of the memory run."""

    duration_seconds: int = 300
    warmup_seconds: int = 3
    connections: int = 50
    port_base: int = 4800
    interval_seconds: int = 10
    gateway: str = "ordergate"


class RssRecorder:
    """Samples a server's RSS every ``interval`` seconds in a thread until stopped."""

    def __init__(self, server: RunningServer, interval: float) -> None:
        self.samples: list[tuple[float, int]] = []
        self.peak_bytes = 0
        self._server = server
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-recorder", daemon=True)

    def _run(self) -> None:
        elapsed = 0.0
        while not self._stop.wait(self._interval):
            elapsed += self._interval
            self.samples.append((elapsed, self._server.snapshot().rss_bytes))

    def __enter__(self) -> RssRecorder:
        self.samples.append((0.0, self._server.snapshot().rss_bytes))
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        last = self._server.snapshot()
        self.samples.append((self.samples[-1][0] + self._interval / 2, last.rss_bytes))
        self.peak_bytes = last.hwm_bytes


def run_memory(options: MemoryOptions) -> dict[str, Any]:
    """Run the long measurement and write its results."""
    context = RunContext.create("memory", options.port_base)
    subgraph_port = context.port(0)
    supergraph = write_supergraph(context.run_dir, subgraph_port)
    env = environment()
    plan = LoadPlan(
        bodies=[query_body()],
        connections=options.connections,
        duration_seconds=options.duration_seconds,
        samples=max(20, options.duration_seconds // 5),
    )
    with RunningServer(stand_in_subgraphs(subgraph_port), context.run_dir) as subgraphs:
        spec = gateway_spec(context, options.gateway, context.port(10), supergraph)
        with RunningServer(spec, context.run_dir) as gateway:
            url = f"http://127.0.0.1:{spec.port}/graphql"
            started_rss = gateway.snapshot().rss_bytes
            if options.warmup_seconds:
                run_wrk(
                    url,
                    plan.bodies,
                    work_dir=context.run_dir,
                    name="warmup",
                    connections=options.connections,
                    duration_seconds=options.warmup_seconds,
                )
                wait_idle(gateway)
            print(
                f"[memory] {options.gateway}: {options.duration_seconds} s at "
                f"{options.connections} connections, RSS every {options.interval_seconds} s",
                flush=True,
            )
            with RssRecorder(gateway, options.interval_seconds) as recorder:
                result = measure(
                    gateway,
                    url,
                    plan,
                    work_dir=context.run_dir,
                    name=options.gateway,
                    label=options.gateway,
                    ours=True,
                    expected=None,
                    subgraphs=[subgraphs],
                    stats_urls=[f"http://127.0.0.1:{subgraph_port}/stats"],
                )
    series = recorder.samples
    start_rss = series[0][1]
    end_rss = series[-1][1]
    rows = [
        [
            options.gateway,
            f"{options.duration_seconds}",
            f"{result.load.requests:,}",
            f"{result.load.requests_per_second:.1f}",
            mib(started_rss),
            mib(start_rss),
            mib(end_rss),
            mib(max(result.peak_rss_bytes, recorder.peak_bytes)),
            f"{(end_rss - start_rss) / 1048576:+.1f}",
            str(result.errors),
        ]
    ]
    header = (
        "gateway",
        "seconds",
        "requests",
        "req/s",
        "RSS before warm-up MiB",
        "RSS at start MiB",
        "RSS at end MiB",
        "peak RSS MiB",
        "end - start MiB",
        "errors",
    )
    trace = ", ".join(f"{int(t)} s: {mib(rss)}" for t, rss in series)
    markdown = "\n\n".join(
        [
            f"### Memory: {options.gateway} for {options.duration_seconds} s, wrk -t1 "
            f"-c{options.connections}, {env['time']}",
            markdown_table(header, rows),
            f"RSS (MiB) over the run: {trace}",
        ]
    )
    data = {
        "scenario": "memory",
        "environment": env,
        "idle_rss_bytes": started_rss,
        "rss_series": series,
        "result": result.to_json(),
    }
    write_results(context.run_dir, "memory", data, markdown)
    print(markdown, flush=True)
    return data
