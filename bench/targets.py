"""Issue 8's targets, checked against the measurements of one run (never across runs).

Our gateway and Hive Gateway both share identical in-flight subgraph requests by default;
@apollo/gateway does not. The targets are therefore checked twice: our default against Hive's
default, and ours with that sharing off against Hive with it off ("no dedup"). Neither has
inbound deduplication; Hive Gateway with inbound deduplication (the benchmark's configuration)
is compared with ours with it too (``ordergate-dedup``: ``http.deduplicate_inflight``), or, when
that row was not run, with ours without it, marked so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bench.measure import Measurement

__all__ = ["federation_targets"]

CPU_MS_TARGET = 4.0
P95_MS_TARGET = 200.0
#: (our configuration, the Hive configuration it is compared with, tag)
PAIRS = (("ordergate", "hive", "default"), ("ordergate-no-dedup", "hive-no-dedup", "no dedup"))


def _row(target: str, measured: str, ok: bool, note: str = "") -> dict[str, Any]:
    return {"target": target, "measured": measured, "verdict": "met" if ok else "NOT met",
            "note": note}  # fmt: skip


def _rps(measurement: Measurement | None) -> float:
    return measurement.load.requests_per_second if measurement is not None else 0.0


def _pair_targets(
    ours: Measurement,
    hive: Measurement | None,
    apollo: Measurement | None,
    tag: str,
    connections: int,
) -> list[dict[str, Any]]:
    rows = []
    rps = ours.load.requests_per_second
    if _rps(apollo):
        ratio = rps / _rps(apollo)
        rows.append(_row(f"≥ 3x @apollo/gateway req/s ({tag})", f"{ratio:.2f}x", ratio >= 3))
    if _rps(hive):
        ratio = rps / _rps(hive)
        rows.append(_row(f"≥ 2x Hive Gateway req/s ({tag})", f"{ratio:.2f}x", ratio >= 2))
    cpu = ours.cpu_ms_per_request
    rows.append(
        _row(f"≤ {CPU_MS_TARGET:g} ms gateway CPU/request ({tag})", f"{cpu:.2f} ms", cpu <= 4)
    )
    p95 = ours.load.latency_ms["p95"]
    rows.append(
        _row(
            f"p95 < {P95_MS_TARGET:g} ms at {connections} connections ({tag})",
            f"{p95:.1f} ms",
            p95 < P95_MS_TARGET,
        )
    )
    rows.append(_row(f"zero errors ({tag})", str(ours.errors), ours.errors == 0))
    calls = ours.calls_per_request
    hive_calls = hive.calls_per_request if hive is not None else None
    if calls is not None and hive_calls is not None:
        rows.append(
            _row(
                f"subgraph calls/request ≤ Hive Gateway's ({tag})",
                f"{calls:.2f} vs {hive_calls:.2f}",
                calls <= hive_calls,
            )
        )
    return rows


def federation_targets(
    by_name: Mapping[str, Measurement], connections: int
) -> list[dict[str, Any]]:
    """The target rows this run can decide."""
    rows: list[dict[str, Any]] = []
    apollo = by_name.get("apollo")
    for ours_name, hive_name, tag in PAIRS:
        ours = by_name.get(ours_name)
        if ours is not None:
            rows += _pair_targets(ours, by_name.get(hive_name), apollo, tag, connections)
    hive_dedup = by_name.get("hive-dedup")
    one = by_name.get("ordergate")
    inbound = by_name.get("ordergate-dedup")
    if inbound is not None and hive_dedup is not None and _rps(hive_dedup):
        ratio = _rps(inbound) / _rps(hive_dedup)
        rows.append(
            _row(
                "≥ Hive Gateway's inbound-deduplicated req/s",
                f"{ratio:.2f}x",
                ratio >= 1,
                "both with inbound dedup (http.deduplicate_inflight)",
            )
        )
    elif one is not None and _rps(hive_dedup):
        ratio = _rps(one) / _rps(hive_dedup)
        rows.append(
            _row(
                "≥ Hive Gateway's inbound-deduplicated req/s",
                f"{ratio:.2f}x",
                ratio >= 1,
                "ours WITHOUT inbound dedup (row ordergate-dedup not run) vs Hive with it",
            )
        )
    two = by_name.get("ordergate-2w")
    if one is not None and two is not None and _rps(one):
        scaling = _rps(two) / _rps(one)
        rows.append(
            {
                "target": "2 worker processes: scaling (report only)",
                "measured": f"{scaling:.2f}x the req/s of 1 process",
                "verdict": "reported",
                "note": "ordergate gateway --workers 2",
            }
        )
    return rows
