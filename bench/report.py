"""Render results: markdown tables for people, JSON files for tools."""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.machine import cpu_count
from bench.measure import Measurement

__all__ = [
    "MEASUREMENT_HEADER",
    "environment",
    "markdown_table",
    "measurement_rows",
    "mib",
    "ratio_columns",
    "write_results",
]

MEASUREMENT_HEADER = (
    "gateway",
    "req/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "CPU ms/req",
    "peak RSS MiB",
    "subgraph calls/req",
    "errors",
    "same response",
    "others' load",
)


def mib(value: int) -> str:
    """Bytes as MiB, one decimal."""
    return f"{value / 1048576:.1f}"


def _number(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _errors(measurement: Measurement) -> str:
    load, sample = measurement.load, measurement.sample
    total = measurement.errors
    if not total:
        return "0"
    parts = []
    if load.status_errors:
        parts.append(f"{load.status_errors} non-2xx")
    if load.socket_errors:
        parts.append(f"{load.socket_errors} socket")
    if sample.failures:
        parts.append(f"{sample.failures}/{sample.sent} samples")
    return f"{total} ({', '.join(parts)})"


def ratio_columns(
    measurements: Sequence[Measurement], ours: Sequence[Measurement]
) -> tuple[list[str], list[list[str]]]:
    """Columns "<ours> ÷ this" (req/s) for each of ``ours``, filled on the peers' rows."""
    header = [f"{item.label.split(' (')[0]} ({_tag(item)}) ÷ this" for item in ours]
    rows = []
    for item in measurements:
        rows.append(
            [
                f"{mine.load.requests_per_second / item.load.requests_per_second:.2f}x"
                if not item.ours and item.load.requests_per_second
                else "—"
                for mine in ours
            ]
        )
    return header, rows


def _tag(item: Measurement) -> str:
    return item.label.split("(", 1)[1].split(":")[0].rstrip(")") if "(" in item.label else ""


def measurement_rows(measurements: Sequence[Measurement]) -> list[list[str]]:
    """One table row per measurement."""
    rows = []
    for item in measurements:
        latency = item.load.latency_ms
        calls = item.calls_per_request
        rows.append(
            [
                item.label,
                _number(item.load.requests_per_second),
                _number(latency["p50"]),
                _number(latency["p95"]),
                _number(latency["p99"]),
                _number(item.cpu_ms_per_request, 2),
                mib(item.peak_rss_bytes),
                "—" if calls is None else _number(calls, 2),
                _errors(item),
                item.response_check or "—",
                f"{item.others_cores:.2f} cores",
            ]
        )
    return rows


def environment() -> dict[str, Any]:
    """What the run ran on."""
    load1, load5, load15 = os.getloadavg()
    return {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "host": platform.node(),
        "python": platform.python_version(),
        "cpus": cpu_count(),
        "loadavg_at_start": [load1, load5, load15],
    }


def write_results(run_dir: Path, name: str, data: dict[str, Any], markdown: str) -> Path:
    """``<run_dir>/<name>.json`` and ``.md``; also ``results/latest-<name>.md``."""
    (run_dir / f"{name}.json").write_text(json.dumps(data, indent=2, default=str) + "\n")
    target = run_dir / f"{name}.md"
    target.write_text(markdown + "\n")
    (run_dir.parent / f"latest-{name}.md").write_text(markdown + "\n")
    (run_dir.parent / f"latest-{name}.json").write_text(
        json.dumps(data, indent=2, default=str) + "\n"
    )
    return target
