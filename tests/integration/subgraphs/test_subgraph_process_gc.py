"""``ordergate subgraph`` tunes its process's garbage collector like the gateway (ADR 0011),
unless ``ORDERGATE_<NAME>_GC_TUNING=false``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from processes import free_port, start, wait_until_healthy


@pytest.mark.parametrize(("setting", "tuned"), [(None, True), ("false", False)])
async def test_subgraph_command_tunes_the_garbage_collector(
    tmp_path: Path, setting: str | None, tuned: bool
) -> None:
    port = free_port()
    environment = {"ORDERGATE_INVENTORY_LOG_LEVEL": "info", "ORDERGATE_INVENTORY_LOG_JSON": "true"}
    if setting is not None:
        environment["ORDERGATE_INVENTORY_GC_TUNING"] = setting
    database = f"sqlite+aiosqlite:///{tmp_path / 'inventory.db'}"
    process = start(
        ["subgraph", "inventory", "--database-url", database, "--port", str(port), "--migrate"],
        environment,
        tmp_path / "inventory.log",
    )
    try:
        await wait_until_healthy(process, f"http://127.0.0.1:{port}")
    finally:
        await process.stop()
    output = process.output()
    assert process.returncode == 0, output
    records = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    tunings = [record for record in records if record["event"] == "garbage collector tuned"]
    assert len(tunings) == (1 if tuned else 0), output
    if tuned:
        assert tunings[0]["thresholds"] == [50000, 20, 100]
        assert tunings[0]["frozen"] > 0
