"""Which settings may serve from several worker processes, and how the CLI passes its options."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gateway.process.workers import (
    per_process_store_problems,
    per_process_store_warnings,
    supervisor_command,
)
from gateway.settings import GatewaySettings
from ordergate.cli import main
from ordergate.commands.gateway import _environment
from ordergate.gateway_app import WORKER_APP


def test_the_default_per_process_stores_are_refused_with_their_settings_named() -> None:
    problems = per_process_store_problems(GatewaySettings())
    assert [problem.split(" ")[0] for problem in problems] == [
        "limits.store",
        "idempotency.store",
        "jobs.backend",
    ]


def test_redis_stores_or_features_off_may_serve_from_several_processes() -> None:
    shared = GatewaySettings(
        limits={"store": "redis"},
        idempotency={"store": "redis"},
        jobs={"backend": "redis"},
        persisted={"apq": {"store": "redis"}},
    )
    assert per_process_store_problems(shared) == []
    assert per_process_store_warnings(shared) == []
    off = GatewaySettings(limits={"enabled": False}, idempotency={"enabled": False},
                          jobs={"enabled": False})  # fmt: skip
    assert per_process_store_problems(off) == []
    assert "persisted.apq.store" in per_process_store_warnings(off)[0]


def test_command_line_options_reach_the_workers_as_settings_variables() -> None:
    environment = _environment(Path("s.graphql"), "0.0.0.0", 4100, False, 2)
    assert environment == {
        "ORDERGATE_GATEWAY_SUPERGRAPH_PATH": "s.graphql",
        "ORDERGATE_GATEWAY_HOST": "0.0.0.0",
        "ORDERGATE_GATEWAY_PORT": "4100",
        "ORDERGATE_GATEWAY_WATCH_SUPERGRAPH": "false",
        "ORDERGATE_GATEWAY_RUNTIME__WORKERS": "2",
    }
    assert _environment(None, None, None, None, None) == {}


def test_several_workers_over_per_process_stores_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ORDERGATE_GATEWAY_CONFIG_FILE", raising=False)
    result = CliRunner().invoke(main, ["gateway", "--workers", "2", "--port", "1"])
    assert result.exit_code == 2
    assert "--workers 2 needs shared stores" in result.output
    assert "idempotency.store is 'memory'" in result.output


def test_runtime_settings_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERGATE_GATEWAY_RUNTIME__GC__THRESHOLDS", "[1000, 5, 5]")
    monkeypatch.setenv("ORDERGATE_GATEWAY_RUNTIME__WORKERS", "3")
    settings = GatewaySettings()
    assert settings.runtime.gc.thresholds == (1000, 5, 5)
    assert settings.runtime.workers == 3
    assert settings.runtime.gc.enabled and settings.runtime.gc.freeze


def test_the_supervisor_is_uvicorn_over_the_worker_factory() -> None:
    settings = GatewaySettings(host="0.0.0.0", port=4100, runtime={"workers": 3})
    command = supervisor_command(settings, WORKER_APP)
    assert command[1:5] == ["-m", "uvicorn", "--factory", "ordergate.gateway_app:worker_app"]
    options = dict(zip(command[5::2], command[6::2], strict=False))
    assert options["--workers"] == "3"
    assert (options["--host"], options["--port"]) == ("0.0.0.0", "4100")
    assert (options["--loop"], options["--http"]) == ("uvloop", "httptools")
