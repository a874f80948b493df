"""The benchmark harness's measuring pieces: wrk output, /proc accounting, answers, config."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.checks import first_difference
from bench.load import parse_wrk_output, wrk_script
from bench.machine import read_busy_seconds
from bench.ours import BENCHMARK_PROFILE, prune_to_model, write_config
from bench.proc_stats import (
    CLOCK_TICKS,
    TreeSnapshot,
    descendants,
    parse_stat,
    parse_status_memory,
    snapshot_tree,
)
from bench.servers import BenchError
from gateway.settings import GatewaySettings

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:4810/graphql
  1 threads and 50 connections
BENCH_RESULT {"requests":2650,"duration_us":10012345,"bytes":232000000,"connect_errors":0,\
"read_errors":1,"write_errors":0,"status_errors":3,"timeouts":2,"latency_us":{"mean":1850.5,\
"p50":1500,"p90":2500,"p95":3000,"p99":4200,"p999":9000,"max":12000}}
"""


def test_wrk_result_line_gives_rates_latencies_and_errors() -> None:
    result = parse_wrk_output(WRK_OUTPUT)
    assert result.requests == 2650
    assert result.requests_per_second == pytest.approx(2650 / 10.012345)
    assert result.latency_ms["p50"] == 1.5
    assert result.latency_ms["p99"] == 4.2
    assert result.status_errors == 3
    assert result.socket_errors == 3  # one read error, two timeouts
    assert result.to_json()["bytes_per_response"] == pytest.approx(232000000 / 2650)


def test_wrk_output_without_result_line_is_an_error() -> None:
    with pytest.raises(BenchError, match="no result line"):
        parse_wrk_output("unable to connect to 127.0.0.1:4810 Connection refused")


def test_one_body_makes_a_static_request_and_several_a_dynamic_one(tmp_path: Path) -> None:
    bodies = tmp_path / "bodies.jsonl"
    static = wrk_script(bodies, {"x-api-key": 'k"ey'}, 1)
    dynamic = wrk_script(bodies, {}, 3)
    assert "request = function" not in static
    assert 'wrk.headers["x-api-key"] = "k\\"ey"' in static
    assert "request = function" in dynamic
    assert str(bodies) in dynamic and "done = function" in dynamic


def test_a_get_script_sends_the_url_alone_with_its_headers(tmp_path: Path) -> None:
    script = wrk_script(tmp_path / "bodies.jsonl", {"accept": "application/json"}, 1, "GET")
    assert 'wrk.method = "GET"' in script
    assert "wrk.body" not in script and "Content-Type" not in script
    assert str(tmp_path) not in script  # no bodies file is read
    assert 'wrk.headers["accept"] = "application/json"' in script
    assert "done = function" in script


def test_answers_compare_after_parsing_and_name_the_first_difference() -> None:
    reference = {"data": {"users": [{"id": "1", "name": "Uri"}, {"id": "2", "name": "Dotan"}]}}
    reordered = {"data": {"users": [{"name": "Uri", "id": "1"}, {"name": "Dotan", "id": "2"}]}}
    assert first_difference(reference, reordered) is None
    changed = json.loads(json.dumps(reference))
    changed["data"]["users"][1]["name"] = "Kamil"
    assert (
        first_difference(reference, changed) == "$.data.users[1].name: 'Kamil' instead of 'Dotan'"
    )
    shorter = {"data": {"users": reference["data"]["users"][:1]}}
    assert first_difference(reference, shorter) == "$.data.users: 1 items instead of 2"
    assert first_difference({"a": 1}, {"a": 1.0}) is not None  # 1 and 1.0 are different JSON
    assert first_difference({"a": 1}, {"a": 1, "b": 2}) == "$.b: unexpected"


def test_stat_and_status_lines_are_read() -> None:
    stat = "4242 (uvicorn worker) S 1 4242 4242 0 -1 4194560 1 0 0 0 250 50 0 0 20 0 3 0"
    name, cpu = parse_stat(stat)
    assert name == "uvicorn worker"
    assert cpu == pytest.approx(300 / CLOCK_TICKS)
    status = "Name:\tpython\nVmHWM:\t  102400 kB\nVmRSS:\t   51200 kB\nThreads:\t3\n"
    assert parse_status_memory(status) == (51200 * 1024, 102400 * 1024)


def test_machine_busy_time_leaves_idle_and_iowait_out() -> None:
    busy, total = read_busy_seconds("cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3\n")
    assert total > busy > 0
    assert busy / total == pytest.approx(150 / 1000)


def test_a_process_tree_is_measured_with_its_children() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", "import time; sum(range(3_000_000)); time.sleep(30)"]
    )
    try:
        tree = descendants(_self_pid())
        assert child.pid in tree
        snapshot = snapshot_tree(_self_pid())
        pids = {process.pid for process in snapshot.processes}
        assert child.pid in pids
        assert snapshot.rss_bytes > 0 and snapshot.hwm_bytes >= snapshot.rss_bytes
    finally:
        child.kill()
        child.wait()


def test_cpu_since_counts_new_processes_from_zero() -> None:
    from bench.proc_stats import ProcessSample

    before = TreeSnapshot((ProcessSample(1, "a", 2.0, 0, 0),))
    after = TreeSnapshot((ProcessSample(1, "a", 2.5, 0, 0), ProcessSample(2, "b", 0.25, 0, 0)))
    assert after.cpu_since(before) == pytest.approx(0.75)


def test_benchmark_profile_is_pruned_to_the_installed_settings(tmp_path: Path) -> None:
    wanted = {
        "watch_supergraph": False,
        "subgraphs": {"deduplicate_inflight": False, "no_such_field": 1},
        "no_such_section": {"x": 1},
    }
    kept, dropped = prune_to_model(wanted, GatewaySettings)
    assert kept == {"watch_supergraph": False, "subgraphs": {"deduplicate_inflight": False}}
    assert dropped == ["subgraphs.no_such_field", "no_such_section"]
    config = tmp_path / "gateway.yaml"
    dropped = write_config(config, {"subgraphs": {"deduplicate_inflight": False}})
    written = json.loads(config.read_text())
    # whatever the branch has, the file is accepted by the settings it was pruned for
    settings = GatewaySettings(**written)
    assert settings.subgraphs.deduplicate_inflight is False
    assert settings.watch_supergraph is False
    assert all(key.split(".")[0] in BENCHMARK_PROFILE for key in dropped)


def _self_pid() -> int:
    import os

    return os.getpid()
