"""Tracing settings: off by default everywhere, switched on by the typed settings only."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from gateway.settings import GatewaySettings
from subgraphs.registry import definition
from wire.tracing import TracingSettings
from worker.settings import WorkerSettings


def test_off_by_default_in_every_deployable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
    assert GatewaySettings().observability.tracing.enabled is False
    assert definition("orders").settings().tracing.enabled is False
    assert WorkerSettings().tracing.enabled is False


def test_the_environment_switches_each_deployable_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERGATE_GATEWAY_OBSERVABILITY__TRACING__ENABLED", "true")
    monkeypatch.setenv(
        "ORDERGATE_GATEWAY_OBSERVABILITY__TRACING__ENDPOINT", "http://c:4318/v1/traces"
    )
    monkeypatch.setenv("ORDERGATE_GATEWAY_OBSERVABILITY__TRACING__SAMPLE_RATIO", "0.25")
    monkeypatch.setenv("ORDERGATE_PAYMENTS_TRACING", '{"enabled": true}')
    monkeypatch.setenv("ORDERGATE_WORKER_TRACING__ENABLED", "true")
    tracing = GatewaySettings().observability.tracing
    assert (tracing.enabled, tracing.endpoint, tracing.sample_ratio) == (
        True,
        "http://c:4318/v1/traces",
        0.25,
    )
    assert definition("payments").settings().tracing.enabled is True
    assert WorkerSettings().tracing.enabled is True


def test_unknown_keys_and_bad_ratios_are_refused() -> None:
    with pytest.raises(ValidationError):
        TracingSettings.model_validate({"enabled": True, "exporter": "zipkin"})
    with pytest.raises(ValidationError):
        TracingSettings(sample_ratio=1.5)
