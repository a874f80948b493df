"""The benchmark harness's conclusions: profile attribution and the issue's targets."""

from __future__ import annotations

from bench.checks import SampleReport
from bench.load import LoadResult
from bench.measure import Measurement
from bench.profiling import StackProfile, categorize, short_frame
from bench.targets import federation_targets

ORJSON = "orjson/orjson.cpython-311.so"
LOOP = "Runner.run (asyncio/runners.py:118);run_forever (loop.c:1)"
COLLAPSED = [
    f"{LOOP};_Run._representations (executor.py:120);gc_collect_main (libpython3.11.so.1.0) 28",
    f"{LOOP};decode_response (transport.py:40);0x7f6f7fcbd929 ({ORJSON}) 9",
    f"{LOOP};GraphQLEndpoint._respond (gateway/http/endpoint.py:150);0x7f01 ({ORJSON}) 2",
    f"{LOOP};project (shape.py:288);_object (shape.py:269) 11",
    f"{LOOP};epoll_pwait (libc.so.6) 40",
    "Thread._bootstrap (threading.py:1002);_worker (concurrent/futures/thread.py:81) 500",
]


def test_samples_are_attributed_to_the_innermost_known_stage() -> None:
    profile = StackProfile.from_collapsed(COLLAPSED)
    assert profile.total == 50  # busy samples of the event loop thread only
    assert profile.idle == 40 and profile.background == 500
    assert profile.stages == {
        "garbage collector (gc)": 28,
        "JSON decode of subgraph responses (orjson.loads)": 9,
        "JSON encode of the response (orjson.dumps)": 2,
        "projection (gateway/execution/shape)": 11,
    }
    assert profile.self_time["[native] orjson"] == 11
    assert profile.inclusive["Runner.run (asyncio/runners.py)"] == 50
    assert profile.share(28) == "56.0 %"


def test_frames_lose_line_numbers_and_native_addresses() -> None:
    assert short_frame("collect (merge.py:88)") == "collect (merge.py)"
    assert short_frame("0x7f6f81c49f16 (libc.so.6)") == "[native] libc"
    assert (
        short_frame("send (/work/wt/x/.venv/lib/python3.11/site-packages/aiohttp/client.py:12)")
        == "send (aiohttp/client.py)"
    )
    assert categorize(["main (app.py:1)", "write (libc.so.6)"]) == "socket syscalls (read/write)"
    assert categorize(["main (app.py:1)"]) == "other"


def _measurement(name: str, rps: float, cpu_ms: float, p95: float, calls: float) -> Measurement:
    requests = int(rps * 10)
    return Measurement(
        name=name,
        label=name,
        ours=name.startswith("ordergate"),
        load=LoadResult(
            requests=requests,
            duration_seconds=10.0,
            bytes_read=0,
            connect_errors=0,
            read_errors=0,
            write_errors=0,
            status_errors=0,
            timeouts=0,
            latency_ms={"p50": p95 / 2, "p95": p95, "p99": p95},
        ),
        sample=SampleReport(),
        gateway_cpu_seconds=cpu_ms * requests / 1000,
        served_requests=requests,
        peak_rss_bytes=0,
        end_rss_bytes=0,
        subgraph_calls=int(calls * requests),
        subgraph_cpu_seconds=0.0,
        wrk_cpu_seconds=0.0,
        harness_cpu_seconds=0.0,
        machine_busy_seconds=0.0,
        window_seconds=10.0,
    )


def test_targets_compare_like_with_like_in_one_run() -> None:
    by_name = {
        "ordergate": _measurement("ordergate", 300, 3.0, 180, 0.5),
        "ordergate-no-dedup": _measurement("ordergate-no-dedup", 150, 5.5, 450, 8),
        "apollo": _measurement("apollo", 50, 14, 1800, 17),
        "hive": _measurement("hive", 100, 12, 1500, 1.0),
        "hive-no-dedup": _measurement("hive-no-dedup", 80, 13, 1900, 7.5),
        "hive-dedup": _measurement("hive-dedup", 1000, 0.7, 120, 0.14),
        "ordergate-2w": _measurement("ordergate-2w", 450, 3.2, 150, 0.5),
    }
    rows = {row["target"]: row for row in federation_targets(by_name, 50)}
    assert rows["≥ 3x @apollo/gateway req/s (default)"]["verdict"] == "met"
    assert rows["≥ 2x Hive Gateway req/s (default)"]["measured"] == "3.00x"
    assert rows["≥ 2x Hive Gateway req/s (no dedup)"]["measured"] == "1.88x"
    assert rows["≥ 2x Hive Gateway req/s (no dedup)"]["verdict"] == "NOT met"
    assert rows["≤ 4 ms gateway CPU/request (no dedup)"]["verdict"] == "NOT met"
    assert rows["subgraph calls/request ≤ Hive Gateway's (no dedup)"]["measured"] == "8.00 vs 7.50"
    inbound = rows["≥ Hive Gateway's inbound-deduplicated req/s"]
    assert inbound["verdict"] == "NOT met" and "WITHOUT inbound dedup" in inbound["note"]
    by_name["ordergate-dedup"] = _measurement("ordergate-dedup", 1200, 0.6, 60, 0.12)
    rows = {row["target"]: row for row in federation_targets(by_name, 50)}
    inbound = rows["≥ Hive Gateway's inbound-deduplicated req/s"]
    assert inbound["verdict"] == "met" and inbound["measured"] == "1.20x"
    assert rows["2 worker processes: scaling (report only)"]["measured"].startswith("1.50x")
