"""``ordergate gateway`` as a real process: the collector settings it applies, and ``--workers``.

What is observed is what an operator sees: the start-up log (JSON lines), the process tree and
its sockets in ``/proc``, answers over HTTP, and the exit after SIGTERM.
"""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path
from typing import Any

import httpx
import pytest
from processes import OrdergateProcess, free_port, start, wait_until_healthy

pytestmark = pytest.mark.slow

#: stores kept per process are refused with several workers: the features are off here
SHARED_NOTHING = {
    "ORDERGATE_GATEWAY_LIMITS__ENABLED": "false",
    "ORDERGATE_GATEWAY_IDEMPOTENCY__ENABLED": "false",
    "ORDERGATE_GATEWAY_JOBS__ENABLED": "false",
}


def _events(process: OrdergateProcess, name: str) -> list[dict[str, Any]]:
    found = []
    for line in process.output().splitlines():
        if line.startswith("{"):
            event = json.loads(line)
            if event.get("event") == name:
                found.append(event)
    return found


def _children(pid: int) -> list[int]:
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        children.extend(int(child) for child in text)
    return children


def _listening_inodes(port: int) -> set[str]:
    """Socket inodes listening on ``port`` (state 0A in /proc/net/tcp)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    return inodes


def _holds_socket(pid: int, inodes: set[str]) -> bool:
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = str(fd.readlink())
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            return True
    return False


async def _typename(base_url: str) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        for _ in range(8):  # new connections each time
            response = await client.post(
                f"{base_url}/graphql",
                json={"query": "{ __typename }"},
                headers={"connection": "close"},
            )
            assert response.json()["data"] == {"__typename": "Query"}


INTROSPECTION = "{ __schema { types { name fields { name args { name } } } } }"


def _written(pid: int) -> int:
    """Bytes the process wrote through system calls (sockets included)."""
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    raise AssertionError(f"no wchar for {pid}")


async def _until_both_answered(base_url: str, workers: list[int]) -> dict[int, int]:
    """Send concurrent requests on new connections until every worker wrote answers; the
    bytes each wrote meanwhile (answers are ~100 KB, the supervisor's pings a few bytes)."""
    before = {worker: _written(worker) for worker in workers}
    async with httpx.AsyncClient(timeout=30) as client:

        async def introspect() -> int:
            response = await client.post(
                f"{base_url}/graphql",
                json={"query": INTROSPECTION},
                headers={"connection": "close"},
            )
            assert response.status_code == 200
            return len(response.content)

        for _ in range(20):
            size = min(await asyncio.gather(*(introspect() for _ in range(8))))
            grown = {worker: _written(worker) - before[worker] for worker in workers}
            if all(delta >= size for delta in grown.values()):
                return grown
    return grown


async def test_the_gateway_process_applies_the_configured_collector_settings(
    tmp_path: Path,
) -> None:
    port = free_port()
    environment = {
        "ORDERGATE_GATEWAY_LOG_FORMAT": "json",
        "ORDERGATE_GATEWAY_RUNTIME__GC__THRESHOLDS": "[40000, 15, 90]",
        "ORDERGATE_GATEWAY_RUNTIME__GC__COLLECT_INTERVAL_SECONDS": "2.5",
    }
    process = start(["gateway", "--port", str(port), "--no-watch"], environment,
                    tmp_path / "gateway.log")  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    try:
        await wait_until_healthy(process, base_url)
        await _typename(base_url)
    finally:
        await process.stop()
    (tuned,) = _events(process, "garbage collector tuned")
    assert tuned["thresholds"] == [40000, 15, 90]
    assert tuned["collect_interval_seconds"] == 2.5
    assert tuned["frozen"] > 10_000  # the supergraph model was built before the freeze
    assert tuned["pid"] == process.process.pid


async def test_the_collector_is_left_alone_when_disabled(tmp_path: Path) -> None:
    port = free_port()
    environment = {
        "ORDERGATE_GATEWAY_LOG_FORMAT": "json",
        "ORDERGATE_GATEWAY_RUNTIME__GC__ENABLED": "false",
    }
    process = start(["gateway", "--port", str(port), "--no-watch"], environment,
                    tmp_path / "gateway.log")  # fmt: skip
    try:
        await wait_until_healthy(process, f"http://127.0.0.1:{port}")
    finally:
        await process.stop()
    assert _events(process, "supergraph loaded")
    assert _events(process, "garbage collector tuned") == []


async def test_two_workers_serve_one_port_and_stop_cleanly(tmp_path: Path) -> None:
    port = free_port()
    environment = {"ORDERGATE_GATEWAY_LOG_FORMAT": "json", **SHARED_NOTHING}
    process = start(["gateway", "--port", str(port), "--no-watch", "--workers", "2"],
                    environment, tmp_path / "gateway.log")  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    try:
        await wait_until_healthy(process, base_url)
        for _ in range(600):  # both workers log once their engine is built
            if len(_events(process, "garbage collector tuned")) == 2:
                break
            await _typename(base_url)
        listening = _listening_inodes(port)
        workers = [
            child for child in _children(process.process.pid) if _holds_socket(child, listening)
        ]
        grown = await _until_both_answered(base_url, workers)
        tuned = {event["pid"] for event in _events(process, "garbage collector tuned")}
        assert len(workers) == 2
        assert tuned == set(workers)  # each worker built its own engine and tuned itself
        assert all(delta > 10_000 for delta in grown.values()), grown  # both answered
        process.process.send_signal(signal.SIGTERM)
        assert await process.wait(30) == 0
    finally:
        await process.stop()
    assert all(_gone(worker) for worker in workers)
    with pytest.raises(httpx.TransportError):
        async with httpx.AsyncClient(timeout=2) as client:
            await client.get(f"{base_url}/health")


def _gone(pid: int) -> bool:
    """Exited (a zombie counts: its parent, stopped too, no longer reaps it)."""
    stat = Path(f"/proc/{pid}/stat")
    return not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"


async def test_several_workers_over_per_process_stores_refuse_to_start(tmp_path: Path) -> None:
    process = start(["gateway", "--port", str(free_port()), "--workers", "2"], {},
                    tmp_path / "gateway.log")  # fmt: skip
    assert await process.wait(60) == 2
    assert "needs shared stores" in process.output()
    assert "limits.store is 'memory'" in process.output()
