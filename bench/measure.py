"""Measure one running gateway under one load: the figures of one table row.

Per run: an optional warm-up (not counted), then counters (gateway process tree CPU, subgraph
call counts, machine CPU) around a wrk run while a sampler checks answers on the side. CPU per
request and subgraph calls per request divide by every request the gateway served in the
window: wrk's completed ones, the sampler's, and the requests still in flight when wrk stops
(one per connection in a closed loop), which the gateway finishes after wrk has gone. So that
no work leaks between runs, every run is followed by a wait until the gateway is idle.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench.checks import LoadSampler, SampleReport
from bench.load import LoadResult, run_wrk
from bench.machine import CpuClock
from bench.servers import RunningServer

__all__ = ["LoadPlan", "Measurement", "measure", "subgraph_calls", "wait_idle"]


@dataclass(frozen=True, slots=True)
class LoadPlan:
    """The load to apply: the same for every gateway of a scenario."""

    bodies: Sequence[bytes]
    connections: int
    duration_seconds: int
    warmup_seconds: int = 0
    samples: int = 20
    headers: Mapping[str, str] = field(default_factory=dict)
    #: ``GET`` sends the URL alone (REST routes); ``POST`` the bodies
    method: str = "POST"


@dataclass(slots=True)
class Measurement:
    """One gateway under one load."""

    name: str
    label: str
    ours: bool
    load: LoadResult
    sample: SampleReport
    gateway_cpu_seconds: float
    served_requests: int
    peak_rss_bytes: int
    end_rss_bytes: int
    subgraph_calls: int | None
    subgraph_cpu_seconds: float
    wrk_cpu_seconds: float
    harness_cpu_seconds: float
    machine_busy_seconds: float
    window_seconds: float
    response_check: str = ""
    notes: list[str] = field(default_factory=list)
    #: differences of the probe's counters over the measured window (e.g. GC seconds)
    probed: dict[str, float] = field(default_factory=dict)
    #: CPU seconds of each subgraph server over the window (by server name); they sum to
    #: ``subgraph_cpu_seconds``
    subgraph_cpu_by_name: dict[str, float] = field(default_factory=dict)

    @property
    def cpu_ms_per_request(self) -> float:
        """Gateway CPU milliseconds per served request."""
        return self.gateway_cpu_seconds * 1000 / self.served_requests if self.served_requests else 0

    @property
    def calls_per_request(self) -> float | None:
        """Subgraph HTTP calls per served request."""
        if self.subgraph_calls is None or not self.served_requests:
            return None
        return self.subgraph_calls / self.served_requests

    @property
    def errors(self) -> int:
        """Non-2xx and socket errors (wrk) plus failed samples."""
        return self.load.status_errors + self.load.socket_errors + self.sample.failures

    @property
    def others_cpu_seconds(self) -> float:
        """CPU used during the run by processes that are not part of it (other users)."""
        own = (
            self.gateway_cpu_seconds
            + self.subgraph_cpu_seconds
            + self.wrk_cpu_seconds
            + self.harness_cpu_seconds
        )
        return max(0.0, self.machine_busy_seconds - own)

    @property
    def others_cores(self) -> float:
        """Cores kept busy by other users during the run, on average."""
        return self.others_cpu_seconds / self.window_seconds if self.window_seconds else 0.0

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Measurement:
        """The measurement :meth:`to_json` wrote (to render results again)."""
        wrk = raw["wrk"]
        load = LoadResult(
            requests=wrk["requests"],
            duration_seconds=wrk["duration_seconds"],
            bytes_read=wrk["bytes_read"],
            connect_errors=wrk["connect_errors"],
            read_errors=wrk["read_errors"],
            write_errors=wrk["write_errors"],
            status_errors=wrk["status_errors"],
            timeouts=wrk["timeouts"],
            latency_ms=wrk["latency_ms"],
        )
        sample_fields = ("sent", "non_200", "graphql_errors", "different", "transport_errors")
        sample = SampleReport(
            **{key: raw["sample"][key] for key in sample_fields},
            examples=list(raw["sample"]["examples"]),
        )
        return cls(
            name=raw["name"],
            label=raw["label"],
            ours=raw["ours"],
            load=load,
            sample=sample,
            gateway_cpu_seconds=raw["gateway_cpu_seconds"],
            served_requests=raw["served_requests"],
            peak_rss_bytes=raw["peak_rss_bytes"],
            end_rss_bytes=raw["end_rss_bytes"],
            subgraph_calls=raw["subgraph_calls"],
            subgraph_cpu_seconds=raw["subgraph_cpu_seconds"],
            wrk_cpu_seconds=raw["wrk_cpu_seconds"],
            harness_cpu_seconds=raw["harness_cpu_seconds"],
            machine_busy_seconds=raw["machine_busy_seconds"],
            window_seconds=raw["window_seconds"],
            response_check=raw["response_check"],
            notes=list(raw["notes"]),
            probed=dict(raw.get("probed", {})),
            subgraph_cpu_by_name=dict(raw.get("subgraph_cpu_by_name", {})),
        )

    def to_json(self) -> dict[str, Any]:
        """JSON-ready figures, raw and derived."""
        return {
            "name": self.name,
            "label": self.label,
            "ours": self.ours,
            "wrk": self.load.to_json(),
            "sample": {
                "sent": self.sample.sent,
                "non_200": self.sample.non_200,
                "graphql_errors": self.sample.graphql_errors,
                "different": self.sample.different,
                "transport_errors": self.sample.transport_errors,
                "examples": self.sample.examples,
            },
            "requests_per_second": self.load.requests_per_second,
            "latency_ms": self.load.latency_ms,
            "gateway_cpu_seconds": self.gateway_cpu_seconds,
            "served_requests": self.served_requests,
            "cpu_ms_per_request": self.cpu_ms_per_request,
            "peak_rss_bytes": self.peak_rss_bytes,
            "end_rss_bytes": self.end_rss_bytes,
            "subgraph_calls": self.subgraph_calls,
            "subgraph_calls_per_request": self.calls_per_request,
            "subgraph_cpu_seconds": self.subgraph_cpu_seconds,
            "subgraph_cpu_by_name": self.subgraph_cpu_by_name,
            "wrk_cpu_seconds": self.wrk_cpu_seconds,
            "harness_cpu_seconds": self.harness_cpu_seconds,
            "machine_busy_seconds": self.machine_busy_seconds,
            "others_cpu_seconds": self.others_cpu_seconds,
            "others_cores": self.others_cores,
            "window_seconds": self.window_seconds,
            "errors": self.errors,
            "response_check": self.response_check,
            "notes": self.notes,
            "probed": self.probed,
        }


def subgraph_calls(stats_urls: Sequence[str]) -> int | None:
    """Total requests the stand-in subgraphs have served (their ``GET /stats``)."""
    if not stats_urls:
        return None
    total = 0
    with httpx.Client(timeout=10.0) as client:
        for url in stats_urls:
            counts = orjson.loads(client.get(url).content)
            total += sum(int(value) for value in counts.values())
    return total


def wait_idle(
    server: RunningServer, *, quiet_seconds: float = 0.5, timeout_seconds: float = 60.0
) -> None:
    """Wait until ``server`` used less than 2 % of a core over ``quiet_seconds``."""
    deadline = time.monotonic() + timeout_seconds
    last = server.snapshot().cpu_seconds
    while time.monotonic() < deadline:
        time.sleep(quiet_seconds)
        now = server.snapshot().cpu_seconds
        if now - last < 0.02 * quiet_seconds:
            return
        last = now


def measure(
    gateway: RunningServer,
    url: str,
    plan: LoadPlan,
    *,
    work_dir: Path,
    name: str,
    label: str,
    ours: bool,
    expected: Any | None,
    subgraphs: Sequence[RunningServer] = (),
    stats_urls: Sequence[str] = (),
    probe: Callable[[], dict[str, float]] | None = None,
) -> Measurement:
    """Warm up, then run ``plan`` against ``url`` and collect every figure."""
    if plan.warmup_seconds > 0:
        run_wrk(
            url,
            plan.bodies,
            work_dir=work_dir,
            name=f"{name}.warmup",
            connections=plan.connections,
            duration_seconds=plan.warmup_seconds,
            headers=plan.headers,
            method=plan.method,
        )
        wait_idle(gateway)
    sampler = LoadSampler(
        url,
        plan.bodies[0],
        expected=expected,
        count=plan.samples,
        seconds=plan.duration_seconds,
        headers=plan.headers,
    )
    calls_before = subgraph_calls(stats_urls)
    subgraph_before = [server.snapshot() for server in subgraphs]
    before = gateway.snapshot()
    probed_before = probe() if probe is not None else {}
    clock = CpuClock()
    clock.start()
    started = time.monotonic()
    if plan.samples:
        sampler.start()
    load = run_wrk(
        url,
        plan.bodies,
        work_dir=work_dir,
        name=name,
        connections=plan.connections,
        duration_seconds=plan.duration_seconds,
        headers=plan.headers,
        method=plan.method,
    )
    wrk_cpu = clock.children()
    report = sampler.join() if plan.samples else SampleReport()
    wait_idle(gateway)
    busy = clock.machine_busy()
    harness_cpu = clock.own()
    window = time.monotonic() - started
    after = gateway.snapshot()
    probed_after = probe() if probe is not None else {}
    subgraph_after = [server.snapshot() for server in subgraphs]
    calls_after = subgraph_calls(stats_urls)
    subgraph_cpu = {
        server.spec.name: late.cpu_since(early)
        for server, early, late in zip(subgraphs, subgraph_before, subgraph_after, strict=True)
    }
    calls = (
        calls_after - calls_before if calls_after is not None and calls_before is not None else None
    )
    return Measurement(
        name=name,
        label=label,
        ours=ours,
        load=load,
        sample=report,
        gateway_cpu_seconds=after.cpu_since(before),
        served_requests=load.requests + report.sent + plan.connections,
        peak_rss_bytes=after.hwm_bytes,
        end_rss_bytes=after.rss_bytes,
        subgraph_calls=calls,
        subgraph_cpu_seconds=sum(subgraph_cpu.values()),
        subgraph_cpu_by_name=subgraph_cpu,
        wrk_cpu_seconds=wrk_cpu,
        harness_cpu_seconds=harness_cpu,
        machine_busy_seconds=busy,
        window_seconds=window,
        probed={key: probed_after[key] - probed_before.get(key, 0.0) for key in probed_after},
    )
