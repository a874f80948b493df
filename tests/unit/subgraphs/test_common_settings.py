"""Typed subgraph settings: environment prefix, overrides, unknown keys rejected."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from subgraphs.common.settings import UnknownSettingError, environment_variable_names
from subgraphs.orders.settings import OrdersSettings


def test_defaults_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert OrdersSettings().port == 4001
    monkeypatch.setenv("ORDERGATE_ORDERS_PORT", "5001")
    monkeypatch.setenv("ORDERGATE_ORDERS_DATABASE_URL", "postgresql+asyncpg://db/orders")
    settings = OrdersSettings()
    assert settings.port == 5001
    assert settings.database_url == "postgresql+asyncpg://db/orders"
    assert not settings.is_sqlite


def test_keyword_arguments_win_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERGATE_ORDERS_PORT", "5001")
    assert OrdersSettings(port=6001).port == 6001


def test_unknown_prefixed_environment_variable_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERGATE_ORDERS_DATABSE_URL", "typo")
    with pytest.raises(UnknownSettingError, match="ORDERGATE_ORDERS_DATABSE_URL"):
        OrdersSettings()


def test_unknown_keyword_is_rejected() -> None:
    with pytest.raises(ValidationError):
        OrdersSettings(colour="blue")  # type: ignore[call-arg]


def test_invalid_values_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERGATE_ORDERS_PORT", "70000")
    with pytest.raises(ValidationError):
        OrdersSettings()


def test_every_field_is_documented() -> None:
    for name, field in OrdersSettings.model_fields.items():
        assert field.description, name
    assert "ORDERGATE_ORDERS_LOG_LEVEL" in environment_variable_names(OrdersSettings)
