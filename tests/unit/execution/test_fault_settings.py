"""The subgraph fault and error-hygiene settings: environment, validation, engine options."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from gateway.engine.core import options_from_settings
from gateway.execution.settings import DEFAULT_PASSTHROUGH_ERROR_CODES, RetrySettings
from gateway.settings import GatewaySettings
from subgraphs.common.errors import ErrorCode


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERGATE_GATEWAY_SUBGRAPHS__RETRY__MAX_ATTEMPTS", "5")
    monkeypatch.setenv("ORDERGATE_GATEWAY_SUBGRAPHS__RETRY__BUDGET_RATIO", "0.1")
    monkeypatch.setenv("ORDERGATE_GATEWAY_SUBGRAPHS__CIRCUIT_BREAKER__OPEN_SECONDS", "2.5")
    monkeypatch.setenv("ORDERGATE_GATEWAY_SUBGRAPHS__CIRCUIT_BREAKER__ENABLED", "false")
    monkeypatch.setenv(
        "ORDERGATE_GATEWAY_SUBGRAPHS__PASSTHROUGH_ERROR_CODES", '["NOT_FOUND", "TEAPOT"]'
    )
    options = options_from_settings(GatewaySettings())
    assert options.subgraph_retry.max_attempts == 5
    assert options.subgraph_retry.budget_ratio == 0.1
    assert options.circuit_breaker.open_seconds == 2.5
    assert not options.circuit_breaker.enabled
    assert options.passthrough_error_codes == ("NOT_FOUND", "TEAPOT")


def test_defaults_retry_queries_break_circuits_and_mask() -> None:
    options = options_from_settings(GatewaySettings())
    assert options.mask_subgraph_errors
    assert options.subgraph_retry.enabled
    assert options.subgraph_retry.max_attempts == 3
    assert options.subgraph_retry.budget_ratio == 0.2
    assert options.circuit_breaker.enabled
    assert options.passthrough_error_codes == DEFAULT_PASSTHROUGH_ERROR_CODES


def test_every_domain_code_of_the_subgraphs_passes_by_default() -> None:
    domain = {code.value for code in ErrorCode} - {"INTERNAL_SERVER_ERROR"}
    assert domain <= set(DEFAULT_PASSTHROUGH_ERROR_CODES)
    assert "INTERNAL_SERVER_ERROR" not in DEFAULT_PASSTHROUGH_ERROR_CODES


def test_nonsense_is_refused() -> None:
    with pytest.raises(ValidationError):
        RetrySettings(backoff_base_seconds=2.0, backoff_max_seconds=1.0)
    with pytest.raises(ValidationError):
        RetrySettings(max_attempts=0)
    with pytest.raises(ValidationError):
        GatewaySettings(subgraphs={"retry": {"attempts": 3}})
    with pytest.raises(ValidationError, match="production"):
        GatewaySettings(production=True, subgraphs={"expose_errors": True})
